//! Answers as of a date (`at=YYYY-MM-DD`): an old deed names a street by the name it had,
//! a plate that did not stand yet is not an address then, a retired one still was.

mod common;

use actix_web::http::StatusCode;
use actix_web::test::{call_service, init_service, read_body, TestRequest};
use common::*;
use menpai::api::Metrics;
use menpai::app::Role;
use serde_json::{json, Value};

/// Calls the service with a bearer token: `(status, JSON body)`.
macro_rules! call {
    ($svc:expr, $method:expr, $uri:expr, $token:expr, $body:expr $(,)?) => {{
        let body: Option<Value> = $body;
        let req = match $method {
            "GET" => TestRequest::get(),
            _ => TestRequest::post(),
        }
        .uri(&$uri)
        .insert_header(("Authorization", format!("Bearer {}", $token)));
        let req = match body {
            Some(b) => req.set_json(b),
            None => req,
        };
        let resp = call_service(&$svc, req.to_request()).await;
        let status = resp.status();
        let bytes = read_body(resp).await;
        (status, serde_json::from_slice::<Value>(&bytes).unwrap_or(Value::Null))
    }};
}

fn q(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

fn corrections(v: &Value) -> Vec<String> {
    v["corrections"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap().to_string()).collect()
}

#[actix_web::test]
async fn the_register_answers_as_it_stood_on_a_date() {
    let db = TestDb::new();
    let app = db.app();
    app.import(&admin(), &small_file(&[hk_plate(123, None, 109.471, true)]), false).unwrap();
    let reader = app.create_token(&admin(), Role::Commerce, None, None).unwrap().1;
    let police = app.create_token(&admin(), Role::Police, None, None).unwrap().1;
    let clerk = app.create_token(&admin(), Role::CivilAffairs, None, None).unwrap().1;
    let hk = app.register().thoroughfares.values().next().unwrap().id.clone();
    let old_plate = app.register().plates.values().next().unwrap().id.clone();
    let svc = init_service(menpai::http_app!(app.clone(), Metrics::default())).await;
    let yesterday =
        (chrono::Utc::now() + chrono::Duration::hours(8) - chrono::Duration::days(1)).date_naive().to_string();

    // 航空大道 was 机场路 until 2015-06-30 (an imported former name).
    let deed = "恩施市舞阳坝街道机场路123号";
    let (status, now) = call!(svc, "GET", &format!("/v1/resolve?q={}", q(deed)), &reader, None);
    assert_eq!(status, StatusCode::OK);
    assert_eq!(now["status"], "matched");
    assert!(corrections(&now).contains(&"former_name".to_string()));
    let (_, then) = call!(svc, "GET", &format!("/v1/resolve?q={}&at=2015-06-01", q(deed)), &reader, None);
    assert_eq!(then["status"], "matched", "{then}");
    assert_eq!(then["address"]["id"], old_plate.as_str());
    assert!(then["address"]["canonical"].as_str().unwrap().ends_with("机场路123号"));
    assert!(!corrections(&then).contains(&"former_name".to_string()), "機场路 was the name then: {then}");
    let (_, posted) = call!(svc, "POST", "/v1/resolve", &reader, Some(json!({"q": deed, "at": "2015-06-01"})));
    assert_eq!(posted, then, "GET and POST answer alike");
    // On the renaming day the new name holds.
    let (_, on_day) = call!(svc, "GET", &format!("/v1/resolve?q={}&at=2015-06-30", q(deed)), &reader, None);
    assert!(corrections(&on_day).contains(&"former_name".to_string()));

    let (_, view) = call!(svc, "GET", &format!("/v1/addresses/{old_plate}?at=2015-06-01"), &reader, None);
    assert_eq!(view["canonical"], "湖北省恩施土家族苗族自治州恩施市舞阳坝街道机场路123号");
    assert_eq!(view["history"].as_array().unwrap().len(), 1, "no later name was known then");
    let (_, ok_then) = call!(svc, "POST", "/v1/validate", &reader, Some(json!({"address": deed, "at": "2015-06-01"})));
    assert_eq!(ok_then["ok"], true, "{ok_then}");
    let (_, not_now) = call!(svc, "POST", "/v1/validate", &reader, Some(json!({"address": deed})));
    assert_eq!(not_now["ok"], false);
    assert_eq!(not_now["reasons"][0]["code"], "renamed");

    // A plate issued today did not stand yesterday.
    let (status, issued) = call!(
        svc,
        "POST",
        "/v1/plates",
        &police,
        Some(
            json!({"thoroughfare_id": hk, "location": [109.4712, 30.2901], "township_code": "422801001", "number": 125})
        ),
    );
    assert_eq!(status, StatusCode::CREATED, "{issued}");
    let new_plate = issued["id"].as_str().unwrap().to_string();
    let (status, gone) = call!(svc, "GET", &format!("/v1/addresses/{new_plate}?at={yesterday}"), &reader, None);
    assert_eq!(status, StatusCode::NOT_FOUND, "{gone}");
    assert!(gone["detail"].as_str().unwrap().contains("不在登记册中"));
    let (status, _) = call!(svc, "GET", &format!("/v1/addresses/{new_plate}"), &reader, None);
    assert_eq!(status, StatusCode::OK);
    let (_, view) = call!(svc, "GET", &format!("/v1/addresses/{new_plate}"), &reader, None);
    let today = view["history"][0]["valid_from"].as_str().unwrap().to_string();
    assert!(today > yesterday, "the history says from when the plate stood: {view}");

    // Renamed and retired today: yesterday the old text was a current, issued address.
    let (status, body) = call!(
        svc,
        "POST",
        &format!("/v1/names/{hk}/rename"),
        &clerk,
        Some(json!({"name": "青滩大道", "document": "恩施市政〔2026〕9号"})),
    );
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) =
        call!(svc, "POST", &format!("/v1/plates/{old_plate}/retire"), &police, Some(json!({"reason": "拆除"})),);
    assert_eq!(status, StatusCode::OK, "{body}");
    let deed = "恩施市舞阳坝街道航空大道123号";
    let (_, then) = call!(svc, "POST", "/v1/validate", &reader, Some(json!({"address": deed, "at": yesterday})));
    assert_eq!(then["ok"], true, "{then}");
    assert_eq!(then["canonical"], "湖北省恩施土家族苗族自治州恩施市舞阳坝街道航空大道123号");
    let (_, now) = call!(svc, "POST", "/v1/validate", &reader, Some(json!({"address": deed})));
    assert_eq!(now["ok"], false, "{now}");
    let codes: Vec<&str> = now["reasons"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"retired") && codes.contains(&"renamed"), "{now}");
    let (_, view) = call!(svc, "GET", &format!("/v1/addresses/{old_plate}?at={yesterday}"), &reader, None);
    assert_eq!(view["status"], "issued");
    assert_eq!(view["canonical"], "湖北省恩施土家族苗族自治州恩施市舞阳坝街道航空大道123号");
    let (_, view) = call!(svc, "GET", &format!("/v1/addresses/{old_plate}"), &reader, None);
    assert_eq!(view["status"], "retired");
    let last = view["history"].as_array().unwrap().last().unwrap().clone();
    assert!(last["valid_to"].is_string(), "a retired plate's last text ends with its retirement: {view}");

    // A date that is not one, or is still to come, is refused and says why.
    for at in ["2015-02-30", "2015/06/01", "9999-01-01"] {
        let (status, problem) = call!(svc, "GET", &format!("/v1/resolve?q={}&at={}", q(deed), q(at)), &reader, None);
        assert_eq!(status, StatusCode::BAD_REQUEST, "{at}: {problem}");
        assert!(problem["detail"].as_str().unwrap().contains("at"), "{problem}");
    }
}
