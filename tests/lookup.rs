//! Looking things up without a full address: autocomplete and reverse lookup.

mod common;

use actix_web::http::StatusCode;
use actix_web::test::{call_service, init_service, read_body, TestRequest};
use common::*;
use menpai::api::Metrics;
use menpai::app::Role;
use serde_json::Value;

#[actix_web::test]
async fn the_nearest_issued_plate_and_street_within_the_radius() {
    let db = TestDb::new();
    let app = db.app();
    app.import(&admin(), &small_file(&[hk_plate(1, None, 109.471, true), hk_plate(3, None, 109.475, true)]), false).unwrap();
    let reader = app.create_token(&admin(), Role::Reader, None, None).unwrap().1;
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;
    let get = |q: &str| TestRequest::get().uri(&format!("/v1/reverse?{q}")).insert_header(("Authorization", format!("Bearer {reader}"))).to_request();

    let resp = call_service(&svc, get("lon=109.4748&lat=30.2903")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let r: Value = serde_json::from_slice(&read_body(resp).await).unwrap();
    assert_eq!(r["plate"]["canonical"], "湖北省恩施土家族苗族自治州恩施市舞阳坝街道航空大道3号");
    assert!(r["plate"]["distance_m"].as_f64().unwrap() < 40.0, "{r}");
    assert_eq!(r["thoroughfare"]["canonical"], "湖北省恩施土家族苗族自治州恩施市航空大道");
    assert!((r["thoroughfare"]["distance_m"].as_f64().unwrap() - 33.2).abs() < 1.0, "{r}");

    let far: Value = serde_json::from_slice(&read_body(call_service(&svc, get("lon=109.6&lat=30.5")).await).await).unwrap();
    assert!(far["plate"].is_null() && far["thoroughfare"].is_null(), "nothing within 500 m: {far}");
    assert_eq!(call_service(&svc, get("lon=200&lat=30")).await.status(), StatusCode::BAD_REQUEST);
    assert_eq!(call_service(&svc, get("lon=abc&lat=30")).await.status(), StatusCode::BAD_REQUEST);
}

#[actix_web::test]
async fn autocomplete_takes_chinese_pinyin_and_initials_current_names_first() {
    let db = TestDb::new();
    let app = db.app();
    app.import(&admin(), &small_file(&[]), false).unwrap();
    let reader = app.create_token(&admin(), Role::Reader, None, None).unwrap().1;
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;
    let get = |q: &str| TestRequest::get().uri(&format!("/v1/autocomplete?{q}")).insert_header(("Authorization", format!("Bearer {reader}"))).to_request();
    for q in ["q=%E8%88%AA%E7%A9%BA", "q=hangk", "q=hkdd", "q=HKDD&limit=1"] {
        let r: Value = serde_json::from_slice(&read_body(call_service(&svc, get(q)).await).await).unwrap();
        assert_eq!(r["items"][0]["canonical"], "湖北省恩施土家族苗族自治州恩施市航空大道", "{q}: {r}");
        assert_eq!(r["items"][0]["level"], "thoroughfare");
    }
    // The former name 机场路 finds the street under its current text.
    let r: Value = serde_json::from_slice(&read_body(call_service(&svc, get("q=jichang")).await).await).unwrap();
    assert_eq!(r["items"][0]["name"], "机场路");
    assert_eq!(r["items"][0]["current_name"], false);
    assert_eq!(r["items"][0]["canonical"], "湖北省恩施土家族苗族自治州恩施市航空大道");
    assert_eq!(call_service(&svc, get("q=a&limit=0")).await.status(), StatusCode::BAD_REQUEST);
}
