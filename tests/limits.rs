//! Limits that protect the service: per-token rate limits and oversized requests.

mod common;

use common::*;
use menpai::app::Role;

#[test]
fn a_token_over_its_rate_gets_429_with_retry_after_and_others_are_unaffected() {
    let db = TestDb::new();
    let app = db.app();
    let (a, b) = (
        app.create_token(&admin(), Role::Reader, None, None).unwrap().1,
        app.create_token(&admin(), Role::Reader, None, None).unwrap().1,
    );
    let server = serve(&db, &[("MENPAI_RATE_PER_SEC", "0.5"), ("MENPAI_RATE_BURST", "3")]);
    let statuses: Vec<u16> = (0..5).map(|_| get(server.1, "/v1/divisions/422800", &a).0).collect();
    assert_eq!(&statuses[..3], &[200, 200, 200], "the burst passes: {statuses:?}");
    assert_eq!(&statuses[3..], &[429, 429]);
    let raw = raw_get(server.1, "/v1/divisions/422800", &a);
    assert!(raw.contains("retry-after: 2") || raw.contains("Retry-After: 2"), "{raw}");
    assert!(raw.contains("application/problem+json") && raw.contains("请求过于频繁"));
    assert_eq!(get(server.1, "/v1/divisions/422800", &b).0, 200, "another token has its own bucket");
    assert_eq!(get(server.1, "/healthz", "").0, 200, "health needs no token and is not limited");
}

fn raw_get(port: u16, path: &str, token: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

/// The bundled register, a police token, one of its issued plates and the feed's head.
struct Plated {
    app: menpai::app::App,
    police: String,
    plate: String,
    seq: i64,
}

fn plated(db: &TestDb) -> Plated {
    let app = db.app();
    app.load_bundled_if_empty().unwrap();
    let police = app.create_token(&admin(), Role::Police, None, None).unwrap().1;
    let plate = app.register().plates.values().next().unwrap().id.clone();
    let seq = app.events(&admin(), 0, 1).unwrap().last_seq;
    Plated { app, police, plate, seq }
}

/// Sends `head` and then `body` over one connection, pausing `pause` between them, and
/// reads the whole answer.
fn raw_exchange(port: u16, head: &str, body: &[u8], pause: std::time::Duration) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(head.as_bytes()).unwrap();
    std::thread::sleep(pause);
    let _ = s.write_all(body);
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out
}

fn post_head(path: &str, token: &str, length: usize) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\n\
         Content-Length: {length}\r\nConnection: close\r\n\r\n"
    )
}

#[test]
fn a_body_that_does_not_arrive_in_time_gets_408_and_changes_nothing() {
    let db = TestDb::new();
    let Plated { police, plate, .. } = plated(&db);
    let server = serve(&db, &[("MENPAI_REQUEST_TIMEOUT_SECS", "1")]);

    // Half a retirement, then silence past the limit.
    let body = r#"{"reason":"门牌损毁，重新编制"}"#;
    let head = post_head(&format!("/v1/plates/{plate}/retire"), &police, body.len());
    let started = std::time::Instant::now();
    let answer = raw_exchange(server.1, &head, &body.as_bytes()[..5], std::time::Duration::from_secs(3));
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("application/problem+json") && answer.contains("请求体未在 1 秒内传完"), "{answer}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    let (status, now) = get(server.1, &format!("/v1/addresses/{plate}"), &police);
    assert_eq!(status, 200);
    assert!(now.contains(r#""status":"issued""#), "the plate stands: {now}");

    // The same body sent at once is taken.
    let answer = raw_exchange(server.1, &head, body.as_bytes(), std::time::Duration::ZERO);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

/// An import file: 利川市, a county with no register yet (import loads legacy data into an
/// empty area), with 新华路 running due east and `plates` numbered along it (odd on the
/// left, north side; even on the right).
fn street_with_plates(plates: usize) -> String {
    let mut features = vec![
        r#"{"type":"Feature","geometry":null,"properties":{"kind":"division","code":"422802","name":"利川市","level":"county","parent_code":"422800","aliases":["利川"]}}"#.to_string(),
        r#"{"type":"Feature","geometry":null,"properties":{"kind":"division","code":"422802001","name":"都亭街道","level":"township","parent_code":"422802","aliases":[]}}"#.to_string(),
        r#"{"type":"Feature","geometry":{"type":"LineString","coordinates":[[109.47,30.30],[109.50,30.30]]},"properties":{"kind":"thoroughfare","ref":"xh","name":"新华路","county_code":"422802","former_names":[]}}"#.to_string(),
    ];
    for n in 1..=plates {
        let (x, y) = (109.47 + n as f64 * 0.00001, if n % 2 == 1 { 30.3001 } else { 30.2999 });
        features.push(format!(
            r#"{{"type":"Feature","geometry":{{"type":"Point","coordinates":[{x},{y}]}},"properties":{{"kind":"plate","thoroughfare_ref":"xh","number":{n},"township_code":"422802001"}}}}"#
        ));
    }
    format!("{{\"type\":\"FeatureCollection\",\"features\":[{}]}}", features.join(","))
}

#[test]
fn a_read_past_its_time_gets_503_but_a_change_is_never_cut_off() {
    let db = TestDb::new();
    let app = db.app();
    app.import(&admin(), &small_file(&[hk_plate(1, None, 109.471, true)]), false).unwrap();
    let admin_token = app.create_token(&admin(), Role::Admin, None, None).unwrap().1;
    let reader = app.create_token(&admin(), Role::Reader, None, None).unwrap().1;
    // 50 ms: time enough to send a body on loopback, far too little to resolve 10,000
    // addresses or to import 2,000 plates.
    let limit = std::time::Duration::from_millis(50);
    let server = serve(&db, &[("MENPAI_REQUEST_TIMEOUT_SECS", "0.05")]);

    let batch = serde_json::json!({ "queries": vec!["恩施市舞阳坝街道航空大道1号3栋2单元501室"; 10_000] }).to_string();
    let answer = raw_exchange(
        server.1,
        &post_head("/v1/resolve/batch", &reader, batch.len()),
        batch.as_bytes(),
        Default::default(),
    );
    assert!(answer.starts_with("HTTP/1.1 503"), "{}", &answer[..answer.len().min(300)]);
    assert!(answer.contains("application/problem+json") && answer.contains("处理超时"), "{answer}");

    let file = street_with_plates(2_000);
    let started = std::time::Instant::now();
    let answer =
        raw_exchange(server.1, &post_head("/v1/import", &admin_token, file.len()), file.as_bytes(), Default::default());
    assert!(answer.starts_with("HTTP/1.1 201"), "the change ran to its end: {}", &answer[..answer.len().min(300)]);
    assert!(started.elapsed() > limit, "the import took longer than a read may ({:?})", started.elapsed());
    let reopened = db.app();
    assert_eq!(reopened.register().plates.len(), 2_001, "and it was made");
}

#[test]
fn deep_json_and_long_text_are_refused_with_400_and_change_nothing() {
    let db = TestDb::new();
    let Plated { app, police, plate, seq } = plated(&db);
    let server = serve(&db, &[]);

    let deep = format!(r#"{{"reason":{}"x"{}}}"#, "[".repeat(100_000), "]".repeat(100_000));
    let head = post_head(&format!("/v1/plates/{plate}/retire"), &police, deep.len());
    let answer = raw_exchange(server.1, &head, deep.as_bytes(), std::time::Duration::ZERO);
    assert!(answer.starts_with("HTTP/1.1 400"), "{}", &answer[..answer.len().min(400)]);
    assert!(answer.contains("application/problem+json") && answer.contains("请求格式错误"));

    let long = serde_json::json!({ "reason": "损".repeat(menpai::app::MAX_TEXT_CHARS + 1) }).to_string();
    let head = post_head(&format!("/v1/plates/{plate}/retire"), &police, long.len());
    let answer = raw_exchange(server.1, &head, long.as_bytes(), std::time::Duration::ZERO);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("文字过长（reason）"), "{answer}");

    assert_eq!(app.events(&admin(), 0, 1).unwrap().last_seq, seq, "no event was written");
    let (_, now) = get(server.1, &format!("/v1/addresses/{plate}"), &police);
    assert!(now.contains(r#""status":"issued""#), "{now}");
}

/// Another writer (a second process, a maintenance session) holding the register's write
/// lock until dropped.
enum Blocker {
    Sqlite(diesel::SqliteConnection),
    Postgres(diesel::PgConnection),
}

impl Blocker {
    fn hold(db: &TestDb) -> Blocker {
        use diesel::connection::SimpleConnection;
        use diesel::Connection;
        if db.is_postgres() {
            let mut c = diesel::PgConnection::establish(&db.url).unwrap();
            c.batch_execute("BEGIN; SELECT seq FROM feed_head FOR UPDATE;").unwrap();
            Blocker::Postgres(c)
        } else {
            let mut c = diesel::SqliteConnection::establish(&db.url).unwrap();
            c.batch_execute("BEGIN IMMEDIATE;").unwrap();
            Blocker::Sqlite(c)
        }
    }

    fn release(self) {
        use diesel::connection::SimpleConnection;
        match self {
            Blocker::Sqlite(mut c) => c.batch_execute("ROLLBACK;").unwrap(),
            Blocker::Postgres(mut c) => c.batch_execute("ROLLBACK;").unwrap(),
        }
    }
}

#[test]
fn a_change_that_cannot_get_the_lock_in_time_rolls_back_with_503() {
    let db = TestDb::new();
    let Plated { app, police, plate, seq } = plated(&db);
    let server = serve(&db, &[("MENPAI_LOCK_TIMEOUT_SECS", "1")]);
    // The token is used once before the lock is taken, so its last use is on record.
    assert_eq!(get(server.1, &format!("/v1/addresses/{plate}"), &police).0, 200);

    let blocker = Blocker::hold(&db);
    let body = r#"{"reason":"门牌损毁，重新编制"}"#;
    let head = post_head(&format!("/v1/plates/{plate}/retire"), &police, body.len());
    let answer = raw_exchange(server.1, &head, body.as_bytes(), std::time::Duration::ZERO);
    blocker.release();
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("application/problem+json") && answer.contains("数据库繁忙"), "{answer}");

    assert_eq!(app.events(&admin(), 0, 1).unwrap().last_seq, seq, "no event was written");
    let (_, now) = get(server.1, &format!("/v1/addresses/{plate}"), &police);
    assert!(now.contains(r#""status":"issued""#), "the plate stands: {now}");
    // Once the lock is free, the same change goes through.
    let answer = raw_exchange(server.1, &head, body.as_bytes(), std::time::Duration::ZERO);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}
