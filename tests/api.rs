//! The HTTP API as users touch it: access, problem+json, reading the register.

mod common;

use actix_web::http::StatusCode;
use actix_web::test::{call_service, init_service, read_body, TestRequest};
use common::*;
use menpai::api::{routes, Metrics};
use menpai::app::Role;
use serde_json::Value;

macro_rules! service {
    ($app:expr) => {
        init_service(menpai::http_app!($app, Metrics::default())).await
    };
}

fn token(app: &menpai::app::App, role: Role) -> String {
    app.create_token(&admin(), role, None, None).unwrap().1
}

async fn json_of<B: actix_web::body::MessageBody>(
    resp: actix_web::dev::ServiceResponse<B>,
) -> (StatusCode, String, Value) {
    let status = resp.status();
    let ct = resp.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let body = read_body(resp).await;
    (status, ct, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

#[actix_web::test]
async fn the_bundled_register_is_served() {
    let db = TestDb::new();
    let app = db.app();
    app.load_bundled_if_empty().unwrap();
    let reader = token(&app, Role::Reader);
    let svc = service!(app);

    let req = TestRequest::get()
        .uri("/v1/divisions/422800/children")
        .insert_header(("Authorization", format!("Bearer {reader}")));
    let (status, _, body) = json_of(call_service(&svc, req.to_request()).await).await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = body["items"].as_array().unwrap().iter().map(|d| d["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 8);
    assert!(names.contains(&"恩施市") && names.contains(&"鹤峰县"), "{names:?}");

    let req =
        TestRequest::get().uri("/v1/divisions/422801").insert_header(("Authorization", format!("Bearer {reader}")));
    let (status, _, body) = json_of(call_service(&svc, req.to_request()).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["name"], "恩施市");
    assert_eq!(body["level"], "county");
    assert_eq!(body["parent_code"], "422800");

    // An address by ID, and a division's code as an address.
    let plate = app.register().plates.values().next().unwrap().id.clone();
    let req = TestRequest::get()
        .uri(&format!("/v1/addresses/{plate}"))
        .insert_header(("Authorization", format!("Bearer {reader}")));
    let (status, _, body) = json_of(call_service(&svc, req.to_request()).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["level"], "plate");
    assert!(body["canonical"].as_str().unwrap().starts_with("湖北省恩施土家族苗族自治州"));
    assert_eq!(body["status"], "issued");
    assert!(body["history"].is_array());
    let req =
        TestRequest::get().uri("/v1/addresses/422801").insert_header(("Authorization", format!("Bearer {reader}")));
    let (_, _, body) = json_of(call_service(&svc, req.to_request()).await).await;
    assert_eq!(body["id"], "422801");
    assert_eq!(body["canonical"], "湖北省恩施土家族苗族自治州恩施市");
}

#[actix_web::test]
async fn no_token_a_bad_token_and_a_revoked_token_get_401() {
    let db = TestDb::new();
    let app = db.app();
    let reader = token(&app, Role::Reader);
    let svc = service!(app);
    for auth in [None, Some("Bearer nonsense".to_string())] {
        let mut req = TestRequest::get().uri("/v1/divisions/422800");
        if let Some(a) = auth {
            req = req.insert_header(("Authorization", a));
        }
        let (status, ct, body) = json_of(call_service(&svc, req.to_request()).await).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(ct, "application/problem+json");
        assert_eq!(body["status"], 401);
        assert!(body["detail"].as_str().unwrap().contains("令牌"));
    }
    let id = app.list_tokens(&admin()).unwrap()[0].id.clone();
    app.revoke_token(&admin(), &id).unwrap();
    let req = TestRequest::get().uri("/v1/events").insert_header(("Authorization", format!("Bearer {reader}")));
    assert_eq!(
        call_service(&svc, req.to_request()).await.status(),
        StatusCode::UNAUTHORIZED,
        "revocation takes effect at once"
    );
}

#[actix_web::test]
async fn every_route_admits_exactly_its_roles() {
    let db = TestDb::new();
    let app = db.app();
    let tokens: Vec<(Role, String)> = Role::ALL.iter().map(|r| (*r, token(&app, *r))).collect();
    let svc = service!(app);
    for route in routes() {
        let uri = route.path.replace("{code}", "422800").replace("{id}", "tok_00000000000000000000000000");
        for (role, secret) in &tokens {
            let req = match route.method {
                "GET" => TestRequest::get(),
                _ => TestRequest::post(),
            }
            .uri(&uri)
            .insert_header(("Authorization", format!("Bearer {secret}")));
            let status = call_service(&svc, req.to_request()).await.status();
            if route.roles.contains(role) {
                assert_ne!(status, StatusCode::FORBIDDEN, "{} {} refused {role:?}", route.method, route.path);
                assert_ne!(status, StatusCode::UNAUTHORIZED);
                assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{} {}", route.method, route.path);
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{} {} admitted {role:?}", route.method, route.path);
            }
            assert!(!status.is_server_error(), "{} {} as {role:?}: {status}", route.method, route.path);
        }
    }
}

#[actix_web::test]
async fn import_over_http_reports_and_refuses_with_problem_json() {
    let db = TestDb::new();
    let app = db.app();
    let admin_token = token(&app, Role::Admin);
    let svc = service!(app);
    let auth = ("Authorization", format!("Bearer {admin_token}"));

    let bad = small_file(&[r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[109.47,30.29]},"properties":{"kind":"plate","thoroughfare_ref":"nowhere","number":3,"township_code":"422801001"}}"#.to_string()]);
    let req = TestRequest::post().uri("/v1/import").insert_header(auth.clone()).set_payload(bad);
    let (status, ct, body) = json_of(call_service(&svc, req.to_request()).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(ct, "application/problem+json");
    assert_eq!(body["report"]["ok"], false);
    assert!(app.register().divisions.is_empty(), "a refused import changes nothing");

    let req = TestRequest::post()
        .uri("/v1/import")
        .insert_header(auth.clone())
        .set_payload(small_file(&[hk_plate(1, None, 109.471, true)]));
    let (status, _, body) = json_of(call_service(&svc, req.to_request()).await).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body["ok"], true);
    assert_eq!(body["seq"], 1);

    let req = TestRequest::get().uri("/v1/export.geojson").insert_header(auth.clone());
    let resp = call_service(&svc, req.to_request()).await;
    assert_eq!(resp.headers().get("content-type").unwrap(), "application/geo+json");
    let text = String::from_utf8(read_body(resp).await.to_vec()).unwrap();
    assert!(text.contains("航空大道") && text.contains(r#""kind":"plate""#));

    let req = TestRequest::get().uri("/v1/audit").insert_header(auth);
    let (_, _, body) = json_of(call_service(&svc, req.to_request()).await).await;
    let actions: Vec<&str> = body["items"].as_array().unwrap().iter().map(|a| a["action"].as_str().unwrap()).collect();
    assert!(actions.contains(&"import") && actions.contains(&"token.create"), "{actions:?}");
    assert!(actions.contains(&"export"), "reads that hand out the register are audited too: {actions:?}");
}

#[actix_web::test]
async fn bad_input_gets_a_clear_problem_and_never_a_5xx() {
    let db = TestDb::new();
    let app = db.app();
    let admin_token = token(&app, Role::Admin);
    let svc = service!(app);
    let auth = ("Authorization", format!("Bearer {admin_token}"));
    let cases = [
        TestRequest::post()
            .uri("/v1/tokens")
            .insert_header(auth.clone())
            .insert_header(("content-type", "application/json"))
            .set_payload("{not json"),
        TestRequest::post()
            .uri("/v1/tokens")
            .insert_header(auth.clone())
            .set_json(serde_json::json!({"role": "mayor"})),
        TestRequest::post().uri("/v1/tokens").insert_header(auth.clone()).set_json(serde_json::json!({"role": 5})),
        TestRequest::get().uri("/v1/events?after=-1").insert_header(auth.clone()),
        TestRequest::get().uri("/v1/events?limit=abc").insert_header(auth.clone()),
        TestRequest::post().uri("/v1/import").insert_header(auth.clone()).set_payload(vec![0xff, 0xfe, 0x00]),
    ];
    for req in cases {
        let (status, ct, body) = json_of(call_service(&svc, req.to_request()).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(ct, "application/problem+json");
        assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()));
    }
    for uri in ["/v1/divisions/999999", "/v1/addresses/plt_00000000000000000000000000", "/v1/nothing-here"] {
        let req = TestRequest::get().uri(uri).insert_header(auth.clone());
        let (status, ct, body) = json_of(call_service(&svc, req.to_request()).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(ct, "application/problem+json");
        // A route the server does not have is told apart from a record it does not hold
        // by the problem's type, not by the words of its detail.
        let want = if uri == "/v1/nothing-here" { "unknown_route" } else { "not_found" };
        assert_eq!(body["type"], format!("urn:menpai:problem:{want}"), "{uri}: {body}");
    }
    assert_eq!(app.list_tokens(&admin()).unwrap().len(), 1, "no refused request created anything");
}

#[actix_web::test]
async fn health_metrics_and_openapi_need_no_token() {
    let db = TestDb::new();
    let app = db.app();
    let svc = service!(app);
    for uri in ["/healthz", "/metrics", "/openapi.json"] {
        let resp = call_service(&svc, TestRequest::get().uri(uri).to_request()).await;
        assert_eq!(resp.status(), StatusCode::OK, "{uri}");
    }
    let (_, _, doc) = json_of(call_service(&svc, TestRequest::get().uri("/openapi.json").to_request()).await).await;
    assert_eq!(doc["openapi"], "3.1.0");
    for route in routes() {
        assert!(
            doc["paths"][route.path][route.method.to_lowercase()].is_object(),
            "{} {} undocumented",
            route.method,
            route.path
        );
    }
}
