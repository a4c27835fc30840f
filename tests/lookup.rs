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
    app.import(&admin(), &small_file(&[hk_plate(1, None, 109.471, true), hk_plate(3, None, 109.475, true)]), false)
        .unwrap();
    let reader = app.create_token(&admin(), Role::Reader, None, None).unwrap().1;
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;
    let get = |q: &str| {
        TestRequest::get()
            .uri(&format!("/v1/reverse?{q}"))
            .insert_header(("Authorization", format!("Bearer {reader}")))
            .to_request()
    };

    let resp = call_service(&svc, get("lon=109.4748&lat=30.2903")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let r: Value = serde_json::from_slice(&read_body(resp).await).unwrap();
    assert_eq!(r["plate"]["canonical"], "湖北省恩施土家族苗族自治州恩施市舞阳坝街道航空大道3号");
    assert!(r["plate"]["distance_m"].as_f64().unwrap() < 40.0, "{r}");
    assert_eq!(r["thoroughfare"]["canonical"], "湖北省恩施土家族苗族自治州恩施市航空大道");
    assert!((r["thoroughfare"]["distance_m"].as_f64().unwrap() - 33.2).abs() < 1.0, "{r}");

    let far: Value =
        serde_json::from_slice(&read_body(call_service(&svc, get("lon=109.6&lat=30.5")).await).await).unwrap();
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
    let get = |q: &str| {
        TestRequest::get()
            .uri(&format!("/v1/autocomplete?{q}"))
            .insert_header(("Authorization", format!("Bearer {reader}")))
            .to_request()
    };
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

#[actix_web::test]
async fn validation_for_registration_says_exactly_why_and_what_to_register() {
    let db = TestDb::new();
    let app = db.app();
    app.import(&admin(), &small_file(&[hk_plate(123, None, 109.471, true), hk_plate(125, None, 109.472, true)]), false)
        .unwrap();
    let police = app.authenticate(&app.create_token(&admin(), Role::Police, None, None).unwrap().1, None).unwrap();
    let (p123, p125) = {
        let reg = app.register();
        let id = |n| reg.plates.values().find(|p| p.number == n).unwrap().id.clone();
        (id(123), id(125))
    };
    app.retire_plate(&police, &p125, "拆除合并", Some(&p123)).unwrap();
    let reader = app.create_token(&admin(), Role::Reader, None, None).unwrap().1;
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;
    let check = |text: &str| {
        TestRequest::post()
            .uri("/v1/validate")
            .insert_header(("Authorization", format!("Bearer {reader}")))
            .set_json(serde_json::json!({"address": text}))
            .to_request()
    };
    let current = "湖北省恩施土家族苗族自治州恩施市舞阳坝街道航空大道123号";
    let cases = [
        (current, true, None, current),
        ("恩施市航空大道123号", true, None, current),
        ("恩施市机场路123号", false, Some("renamed"), current),
        ("恩施市航空大道125号", false, Some("retired"), current),
        ("恩施市航空大道127号", false, Some("never_issued"), "湖北省恩施土家族苗族自治州恩施市航空大道"),
        ("恩施市航空大道", false, Some("not_a_door"), "湖北省恩施土家族苗族自治州恩施市航空大道"),
    ];
    for (text, ok, reason, canonical) in cases {
        let r: Value = serde_json::from_slice(&read_body(call_service(&svc, check(text)).await).await).unwrap();
        assert_eq!(r["ok"], ok, "{text}: {r}");
        if let Some(code) = reason {
            assert!(r["reasons"].as_array().unwrap().iter().any(|x| x["code"] == code), "{text}: {r}");
        }
        assert_eq!(r["canonical"], canonical, "{text}: {r}");
    }
    let r: Value = serde_json::from_slice(&read_body(call_service(&svc, check("火星大道1号")).await).await).unwrap();
    assert_eq!(r["ok"], false);
    assert_eq!(r["reasons"][0]["code"], "not_found");
}

#[actix_web::test]
async fn resolution_sees_a_new_plate_at_once() {
    let db = TestDb::new();
    let app = db.app();
    app.import(&admin(), &small_file(&[]), false).unwrap();
    let reader = app.create_token(&admin(), Role::Reader, None, None).unwrap().1;
    let police = app.authenticate(&app.create_token(&admin(), Role::Police, None, None).unwrap().1, None).unwrap();
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;
    let resolve = |q: &str| {
        TestRequest::get()
            .uri(&format!("/v1/resolve?q={}", q.replace(' ', "%20")))
            .insert_header(("Authorization", format!("Bearer {reader}")))
            .to_request()
    };
    let before: Value =
        serde_json::from_slice(&read_body(call_service(&svc, resolve("hangkong dadao 1 hao enshi shi")).await).await)
            .unwrap();
    assert_eq!(before["status"], "partial", "{before}");
    let hk = app.register().thoroughfares.values().next().unwrap().id.clone();
    let req = menpai::app::plates::PlateRequest {
        thoroughfare_id: Some(hk),
        locality_id: None,
        location: Some([109.471, 30.2901]),
        township_code: Some("422801001".into()),
        number: None,
        sub: None,
    };
    app.issue_plate(&police, &req, None).unwrap();
    let after: Value =
        serde_json::from_slice(&read_body(call_service(&svc, resolve("hangkong dadao 1 hao enshi shi")).await).await)
            .unwrap();
    assert_eq!(after["status"], "matched", "{after}");
    assert_eq!(after["address"]["canonical"], "湖北省恩施土家族苗族自治州恩施市舞阳坝街道航空大道1号");
}

#[actix_web::test]
async fn children_of_every_level_and_the_events_that_touched_an_address() {
    let db = TestDb::new();
    let app = db.app();
    app.import(&admin(), &small_file(&[hk_plate(3, None, 109.473, true), hk_plate(1, None, 109.471, true)]), false)
        .unwrap();
    let reader = app.create_token(&admin(), Role::Reader, None, None).unwrap().1;
    let reg = app.register();
    let street = reg.thoroughfares.values().next().unwrap().id.clone();
    let plate1 = reg.plates.values().find(|p| p.number == 1).unwrap().id.clone();
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;
    let get = |uri: String| {
        TestRequest::get().uri(&uri).insert_header(("Authorization", format!("Bearer {reader}"))).to_request()
    };
    let body = |v: actix_web::dev::ServiceResponse<_>| async move {
        serde_json::from_slice::<Value>(&read_body(v).await).unwrap()
    };

    let plates = body(call_service(&svc, get(format!("/v1/addresses/{street}/children"))).await).await;
    let numbers: Vec<i64> = plates["items"].as_array().unwrap().iter().map(|p| p["number"].as_i64().unwrap()).collect();
    assert_eq!(numbers, [1, 3], "a street's plates in number order");
    assert_eq!(plates["items"][0]["side"], "left");
    let buildings = body(call_service(&svc, get(format!("/v1/addresses/{plate1}/children"))).await).await;
    assert_eq!(buildings["items"][0]["level"], "building");
    let building = buildings["items"][0]["id"].as_str().unwrap().to_string();
    let units = body(call_service(&svc, get(format!("/v1/addresses/{building}/children"))).await).await;
    let unit = units["items"][0]["id"].as_str().unwrap().to_string();
    let rooms = body(call_service(&svc, get(format!("/v1/addresses/{unit}/children"))).await).await;
    assert_eq!(rooms["items"].as_array().unwrap().len(), 2);
    assert_eq!(rooms["items"][0]["canonical"], "湖北省恩施土家族苗族自治州恩施市舞阳坝街道航空大道1号3栋2单元501室");
    let counties = body(call_service(&svc, get("/v1/addresses/422800/children".into())).await).await;
    assert_eq!(counties["items"][0]["id"], "422801");
    assert_eq!(
        call_service(&svc, get("/v1/addresses/plt_00000000000000000000000000/children".into())).await.status(),
        StatusCode::NOT_FOUND
    );

    let events = body(call_service(&svc, get(format!("/v1/events?subject_id={plate1}"))).await).await;
    assert_eq!(events["events"].as_array().unwrap().len(), 1, "the import created it: {events}");
    let none = body(call_service(&svc, get("/v1/events?subject_id=plt_00000000000000000000000000".into())).await).await;
    assert!(none["events"].as_array().unwrap().is_empty());
}

#[actix_web::test]
async fn a_batch_answers_in_order_and_refuses_what_is_too_large() {
    let db = TestDb::new();
    let app = db.app();
    app.import(&admin(), &small_file(&[hk_plate(123, None, 109.471, true)]), false).unwrap();
    let reader = app.create_token(&admin(), Role::Reader, None, None).unwrap().1;
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;
    let post = |body: Value| {
        TestRequest::post()
            .uri("/v1/resolve/batch")
            .insert_header(("Authorization", format!("Bearer {reader}")))
            .set_json(body)
            .to_request()
    };
    let resp = call_service(
        &svc,
        post(serde_json::json!({"queries": ["火星大道1号", "恩施市航空大道123号", "恩施市航空大道"]})),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers().get("content-type").unwrap(), "application/json");
    let r: Value = serde_json::from_slice(&read_body(resp).await).unwrap();
    let statuses: Vec<&str> = r["results"].as_array().unwrap().iter().map(|x| x["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["not_found", "matched", "matched"]);
    assert_eq!(r["results"][2]["address"]["level"], "thoroughfare");

    let too_many = vec!["x"; 10_001];
    assert_eq!(
        call_service(&svc, post(serde_json::json!({"queries": too_many}))).await.status(),
        StatusCode::BAD_REQUEST
    );
    let too_long = "路".repeat(513);
    let resp = call_service(&svc, post(serde_json::json!({"queries": [too_long]}))).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert_eq!(resp.headers().get("content-type").unwrap(), "application/problem+json");
}
