//! A fresh register for each test, on the store the run is for: SQLite in a temporary
//! directory by default; PostgreSQL when `MENPAI_TEST_DATABASE_URL` names a server
//! (`postgres://postgres@127.0.0.1:5432/test`), each test in a database of its own so
//! tests run in parallel.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use diesel::prelude::*;

use menpai::app::{Actor, App, Role};

pub struct TestDb {
    pub url: String,
    admin_url: Option<String>,
    name: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub fn new() -> TestDb {
        match std::env::var("MENPAI_TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
            Some(base) => {
                assert!(base.starts_with("postgres"), "MENPAI_TEST_DATABASE_URL must be a postgres:// URL");
                let name = format!("menpai_t_{}", ulid::Ulid::new().to_string().to_lowercase());
                let mut c = diesel::PgConnection::establish(&base).expect("connect to the test PostgreSQL server");
                diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut c).expect("create a test database");
                let (prefix, _) = base.rsplit_once('/').expect("URL has a database path");
                TestDb { url: format!("{prefix}/{name}"), admin_url: Some(base), name: Some(name), _dir: None }
            }
            None => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = dir.path().join("register.db").to_string_lossy().into_owned();
                TestDb { url, admin_url: None, name: None, _dir: Some(dir) }
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.admin_url.is_some()
    }

    pub fn app(&self) -> App {
        App::open(&self.url).expect("open the register")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let (Some(base), Some(name)) = (&self.admin_url, &self.name) {
            if let Ok(mut c) = diesel::PgConnection::establish(base) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut c);
            }
        }
    }
}

pub fn admin() -> Actor {
    Actor::system("test")
}

pub fn actor(role: Role) -> Actor {
    Actor { role: Some(role), ..Actor::system("test") }
}

/// The bundled Enshi register, as shipped in the binary.
pub fn bundled() -> &'static str {
    menpai::app::BUNDLED_ENSHI
}

/// A small register file: the province, prefecture, 恩施市 and one township and village,
/// 航空大道 running due east (so north is its left side), and `plates` as GeoJSON features.
pub fn small_file(plates: &[String]) -> String {
    let mut features = vec![
        r#"{"type":"Feature","geometry":null,"properties":{"kind":"division","code":"420000","name":"湖北省","level":"province","aliases":["湖北"]}}"#.to_string(),
        r#"{"type":"Feature","geometry":null,"properties":{"kind":"division","code":"422800","name":"恩施土家族苗族自治州","level":"prefecture","parent_code":"420000","aliases":["恩施州"]}}"#.to_string(),
        r#"{"type":"Feature","geometry":null,"properties":{"kind":"division","code":"422801","name":"恩施市","level":"county","parent_code":"422800","aliases":["恩施"]}}"#.to_string(),
        r#"{"type":"Feature","geometry":null,"properties":{"kind":"division","code":"422801001","name":"舞阳坝街道","level":"township","parent_code":"422801","aliases":[]}}"#.to_string(),
        r#"{"type":"Feature","geometry":null,"properties":{"kind":"division","code":"422801001201","name":"高拱桥村","level":"village","parent_code":"422801001","aliases":[]}}"#.to_string(),
        r#"{"type":"Feature","geometry":{"type":"LineString","coordinates":[[109.47,30.29],[109.48,30.29]]},"properties":{"kind":"thoroughfare","ref":"hk","name":"航空大道","county_code":"422801","former_names":[{"name":"机场路","until":"2015-06-30","document":"恩施市政〔2015〕12号"}]}}"#.to_string(),
        r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[109.5,30.2]},"properties":{"kind":"locality","ref":"g3","name":"三组","village_code":"422801001201","former_names":[]}}"#.to_string(),
    ];
    features.extend(plates.iter().cloned());
    format!("{{\"type\":\"FeatureCollection\",\"features\":[{}]}}", features.join(",\n"))
}

/// A plate on 航空大道 at `x` (longitude), `north` of the line or south of it.
pub fn hk_plate(number: i32, sub: Option<i32>, x: f64, north: bool) -> String {
    let y = if north { 30.2901 } else { 30.2899 };
    let sub = sub.map(|s| format!(",\"sub\":{s}")).unwrap_or_default();
    format!(
        r#"{{"type":"Feature","geometry":{{"type":"Point","coordinates":[{x},{y}]}},"properties":{{"kind":"plate","thoroughfare_ref":"hk","number":{number}{sub},"township_code":"422801001","buildings":[{{"number":3,"units":[{{"number":2,"rooms":["501","502"]}}]}}]}}}}"#
    )
}

/// A `menpai serve` process on a free loopback port; killed when dropped.
pub struct Server(pub Child, pub u16);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts `menpai serve` on the test's store, with extra environment variables.
pub fn serve(db: &TestDb, env: &[(&str, &str)]) -> Server {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_menpai"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("DATABASE_URL", &db.url)
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server(child, port);
    let deadline = Instant::now() + Duration::from_secs(30);
    while get(port, "/healthz", "").0 != 200 {
        assert!(Instant::now() < deadline, "server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    server
}

/// Percent-encodes a query value (request lines take ASCII only).
pub fn encode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// A plain HTTP GET on loopback: (status, body).
pub fn get(port: u16, path: &str, token: &str) -> (u16, String) {
    exchange(
        port,
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"),
    )
}

/// A plain HTTP POST of a JSON body on loopback: (status, body).
pub fn post(port: u16, path: &str, token: &str, body: &str) -> (u16, String) {
    exchange(
        port,
        format!(
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
}

fn exchange(port: u16, req: String) -> (u16, String) {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else { return (0, String::new()) };
    if s.write_all(req.as_bytes()).is_err() {
        return (0, String::new());
    }
    let mut resp = String::new();
    let _ = s.read_to_string(&mut resp);
    let status = resp.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, resp.split("\r\n\r\n").nth(1).unwrap_or("").to_string())
}
