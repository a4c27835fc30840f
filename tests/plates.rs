//! Door plates as police issue them (SPEC §5 Plates, §7 Numbering), through the HTTP API
//! and, for concurrency, through the application on real threads.

mod common;

use actix_web::http::StatusCode;
use actix_web::test::{call_service, init_service, read_body, TestRequest};
use common::*;
use menpai::api::Metrics;
use menpai::app::plates::PlateRequest;
use menpai::app::{App, Role};
use serde_json::{json, Value};

/// 航空大道 runs due east along latitude 30.29: north is its left (odd) side.
const NORTH: f64 = 30.2901;
const SOUTH: f64 = 30.2899;

fn setup(extra: &[String]) -> (TestDb, App) {
    let db = TestDb::new();
    let app = db.app();
    app.import(&admin(), &small_file(extra), false).unwrap();
    (db, app)
}

fn street(app: &App, name: &str) -> String {
    app.register().thoroughfares.values().find(|t| t.name == name).unwrap().id.clone()
}

fn locality(app: &App) -> String {
    app.register().localities.values().next().unwrap().id.clone()
}

macro_rules! post {
    ($svc:expr, $token:expr, $uri:expr, $body:expr) => {{
        let req = TestRequest::post()
            .uri($uri)
            .insert_header(("Authorization", format!("Bearer {}", $token)))
            .set_json($body);
        let resp = call_service(&$svc, req.to_request()).await;
        let status = resp.status();
        let body: Value = serde_json::from_slice(&read_body(resp).await).unwrap_or(Value::Null);
        (status, body)
    }};
}

fn token(app: &App, role: Role) -> String {
    app.create_token(&admin(), role, None, None).unwrap().1
}

#[actix_web::test]
async fn odd_on_the_left_even_on_the_right_rising_along_the_street() {
    let (_db, app) = setup(&[]);
    let police = token(&app, Role::Police);
    let hk = street(&app, "航空大道");
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;
    let issue = |x: f64, y: f64| json!({"thoroughfare_id": hk, "location": [x, y], "township_code": "422801001"});

    let (status, s) = post!(svc, police, "/v1/plates/suggest", issue(109.471, NORTH));
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!((s["number"].as_i64(), s["side"].as_str()), (Some(1), Some("left")));
    assert_eq!(s["canonical"], "湖北省恩施土家族苗族自治州恩施市舞阳坝街道航空大道1号");

    let mut got = vec![];
    for (x, y) in [(109.471, NORTH), (109.471, SOUTH), (109.473, NORTH), (109.474, SOUTH), (109.476, NORTH)] {
        let (status, p) = post!(svc, police, "/v1/plates", issue(x, y));
        assert_eq!(status, StatusCode::CREATED, "{p}");
        assert_eq!(p["status"], "issued");
        got.push(p["number"].as_i64().unwrap());
    }
    assert_eq!(got, [1, 2, 3, 4, 5]);
    let (_, p) = post!(svc, police, "/v1/plates", issue(109.4765, SOUTH));
    assert_eq!(p["number"], 6, "past the end: the next number of its side");
}

#[actix_web::test]
async fn infill_uses_a_free_number_or_the_next_sub_number() {
    let (_db, app) =
        setup(&[hk_plate(1, None, 109.471, true), hk_plate(5, None, 109.475, true), hk_plate(7, None, 109.476, true)]);
    let police = token(&app, Role::Police);
    let hk = street(&app, "航空大道");
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;
    let at = |x: f64| json!({"thoroughfare_id": hk, "location": [x, NORTH], "township_code": "422801001"});

    let (_, p) = post!(svc, police, "/v1/plates", at(109.473));
    assert_eq!(
        (p["number"].as_i64(), p["sub"].as_i64()),
        (Some(3), None),
        "the lowest free odd number between 1 and 5"
    );
    let (_, p) = post!(svc, police, "/v1/plates", at(109.474));
    assert_eq!((p["number"].as_i64(), p["sub"].as_i64()), (Some(3), Some(1)), "none free between 3 and 5: 3号附1号");
    assert_eq!(p["canonical"], "湖北省恩施土家族苗族自治州恩施市舞阳坝街道航空大道3号附1号");
    let (_, p) = post!(svc, police, "/v1/plates", at(109.4745));
    assert_eq!((p["number"].as_i64(), p["sub"].as_i64()), (Some(3), Some(2)), "then 附2号, never nested");
    let (_, p) = post!(svc, police, "/v1/plates", at(109.4755));
    assert_eq!((p["number"].as_i64(), p["sub"].as_i64()), (Some(5), Some(1)));
}

#[actix_web::test]
async fn multilinestring_and_distance_numbered_streets() {
    let multi = r#"{"type":"Feature","geometry":{"type":"MultiLineString","coordinates":[[[109.47,30.30],[109.48,30.30]],[[109.48,30.30],[109.48,30.31]]]},"properties":{"kind":"thoroughfare","ref":"m","name":"青滩路","county_code":"422801","former_names":[]}}"#;
    let dist = r#"{"type":"Feature","geometry":{"type":"LineString","coordinates":[[109.47,30.32],[109.48,30.32]]},"properties":{"kind":"thoroughfare","ref":"d","name":"学院路","county_code":"422801","former_names":[],"numbering":{"scheme":"distance","interval_m":10.0}}}"#;
    let (_db, app) = setup(&[multi.to_string(), dist.to_string()]);
    let police = token(&app, Role::Police);
    let (qt, xy) = (street(&app, "青滩路"), street(&app, "学院路"));
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;

    // North of the eastward first part is its left; west of the northward second part is
    // its left too, and the measure runs on from the first part.
    let (_, b) = post!(
        svc,
        police,
        "/v1/plates",
        json!({"thoroughfare_id": qt, "location": [109.475, 30.3001], "township_code": "422801001"})
    );
    let (_, a) = post!(
        svc,
        police,
        "/v1/plates",
        json!({"thoroughfare_id": qt, "location": [109.4799, 30.305], "township_code": "422801001"})
    );
    assert_eq!((b["number"].as_i64(), b["side"].as_str()), (Some(1), Some("left")), "{b}");
    assert_eq!((a["number"].as_i64(), a["side"].as_str()), (Some(3), Some("left")), "{a}");
    assert!(a["measure_m"].as_f64().unwrap() > 960.0, "{a}");
    let (_, v) = post!(
        svc,
        police,
        "/v1/plates/validate",
        json!({"thoroughfare_id": qt, "number": 9, "location": [109.472, 30.3001]})
    );
    assert_eq!(v["ok"], false, "9 before 1 breaks the order: {v}");
    assert_eq!(v["violations"][0]["rule"], "order");

    // Numbered by frontage: about 480 m from the start is pair 48, so 97 on the left.
    let (_, d) = post!(
        svc,
        police,
        "/v1/plates",
        json!({"thoroughfare_id": xy, "location": [109.475, 30.3201], "township_code": "422801001"})
    );
    assert_eq!(d["number"], 97, "{d}");
}

#[actix_web::test]
async fn localities_are_numbered_one_two_three() {
    let (_db, app) = setup(&[]);
    let police = token(&app, Role::Police);
    let g3 = locality(&app);
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;
    let mut numbers = vec![];
    for i in 0..3 {
        let (status, p) =
            post!(svc, police, "/v1/plates", json!({"locality_id": g3, "location": [109.5 + i as f64 * 0.0001, 30.2]}));
        assert_eq!(status, StatusCode::CREATED, "{p}");
        numbers.push(p["number"].as_i64().unwrap());
    }
    assert_eq!(numbers, [1, 2, 3]);
    let (status, p) = post!(
        svc,
        police,
        "/v1/plates",
        json!({"locality_id": g3, "location": [109.5, 30.2], "township_code": "422801001"})
    );
    assert_eq!(status, StatusCode::BAD_REQUEST, "a township is refused on a locality: {p}");
    let (_, p) = post!(svc, police, "/v1/plates", json!({"locality_id": g3, "location": [109.5, 30.2]}));
    assert_eq!(p["canonical"], "湖北省恩施土家族苗族自治州恩施市舞阳坝街道高拱桥村三组4号");
}

#[actix_web::test]
async fn an_idempotent_retry_returns_the_first_answer() {
    let (_db, app) = setup(&[]);
    let police = token(&app, Role::Police);
    let hk = street(&app, "航空大道");
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;
    let body = json!({"thoroughfare_id": hk, "location": [109.472, NORTH], "township_code": "422801001"});
    let send = |b: &Value| {
        TestRequest::post()
            .uri("/v1/plates")
            .insert_header(("Authorization", format!("Bearer {police}")))
            .insert_header(("Idempotency-Key", "k-123"))
            .set_json(b)
            .to_request()
    };
    let first = call_service(&svc, send(&body)).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = serde_json::from_slice(&read_body(first).await).unwrap();
    let again = call_service(&svc, send(&body)).await;
    assert_eq!(again.status(), StatusCode::CREATED);
    let again: Value = serde_json::from_slice(&read_body(again).await).unwrap();
    assert_eq!(first, again);
    assert_eq!(app.register().plates.len(), 1, "a retry issues no second plate");
    let other = json!({"thoroughfare_id": hk, "location": [109.474, NORTH], "township_code": "422801001"});
    assert_eq!(call_service(&svc, send(&other)).await.status(), StatusCode::CONFLICT, "the same key with another body");
}

#[actix_web::test]
async fn retired_numbers_are_never_issued_again_and_validation_explains_each_breach() {
    let (_db, app) =
        setup(&[hk_plate(1, None, 109.471, true), hk_plate(3, None, 109.473, true), hk_plate(5, None, 109.475, true)]);
    let police = token(&app, Role::Police);
    let hk = street(&app, "航空大道");
    let three = app.register().plates.values().find(|p| p.number == 3).unwrap().id.clone();
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;

    let (status, r) = post!(svc, police, &format!("/v1/plates/{three}/retire"), json!({"reason": "拆除"}));
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(r["status"], "retired");
    let (status, _) = post!(svc, police, &format!("/v1/plates/{three}/retire"), json!({"reason": "again"}));
    assert_eq!(status, StatusCode::CONFLICT);

    let v = |n: i64, x: f64, y: f64| json!({"thoroughfare_id": hk, "number": n, "location": [x, y]});
    let rules = |b: &Value| {
        b["violations"].as_array().unwrap().iter().map(|v| v["rule"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    let (_, b) = post!(svc, police, "/v1/plates/validate", v(3, 109.473, NORTH));
    assert_eq!(rules(&b), ["retired"]);
    let (_, b) = post!(svc, police, "/v1/plates/validate", v(4, 109.472, NORTH));
    assert_eq!(rules(&b), ["parity"]);
    let (_, b) = post!(svc, police, "/v1/plates/validate", v(9, 109.472, NORTH));
    assert_eq!(rules(&b), ["order"]);
    let (_, b) = post!(svc, police, "/v1/plates/validate", v(5, 109.4755, NORTH));
    assert_eq!(rules(&b), ["taken"]);
    let (_, b) = post!(svc, police, "/v1/plates/validate", v(7, 109.476, 30.2950));
    assert_eq!(rules(&b), ["too_far"]);
    assert_eq!(b["ok"], false);
    let (_, b) = post!(svc, police, "/v1/plates/validate", v(7, 109.476, NORTH));
    assert_eq!(b["ok"], true);

    let issue = |n: i64| json!({"thoroughfare_id": hk, "number": n, "location": [109.473, NORTH], "township_code": "422801001"});
    let (status, b) = post!(svc, police, "/v1/plates", issue(3));
    assert_eq!(status, StatusCode::CONFLICT, "{b}");
    let (status, b) = post!(
        svc,
        police,
        "/v1/plates",
        json!({"thoroughfare_id": hk, "location": [109.473, 30.2960], "township_code": "422801001"})
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "too far from the street: {b}");
    assert!(b["violations"].is_array());
}

#[actix_web::test]
async fn buildings_units_and_rooms_are_addresses_for_police_and_housing() {
    let (_db, app) = setup(&[hk_plate(123, None, 109.471, true)]);
    let (housing, commerce) = (token(&app, Role::Housing), token(&app, Role::Commerce));
    let plate = app.register().plates.values().next().unwrap().id.clone();
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;
    let (status, b) = post!(svc, housing, &format!("/v1/plates/{plate}/buildings"), json!({"number": 5}));
    assert_eq!(status, StatusCode::CREATED, "{b}");
    let (_, u) =
        post!(svc, housing, &format!("/v1/buildings/{}/units", b["id"].as_str().unwrap()), json!({"number": 2}));
    let (status, r) =
        post!(svc, housing, &format!("/v1/units/{}/rooms", u["id"].as_str().unwrap()), json!({"number": "501"}));
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(r["canonical"], "湖北省恩施土家族苗族自治州恩施市舞阳坝街道航空大道123号5栋2单元501室");
    assert_eq!(r["level"], "room");
    let (status, _) =
        post!(svc, housing, &format!("/v1/units/{}/rooms", u["id"].as_str().unwrap()), json!({"number": "501"}));
    assert_eq!(status, StatusCode::CONFLICT, "a room number once per unit");
    let (status, _) = post!(svc, commerce, &format!("/v1/plates/{plate}/buildings"), json!({"number": 6}));
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[test]
fn thirty_two_concurrent_issuers_on_one_street_never_share_a_number() {
    let (_db, app) = setup(&[]);
    let police = app.authenticate(&app.create_token(&admin(), Role::Police, None, None).unwrap().1, None).unwrap();
    let hk = street(&app, "航空大道");
    let threads: Vec<_> = (0..32)
        .map(|i| {
            let (app, police, hk) = (app.clone(), police.clone(), hk.clone());
            std::thread::spawn(move || {
                // All at one doorway per side: whatever order they commit in, each finds
                // the numbers before it taken and takes the next.
                let y = if i % 2 == 0 { NORTH } else { SOUTH };
                let req = PlateRequest {
                    thoroughfare_id: Some(hk),
                    locality_id: None,
                    location: Some([109.475, y]),
                    township_code: Some("422801001".into()),
                    number: None,
                    sub: None,
                };
                app.issue_plate(&police, &req, None).map(|(_, body)| (body["number"].as_i64(), body["sub"].as_i64()))
            })
        })
        .collect();
    let mut issued: Vec<_> =
        threads.into_iter().map(|t| t.join().unwrap().expect("every issuer gets a plate")).collect();
    issued.sort();
    let n = issued.len();
    issued.dedup();
    assert_eq!(n, 32);
    assert_eq!(issued.len(), 32, "no number issued twice: {issued:?}");
    let reg = app.register();
    assert_eq!(reg.plates.len(), 32);
    assert_eq!(app.events(&admin(), 0, 100).unwrap().last_seq, 33, "one event per issuance, gap-free after the import");
}

#[actix_web::test]
async fn the_clean_up_report_lists_every_problem_per_township_as_json_and_csv() {
    let other_street = r#"{"type":"Feature","geometry":{"type":"LineString","coordinates":[[109.47,30.30],[109.48,30.30]]},"properties":{"kind":"thoroughfare","ref":"q","name":"青滩路","county_code":"422801","former_names":[]}}"#;
    let (_db, app) = setup(&[
        other_street.to_string(),
        hk_plate(1, None, 109.471, true),
        hk_plate(2, None, 109.472, true),
        hk_plate(5, None, 109.473, true),
        hk_plate(3, None, 109.475, true),
        hk_plate(7, None, 109.476, true).replace("30.2901", "30.2950"),
    ]);
    let reader = token(&app, Role::Reader);
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;
    let get = |uri: &str| {
        TestRequest::get().uri(uri).insert_header(("Authorization", format!("Bearer {reader}"))).to_request()
    };

    let resp = call_service(&svc, get("/v1/plates/report?county_code=422801")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let report: Value = serde_json::from_slice(&read_body(resp).await).unwrap();
    let rules: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap(), f["plate"].as_str().unwrap_or(f["thoroughfare"].as_str().unwrap())))
        .collect();
    for expected in [("parity", "2号"), ("order", "3号"), ("distance", "7号"), ("no_plates", "青滩路")] {
        assert!(rules.contains(&expected), "{expected:?} missing from {rules:?}");
    }
    assert_eq!(report["summary"]["舞阳坝街道"]["parity"], 1);

    let resp = call_service(&svc, get("/v1/plates/report?county_code=422801&format=csv")).await;
    assert_eq!(resp.headers().get("content-type").unwrap(), "text/csv; charset=utf-8");
    let csv = String::from_utf8(read_body(resp).await.to_vec()).unwrap();
    assert!(csv.starts_with('\u{feff}'), "a BOM so that Excel reads UTF-8");
    assert_eq!(csv.lines().count(), rules.len() + 1);
    assert!(csv.contains("单双号错位") && csv.contains("道路无门牌"));

    assert_eq!(call_service(&svc, get("/v1/plates/report?county_code=999999")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        call_service(&svc, get("/v1/plates/report?county_code=422801&format=xls")).await.status(),
        StatusCode::BAD_REQUEST
    );
}

#[actix_web::test]
async fn a_plan_numbers_a_whole_street_reserves_and_issues_at_once() {
    let (_db, app) = setup(&[]);
    let police = token(&app, Role::Police);
    let hk = street(&app, "航空大道");
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;
    // Doorways in no particular order, on both sides.
    let entrances = json!([
        [109.475, NORTH],
        [109.471, SOUTH],
        [109.471, NORTH],
        [109.478, SOUTH],
        [109.473, NORTH],
        [109.474, SOUTH]
    ]);
    let body = |dry: bool| json!({"thoroughfare_id": hk, "township_code": "422801001", "entrances": entrances, "dry_run": dry});

    let (status, dry) = post!(svc, police, "/v1/plates/plan", body(true));
    assert_eq!(status, StatusCode::OK, "{dry}");
    let numbers: Vec<i64> = dry["plates"].as_array().unwrap().iter().map(|p| p["number"].as_i64().unwrap()).collect();
    assert_eq!(numbers, [5, 2, 1, 6, 3, 4], "numbers rise along each side, in the order given back");
    assert!(app.register().plates.is_empty(), "a dry run writes nothing");

    let (status, plan) = post!(svc, police, "/v1/plates/plan", body(false));
    assert_eq!(status, StatusCode::CREATED, "{plan}");
    assert_eq!(plan["status"], "reserved");
    assert!(app.register().plates.values().all(|p| p.status == menpai::domain::PlateStatus::Reserved));
    let (_, s) = post!(
        svc,
        police,
        "/v1/plates/suggest",
        json!({"thoroughfare_id": hk, "location": [109.479, NORTH], "township_code": "422801001"})
    );
    assert_eq!(s["number"], 7, "reserved numbers are taken");

    let plan_id = plan["plan_id"].as_str().unwrap();
    let (status, issued) = post!(svc, police, &format!("/v1/plates/plan/{plan_id}/issue"), json!({}));
    assert_eq!(status, StatusCode::OK, "{issued}");
    assert_eq!(issued["plates"].as_array().unwrap().len(), 6);
    assert!(app.register().plates.values().all(|p| p.status == menpai::domain::PlateStatus::Issued));
    let (status, _) = post!(svc, police, &format!("/v1/plates/plan/{plan_id}/issue"), json!({}));
    assert_eq!(status, StatusCode::CONFLICT, "a plan is issued once");
}

#[actix_web::test]
async fn the_plate_making_order_lists_plates_issued_in_the_period() {
    let (_db, app) = setup(&[]);
    let police = token(&app, Role::Police);
    let hk = street(&app, "航空大道");
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;
    // Issued 2号 (south, even) first, then 1号: the order lists them by street and number.
    for (x, y) in [(109.471, SOUTH), (109.472, NORTH)] {
        let (status, body) = post!(
            svc,
            police,
            "/v1/plates",
            json!({"thoroughfare_id": hk, "location": [x, y], "township_code": "422801001"})
        );
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).format("%Y-%m-%d").to_string();
    let get = |q: String| {
        TestRequest::get()
            .uri(&format!("/v1/plates/orders?{q}"))
            .insert_header(("Authorization", format!("Bearer {police}")))
            .to_request()
    };
    let r: Value =
        serde_json::from_slice(&read_body(call_service(&svc, get(format!("from={today}&to={today}"))).await).await)
            .unwrap();
    let items = r["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{r}");
    assert_eq!(items[0]["canonical"], "湖北省恩施土家族苗族自治州恩施市舞阳坝街道航空大道1号");
    assert_eq!(items[1]["number"], 2);
    // What goes on the plate, not the full address; its pinyin, size and quantity.
    assert_eq!(items[0]["face"], "航空大道1号");
    assert_eq!(items[0]["face_pinyin"], "Hangkong Dadao 1 Hao");
    assert_eq!((items[0]["size"].as_str(), items[0]["quantity"].as_u64()), (Some("30×20 厘米"), Some(1)));
    let r: Value =
        serde_json::from_slice(&read_body(call_service(&svc, get("from=2020-01-01&to=2020-12-31".into())).await).await)
            .unwrap();
    assert!(r["items"].as_array().unwrap().is_empty());
    assert_eq!(call_service(&svc, get("from=2020-13-01&to=2020-12-31".into())).await.status(), StatusCode::BAD_REQUEST);
}

#[actix_web::test]
async fn moving_a_misplaced_plate_is_a_correction_that_keeps_its_number() {
    let (_db, app) = setup(&[hk_plate(1, None, 109.471, false)]);
    let police = token(&app, Role::Police);
    let plate = app.register().plates.values().next().unwrap().id.clone();
    assert_eq!(app.register().plates[&plate].side, Some(menpai::domain::Side::Right), "1号 was put on the wrong side");
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;
    let seq = app.events(&admin(), 0, 1).unwrap().last_seq;
    let (status, r) = post!(
        svc,
        police,
        &format!("/v1/plates/{plate}/move"),
        json!({"location": [109.471, NORTH], "reason": "采集时点位偏到对面"})
    );
    assert_eq!(status, StatusCode::OK, "{r}");
    let moved = app.register().plates[&plate].clone();
    assert_eq!((moved.number, moved.side), (1, Some(menpai::domain::Side::Left)));
    assert_eq!(r["canonical"], "湖北省恩施土家族苗族自治州恩施市舞阳坝街道航空大道1号", "the number and text stay");
    let page = app.events(&admin(), seq, 10).unwrap();
    assert_eq!(page.events[0].kind, "plate.location_corrected");
    assert!(page.events[0].changes.as_array().unwrap().is_empty(), "no address text changed");
    let audit = app.audit(&admin(), 0, 100).unwrap();
    assert!(audit
        .iter()
        .any(|a| a.action == "plate.correct_location" && a.reason.as_deref() == Some("采集时点位偏到对面")));
    let (status, _) =
        post!(svc, police, &format!("/v1/plates/{plate}/move"), json!({"location": [109.471, NORTH], "reason": " "}));
    assert_eq!(status, StatusCode::BAD_REQUEST, "a correction needs its reason");
}

#[actix_web::test]
async fn the_feed_says_who_acted_and_what_they_did_in_words() {
    let (_db, app) = setup(&[]);
    let station = app.create_token(&admin(), Role::Police, None, Some("城区派出所".into())).unwrap().1;
    let unnamed = token(&app, Role::Police);
    let hk = street(&app, "航空大道");
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;
    let issue = |x: f64| json!({"thoroughfare_id": hk, "location": [x, NORTH], "township_code": "422801001"});
    let (status, _) = post!(svc, station, "/v1/plates", issue(109.471));
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = post!(svc, unnamed, "/v1/plates", issue(109.472));
    assert_eq!(status, StatusCode::CREATED);
    let page = app.events(&admin(), 0, 100).unwrap();
    let words: Vec<(&str, &str)> =
        page.events.iter().map(|e| (e.kind_label.as_str(), e.actor_label.as_str())).collect();
    assert_eq!(words[0], ("导入登记册", "系统"), "{words:?}");
    assert_eq!(&words[words.len() - 2..], [("编发门牌", "城区派出所（公安）"), ("编发门牌", "公安经办人")]);
}
