//! Buildings, units and rooms are corrected and retired, not only added (issue #15,
//! item 2), through the HTTP API: with a reason, audited, and in the feed.

mod common;

use actix_web::http::StatusCode;
use actix_web::test::{call_service, init_service, read_body, TestRequest};
use common::*;
use menpai::api::Metrics;
use menpai::app::{App, Role};
use serde_json::{json, Value};

/// The small register: plate 1 on 航空大道 with building 3, unit 2, rooms 501 and 502.
fn setup() -> (TestDb, App) {
    let db = TestDb::new();
    let app = db.app();
    app.import(&admin(), &small_file(&[hk_plate(1, None, 109.471, true)]), false).unwrap();
    (db, app)
}

macro_rules! post {
    ($svc:expr, $token:expr, $uri:expr, $body:expr) => {{
        let req = TestRequest::post()
            .uri(&$uri)
            .insert_header(("Authorization", format!("Bearer {}", $token)))
            .set_json($body);
        let resp = call_service(&$svc, req.to_request()).await;
        let status = resp.status();
        let body: Value = serde_json::from_slice(&read_body(resp).await).unwrap_or(Value::Null);
        (status, body)
    }};
}

const BASE: &str = "湖北省恩施土家族苗族自治州恩施市舞阳坝街道航空大道1号";

#[actix_web::test]
async fn a_building_renumbered_re_texts_everything_under_it_in_one_event() {
    let (_db, app) = setup();
    let housing = app.create_token(&admin(), Role::Housing, None, None).unwrap().1;
    let reg = app.register();
    let building = reg.buildings.values().next().unwrap().id.clone();
    let under = reg.descendants(&building);
    assert_eq!(under.len(), 4, "building, unit, two rooms");
    let seq = app.events(&admin(), 0, 1).unwrap().last_seq;
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;

    let (status, body) =
        post!(svc, housing, format!("/v1/buildings/{building}/correct"), json!({"number": "5栋", "reason": "登记时楼号录错"}));
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["canonical"], format!("{BASE}5栋"));
    let events = app.events(&admin(), seq, 10).unwrap().events;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, "building.corrected");
    let changes = events[0].changes.as_array().unwrap();
    assert_eq!(changes.len(), under.len(), "{changes:?}");
    for ch in changes {
        assert!(ch["old"].as_str().unwrap().starts_with(&format!("{BASE}3栋")), "{ch}");
        assert!(ch["new"].as_str().unwrap().starts_with(&format!("{BASE}5栋")), "{ch}");
    }
    let audit = app.audit(&admin(), 0, 1000).unwrap();
    assert!(audit.iter().any(|a| a.action == "building.correct" && a.reason.as_deref() == Some("登记时楼号录错")));

    // The same number again, or a sibling's, is refused; nothing changes.
    let (status, _) = post!(svc, housing, format!("/v1/buildings/{building}/correct"), json!({"number": 5, "reason": "再改"}));
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let room = app.register().rooms.values().find(|r| r.number == "502").unwrap().id.clone();
    let (status, problem) =
        post!(svc, housing, format!("/v1/rooms/{room}/correct"), json!({"number": "5-01", "reason": "录错"}));
    assert_eq!(status, StatusCode::CONFLICT, "reads like 501 beside it: {problem}");
    let (status, _) = post!(svc, housing, format!("/v1/rooms/{room}/correct"), json!({"number": "503", "reason": ""}));
    assert_eq!(status, StatusCode::BAD_REQUEST, "a correction needs its reason");
    assert_eq!(app.events(&admin(), 0, 1).unwrap().last_seq, seq + 1);
}

#[actix_web::test]
async fn a_unit_retired_takes_its_rooms_with_it_and_stays_readable() {
    let (_db, app) = setup();
    let police = app.create_token(&admin(), Role::Police, None, None).unwrap().1;
    let commerce = app.create_token(&admin(), Role::Commerce, None, None).unwrap().1;
    let reg = app.register();
    let unit = reg.units.values().next().unwrap().id.clone();
    let rooms: Vec<String> = reg.rooms.keys().cloned().collect();
    let seq = app.events(&admin(), 0, 1).unwrap().last_seq;
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;

    let (status, _) = post!(svc, commerce, format!("/v1/units/{unit}/retire"), json!({"reason": "拆除"}));
    assert_eq!(status, StatusCode::FORBIDDEN, "commerce neither adds nor retires units");
    let (status, body) = post!(svc, police, format!("/v1/units/{unit}/retire"), json!({"reason": "单元合并"}));
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "retired");
    let events = app.events(&admin(), seq, 10).unwrap().events;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, "unit.retired");
    assert_eq!(events[0].changes.as_array().unwrap().len(), 1 + rooms.len(), "the unit and both rooms");
    for r in &rooms {
        assert_eq!(app.address(r, None).unwrap().status, "retired");
    }
    let (status, _) = post!(svc, police, format!("/v1/units/{unit}/retire"), json!({"reason": "再次"}));
    assert_eq!(status, StatusCode::CONFLICT, "retired once");
    let (status, _) = post!(svc, police, format!("/v1/rooms/{}/correct", rooms[0]), json!({"number": "601", "reason": "x"}));
    assert_eq!(status, StatusCode::CONFLICT, "a retired room is history");
    let (status, _) = post!(svc, police, format!("/v1/units/{unit}/rooms"), json!({"number": "601"}));
    assert_eq!(status, StatusCode::CONFLICT, "nothing is added under a retired unit");
    let (status, _) = post!(svc, police, "/v1/rooms/plt_01JD0000000000000000000000/retire", json!({"reason": "x"}));
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn a_scoped_officer_corrects_only_within_its_county() {
    let db = TestDb::new();
    let app = db.app();
    app.import(&admin(), bundled(), false).unwrap();
    let lichuan = app.create_token(&admin(), Role::Housing, Some("422802".into()), None).unwrap().1;
    let reg = app.register();
    let building = reg.buildings.values().find(|b| reg.county_of(&b.id).as_deref() == Some("422801")).unwrap().id.clone();
    let seq = app.events(&admin(), 0, 1).unwrap().last_seq;
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;
    let (status, _) = post!(svc, lichuan, format!("/v1/buildings/{building}/correct"), json!({"number": "9", "reason": "x"}));
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = post!(svc, lichuan, format!("/v1/buildings/{building}/retire"), json!({"reason": "x"}));
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.events(&admin(), 0, 1).unwrap().last_seq, seq);
}
