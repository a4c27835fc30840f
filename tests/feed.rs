//! The change feed (SPEC §8): gap-free order, long-poll, county feeds, the follower, and a
//! second node catching up with changes made through the first.

mod common;

use std::io::Write;
use std::process::Command;
use std::time::{Duration, Instant};

use actix_web::test::{call_service, init_service, read_body, TestRequest};
use common::*;
use menpai::api::Metrics;
use menpai::app::plates::PlateRequest;
use menpai::app::{App, Role};
use serde_json::Value;

fn issue(app: &App, x: f64) -> String {
    let police = app.authenticate(&app.create_token(&admin(), Role::Police, None, None).unwrap().1, None).unwrap();
    let hk = app.register().thoroughfares.values().find(|t| t.name == "航空大道").unwrap().id.clone();
    let req = PlateRequest {
        thoroughfare_id: Some(hk),
        locality_id: None,
        location: Some([x, 30.2901]),
        township_code: Some("422801001".into()),
        number: None,
        sub: None,
    };
    app.issue_plate(&police, &req, None).unwrap().1["id"].as_str().unwrap().to_string()
}

#[test]
fn seqs_are_gap_free_and_ordered_under_concurrent_writers() {
    let db = TestDb::new();
    let app = db.app();
    app.import(&admin(), &small_file(&[]), false).unwrap();
    let writers: Vec<_> = (0..8)
        .map(|_| {
            let app = app.clone();
            std::thread::spawn(move || {
                for _ in 0..4 {
                    issue(&app, 109.475);
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let page = app.events(&admin(), 0, 1000).unwrap();
    let seqs: Vec<i64> = page.events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=page.last_seq).collect::<Vec<_>>(), "every seq from 1, none missing, in order");
    // 1 import + 32 issuances; token creations are audited but not published.
    assert_eq!(page.last_seq, 33);
}

#[actix_web::test]
async fn a_long_poll_returns_as_soon_as_an_event_arrives() {
    let db = TestDb::new();
    let app = db.app();
    app.import(&admin(), &small_file(&[]), false).unwrap();
    let reader = app.create_token(&admin(), Role::Reader, None, None).unwrap().1;
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;
    let writer = app.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(600));
        issue(&writer, 109.472);
    });
    let started = Instant::now();
    let req = TestRequest::get()
        .uri("/v1/events?after=1&wait=10")
        .insert_header(("Authorization", format!("Bearer {reader}")));
    let resp = call_service(&svc, req.to_request()).await;
    let page: Value = serde_json::from_slice(&read_body(resp).await).unwrap();
    let waited = started.elapsed();
    assert_eq!(page["events"][0]["seq"], 2, "{page}");
    assert_eq!(page["events"][0]["kind"], "plate.issued");
    assert!(waited >= Duration::from_millis(500) && waited < Duration::from_secs(8), "waited {waited:?}");

    let req = TestRequest::get()
        .uri("/v1/events?after=2&wait=1")
        .insert_header(("Authorization", format!("Bearer {reader}")));
    let page: Value = serde_json::from_slice(&read_body(call_service(&svc, req.to_request()).await).await).unwrap();
    assert_eq!(page["events"].as_array().unwrap().len(), 0, "nothing new: an empty page after the wait");
    assert_eq!(page["last_seq"], 2);
}

#[test]
fn a_county_feed_skips_other_counties_but_says_how_far_it_read() {
    let db = TestDb::new();
    let app = db.app();
    app.load_bundled_if_empty().unwrap();
    let police = app.authenticate(&app.create_token(&admin(), Role::Police, None, None).unwrap().1, None).unwrap();
    // A plate in 利川市 (422802).
    let reg = app.register();
    let lichuan = reg.thoroughfares.values().find(|t| t.county_code == "422802").unwrap();
    let township = reg.plates.values().find(|p| p.parent.id() == lichuan.id).unwrap().township_code.clone();
    let end = *lichuan.geometry.parts()[0].0.last().unwrap();
    let req = PlateRequest {
        thoroughfare_id: Some(lichuan.id.clone()),
        locality_id: None,
        location: Some([end.x, end.y + 0.0001]),
        township_code: township,
        number: None,
        sub: None,
    };
    app.issue_plate(&police, &req, None).unwrap();
    let enshi = app.county_events(&admin(), 1, 100, Some("422801")).unwrap();
    assert!(enshi.events.is_empty(), "利川's plate is not in 恩施市's feed");
    assert_eq!(enshi.scanned_through, 2, "but the feed was read through it");
    let lc = app.county_events(&admin(), 1, 100, Some("422802")).unwrap();
    assert_eq!(lc.events.len(), 1);
}

fn menpai(db: &TestDb, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_menpai")).args(args).env("DATABASE_URL", &db.url).output().unwrap()
}

#[test]
fn the_follower_writes_each_event_once_and_resumes_where_it_stopped() {
    let db = TestDb::new();
    let app = db.app();
    app.import(&admin(), &small_file(&[]), false).unwrap();
    issue(&app, 109.471);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("feed.jsonl");
    let run = || {
        let o = menpai(&db, &["follow", "--after", "0", "--out", out.to_str().unwrap(), "--once"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    run();
    issue(&app, 109.472);
    issue(&app, 109.473);
    // A crash mid-line leaves a partial line: it is not counted as delivered.
    let mut f = std::fs::OpenOptions::new().append(true).open(&out).unwrap();
    f.write_all(b"{\"seq\": 3, \"kin").unwrap();
    drop(f);
    run();
    let text = std::fs::read_to_string(&out).unwrap();
    let seqs: Vec<i64> =
        text.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["seq"].as_i64().unwrap()).collect();
    assert_eq!(seqs, [1, 2, 3, 4]);
}

#[test]
fn a_change_through_one_node_shows_on_another_within_two_seconds() {
    let db = TestDb::new();
    let (a, b) = (serve(&db, &[]), serve(&db, &[]));
    let app = db.app();
    let reader = app.create_token(&admin(), Role::Reader, None, None).unwrap().1;
    let hk = app.register().thoroughfares.values().find(|t| t.name == "航空大道").unwrap().id.clone();
    let police = app.create_token(&admin(), Role::Police, None, None).unwrap().1;
    // Issue through node A over HTTP, at the street's far end.
    let street = app.register().thoroughfares[&hk].clone();
    let end = *street.geometry.parts().last().unwrap().0.last().unwrap();
    let body = format!(
        r#"{{"thoroughfare_id":"{hk}","location":[{},{}],"township_code":"422801001"}}"#,
        end.x - 0.00001,
        end.y + 0.0001
    );
    let (status, answer) = post(a.1, "/v1/plates", &police, &body);
    assert_eq!(status, 201, "{answer}");
    let id = serde_json::from_str::<Value>(&answer).unwrap()["id"].as_str().unwrap().to_string();
    let issued = Instant::now();
    assert_eq!(
        get(a.1, &format!("/v1/addresses/{id}"), &reader).0,
        200,
        "the node that made it answers with it at once"
    );
    loop {
        if get(b.1, &format!("/v1/addresses/{id}"), &reader).0 == 200 {
            break;
        }
        assert!(issued.elapsed() < Duration::from_secs(2), "node B did not show the plate within 2 s");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_rename_through_one_node_resolves_under_the_new_name_on_another_within_two_seconds() {
    let db = TestDb::new();
    let (a, b) = (serve(&db, &[]), serve(&db, &[]));
    let app = db.app();
    let reader = app.create_token(&admin(), Role::Reader, None, None).unwrap().1;
    let clerk = app.create_token(&admin(), Role::CivilAffairs, None, None).unwrap().1;
    let hk = app.register().thoroughfares.values().find(|t| t.name == "航空大道").unwrap().id.clone();
    let query = format!("/v1/resolve?q={}", encode("恩施市青滩大道"));
    assert_eq!(serde_json::from_str::<Value>(&get(b.1, &query, &reader).1).unwrap()["status"], "not_found");

    let body = r#"{"name":"青滩大道","document":"恩施市政〔2026〕9号"}"#;
    let (status, answer) = post(a.1, &format!("/v1/names/{hk}/rename"), &clerk, body);
    assert_eq!(status, 200, "{answer}");
    let renamed = Instant::now();
    loop {
        let found: Value = serde_json::from_str(&get(b.1, &query, &reader).1).unwrap();
        if found["status"] == "matched" {
            assert_eq!(found["address"]["id"], hk.as_str(), "{found}");
            break;
        }
        assert!(renamed.elapsed() < Duration::from_secs(2), "node B did not resolve the new name within 2 s");
        std::thread::sleep(Duration::from_millis(50));
    }
}
