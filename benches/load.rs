//! Load over HTTP on loopback: throughput, p50 and p99 latency and 5xx count for
//! `/healthz` (the ceiling), resolution, validation and issuance, each for a bounded time
//! with 8 keep-alive clients. The server runs in this process on the bundled Enshi
//! register (SQLite). Run with `cargo bench --bench load`; MENPAI_LOAD_SECS sets the
//! seconds per route (default 5). The per-token rate limit is lifted for the run.

use std::time::{Duration, Instant};

use menpai::app::{Actor, App, Role};

#[path = "common/mod.rs"]
mod common;

const CLIENTS: usize = 8;

struct Outcome {
    latencies_us: Vec<u64>,
    server_errors: usize,
    other_failures: usize,
}

fn run_route(
    label: &str,
    port: u16,
    tokens: &[String],
    secs: f64,
    request: impl Fn(usize, usize) -> (String, String, String) + Sync,
) {
    let deadline = Instant::now() + Duration::from_secs_f64(secs);
    let outcomes: Vec<Outcome> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..CLIENTS)
            .map(|c| {
                let (token, request) = (&tokens[c], &request);
                s.spawn(move || {
                    let mut conn = common::Conn::open(port);
                    let mut out = Outcome { latencies_us: Vec::new(), server_errors: 0, other_failures: 0 };
                    let mut i = 0;
                    while Instant::now() < deadline {
                        let (method, path, body) = request(c, i);
                        let t0 = Instant::now();
                        let status = conn.send(&method, &path, token, &body);
                        out.latencies_us.push(t0.elapsed().as_micros() as u64);
                        match status {
                            500..=599 => out.server_errors += 1,
                            200..=299 => {}
                            _ => out.other_failures += 1,
                        }
                        if status == 0 {
                            conn = common::Conn::open(port);
                        }
                        i += 1;
                    }
                    out
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("client")).collect()
    });
    let mut all: Vec<u64> = outcomes.iter().flat_map(|o| o.latencies_us.iter().copied()).collect();
    all.sort_unstable();
    let pct =
        |p: f64| all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1))).copied().unwrap_or(0);
    let errors: usize = outcomes.iter().map(|o| o.server_errors).sum();
    let other: usize = outcomes.iter().map(|o| o.other_failures).sum();
    println!(
        "{label:<12} {:>8} requests {:>9.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms  5xx {errors}  other non-2xx {other}",
        all.len(),
        all.len() as f64 / secs,
        pct(0.50) as f64 / 1000.0,
        pct(0.99) as f64 / 1000.0
    );
}

fn main() {
    std::env::set_var("MENPAI_RATE_PER_SEC", "1000000000");
    std::env::set_var("MENPAI_RATE_BURST", "1000000000");
    let secs: f64 = std::env::var("MENPAI_LOAD_SECS").ok().and_then(|v| v.parse().ok()).unwrap_or(5.0);
    let dir = tempfile::tempdir().expect("temp dir");
    let app = App::open(&dir.path().join("load.db").to_string_lossy()).expect("open");
    app.load_bundled_if_empty().expect("bundled data");
    let admin = Actor::system("bench");
    let readers: Vec<String> =
        (0..CLIENTS).map(|_| app.create_token(&admin, Role::Reader, None, None).expect("token").1).collect();
    let police: Vec<String> =
        (0..CLIENTS).map(|_| app.create_token(&admin, Role::Police, None, None).expect("token").1).collect();
    let reg = app.register();
    let texts: Vec<String> = reg.plates.keys().filter_map(|id| reg.address(id)).map(|a| a.canonical).collect();
    let streets: Vec<(String, f64, f64, String)> = reg
        .thoroughfares
        .values()
        .filter_map(|t| {
            let end = t.geometry.parts().last()?.0.last().copied()?;
            let township = reg.plates.values().find(|p| p.parent.id() == t.id)?.township_code.clone()?;
            Some((t.id.clone(), end.x, end.y, township))
        })
        .collect();
    let port = common::serve_in_process(&app);
    println!("{CLIENTS} keep-alive clients, {secs} s per route, bundled Enshi register on SQLite");
    run_route("healthz", port, &readers, secs, |_, _| ("GET".into(), "/healthz".into(), String::new()));
    run_route("resolve", port, &readers, secs, |c, i| {
        let q = &texts[(c * 7919 + i) % texts.len()];
        ("POST".into(), "/v1/resolve".into(), serde_json::json!({"q": q}).to_string())
    });
    run_route("validate", port, &readers, secs, |c, i| {
        let q = &texts[(c * 104_729 + i) % texts.len()];
        ("POST".into(), "/v1/validate".into(), serde_json::json!({"address": q}).to_string())
    });
    run_route("issue", port, &police, secs, |c, i| {
        let (id, x, y, township) = &streets[(c + i * CLIENTS) % streets.len()];
        let dy = if i % 2 == 0 { 0.0001 } else { -0.0001 };
        let body =
            serde_json::json!({"thoroughfare_id": id, "location": [x - 0.00001, y + dy], "township_code": township});
        ("POST".into(), "/v1/plates".into(), body.to_string())
    });
}
