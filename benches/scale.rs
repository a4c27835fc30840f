//! The register at the prefecture's real size (issue #14): about 1.1 million addresses
//! (the bundled Enshi register plus 2,500 streets of 40 plates, each plate with a building
//! of 2 units × 3 rooms, and 5 groups of 8 plates in each of the 1,752 villages) beside the
//! bundled register alone, each in a real store served over HTTP on loopback by the release
//! binary (`menpai serve`, spawned as a child process), with the figures side by side and
//! the issue's targets with PASS/FAIL.
//!
//! The big register is written as a GeoJSON file (SPEC §4) with the bundled register's
//! features first and the synthetic streets in its counties and townships and the groups
//! in its villages, then loaded with `menpai import FILE` into a fresh store. The bundled
//! register is loaded by `menpai serve` itself into an empty store.
//!
//! Measured on each register: startup (spawn until `/healthz` answers; the first node of
//! the bundled register loads it into the empty store, the big one was imported before),
//! resolutions per second with 8 keep-alive clients, issuance latency p50/p99 with one
//! client, issuance rate with 8 clients (each on its own street), the latency of renaming
//! a street with 40 plates, the time until a second `menpai serve` node on the same store
//! resolves a plate issued through the first (from the first node's 201 to the second's
//! answer `matched` with that plate for the plate's canonical text; the plates are issued
//! after pauses that vary, so they meet the second node's catch-up at different points of
//! its cycle), and peak RSS (VmHWM in /proc/PID/status) of both nodes at the end. The
//! per-token rate limit is lifted on both nodes.
//!
//!     cargo bench --bench scale
//!
//! Knobs (environment variables; defaults give the issue's full run, about 4 minutes on
//! SQLite on this 2-core machine now that changes are applied rather than reloaded):
//!
//! - `MENPAI_SCALE_STREETS` synthetic streets (default 2500)
//! - `MENPAI_SCALE_PLATES` plates per synthetic street (default 40; the street renamed has these)
//! - `MENPAI_SCALE_VILLAGES` villages that get groups (default 1752, all of them)
//! - `MENPAI_SCALE_GROUPS` groups per village (default 5), `MENPAI_SCALE_GROUP_PLATES`
//!   plates per group (default 8)
//! - `MENPAI_SCALE_ISSUES` issuances by one client on the big register (default 1000)
//! - `MENPAI_SCALE_ISSUES_8` issuances by 8 clients on the big register, in all (default 400)
//! - `MENPAI_SCALE_BUNDLED_ISSUES`, `MENPAI_SCALE_BUNDLED_ISSUES_8` the same on the
//!   bundled register (defaults 200 and 400)
//! - `MENPAI_SCALE_RESOLVES` resolutions by 8 clients, in all, on each register (default 4000)
//! - `MENPAI_SCALE_SEEN` plates issued on the first node and waited for on the second (default 5)
//! - `MENPAI_SCALE_TIMEOUT_SECS` how long one request or one wait may take before the
//!   bench gives up on it (default 600)
//! - `MENPAI_BENCH_PG` a postgres:// URL: the same run on PostgreSQL too, in databases the
//!   bench creates and drops
//!
//! A quick check: `MENPAI_SCALE_STREETS=50 MENPAI_SCALE_VILLAGES=20 MENPAI_SCALE_ISSUES=20
//! MENPAI_SCALE_ISSUES_8=40 MENPAI_SCALE_BUNDLED_ISSUES=20 MENPAI_SCALE_BUNDLED_ISSUES_8=40
//! MENPAI_SCALE_RESOLVES=400 MENPAI_SCALE_SEEN=2 cargo bench --bench scale`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use serde_json::{json, Value};

#[path = "common/mod.rs"]
mod common;
use common::Conn;

const CLIENTS: usize = 8;
const BIN: &str = env!("CARGO_BIN_EXE_menpai");

fn knob(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

struct Knobs {
    streets: usize,
    plates: usize,
    villages: usize,
    groups: usize,
    group_plates: usize,
    issues: usize,
    issues_8: usize,
    bundled_issues: usize,
    bundled_issues_8: usize,
    resolves: usize,
    seen: usize,
    timeout: u64,
}

impl Knobs {
    fn from_env() -> Knobs {
        Knobs {
            streets: knob("MENPAI_SCALE_STREETS", 2500),
            plates: knob("MENPAI_SCALE_PLATES", 40),
            villages: knob("MENPAI_SCALE_VILLAGES", 1752),
            groups: knob("MENPAI_SCALE_GROUPS", 5),
            group_plates: knob("MENPAI_SCALE_GROUP_PLATES", 8),
            issues: knob("MENPAI_SCALE_ISSUES", 1000),
            issues_8: knob("MENPAI_SCALE_ISSUES_8", 400),
            bundled_issues: knob("MENPAI_SCALE_BUNDLED_ISSUES", 200),
            bundled_issues_8: knob("MENPAI_SCALE_BUNDLED_ISSUES_8", 400),
            resolves: knob("MENPAI_SCALE_RESOLVES", 4000),
            seen: knob("MENPAI_SCALE_SEEN", 5).max(1),
            timeout: knob("MENPAI_SCALE_TIMEOUT_SECS", 600) as u64,
        }
    }
}

/// A street the bench issues on or renames: its text (county and name), the township of
/// its plates, the point just before its end (entrances there take the next number of
/// their side), and how many plates it has.
#[derive(Clone)]
struct Street {
    text: String,
    township: String,
    end: (f64, f64),
    plates: usize,
}

/// What the bench needs to drive one register: streets, texts to resolve, and names no
/// street has (for the rename).
struct Workload {
    streets: Vec<Street>,
    queries: Vec<String>,
    free_names: Vec<String>,
}

/// The bundled register's divisions, streets and plates, read from the file the binary carries.
struct Bundled {
    features: Vec<Value>,
    names: HashMap<String, String>,
    /// County code → its township codes, in file order.
    townships: BTreeMap<String, Vec<String>>,
    villages: Vec<(String, String)>,
    street_names: HashSet<String>,
}

fn bundled() -> Bundled {
    let fc: Value = serde_json::from_str(menpai::app::BUNDLED_ENSHI).expect("bundled register is JSON");
    let features = fc["features"].as_array().expect("features").clone();
    let (mut names, mut townships, mut villages, mut street_names) =
        (HashMap::new(), BTreeMap::<String, Vec<String>>::new(), Vec::new(), HashSet::new());
    for f in &features {
        let p = &f["properties"];
        let s = |k: &str| p[k].as_str().unwrap_or_default().to_string();
        match p["kind"].as_str() {
            Some("division") => {
                names.insert(s("code"), s("name"));
                match p["level"].as_str() {
                    Some("county") => {
                        townships.entry(s("code")).or_default();
                    }
                    Some("township") => townships.entry(s("parent_code")).or_default().push(s("code")),
                    Some("village") => villages.push((s("code"), s("parent_code"))),
                    _ => {}
                }
            }
            Some("thoroughfare") => {
                street_names.insert(s("name"));
            }
            _ => {}
        }
    }
    townships.retain(|_, t| !t.is_empty());
    Bundled { features, names, townships, villages, street_names }
}

/// 60 characters of distinct syllables: two of them and 路 make a street's name.
const SYLLABLES: &str = "安柏宝博彩昌春丹德枫福桂海和鸿华吉嘉金景康凯兰乐丽林龙茂明宁鹏平琪光仁荣瑞森胜顺泰天文祥新兴秀阳怡银永裕元云泽振志竹松梅";

/// Street names that the bundled register does not have, in a fixed order.
fn street_names(b: &Bundled) -> Vec<String> {
    let chars: Vec<char> = SYLLABLES.chars().collect();
    let mut out = Vec::new();
    for a in &chars {
        for c in &chars {
            let name = format!("{a}{c}路");
            if a != c && !b.street_names.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

/// 四, 五, … 九十九: the groups' numerals (the bundled register uses 一组 to 三组).
fn numeral(n: usize) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => D[n].to_string(),
        10..=19 => format!("十{}", D[n % 10]),
        _ => format!("{}十{}", D[n / 10], D[n % 10]),
    }
}

/// The bundled register's streets with plates on them, and its plates as texts.
fn bundled_workload(b: &Bundled) -> Workload {
    let mut streets: BTreeMap<String, (String, Vec<(f64, f64)>)> = BTreeMap::new();
    let mut plates: Vec<(String, i64, Option<i64>, String)> = Vec::new();
    for f in &b.features {
        let p = &f["properties"];
        match p["kind"].as_str() {
            Some("thoroughfare") => {
                let g = &f["geometry"];
                let line = match g["type"].as_str() {
                    Some("MultiLineString") => g["coordinates"].as_array().and_then(|l| l.last()).cloned(),
                    _ => Some(g["coordinates"].clone()),
                };
                let points = line
                    .and_then(|l| l.as_array().cloned())
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|c| Some((c[0].as_f64()?, c[1].as_f64()?)))
                    .collect();
                let county = b.names.get(p["county_code"].as_str().unwrap_or_default()).cloned().unwrap_or_default();
                let text = format!("{county}{}", p["name"].as_str().unwrap_or_default());
                streets.insert(p["ref"].as_str().unwrap_or_default().to_string(), (text, points));
            }
            Some("plate") => {
                if let Some(r) = p["thoroughfare_ref"].as_str() {
                    plates.push((
                        r.to_string(),
                        p["number"].as_i64().unwrap_or(0),
                        p["sub"].as_i64(),
                        p["township_code"].as_str().unwrap_or_default().to_string(),
                    ));
                }
            }
            _ => {}
        }
    }
    let mut on: HashMap<&str, (usize, String)> = HashMap::new();
    let mut queries = Vec::new();
    for (r, number, sub, township) in &plates {
        let Some((text, _)) = streets.get(r) else { continue };
        let e = on.entry(r.as_str()).or_insert((0, township.clone()));
        e.0 += 1;
        queries.push(match sub {
            Some(s) => format!("{text}{number}-{s}号"),
            None => format!("{text}{number}号"),
        });
    }
    let streets = streets
        .iter()
        .filter_map(|(r, (text, points))| {
            let (n, township) = on.get(r.as_str())?;
            // A point just before the end of the street, a little to its left.
            let (end, before) = (*points.last()?, *points.get(points.len().checked_sub(2)?)?);
            let (dx, dy) = (end.0 - before.0, end.1 - before.1);
            let len = (dx * dx + dy * dy).sqrt().max(1e-9);
            let at = (end.0 - dx / len * 0.00002 - dy / len * 0.0001, end.1 - dy / len * 0.00002 + dx / len * 0.0001);
            Some(Street { text: text.clone(), township: township.clone(), end: at, plates: *n })
        })
        .collect();
    Workload { streets, queries, free_names: street_names(b) }
}

/// Writes the big register (the bundled features, then the synthetic ones) to `path`.
fn write_big(b: &Bundled, k: &Knobs, path: &Path) -> Workload {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("create the register file"));
    let mut w = |s: &str| out.write_all(s.as_bytes()).expect("write the register file");
    w("{\"type\":\"FeatureCollection\",\"features\":[\n");
    for (i, f) in b.features.iter().enumerate() {
        if i > 0 {
            w(",\n");
        }
        w(&f.to_string());
    }
    let names = street_names(b);
    assert!(k.streets <= names.len(), "at most {} synthetic streets", names.len());
    let counties: Vec<(&String, &Vec<String>)> = b.townships.iter().collect();
    let (mut streets, mut queries) = (Vec::new(), Vec::new());
    const BUILDING: &str =
        r#"[{"number":1,"units":[{"number":1,"rooms":["101","102","103"]},{"number":2,"rooms":["201","202","203"]}]}]"#;
    for (s, name) in names.iter().take(k.streets).enumerate() {
        let (county, townships) = counties[s % counties.len()];
        let township = &townships[(s / counties.len()) % townships.len()];
        let (x0, y) = (108.6 + (s % 50) as f64 * 0.03, 29.6 + (s / 50) as f64 * 0.012);
        let x1 = x0 + 0.02;
        w(&format!(
            ",\n{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"LineString\",\"coordinates\":[[{x0},{y}],[{x1},{y}]]}},\"properties\":{{\"kind\":\"thoroughfare\",\"ref\":\"s{s}\",\"name\":\"{name}\",\"county_code\":\"{county}\",\"former_names\":[]}}}}"
        ));
        let text = format!("{}{name}", b.names[county]);
        for i in 0..k.plates {
            let number = i + 1;
            // Odd numbers on the left (north of a street running east), in order along it.
            let x = x0 + 0.0001 * (1 + i / 2) as f64;
            let py = if number % 2 == 1 { y + 0.0001 } else { y - 0.0001 };
            w(&format!(
                ",\n{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{x},{py}]}},\"properties\":{{\"kind\":\"plate\",\"thoroughfare_ref\":\"s{s}\",\"number\":{number},\"township_code\":\"{township}\",\"buildings\":{BUILDING}}}}}"
            ));
            queries.push(match i % 3 {
                0 => format!("{text}{number}号"),
                1 => format!("{text}{number}号1栋2单元20{}室", 1 + i % 3),
                _ => format!("{text}{number}号1栋1单元101室"),
            });
        }
        streets.push(Street { text, township: township.clone(), end: (x1 - 0.00002, y + 0.0001), plates: k.plates });
    }
    for (v, (village, township)) in b.villages.iter().take(k.villages).enumerate() {
        let (vx, vy) = (108.55 + (v % 60) as f64 * 0.035, 29.5 + (v / 60) as f64 * 0.03);
        for g in 0..k.groups {
            let group = format!("{}组", numeral(g + 4));
            let (gx, gy) = (vx + g as f64 * 0.004, vy);
            w(&format!(
                ",\n{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{gx},{gy}]}},\"properties\":{{\"kind\":\"locality\",\"ref\":\"g{v}-{g}\",\"name\":\"{group}\",\"village_code\":\"{village}\",\"former_names\":[]}}}}"
            ));
            for n in 1..=k.group_plates {
                let (px, py) = (gx + 0.0001 * (n % 4) as f64, gy + 0.0001 * (n / 4) as f64);
                w(&format!(
                    ",\n{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{px},{py}]}},\"properties\":{{\"kind\":\"plate\",\"locality_ref\":\"g{v}-{g}\",\"number\":{n}}}}}"
                ));
            }
            if g == 0 {
                queries.push(format!("{}{}{group}1号", b.names[township], b.names[village]));
            }
        }
    }
    w("\n]}\n");
    out.flush().expect("write the register file");
    let used: HashSet<&String> = names.iter().take(k.streets).collect();
    let free_names = names.iter().filter(|n| !used.contains(n)).cloned().collect();
    Workload { streets, queries, free_names }
}

/// A `menpai serve` child process on a loopback port; killed when dropped.
struct Node {
    child: Child,
    port: u16,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Node {
    /// Spawns `menpai serve` on `url` and waits until `/healthz` answers: the node and
    /// the seconds it took.
    fn start(url: &str, timeout: u64) -> (Node, f64) {
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("free port").local_addr().expect("port").port();
        let t0 = Instant::now();
        let child = Command::new(BIN)
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .env("DATABASE_URL", url)
            .env("MENPAI_RATE_PER_SEC", "1000000000")
            .env("MENPAI_RATE_BURST", "1000000000")
            .env("MENPAI_REQUEST_TIMEOUT_SECS", timeout.to_string())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn menpai serve");
        let mut node = Node { child, port };
        let deadline = t0 + Duration::from_secs(timeout);
        loop {
            if let Ok(s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
                drop(s);
                if Conn::open_with_timeout(port, timeout).send("GET", "/healthz", "", "") == 200 {
                    break;
                }
            }
            if let Ok(Some(status)) = node.child.try_wait() {
                panic!("menpai serve exited with {status} before serving");
            }
            assert!(Instant::now() < deadline, "menpai serve did not answer within {timeout} s");
            std::thread::sleep(Duration::from_millis(50));
        }
        let secs = t0.elapsed().as_secs_f64();
        (node, secs)
    }

    fn status_mb(&self, field: &str) -> f64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .ok()
            .and_then(|s| {
                s.lines().find(|l| l.starts_with(field)).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
            })
            .map(|kb| kb / 1024.0)
            .unwrap_or(f64::NAN)
    }

    /// The addresses the node holds, from `/metrics`.
    fn addresses(&self) -> usize {
        let (_, body) = Conn::open(self.port).exchange("GET", "/metrics", "", "");
        body.lines()
            .filter(|l| l.starts_with("menpai_register_records{"))
            .filter_map(|l| l.split_whitespace().last()?.parse::<usize>().ok())
            .sum()
    }
}

fn token(url: &str, role: &str) -> String {
    let out = Command::new(BIN)
        .args(["token", "create", "--role", role])
        .env("DATABASE_URL", url)
        .stderr(Stdio::null())
        .output()
        .expect("run menpai token create");
    assert!(out.status.success(), "menpai token create --role {role} failed");
    String::from_utf8(out.stdout).expect("token is text").trim().to_string()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}

/// What one register gave.
#[derive(Default)]
struct Figures {
    addresses: usize,
    import_s: Option<f64>,
    import_problems: Option<u64>,
    startup_s: f64,
    startup_second_s: f64,
    rss_after_start_mb: f64,
    resolve_per_s: f64,
    resolve_matched: (usize, usize),
    issue_p50_ms: f64,
    issue_p99_ms: f64,
    issued_one: (usize, usize),
    issue_8_per_s: f64,
    issued_8: (usize, usize),
    rename_ms: f64,
    rename_status: u16,
    rename_plates: usize,
    seen_median_ms: f64,
    seen_max_ms: f64,
    seen_count: (usize, usize),
    peak_rss_mb: f64,
    peak_rss_second_mb: f64,
}

/// The body of an issuance on `s`.
fn issue_body(id: &str, s: &Street) -> String {
    json!({"thoroughfare_id": id, "location": [s.end.0, s.end.1], "township_code": s.township}).to_string()
}

/// Runs every measurement on one served register.
fn measure(label: &str, url: &str, work: &Workload, issues: usize, issues_8: usize, k: &Knobs) -> Figures {
    let mut f = Figures::default();
    eprintln!("[{label}] starting the first node");
    let (a, secs) = Node::start(url, k.timeout);
    f.startup_s = secs;
    f.rss_after_start_mb = a.status_mb("VmRSS:");
    f.addresses = a.addresses();
    let (reader, police, civil) = (token(url, "reader"), token(url, "police"), token(url, "civil_affairs"));

    // Resolution by 8 clients.
    eprintln!("[{label}] {} resolutions by {CLIENTS} clients", k.resolves);
    let per = k.resolves.div_ceil(CLIENTS);
    let t0 = Instant::now();
    let counts: Vec<(usize, usize)> = std::thread::scope(|sc| {
        let hs: Vec<_> = (0..CLIENTS)
            .map(|c| {
                let (reader, q) = (&reader, &work.queries);
                sc.spawn(move || {
                    let mut conn = Conn::open_with_timeout(a.port, k.timeout);
                    let (mut n, mut matched) = (0, 0);
                    for i in 0..per {
                        let text = &q[(c * 7919 + i * 104_729) % q.len()];
                        let (status, body) =
                            conn.exchange("POST", "/v1/resolve", reader, &json!({"q": text}).to_string());
                        n += 1;
                        if status == 200 && body.contains(r#""status":"matched""#) {
                            matched += 1;
                        }
                        if status == 0 {
                            conn = Conn::open_with_timeout(a.port, k.timeout);
                        }
                    }
                    (n, matched)
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().expect("client")).collect()
    });
    let n: usize = counts.iter().map(|c| c.0).sum();
    f.resolve_per_s = n as f64 / t0.elapsed().as_secs_f64();
    f.resolve_matched = (counts.iter().map(|c| c.1).sum(), n);

    // Thoroughfare IDs, by resolving the streets' texts on the node.
    let mut conn = Conn::open_with_timeout(a.port, k.timeout);
    let mut id_of = |s: &Street| -> Option<String> {
        let (status, body) = conn.exchange("POST", "/v1/resolve", &reader, &json!({"q": s.text}).to_string());
        let v: Value = serde_json::from_str(&body).ok()?;
        (status == 200 && v["status"] == "matched" && v["address"]["level"] == "thoroughfare")
            .then(|| v["address"]["id"].as_str().map(str::to_string))?
    };
    // The street renamed: the one whose plate count is nearest 40.
    let mut by_plates: Vec<&Street> = work.streets.iter().collect();
    by_plates.sort_by_key(|s| s.plates.abs_diff(40));
    let renamed = by_plates.iter().find_map(|s| Some(((*s).clone(), id_of(s)?))).expect("a street to rename");
    let issuing: Vec<(Street, String)> = work
        .streets
        .iter()
        .filter(|s| s.text != renamed.0.text)
        .filter_map(|s| Some((s.clone(), id_of(s)?)))
        .take(2 * CLIENTS)
        .collect();
    assert!(issuing.len() >= CLIENTS, "only {} streets to issue on", issuing.len());

    // Issuance by one client.
    eprintln!("[{label}] {issues} issuances by one client");
    let mut conn = Conn::open_with_timeout(a.port, k.timeout);
    let mut latencies = Vec::with_capacity(issues);
    let mut ok = 0;
    for i in 0..issues {
        let (s, id) = &issuing[i % issuing.len()];
        let t = Instant::now();
        let (status, _) = conn.exchange("POST", "/v1/plates", &police, &issue_body(id, s));
        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
        ok += usize::from(status == 201);
        if status == 0 {
            conn = Conn::open_with_timeout(a.port, k.timeout);
        }
    }
    latencies.sort_by(f64::total_cmp);
    (f.issue_p50_ms, f.issue_p99_ms, f.issued_one) =
        (percentile(&latencies, 0.5), percentile(&latencies, 0.99), (ok, issues));

    // Issuance by 8 clients, each on its own street.
    eprintln!("[{label}] {issues_8} issuances by {CLIENTS} clients");
    let per = issues_8.div_ceil(CLIENTS);
    let t0 = Instant::now();
    let oks: Vec<usize> = std::thread::scope(|sc| {
        let hs: Vec<_> = (0..CLIENTS)
            .map(|c| {
                let (police, (s, id)) = (&police, &issuing[c]);
                sc.spawn(move || {
                    let mut conn = Conn::open_with_timeout(a.port, k.timeout);
                    let mut ok = 0;
                    for _ in 0..per {
                        let status = conn.send("POST", "/v1/plates", police, &issue_body(id, s));
                        ok += usize::from(status == 201);
                        if status == 0 {
                            conn = Conn::open_with_timeout(a.port, k.timeout);
                        }
                    }
                    ok
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().expect("client")).collect()
    });
    let ok: usize = oks.iter().sum();
    f.issue_8_per_s = ok as f64 / t0.elapsed().as_secs_f64();
    f.issued_8 = (ok, per * CLIENTS);

    // A street with 40 plates renamed.
    eprintln!("[{label}] renaming {} ({} plates)", renamed.0.text, renamed.0.plates);
    let new_name = work.free_names.first().expect("a free name").clone();
    let body = json!({"name": new_name, "document": "恩施州政〔2026〕14号"}).to_string();
    let t = Instant::now();
    let (status, _) = Conn::open_with_timeout(a.port, k.timeout).exchange(
        "POST",
        &format!("/v1/names/{}/rename", renamed.1),
        &civil,
        &body,
    );
    f.rename_ms = t.elapsed().as_secs_f64() * 1000.0;
    f.rename_status = status;
    f.rename_plates = renamed.0.plates;

    // A second node on the same store.
    eprintln!("[{label}] starting the second node");
    let (b, secs) = Node::start(url, k.timeout);
    f.startup_second_s = secs;
    eprintln!("[{label}] {} plates issued on the first node, waited for on the second", k.seen);
    let mut seen = Vec::new();
    let (mut on_a, mut on_b) = (Conn::open_with_timeout(a.port, k.timeout), Conn::open_with_timeout(b.port, k.timeout));
    for i in 0..k.seen {
        // A pause that varies from one plate to the next, so the issuances do not keep
        // one phase against the second node's catch-up (which would measure one point of
        // its cycle every time).
        std::thread::sleep(Duration::from_millis((i as u64 * 379 + 150) % 1000));
        let (s, id) = &issuing[(CLIENTS + i) % issuing.len()];
        let (status, body) = on_a.exchange("POST", "/v1/plates", &police, &issue_body(id, s));
        let issued = serde_json::from_str::<Value>(&body).ok();
        let Some((plate, canonical)) =
            issued.as_ref().and_then(|v| Some((v["id"].as_str()?, v["canonical"].as_str()?)))
        else {
            eprintln!("[{label}] issuance for the second node answered {status}");
            continue;
        };
        // Seen: the second node resolves the plate's canonical text to the plate.
        let query = json!({"q": canonical}).to_string();
        let t = Instant::now();
        let deadline = t + Duration::from_secs(k.timeout);
        loop {
            let (status, body) = on_b.exchange("POST", "/v1/resolve", &reader, &query);
            let answer = serde_json::from_str::<Value>(&body).unwrap_or_default();
            if status == 200 && answer["status"] == "matched" && answer["address"]["id"] == plate {
                seen.push(t.elapsed().as_secs_f64() * 1000.0);
                break;
            }
            if status == 0 {
                on_b = Conn::open_with_timeout(b.port, k.timeout);
            }
            if Instant::now() > deadline {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    f.seen_count = (seen.len(), k.seen);
    seen.sort_by(f64::total_cmp);
    f.seen_median_ms = percentile(&seen, 0.5);
    f.seen_max_ms = seen.last().copied().unwrap_or(f64::NAN);
    // Let the second node finish catching up, so its peak counts the change.
    std::thread::sleep(Duration::from_millis(1500));
    f.peak_rss_mb = a.status_mb("VmHWM:");
    f.peak_rss_second_mb = b.status_mb("VmHWM:");
    f
}

/// Imports `file` with `menpai import`: the seconds it took and the quality problems its
/// report lists.
fn import(url: &str, file: &Path, report: &Path) -> (f64, Option<u64>) {
    let t0 = Instant::now();
    let status = Command::new(BIN)
        .arg("import")
        .arg(file)
        .env("DATABASE_URL", url)
        .stdout(std::fs::File::create(report).expect("report file"))
        .stderr(Stdio::null())
        .status()
        .expect("run menpai import");
    assert!(status.success(), "menpai import refused the register (report in {})", report.display());
    let secs = t0.elapsed().as_secs_f64();
    let problems = std::fs::read_to_string(report)
        .ok()
        .and_then(|r| serde_json::from_str::<Value>(&r).ok())
        .and_then(|r| r["summary"]["quality_problems"].as_u64());
    (secs, problems)
}

fn ms(v: f64) -> String {
    if v.is_nan() {
        "-".into()
    } else if v >= 100.0 {
        format!("{v:.0} ms")
    } else {
        format!("{v:.1} ms")
    }
}

fn report(store: &str, k: &Knobs, small: &Figures, big: &Figures) {
    let row = |name: &str, a: String, b: String| println!("{name:<46} {a:>16} {b:>16}");
    println!();
    println!("== scale: {store} ==");
    println!(
        "counts: {} streets × {} plates, {} villages × {} groups × {} plates; issuances {} (one client) and {} (8 clients) big, {} and {} bundled; {} resolutions; {} plates for the second node",
        k.streets, k.plates, k.villages, k.groups, k.group_plates, k.issues, k.issues_8, k.bundled_issues, k.bundled_issues_8, k.resolves, k.seen
    );
    row("figure", "bundled".into(), "big".into());
    row("addresses in the register", small.addresses.to_string(), big.addresses.to_string());
    row("import (menpai import)", "-".into(), big.import_s.map(|s| format!("{s:.1} s")).unwrap_or("-".into()));
    row(
        "  quality problems the import reported",
        "-".into(),
        big.import_problems.map(|n| n.to_string()).unwrap_or("-".into()),
    );
    row(
        "startup, first node (bundled: loads it)",
        format!("{:.2} s", small.startup_s),
        format!("{:.2} s", big.startup_s),
    );
    row("startup, second node", format!("{:.2} s", small.startup_second_s), format!("{:.2} s", big.startup_second_s));
    row(
        "RSS after startup",
        format!("{:.0} MB", small.rss_after_start_mb),
        format!("{:.0} MB", big.rss_after_start_mb),
    );
    row("resolve rate, 8 clients", format!("{:.0} /s", small.resolve_per_s), format!("{:.0} /s", big.resolve_per_s));
    row(
        "  resolutions matched",
        format!("{}/{}", small.resolve_matched.0, small.resolve_matched.1),
        format!("{}/{}", big.resolve_matched.0, big.resolve_matched.1),
    );
    row("issue latency p50, one client", ms(small.issue_p50_ms), ms(big.issue_p50_ms));
    row("issue latency p99, one client", ms(small.issue_p99_ms), ms(big.issue_p99_ms));
    row(
        "  issued (201) / tried",
        format!("{}/{}", small.issued_one.0, small.issued_one.1),
        format!("{}/{}", big.issued_one.0, big.issued_one.1),
    );
    row("issuance rate, 8 clients", format!("{:.1} /s", small.issue_8_per_s), format!("{:.1} /s", big.issue_8_per_s));
    row(
        "  issued (201) / tried",
        format!("{}/{}", small.issued_8.0, small.issued_8.1),
        format!("{}/{}", big.issued_8.0, big.issued_8.1),
    );
    row("  plates on the street renamed", small.rename_plates.to_string(), big.rename_plates.to_string());
    row(
        "rename a street with ~40 plates (status)",
        format!("{} ({})", ms(small.rename_ms), small.rename_status),
        format!("{} ({})", ms(big.rename_ms), big.rename_status),
    );
    row("second node resolves a plate, median", ms(small.seen_median_ms), ms(big.seen_median_ms));
    row("second node resolves a plate, max", ms(small.seen_max_ms), ms(big.seen_max_ms));
    row(
        "  resolved there / issued",
        format!("{}/{}", small.seen_count.0, small.seen_count.1),
        format!("{}/{}", big.seen_count.0, big.seen_count.1),
    );
    row("peak RSS (VmHWM), first node", format!("{:.0} MB", small.peak_rss_mb), format!("{:.0} MB", big.peak_rss_mb));
    row(
        "peak RSS (VmHWM), second node",
        format!("{:.0} MB", small.peak_rss_second_mb),
        format!("{:.0} MB", big.peak_rss_second_mb),
    );
    println!();
    let check = |name: &str, measured: String, target: String, pass: bool| {
        println!("{name:<46} {measured:>16} {target:>18}  {}", if pass { "PASS" } else { "FAIL" })
    };
    println!("{:<46} {:>16} {:>18}  result", "target (issue #14)", "measured", "target");
    check(
        "issue p50 big ≤ 2 × bundled",
        ms(big.issue_p50_ms),
        format!("≤ {}", ms(2.0 * small.issue_p50_ms)),
        big.issue_p50_ms <= 2.0 * small.issue_p50_ms,
    );
    check(
        "issue p99 big ≤ 2 × bundled",
        ms(big.issue_p99_ms),
        format!("≤ {}", ms(2.0 * small.issue_p99_ms)),
        big.issue_p99_ms <= 2.0 * small.issue_p99_ms,
    );
    check(
        "8 clients big ≥ ½ × bundled",
        format!("{:.1} /s", big.issue_8_per_s),
        format!("≥ {:.1} /s", small.issue_8_per_s / 2.0),
        big.issue_8_per_s >= small.issue_8_per_s / 2.0,
    );
    if store == "sqlite" {
        check(
            "8 clients bundled ≥ 300 plates/s (aim)",
            format!("{:.1} /s", small.issue_8_per_s),
            "≥ 300 /s".into(),
            small.issue_8_per_s >= 300.0,
        );
        check(
            "8 clients big ≥ 300 plates/s (aim)",
            format!("{:.1} /s", big.issue_8_per_s),
            "≥ 300 /s".into(),
            big.issue_8_per_s >= 300.0,
        );
    }
    check(
        "second node resolves a plate ≤ 1 s, big (max)",
        ms(big.seen_max_ms),
        "≤ 1000 ms".into(),
        big.seen_count.0 == big.seen_count.1 && big.seen_max_ms <= 1000.0,
    );
    check(
        "peak RSS big < 1.5 GB, first node",
        format!("{:.0} MB", big.peak_rss_mb),
        "< 1536 MB".into(),
        big.peak_rss_mb < 1536.0,
    );
    check("startup big ≤ 10 s, first node", format!("{:.2} s", big.startup_s), "≤ 10 s".into(), big.startup_s <= 10.0);
    check(
        "startup big ≤ 10 s, second node",
        format!("{:.2} s", big.startup_second_s),
        "≤ 10 s".into(),
        big.startup_second_s <= 10.0,
    );
    let big_issues = big.issued_one.1 + big.issued_8.1 + big.seen_count.1;
    if big_issues < 1000 {
        println!("(the big register's node went through {big_issues} issuances, not the 1,000 the RSS target names)");
    }
}

/// The run on one store: `store_url(name)` gives a fresh, empty store for each register.
fn run(store: &str, k: &Knobs, b: &Bundled, store_url: &mut dyn FnMut(&str) -> String, dir: &Path) {
    let t0 = Instant::now();
    let small = measure(
        &format!("{store} bundled"),
        &store_url("bundled"),
        &bundled_workload(b),
        k.bundled_issues,
        k.bundled_issues_8,
        k,
    );
    let file = dir.join("big.geojson");
    let work = write_big(b, k, &file);
    let url = store_url("big");
    eprintln!("[{store} big] importing {} MB", std::fs::metadata(&file).map(|m| m.len() >> 20).unwrap_or(0));
    let (import_s, problems) = import(&url, &file, &dir.join(format!("import-report-{store}.json")));
    let mut big = measure(&format!("{store} big"), &url, &work, k.issues, k.issues_8, k);
    big.import_s = Some(import_s);
    big.import_problems = problems;
    report(store, k, &small, &big);
    println!("({store} run took {:.0} s)", t0.elapsed().as_secs_f64());
}

fn main() {
    let k = Knobs::from_env();
    let b = bundled();
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().to_path_buf();
    let mut sqlite = |name: &str| root.join(format!("{name}.db")).to_string_lossy().into_owned();
    run("sqlite", &k, &b, &mut sqlite, dir.path());
    if let Ok(base) = std::env::var("MENPAI_BENCH_PG") {
        let mut admin = diesel::PgConnection::establish(&base).expect("connect to PostgreSQL");
        let (prefix, _) = base.rsplit_once('/').expect("URL has a database");
        let mut created = Vec::new();
        let mut pg = |name: &str| {
            let db = format!("menpai_scale_{name}_{}", ulid::Ulid::new().to_string().to_lowercase());
            diesel::sql_query(format!("CREATE DATABASE {db}")).execute(&mut admin).expect("create database");
            created.push(db.clone());
            format!("{prefix}/{db}")
        };
        run("postgres", &k, &b, &mut pg, dir.path());
        let mut admin = diesel::PgConnection::establish(&base).expect("connect to PostgreSQL");
        for db in created {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)")).execute(&mut admin);
        }
    }
}
