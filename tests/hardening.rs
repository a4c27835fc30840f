//! Small holes a careless client or a determined insider finds (issue #12, item 7), each
//! closed through the HTTP API.

mod common;

use actix_web::http::StatusCode;
use actix_web::test::{call_service, init_service, read_body, TestRequest};
use common::*;
use menpai::api::Metrics;
use menpai::app::{App, Role};
use serde_json::{json, Value};

fn setup() -> (TestDb, App) {
    let db = TestDb::new();
    let app = db.app();
    app.import(&admin(), &small_file(&[hk_plate(1, None, 109.471, true)]), false).unwrap();
    (db, app)
}

fn token(app: &App, role: Role) -> String {
    app.create_token(&admin(), role, None, None).unwrap().1
}

macro_rules! post {
    ($svc:expr, $auth:expr, $uri:expr, $body:expr) => {{
        let req = TestRequest::post().uri(&$uri).insert_header(("Authorization", $auth)).set_json($body);
        let resp = call_service(&$svc, req.to_request()).await;
        let status = resp.status();
        let body: Value = serde_json::from_slice(&read_body(resp).await).unwrap_or(Value::Null);
        (status, body)
    }};
}

#[actix_web::test]
async fn invisible_and_direction_override_characters_are_refused_in_building_unit_and_room_numbers() {
    let (_db, app) = setup();
    let auth = format!("Bearer {}", token(&app, Role::Police));
    let reg = app.register();
    let plate = reg.plates.values().next().unwrap().id.clone();
    let building = reg.buildings.values().next().unwrap().id.clone();
    let unit = reg.units.values().next().unwrap().id.clone();
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;
    let seq = app.events(&admin(), 0, 1).unwrap().last_seq;
    for bad in ["1\u{200b}", "\u{202e}1", "3\u{2066}", "\u{feff}5", "5 01", "5/01", "5#"] {
        for (uri, what) in [
            (format!("/v1/plates/{plate}/buildings"), "building"),
            (format!("/v1/buildings/{building}/units"), "unit"),
            (format!("/v1/units/{unit}/rooms"), "room"),
        ] {
            let (status, body) = post!(svc, auth.clone(), uri, json!({"number": bad}));
            assert_eq!(status, StatusCode::BAD_REQUEST, "{what} {bad:?}: {body}");
            let detail = body["detail"].as_str().unwrap();
            assert!(!detail.contains(['\u{200b}', '\u{202e}', '\u{2066}', '\u{feff}']), "the detail shows no invisible character: {detail:?}");
        }
    }
    assert_eq!(app.events(&admin(), 0, 1).unwrap().last_seq, seq, "nothing was added");
    let (status, _) = post!(svc, auth.clone(), format!("/v1/plates/{plate}/buildings"), json!({"number": "B-2"}));
    assert_eq!(status, StatusCode::CREATED, "letters, digits and hyphens stand");
}

#[actix_web::test]
async fn a_sub_number_without_a_number_is_refused_not_ignored() {
    let (_db, app) = setup();
    let auth = format!("Bearer {}", token(&app, Role::Police));
    let hk = app.register().thoroughfares.values().next().unwrap().id.clone();
    let seq = app.events(&admin(), 0, 1).unwrap().last_seq;
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;
    let body = json!({"thoroughfare_id": hk, "location": [109.473, 30.2901], "township_code": "422801001", "sub": 2});
    for uri in ["/v1/plates", "/v1/plates/suggest"] {
        let (status, problem) = post!(svc, auth.clone(), uri, body.clone());
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {problem}");
        assert!(problem["detail"].as_str().unwrap().contains("附号"), "{problem}");
    }
    assert_eq!(app.events(&admin(), 0, 1).unwrap().last_seq, seq, "nothing issued");
}

#[actix_web::test]
async fn the_bearer_scheme_is_read_in_any_case() {
    let (_db, app) = setup();
    let secret = token(&app, Role::Reader);
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;
    for scheme in ["Bearer", "bearer", "BEARER", "BeArEr"] {
        let req = TestRequest::get()
            .uri("/v1/divisions/422801")
            .insert_header(("Authorization", format!("{scheme} {secret}")))
            .to_request();
        assert_eq!(call_service(&svc, req).await.status(), StatusCode::OK, "{scheme}");
    }
    for wrong in [format!("Basic {secret}"), format!("Bearer{secret}"), secret.clone()] {
        let req = TestRequest::get().uri("/v1/divisions/422801").insert_header(("Authorization", wrong.clone())).to_request();
        assert_eq!(call_service(&svc, req).await.status(), StatusCode::UNAUTHORIZED, "{wrong}");
    }
}

#[actix_web::test]
async fn a_token_that_would_already_have_expired_is_not_created() {
    let (_db, app) = setup();
    let auth = format!("Bearer {}", token(&app, Role::Admin));
    let before = app.list_tokens(&admin()).unwrap().len();
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;
    for past in ["2020-01-01", "2026-01-01T00:00:00Z"] {
        let (status, problem) = post!(svc, auth.clone(), "/v1/tokens", json!({"role": "reader", "expires_at": past}));
        assert_eq!(status, StatusCode::BAD_REQUEST, "{past}: {problem}");
        assert!(problem["detail"].as_str().unwrap().contains("已经过去"), "{problem}");
    }
    assert_eq!(app.list_tokens(&admin()).unwrap().len(), before, "no token was made");
    let (status, _) = post!(svc, auth.clone(), "/v1/tokens", json!({"role": "reader", "expires_at": "2099-12-31"}));
    assert_eq!(status, StatusCode::CREATED);
}

/// Issue #15, item 2: 5栋 is building 5, written 5栋 once; numbers that read alike are
/// one number within their parent.
#[actix_web::test]
async fn building_unit_and_room_numbers_are_written_once_and_lookalikes_are_refused() {
    let (_db, app) = setup();
    let auth = format!("Bearer {}", token(&app, Role::Housing));
    let plate = app.register().plates.values().next().unwrap().id.clone();
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;
    let base = "湖北省恩施土家族苗族自治州恩施市舞阳坝街道航空大道1号";

    let (status, b) = post!(svc, auth.clone(), format!("/v1/plates/{plate}/buildings"), json!({"number": "5栋"}));
    assert_eq!(status, StatusCode::CREATED, "{b}");
    assert_eq!(b["canonical"], format!("{base}5栋"));
    let (status, _) = post!(svc, auth.clone(), format!("/v1/plates/{plate}/buildings"), json!({"number": "五号楼"}));
    assert_eq!(status, StatusCode::CONFLICT, "五号楼 is building 5 again");
    let building = b["id"].as_str().unwrap();
    let (status, u) = post!(svc, auth.clone(), format!("/v1/buildings/{building}/units"), json!({"number": "二单元"}));
    assert_eq!(status, StatusCode::CREATED, "{u}");
    assert_eq!(u["canonical"], format!("{base}5栋2单元"));
    assert!(!u["pinyin"].as_str().unwrap().contains('二'), "{u}");
    let unit = u["id"].as_str().unwrap();
    let (status, r) = post!(svc, auth.clone(), format!("/v1/units/{unit}/rooms"), json!({"number": "501室"}));
    assert_eq!(status, StatusCode::CREATED, "{r}");
    assert_eq!(r["canonical"], format!("{base}5栋2单元501室"));
    for twin in ["5-01", "０５０１", "五零一"] {
        let (status, problem) = post!(svc, auth.clone(), format!("/v1/units/{unit}/rooms"), json!({"number": twin}));
        assert_eq!(status, StatusCode::CONFLICT, "{twin}: {problem}");
        assert!(problem["detail"].as_str().unwrap().contains("501室"), "{problem}");
    }
}
