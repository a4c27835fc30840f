//! Address-change certificates (地址变更证明) and their verification.

mod common;

use actix_web::http::StatusCode;
use actix_web::test::{call_service, init_service, read_body, TestRequest};
use common::*;
use menpai::api::Metrics;
use menpai::app::Role;
use serde_json::Value;

#[actix_web::test]
async fn a_certificate_states_former_and_current_texts_and_verifies() {
    let db = TestDb::new();
    let app = db.app();
    app.import(&admin(), &small_file(&[hk_plate(123, None, 109.471, true)]), false).unwrap();
    let commerce = app.create_token(&admin(), Role::Commerce, None, None).unwrap().1;
    let plate = app.register().plates.values().next().unwrap().id.clone();
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;
    let auth = ("Authorization", format!("Bearer {commerce}"));

    let req = TestRequest::get()
        .uri(&format!("/v1/addresses/{plate}/certificate"))
        .insert_header(auth.clone())
        .insert_header(("Accept", "application/json"));
    let resp = call_service(&svc, req.to_request()).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let cert: Value = serde_json::from_slice(&read_body(resp).await).unwrap();
    assert_eq!(cert["current"], "湖北省恩施土家族苗族自治州恩施市舞阳坝街道航空大道123号");
    assert_eq!(cert["history"][0]["canonical"], "湖北省恩施土家族苗族自治州恩施市舞阳坝街道机场路123号");
    assert_eq!(cert["history"][0]["valid_to"], "2015-06-30");
    assert_eq!(cert["history"][1]["document"], "恩施市政〔2015〕12号");
    assert_eq!(cert["authority"], "恩施市公安局");
    let code = cert["code"].as_str().unwrap().to_string();

    let req = TestRequest::get().uri(&format!("/v1/addresses/{plate}/certificate")).insert_header(auth.clone());
    let resp = call_service(&svc, req.to_request()).await;
    assert_eq!(resp.headers().get("content-type").unwrap(), "text/html; charset=utf-8");
    let html = String::from_utf8(read_body(resp).await.to_vec()).unwrap();
    assert!(html.contains(r#"<html lang="zh-CN">"#));
    assert!(html.contains("地址变更证明") && html.contains("机场路123号") && html.contains("2015年6月30日"));
    assert!(!html.contains("http://") && !html.contains("https://"), "a printed page loads nothing from outside");

    let req = TestRequest::get().uri(&format!("/v1/certificates/{code}")).insert_header(auth.clone());
    let resp = call_service(&svc, req.to_request()).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let v: Value = serde_json::from_slice(&read_body(resp).await).unwrap();
    assert_eq!(v["valid"], true);
    assert_eq!(v["certificate"], cert, "the verification shows exactly what was issued");

    let req = TestRequest::get().uri("/v1/certificates/NOSUCHCODE").insert_header(auth);
    assert_eq!(call_service(&svc, req.to_request()).await.status(), StatusCode::NOT_FOUND);
}
