//! Import throughput: the dev-sized bundled register and a synthetic file of 100,000
//! plates, each imported into a fresh store, timed end to end (parse, plan, write, commit).
//! Run with `cargo bench --bench import`; set MENPAI_BENCH_PG to a postgres:// URL of a
//! database to also measure PostgreSQL (the bench creates and drops its own databases).
//! Target (issue 2): 100,000 plates in under 30 s on SQLite on a 2-core machine.

use std::time::Instant;

use diesel::prelude::*;
use menpai::app::{Actor, App};

/// 1,000 streets of 100 plates each on the bundled divisions, all clean (right side, order).
fn synthetic(plates_per_street: usize, streets: usize) -> String {
    let mut f: Vec<String> = Vec::new();
    for line in menpai::app::BUNDLED_ENSHI.lines() {
        if line.contains(r#""kind":"division""#) {
            f.push(line.trim_end_matches(',').to_string());
        }
    }
    for s in 0..streets {
        let (x0, y) = (109.0 + (s % 40) as f64 * 0.02, 30.0 + (s / 40) as f64 * 0.01);
        f.push(format!(
            r#"{{"type":"Feature","geometry":{{"type":"LineString","coordinates":[[{x0},{y}],[{},{y}]]}},"properties":{{"kind":"thoroughfare","ref":"s{s}","name":"测{s}路","county_code":"422801","former_names":[]}}}}"#,
            x0 + 0.015
        ));
        for i in 0..plates_per_street {
            let number = i + 1;
            let x = x0 + 0.0001 * (1 + i / 2) as f64;
            let py = if number % 2 == 1 { y + 0.0001 } else { y - 0.0001 };
            f.push(format!(
                r#"{{"type":"Feature","geometry":{{"type":"Point","coordinates":[{x},{py}]}},"properties":{{"kind":"plate","thoroughfare_ref":"s{s}","number":{number},"township_code":"422801001"}}}}"#
            ));
        }
    }
    format!("{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}", f.join(",\n"))
}

fn time_import(label: &str, url: &str, text: &str) {
    let app = App::open(url).expect("open store");
    let start = Instant::now();
    let outcome = app.import(&Actor::system("bench"), text, false).expect("import succeeds");
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{label}: {} features + {} nested in {secs:.2} s ({:.0} features/s)",
        outcome.summary.created,
        outcome.summary.nested_created,
        (outcome.summary.created + outcome.summary.nested_created) as f64 / secs
    );
}

fn with_pg(base: &str, f: impl FnOnce(&str)) {
    let name = format!("menpai_bench_{}", ulid::Ulid::new().to_string().to_lowercase());
    let mut c = diesel::PgConnection::establish(base).expect("connect to PostgreSQL");
    diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut c).expect("create database");
    let (prefix, _) = base.rsplit_once('/').expect("URL has a database");
    f(&format!("{prefix}/{name}"));
    let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut c);
}

fn main() {
    let big = synthetic(100, 1000);
    let dev = std::fs::read_to_string("../shared/eval-dev/gazetteer.geojson").ok();
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    if let Some(dev) = &dev {
        time_import("sqlite dev gazetteer", &sqlite("dev.db"), dev);
    }
    time_import("sqlite bundled Enshi", &sqlite("bundled.db"), menpai::app::BUNDLED_ENSHI);
    time_import("sqlite 100,000 plates", &sqlite("big.db"), &big);
    if let Ok(base) = std::env::var("MENPAI_BENCH_PG") {
        if let Some(dev) = &dev {
            with_pg(&base, |url| time_import("postgres dev gazetteer", url, dev));
        }
        with_pg(&base, |url| time_import("postgres 100,000 plates", url, &big));
    }
}
