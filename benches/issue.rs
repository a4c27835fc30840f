//! Plate issuance over HTTP with 32 concurrent clients on one street: issued plates per
//! second, on SQLite and (with MENPAI_BENCH_PG=postgres://…/db) on PostgreSQL. The server
//! runs in this process on a loopback port; the bundled Enshi register is loaded first so
//! the snapshot each issuance refreshes has a realistic size.
//! Run with `cargo bench --bench issue`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Instant;

use diesel::prelude::*;
use menpai::app::{Actor, App, Role};

#[path = "common/mod.rs"]
mod common;

const CLIENTS: usize = 32;
const PER_CLIENT: usize = 10;

fn post(port: u16, token: &str, body: &str) -> u16 {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let req = format!(
        "POST /v1/plates HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).expect("send");
    let mut resp = String::new();
    let _ = s.read_to_string(&mut resp);
    resp.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0)
}

fn run(label: &str, url: &str) {
    let app = App::open(url).expect("open store");
    app.load_bundled_if_empty().expect("bundled data");
    let token = app.create_token(&Actor::system("bench"), Role::Police, None, None).expect("token").1;
    let reg = app.register();
    let street = reg
        .thoroughfares
        .values()
        .find(|t| t.name == "航空大道")
        .or_else(|| reg.thoroughfares.values().next())
        .expect("a street");
    let last = street.geometry.parts().last().and_then(|l| l.0.last().copied()).expect("a vertex");
    let (sid, end) = (street.id.clone(), last);
    let township =
        reg.plates.values().find(|p| p.parent.id() == sid).and_then(|p| p.township_code.clone()).expect("a township");
    let port = common::serve_in_process(&app);
    let t0 = Instant::now();
    let threads: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let (token, sid, township) = (token.clone(), sid.clone(), township.clone());
            std::thread::spawn(move || {
                // Entrances near the street's end, beyond its existing plates: each takes
                // the next number of its side.
                let dy = if i % 2 == 0 { 0.0001 } else { -0.0001 };
                let body = format!(
                    r#"{{"thoroughfare_id":"{sid}","location":[{},{}],"township_code":"{township}"}}"#,
                    end.x - 0.00001,
                    end.y + dy
                );
                (0..PER_CLIENT).map(|_| post(port, &token, &body)).filter(|s| *s == 201).count()
            })
        })
        .collect();
    let ok: usize = threads.into_iter().map(|t| t.join().unwrap_or(0)).sum();
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "{label}: {ok}/{} issued by {CLIENTS} clients in {secs:.2} s = {:.1} plates/s",
        CLIENTS * PER_CLIENT,
        ok as f64 / secs
    );
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    run("sqlite", &dir.path().join("issue.db").to_string_lossy());
    if let Ok(base) = std::env::var("MENPAI_BENCH_PG") {
        let name = format!("menpai_bench_{}", ulid::Ulid::new().to_string().to_lowercase());
        let mut c = diesel::PgConnection::establish(&base).expect("connect to PostgreSQL");
        diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut c).expect("create database");
        let (prefix, _) = base.rsplit_once('/').expect("URL has a database");
        run("postgres", &format!("{prefix}/{name}"));
        let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut c);
    }
}
