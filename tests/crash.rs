//! Crash safety: a server killed with SIGKILL during concurrent issuance loses no
//! acknowledged plate and never issues a number twice.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::*;
use menpai::app::Role;
use serde_json::Value;

/// POST /v1/plates; the ID when the server acknowledged (201).
fn issue(port: u16, token: &str, body: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let req = format!(
        "POST /v1/plates HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).ok()?;
    let mut resp = String::new();
    s.read_to_string(&mut resp).ok()?;
    if !resp.starts_with("HTTP/1.1 201") {
        return None;
    }
    let v: Value = serde_json::from_str(resp.split("\r\n\r\n").nth(1)?).ok()?;
    v["id"].as_str().map(str::to_string)
}

#[test]
fn every_acknowledged_plate_survives_a_sigkill_and_no_number_is_issued_twice() {
    let db = TestDb::new();
    let app = db.app();
    app.import(&admin(), &small_file(&[]), false).unwrap();
    let hk = app.register().thoroughfares.values().next().unwrap().id.clone();
    let tokens: Vec<String> = (0..8).map(|_| app.create_token(&admin(), Role::Police, None, None).unwrap().1).collect();
    drop(app);

    let mut server = serve(&db, &[]);
    let port = server.1;
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = tokens
        .into_iter()
        .enumerate()
        .map(|(i, token)| {
            let (stop, hk) = (stop.clone(), hk.clone());
            std::thread::spawn(move || {
                let y = if i % 2 == 0 { 30.2901 } else { 30.2899 };
                let body =
                    format!(r#"{{"thoroughfare_id":"{hk}","location":[109.475,{y}],"township_code":"422801001"}}"#);
                let mut acked = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    if let Some(id) = issue(port, &token, &body) {
                        acked.push(id);
                    }
                }
                acked
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    server.0.kill().unwrap(); // SIGKILL
    server.0.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    let acked: Vec<String> = clients.into_iter().flat_map(|c| c.join().unwrap()).collect();
    assert!(acked.len() > 5, "the clients got plates before the kill: {}", acked.len());

    // Restart on the same store: every acknowledged plate is there, each number once.
    let _restarted = serve(&db, &[]);
    let app = db.app();
    let reg = app.register();
    for id in &acked {
        assert!(reg.plates.contains_key(id), "acknowledged plate {id} was lost");
    }
    let mut numbers: Vec<(i32, Option<i32>)> = reg.plates.values().map(|p| (p.number, p.sub)).collect();
    let n = numbers.len();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), n, "a number was issued twice");
    let page = app.events(&admin(), 0, 1000).unwrap();
    assert_eq!(page.events.len() as i64, page.last_seq, "the feed has no gap");
    assert_eq!(page.last_seq as usize, n + 1, "one event per plate after the import");
}
