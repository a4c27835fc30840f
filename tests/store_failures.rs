//! When the store fails under a request (issue #12, item 6): a change the store failed
//! under before it committed runs again; otherwise the client hears 503 with a fixed
//! Chinese detail, never 500 and never the database's own words.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use diesel::prelude::*;
use menpai::app::Role;
use serde_json::Value;

#[derive(QueryableByName)]
struct Killed {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    n: i32,
}

/// Ends every session of the test's database but the caller's, as an administrator (or a
/// failover) would: `pg_terminate_backend`.
fn kill_sessions(admin: &mut PgConnection, database: &str) -> i32 {
    diesel::sql_query(
        "SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity \
         WHERE datname = $1 AND pid <> pg_backend_pid()",
    )
    .bind::<diesel::sql_types::Text, _>(database)
    .get_result::<Killed>(admin)
    .map(|k| k.n)
    .unwrap_or(0)
}

#[test]
fn killing_the_database_sessions_mid_burst_gives_no_500_and_loses_no_acknowledged_plate() {
    let db = TestDb::new();
    if !db.is_postgres() {
        eprintln!("sessions are killed on PostgreSQL only (SQLite has none): skipped on this store");
        return;
    }
    let app = db.app();
    app.import(&admin(), &small_file(&[]), false).unwrap();
    // Plates of a group are numbered 1, 2, 3 … wherever the door is: concurrent clients
    // never get in each other's numbering.
    let group = app.register().localities.values().next().unwrap().id.clone();
    let police = app.create_token(&admin(), Role::Police, None, None).unwrap().1;
    drop(app);
    let server = serve(&db, &[]);
    let port = server.1;

    let database = db.url.rsplit('/').next().unwrap().to_string();
    let base = std::env::var("MENPAI_TEST_DATABASE_URL").unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let killer = {
        let done = done.clone();
        std::thread::spawn(move || {
            let mut admin = PgConnection::establish(&base).unwrap();
            let mut killed = 0;
            let until = Instant::now() + Duration::from_secs(60);
            while !done.load(Ordering::SeqCst) && Instant::now() < until {
                killed += kill_sessions(&mut admin, &database);
                std::thread::sleep(Duration::from_millis(250));
            }
            killed
        })
    };
    let clients: Vec<_> = (0..4)
        .map(|i| {
            let (police, group) = (police.clone(), group.clone());
            std::thread::spawn(move || {
                (0..30)
                    .map(|k| {
                        let x = 109.5 + 0.00001 * (i * 30 + k) as f64;
                        let body = format!(r#"{{"locality_id":"{group}","location":[{x},30.2]}}"#);
                        post(port, "/v1/plates", &police, &body)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let answers: Vec<(u16, String)> = clients.into_iter().flat_map(|c| c.join().unwrap()).collect();
    done.store(true, Ordering::SeqCst);
    let killed = killer.join().unwrap();
    assert!(killed > 0, "the burst ran while sessions were being killed");

    let mut issued = Vec::new();
    for (status, body) in &answers {
        match status {
            201 => issued.push(serde_json::from_str::<Value>(body).unwrap()["id"].as_str().unwrap().to_string()),
            503 => {
                eprintln!("503: {body}");
                let p: Value = serde_json::from_str(body).unwrap();
                let detail = p["detail"].as_str().unwrap();
                assert!(detail.starts_with("数据库"), "a fixed Chinese detail: {detail}");
                assert!(!detail.is_ascii() && !detail.contains("connection") && !detail.contains("terminat"), "{detail}");
            }
            other => panic!("answer {other}: {body}"),
        }
    }
    assert!(issued.len() > answers.len() / 2, "most issuances went through: {} of {}", issued.len(), answers.len());

    let fresh = db.app();
    let reg = fresh.register();
    for id in &issued {
        assert!(reg.plates.contains_key(id), "acknowledged plate {id} is in the register");
    }
    let mut numbers: Vec<_> = reg.plates.values().map(|p| (p.number, p.sub)).collect();
    numbers.sort();
    let before = numbers.len();
    numbers.dedup();
    assert_eq!(numbers.len(), before, "no number issued twice");
    eprintln!("{} answers, {} plates issued, {} sessions killed", answers.len(), issued.len(), killed);
}
