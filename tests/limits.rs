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
