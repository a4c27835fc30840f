//! `/openapi.json` held to the server that serves it: every route is described with real
//! schemas, and every answer of a whole working session, successes and refusals alike, is
//! valid against the schema the document declares for its route, status and media type.
//! A status the document does not list for a route fails, and so does a wrong type or a
//! missing required field; fields sent but not listed are allowed.

mod common;

use std::collections::{BTreeSet, HashMap};

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::test::{call_service, init_service, read_body, TestRequest};
use common::*;
use menpai::api::{routes, Body, Metrics};
use menpai::app::Role;
use serde_json::{json, Value};

/// The document, the validators built from it, and what the session touched.
struct Contract {
    doc: Value,
    validators: HashMap<String, jsonschema::Validator>,
    /// (method, path) of every operation exercised.
    touched: BTreeSet<(String, String)>,
    /// (method, path, status) of every answer checked.
    answers: BTreeSet<(String, String, u16)>,
    checked: usize,
}

/// A request of the session: the route it is for (as the document names it), the actual
/// URI, and what it sends.
struct Call {
    method: &'static str,
    route: &'static str,
    uri: String,
    token: Option<String>,
    headers: Vec<(&'static str, String)>,
    body: Option<(&'static str, Vec<u8>)>,
}

impl Call {
    fn new(method: &'static str, route: &'static str, args: &[&str]) -> Call {
        // Fills the path's `{…}` segments in order.
        let mut args = args.iter();
        let uri = route
            .split('/')
            .map(|seg| {
                if seg.starts_with('{') {
                    args.next().expect("an argument per segment").to_string()
                } else {
                    seg.into()
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        Call { method, route, uri, token: None, headers: vec![], body: None }
    }

    fn get(route: &'static str, args: &[&str]) -> Call {
        Call::new("GET", route, args)
    }

    fn post(route: &'static str, args: &[&str]) -> Call {
        Call::new("POST", route, args)
    }

    fn query(mut self, q: &str) -> Call {
        self.uri = format!("{}?{q}", self.uri);
        self
    }

    fn by(mut self, token: &str) -> Call {
        self.token = Some(token.to_string());
        self
    }

    fn json(mut self, body: Value) -> Call {
        self.body = Some(("application/json", body.to_string().into_bytes()));
        self
    }

    fn raw(mut self, media: &'static str, body: impl Into<Vec<u8>>) -> Call {
        self.body = Some((media, body.into()));
        self
    }

    fn header(mut self, name: &'static str, value: &str) -> Call {
        self.headers.push((name, value.to_string()));
        self
    }
}

/// What came back.
struct Answer {
    status: u16,
    json: Value,
}

/// The media type without its parameters.
fn media_of(content_type: &str) -> &str {
    content_type.split(';').next().unwrap_or("").trim()
}

impl Contract {
    fn new(doc: Value) -> Contract {
        Contract { doc, validators: HashMap::new(), touched: BTreeSet::new(), answers: BTreeSet::new(), checked: 0 }
    }

    /// Follows a `$ref` into the document.
    fn resolve<'a>(&'a self, v: &'a Value) -> &'a Value {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => self.doc.pointer(r.trim_start_matches('#')).unwrap_or_else(|| panic!("dangling $ref {r}")),
            None => v,
        }
    }

    /// Checks `instance` against `schema`, a schema of the document's (with its `$ref`s).
    fn validate(&mut self, schema: &Value, instance: &Value, what: &str) {
        let key = schema.to_string();
        if !self.validators.contains_key(&key) {
            let root = json!({"components": self.doc["components"], "allOf": [schema]});
            let v = jsonschema::draft202012::options()
                .should_validate_formats(true)
                .build(&root)
                .unwrap_or_else(|e| panic!("{what}: the schema {schema} does not compile: {e}"));
            self.validators.insert(key.clone(), v);
        }
        let errors: Vec<String> =
            self.validators[&key].iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(errors.is_empty(), "{what}: does not match {schema}:\n{}\n{instance:#}", errors.join("\n"));
        self.checked += 1;
    }

    fn operation(&self, method: &str, route: &str) -> Value {
        let op = &self.doc["paths"][route][method.to_lowercase()];
        assert!(op.is_object(), "{method} {route} is not in /openapi.json");
        op.clone()
    }

    /// Checks one answer against what the document says the route answers.
    fn check(&mut self, method: &str, route: &str, status: u16, content_type: &str, body: &[u8]) -> Value {
        let what = format!("{method} {route} → {status}");
        let op = self.operation(method, route);
        let Some(response) = op["responses"].get(status.to_string()) else {
            panic!("{what}: status not documented: {}", String::from_utf8_lossy(body))
        };
        let response = self.resolve(response).clone();
        let media = media_of(content_type);
        let Some(content) = response["content"].get(media) else {
            panic!("{what}: media type {media} not documented (only {})", response["content"])
        };
        let json = serde_json::from_slice::<Value>(body).ok();
        let instance = match media {
            "application/json" | "application/problem+json" | "application/geo+json" => {
                json.clone().unwrap_or_else(|| panic!("{what}: {media} body is not JSON"))
            }
            _ => Value::String(String::from_utf8(body.to_vec()).expect("a text body in UTF-8")),
        };
        self.validate(&content["schema"].clone(), &instance, &what);
        self.touched.insert((method.to_string(), route.to_string()));
        self.answers.insert((method.to_string(), route.to_string(), status));
        json.unwrap_or(Value::Null)
    }

    /// Checks that a request the server took is one the document describes.
    fn check_request(&mut self, method: &str, route: &str, media: &str, body: &[u8]) {
        let op = self.operation(method, route);
        let Some(content) = op["requestBody"]["content"].get(media) else {
            panic!("{method} {route} took a {media} body the document does not describe")
        };
        let instance: Value = serde_json::from_slice(body).expect("a JSON request body");
        self.validate(&content["schema"].clone(), &instance, &format!("{method} {route} request"));
    }

    async fn send<S, B, E>(&mut self, svc: &S, call: Call) -> Answer
    where
        S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = E>,
        B: MessageBody,
        E: std::fmt::Debug,
    {
        let mut req = match call.method {
            "GET" => TestRequest::get(),
            _ => TestRequest::post(),
        }
        .uri(&call.uri);
        if let Some(t) = &call.token {
            req = req.insert_header(("Authorization", format!("Bearer {t}")));
        }
        for (k, v) in &call.headers {
            req = req.insert_header((*k, v.as_str()));
        }
        if let Some((media, body)) = &call.body {
            req = req.insert_header(("content-type", *media)).set_payload(body.clone());
        }
        let resp = call_service(svc, req.to_request()).await;
        let status = resp.status().as_u16();
        let ct = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let body = read_body(resp).await;
        let json = self.check(call.method, call.route, status, &ct, &body);
        if let (true, Some((media, sent))) = (status < 300, &call.body) {
            self.check_request(call.method, call.route, media, sent);
        }
        Answer { status, json }
    }
}

/// Sends a call and asserts its status: `send!(svc, contract, call, 201)`.
macro_rules! send {
    ($svc:expr, $c:expr, $call:expr, $status:expr) => {{
        let a = $c.send(&$svc, $call).await;
        assert_eq!(a.status, $status, "{}", a.json);
        a.json
    }};
}

fn token(app: &menpai::app::App, role: Role) -> String {
    app.create_token(&admin(), role, None, None).unwrap().1
}

fn document() -> Value {
    menpai::api::openapi::document()
}

/// A schema that says nothing: an object with no properties, no composition, no items.
fn is_bare(schema: &Value) -> bool {
    let o = schema.as_object().expect("a schema is an object");
    let says = ["properties", "allOf", "anyOf", "oneOf", "items", "additionalProperties", "enum", "const", "$ref"];
    !says.iter().any(|k| o.contains_key(*k)) && o.get("type").is_none_or(|t| t == "object")
}

#[test]
fn every_route_is_described_with_real_schemas() {
    let doc = document();
    let c = Contract::new(doc.clone());
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for (name, schema) in schemas {
        if let Err(e) = jsonschema::draft202012::meta::validate(schema) {
            panic!("schema {name} is not valid JSON Schema 2020-12: {e}");
        }
        assert!(!is_bare(schema), "schema {name} says nothing");
    }
    // Every reference points at something.
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(o) => {
                if let Some(Value::String(r)) = o.get("$ref") {
                    out.push(r.clone());
                }
                o.values().for_each(|x| refs(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    let mut all = vec![];
    refs(&doc, &mut all);
    for r in &all {
        assert!(doc.pointer(r.trim_start_matches('#')).is_some(), "dangling $ref {r}");
    }
    let mut count = 0;
    for route in routes() {
        let what = format!("{} {}", route.method, route.path);
        let op = c.operation(route.method, route.path);
        let named = |schema: &Value| {
            let name = schema["$ref"].as_str().unwrap_or_else(|| panic!("{what}: schema not named: {schema}"));
            assert!(!is_bare(c.resolve(schema)), "{what}: {name} is a bare object");
        };
        match route.body {
            Body::Empty => assert!(op.get("requestBody").is_none(), "{what}"),
            Body::Json(_) => named(&op["requestBody"]["content"]["application/json"]["schema"]),
            Body::GeoJson(_) => named(&op["requestBody"]["content"]["application/geo+json"]["schema"]),
        }
        assert!(!route.answers.is_empty(), "{what} answers nothing");
        for a in route.answers {
            named(&op["responses"][a.status.to_string()]["content"][a.media]["schema"]);
        }
        for (status, response) in op["responses"].as_object().unwrap() {
            let response = c.resolve(response);
            assert!(response["description"].is_string(), "{what} {status}");
            for (media, content) in response["content"].as_object().unwrap() {
                named(&content["schema"]);
                if !status.starts_with('2') {
                    assert_eq!(media, "application/problem+json", "{what} {status}");
                }
            }
        }
        for status in ["401", "429"] {
            assert!(op["responses"].get(status).is_some(), "{what} lacks {status}");
        }
        count += 1;
    }
    assert!(count >= 40, "the route tables hold {count} routes");
    for path in ["/healthz", "/metrics", "/openapi.json"] {
        named_open(&c, path);
    }

    fn named_open(c: &Contract, path: &str) {
        let op = c.operation("GET", path);
        let content = op["responses"]["200"]["content"].as_object().unwrap();
        assert!(!content.is_empty() && content.values().all(|m| !is_bare(c.resolve(&m["schema"]))), "{path}");
    }
}

#[test]
fn a_broken_schema_is_caught() {
    // The check itself can fail: an answer with a wrong type, without a required field,
    // with a value outside its enum, or with a media type or status the document does not
    // list for the route.
    let mut c = Contract::new(document());
    let division = json!({"code": "422801", "name": "恩施市", "level": "county", "parent_code": "422800", "aliases": [], "status": "active"});
    c.check("GET", "/v1/divisions/{code}", 200, "application/json", division.to_string().as_bytes());
    let problem = json!({"type": "urn:menpai:problem:conflict", "title": "冲突", "status": 409, "detail": "…"});
    for (status, media, body) in [
        (
            200,
            "application/json",
            json!({"code": 422801, "name": "恩施市", "level": "county", "parent_code": null, "aliases": []}),
        ),
        (200, "application/json", json!({"code": "422801", "level": "county", "parent_code": null, "aliases": []})),
        (
            200,
            "application/json",
            json!({"code": "422801", "name": "恩施市", "level": "city", "parent_code": null, "aliases": []}),
        ),
        (200, "text/html", division),
        (409, "application/problem+json", problem),
    ] {
        let mut c = Contract::new(document());
        let body = body.to_string();
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            c.check("GET", "/v1/divisions/{code}", status, media, body.as_bytes())
        }));
        assert!(caught.is_err(), "{status} {media} {body} passed");
    }
}

#[actix_web::test]
async fn every_answer_of_a_session_matches_the_document() {
    let db = TestDb::new();
    let app = db.app();
    let admin_t = token(&app, Role::Admin);
    let civil = token(&app, Role::CivilAffairs);
    // A name is approved by another clerk than the one who proposed it.
    let approver = token(&app, Role::CivilAffairs);
    let police = token(&app, Role::Police);
    let housing = token(&app, Role::Housing);
    let reader = token(&app, Role::Reader);
    let svc = init_service(menpai::http_app!(app, Metrics::default())).await;
    let mut c = Contract::new(document());

    // ---- open routes ----
    send!(svc, c, Call::get("/healthz", &[]), 200);
    send!(svc, c, Call::get("/metrics", &[]), 200);
    let served = send!(svc, c, Call::get("/openapi.json", &[]), 200);
    assert_eq!(served, c.doc, "the document served is the one checked");

    // ---- import, export, audit (admin) ----
    let file = small_file(&[
        hk_plate(1, None, 109.471, true),
        hk_plate(2, None, 109.4712, false),
        hk_plate(3, None, 109.473, true),
        hk_plate(3, Some(1), 109.4732, true),
    ]);
    let out = send!(svc, c, Call::post("/v1/import", &[]).by(&admin_t).raw("application/geo+json", file.clone()), 201);
    assert_eq!(out["ok"], true);
    let refused = send!(svc, c, Call::post("/v1/import", &[]).by(&admin_t).raw("application/geo+json", "{"), 422);
    assert_eq!(refused["report"]["ok"], false);
    let unknown_ref = small_file(&[r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[109.47,30.29]},"properties":{"kind":"plate","thoroughfare_ref":"nowhere","number":9,"township_code":"422801001"}}"#.to_string()]);
    let refused = send!(
        svc,
        c,
        Call::post("/v1/import", &[]).by(&admin_t).query("strict=true").raw("application/geo+json", unknown_ref),
        422
    );
    assert!(refused["report"]["features"].is_array());
    send!(svc, c, Call::post("/v1/import", &[]).by(&admin_t).raw("application/geo+json", vec![0xff, 0xfe]), 400);
    send!(svc, c, Call::post("/v1/import", &[]).by(&reader).raw("application/geo+json", "{}"), 403);
    let a = c.send(&svc, Call::get("/v1/export.geojson", &[]).by(&admin_t)).await;
    assert_eq!(a.status, 200);
    // The export imports back as it is: nothing new, 200.
    let again = Call::post("/v1/import", &[]).by(&admin_t).raw("application/geo+json", a.json.to_string());
    let out = send!(svc, c, again, 200);
    assert_eq!(out["summary"]["created"], 0, "{out}");
    send!(svc, c, Call::get("/v1/export.geojson", &[]).by(&admin_t).query("county_code=422801"), 200);
    send!(svc, c, Call::get("/v1/export.geojson", &[]).by(&admin_t).query("county_code=999999"), 404);
    let reg = app.register();
    let hk = reg.thoroughfares.values().find(|t| t.name == "航空大道").unwrap().id.clone();
    let g3 = reg.localities.values().next().unwrap().id.clone();
    let plate1 = reg.plates.values().find(|p| p.number == 1).unwrap().id.clone();
    let building = reg.buildings.values().find(|b| b.plate_id == plate1).unwrap().id.clone();

    // ---- access ----
    send!(svc, c, Call::get("/v1/divisions/{code}", &["422801"]), 401);
    send!(svc, c, Call::get("/v1/divisions/{code}", &["422801"]).by("nonsense"), 401);
    send!(svc, c, Call::get("/v1/tokens", &[]).by(&reader), 403);

    // ---- tokens ----
    let made = send!(
        svc,
        c,
        Call::post("/v1/tokens", &[])
            .by(&admin_t)
            .json(json!({"role": "commerce", "label": "工商局", "scope": "422801", "expires_at": "2099-12-31"})),
        201
    );
    let made_id = made["id"].as_str().unwrap().to_string();
    send!(svc, c, Call::post("/v1/tokens", &[]).by(&admin_t).json(json!({"role": "mayor"})), 400);
    send!(svc, c, Call::get("/v1/tokens", &[]).by(&admin_t), 200);
    send!(svc, c, Call::post("/v1/tokens/{id}/revoke", &[&made_id]).by(&admin_t), 200);
    send!(svc, c, Call::post("/v1/tokens/{id}/revoke", &[&made_id]).by(&admin_t), 404);
    send!(svc, c, Call::post("/v1/tokens/{id}/revoke", &[&made_id]).by(&police), 403);
    send!(svc, c, Call::post("/v1/import", &[]).raw("application/geo+json", "{}"), 401);

    // ---- reading and resolution (any token) ----
    let r = send!(
        svc,
        c,
        Call::get("/v1/resolve", &[]).by(&reader).query("q=%E8%88%AA%E7%A9%BA%E5%A4%A7%E9%81%931%E5%8F%B7"),
        200
    );
    assert_eq!(r["status"], "matched", "{r}");
    send!(
        svc,
        c,
        Call::get("/v1/resolve", &[]).by(&reader).query("q=%E6%9C%BA%E5%9C%BA%E8%B7%AF3%E5%8F%B7%E9%99%841%E5%8F%B7"),
        200
    );
    send!(svc, c, Call::get("/v1/resolve", &[]).by(&reader), 400);
    for q in ["航空大道99号", "恩施市", "火星路1号", "航空大道1号3栋2单元501室"] {
        send!(svc, c, Call::post("/v1/resolve", &[]).by(&reader).json(json!({"q": q})), 200);
    }
    send!(svc, c, Call::post("/v1/resolve", &[]).by(&reader).json(json!({"q": "路".repeat(513)})), 400);
    send!(svc, c, Call::post("/v1/resolve", &[]).by(&reader).json(json!({"q": 5})), 400);
    let batch = send!(
        svc,
        c,
        Call::post("/v1/resolve/batch", &[]).by(&reader).json(json!({"queries": ["航空大道1号", "机场路2号", "哪里"]})),
        200
    );
    assert_eq!(batch["results"].as_array().unwrap().len(), 3);
    let huge = format!("{{\"queries\":[\"{}\"]}}", "x".repeat(9 << 20));
    send!(svc, c, Call::post("/v1/resolve/batch", &[]).by(&reader).raw("application/json", huge), 413);
    send!(svc, c, Call::get("/v1/autocomplete", &[]).by(&reader).query("q=hang&limit=5"), 200);
    send!(svc, c, Call::get("/v1/autocomplete", &[]).by(&reader).query("q=hang&limit=0"), 400);
    send!(svc, c, Call::get("/v1/reverse", &[]).by(&reader).query("lon=109.471&lat=30.2901"), 200);
    send!(svc, c, Call::get("/v1/reverse", &[]).by(&reader).query("lon=120.5&lat=10.1&radius_m=100"), 200);
    send!(svc, c, Call::get("/v1/reverse", &[]).by(&reader).query("lon=999&lat=30"), 400);
    let v =
        send!(svc, c, Call::post("/v1/validate", &[]).by(&reader).json(json!({"address": "恩施市航空大道1号"})), 200);
    assert_eq!(v["ok"], true, "{v}");
    let v = send!(svc, c, Call::post("/v1/validate", &[]).by(&reader).json(json!({"address": "恩施市航空大道"})), 200);
    assert_eq!(v["ok"], false);
    // A place elsewhere in China: not_found with `outside`, and validate says so.
    let r =
        send!(svc, c, Call::post("/v1/resolve", &[]).by(&reader).json(json!({"q": "河南南阳宛城区航空大道1号"})), 200);
    assert_eq!(r["status"], "not_found", "{r}");
    assert_eq!(r["outside"]["code"], "411302", "{r}");
    assert_eq!(r["outside"]["chain"], json!(["河南省", "南阳市", "宛城区"]), "{r}");
    let v = send!(
        svc,
        c,
        Call::post("/v1/validate", &[]).by(&reader).json(json!({"address": "湖北武汉汉阳区航空大道1号"})),
        200
    );
    assert_eq!(v["ok"], false);
    assert_eq!(v["reasons"][0]["code"], "outside", "{v}");
    assert_eq!(v["resolution"]["recognised"][0]["code"], "420000", "{v}");
    send!(svc, c, Call::get("/v1/divisions/{code}", &["422801"]).by(&reader), 200);
    send!(svc, c, Call::get("/v1/divisions/{code}", &["999999"]).by(&reader), 404);
    send!(svc, c, Call::get("/v1/divisions/{code}/children", &["422801"]).by(&reader), 200);
    send!(svc, c, Call::get("/v1/divisions/{code}/children", &["999999"]).by(&reader), 404);
    for id in [plate1.as_str(), "422801", hk.as_str(), g3.as_str(), building.as_str()] {
        send!(svc, c, Call::get("/v1/addresses/{id}", &[id]).by(&reader), 200);
        send!(svc, c, Call::get("/v1/addresses/{id}/children", &[id]).by(&reader), 200);
    }
    send!(svc, c, Call::get("/v1/addresses/{id}", &["plt_00000000000000000000000000"]).by(&reader), 404);
    send!(svc, c, Call::get("/v1/addresses/{id}/children", &["plt_00000000000000000000000000"]).by(&reader), 404);
    send!(svc, c, Call::get("/v1/addresses/{id}/certificate", &[&plate1]).by(&reader), 200);
    let cert = send!(
        svc,
        c,
        Call::get("/v1/addresses/{id}/certificate", &[&plate1]).by(&reader).header("Accept", "application/json"),
        200
    );
    let code = cert["code"].as_str().unwrap().to_string();
    send!(svc, c, Call::get("/v1/addresses/{id}/certificate", &["nothing"]).by(&reader), 404);
    send!(svc, c, Call::get("/v1/certificates/{code}", &[&code]).by(&reader), 200);
    send!(svc, c, Call::get("/v1/certificates/{code}", &["AAAA"]).by(&reader), 404);

    // ---- naming (civil affairs) ----
    let street = json!({"type": "LineString", "coordinates": [[109.47, 30.292], [109.48, 30.292]]});
    send!(
        svc,
        c,
        Call::post("/v1/names/check", &[])
            .by(&reader)
            .json(json!({"kind": "thoroughfare", "name": "清江路", "county_code": "422801"})),
        200
    );
    let eval = send!(
        svc,
        c,
        Call::post("/v1/names/check", &[])
            .by(&reader)
            .json(json!({"kind": "thoroughfare", "name": "航空大道", "county_code": "422801"})),
        200
    );
    assert_eq!(eval["ok"], false);
    send!(
        svc,
        c,
        Call::post("/v1/names/check", &[])
            .by(&reader)
            .json(json!({"kind": "thoroughfare", "name": "清江路", "county_code": "999999"})),
        404
    );
    send!(
        svc,
        c,
        Call::post("/v1/names/check", &[]).by(&reader).json(json!({"kind": "street", "name": "清江路"})),
        400
    );
    let proposal = json!({
        "kind": "thoroughfare", "name": "清江路", "county_code": "422801", "geometry": street,
        "reason": "因清江得名", "documents": ["恩施市民政〔2026〕3号", {"kind": "expert_review", "reference": "专家论证意见"}]
    });
    let p = send!(svc, c, Call::post("/v1/names", &[]).by(&civil).json(proposal), 201);
    let qj = p["id"].as_str().unwrap().to_string();
    send!(
        svc,
        c,
        Call::post("/v1/names", &[])
            .by(&civil)
            .json(json!({"kind": "thoroughfare", "name": "航空大道", "county_code": "422801", "geometry": street})),
        422
    );
    send!(
        svc,
        c,
        Call::post("/v1/names", &[])
            .by(&police)
            .json(json!({"kind": "thoroughfare", "name": "清水路", "county_code": "422801", "geometry": street})),
        403
    );
    send!(
        svc,
        c,
        Call::post("/v1/names", &[])
            .by(&civil)
            .json(json!({"kind": "thoroughfare", "name": "清水路", "county_code": "999999", "geometry": street})),
        404
    );
    send!(svc, c, Call::get("/v1/names", &[]).by(&reader).query("county_code=422801&limit=1"), 200);
    send!(svc, c, Call::get("/v1/names", &[]).by(&reader).query("status=bogus"), 400);
    send!(svc, c, Call::get("/v1/names/{id}", &[&qj]).by(&reader), 200);
    send!(svc, c, Call::get("/v1/names/{id}", &["thr_nothing"]).by(&reader), 404);
    send!(svc, c, Call::post("/v1/names/{id}/announce", &[&qj]).by(&civil).json(json!({})), 409);
    send!(
        svc,
        c,
        Call::post("/v1/names/{id}/approve", &[&qj]).by(&civil).json(json!({"document": "恩施市政〔2026〕7号"})),
        403
    );
    send!(
        svc,
        c,
        Call::post("/v1/names/{id}/approve", &[&qj]).by(&approver).json(json!({"document": "恩施市政〔2026〕7号"})),
        200
    );
    send!(
        svc,
        c,
        Call::post("/v1/names/{id}/approve", &[&qj]).by(&approver).json(json!({"document": "恩施市政〔2026〕7号"})),
        409
    );
    send!(svc, c, Call::post("/v1/names/{id}/approve", &[&qj]).by(&approver).json(json!({})), 400);
    send!(
        svc,
        c,
        Call::post("/v1/names/{id}/approve", &["thr_nothing"]).by(&approver).json(json!({"document": "x"})),
        404
    );
    send!(svc, c, Call::get("/v1/names", &[]).by(&reader).query("announced=false"), 200);
    send!(
        svc,
        c,
        Call::post("/v1/names/{id}/announce", &[&qj]).by(&civil).json(json!({"document": "公告〔2026〕1号"})),
        200
    );
    send!(svc, c, Call::post("/v1/names/{id}/announce", &[&qj]).by(&civil).json(json!({"date": "2000-01-01"})), 400);
    send!(
        svc,
        c,
        Call::post("/v1/names/{id}/rename", &[&qj])
            .by(&civil)
            .json(json!({"name": "清江北路", "document": "恩施市政〔2026〕9号", "reason": "区分南北"})),
        200
    );
    send!(
        svc,
        c,
        Call::post("/v1/names/{id}/rename", &[&qj]).by(&civil).json(json!({"name": "航空大道", "document": "x"})),
        422
    );
    send!(
        svc,
        c,
        Call::post("/v1/names/{id}/correct", &[&qj])
            .by(&civil)
            .json(json!({"reason": "拼写更正", "pinyin": "Qingjiang Beilu"})),
        200
    );
    send!(
        svc,
        c,
        Call::post("/v1/names/{id}/correct", &[&qj]).by(&civil).json(json!({"reason": "错字", "name": "航空大道"})),
        422
    );
    let blocked = send!(
        svc,
        c,
        Call::post("/v1/names/{id}/retire", &[&hk]).by(&civil).json(json!({"document": "x", "reason": "道路拆除"})),
        409
    );
    assert!(blocked["conflicts"].as_array().is_some_and(|a| !a.is_empty()), "{blocked}");
    send!(
        svc,
        c,
        Call::post("/v1/names/{id}/retire", &[&qj])
            .by(&civil)
            .json(json!({"document": "恩施市政〔2026〕11号", "reason": "误批"})),
        200
    );
    send!(
        svc,
        c,
        Call::post("/v1/names/{id}/retire", &[&qj]).by(&civil).json(json!({"document": "x", "reason": "再废止"})),
        409
    );
    send!(
        svc,
        c,
        Call::post("/v1/names/{id}/correct", &[&qj]).by(&civil).json(json!({"reason": "错字", "name": "清江东路"})),
        409
    );
    send!(svc, c, Call::post("/v1/names/{id}/reinstate", &[&qj]).by(&civil).json(json!({"reason": "误废止"})), 200);
    send!(svc, c, Call::post("/v1/names/{id}/reinstate", &[&qj]).by(&civil).json(json!({"reason": "再撤销"})), 409);
    send!(
        svc,
        c,
        Call::post("/v1/names/{id}/reinstate", &["loc_nothing"]).by(&civil).json(json!({"reason": "x"})),
        404
    );
    // A second street takes the name while the first one is retired: reinstating clashes.
    let p2 = send!(
        svc,
        c,
        Call::post("/v1/names", &[])
            .by(&civil)
            .json(json!({"kind": "thoroughfare", "name": "龙洞路", "county_code": "422801", "geometry": street})),
        201
    );
    let ld = p2["id"].as_str().unwrap().to_string();
    send!(
        svc,
        c,
        Call::post("/v1/names/{id}/approve", &[&ld])
            .by(&approver)
            .json(json!({"document": "d1", "announced_on": "2099-01-01"})),
        200
    );
    send!(
        svc,
        c,
        Call::post("/v1/names/{id}/retire", &[&ld]).by(&civil).json(json!({"document": "d2", "reason": "r"})),
        200
    );
    let p3 = send!(
        svc,
        c,
        Call::post("/v1/names", &[])
            .by(&civil)
            .json(json!({"kind": "thoroughfare", "name": "龙洞路", "county_code": "422801", "geometry": street})),
        201
    );
    let ld2 = p3["id"].as_str().unwrap().to_string();
    send!(svc, c, Call::post("/v1/names/{id}/approve", &[&ld2]).by(&approver).json(json!({"document": "d3"})), 200);
    send!(svc, c, Call::post("/v1/names/{id}/reinstate", &[&ld]).by(&civil).json(json!({"reason": "r"})), 422);
    send!(svc, c, Call::get("/v1/names/words", &[]).by(&reader), 200);
    // Two clashing proposals never both become active: the second approval is refused.
    let twin = json!({"kind": "thoroughfare", "name": "金桂路", "county_code": "422801", "geometry": street});
    let a = send!(svc, c, Call::post("/v1/names", &[]).by(&civil).json(twin.clone()), 201);
    let b = send!(svc, c, Call::post("/v1/names", &[]).by(&civil).json(twin), 201);
    assert!(b["warnings"].as_array().is_some_and(|w| !w.is_empty()), "{b}");
    let (a, b) = (a["id"].as_str().unwrap().to_string(), b["id"].as_str().unwrap().to_string());
    send!(svc, c, Call::post("/v1/names/{id}/approve", &[&a]).by(&approver).json(json!({"document": "d4"})), 200);
    send!(svc, c, Call::post("/v1/names/{id}/approve", &[&b]).by(&approver).json(json!({"document": "d5"})), 422);
    // A proposal is returned, with its reason, by another clerk than its proposer.
    let sent_back = json!({"kind": "thoroughfare", "name": "银杉路", "county_code": "422801", "geometry": street});
    let back = send!(svc, c, Call::post("/v1/names", &[]).by(&civil).json(sent_back), 201);
    let back = back["id"].as_str().unwrap().to_string();
    send!(svc, c, Call::post("/v1/names/{id}/return", &[&back]).by(&civil).json(json!({"reason": "重名"})), 403);
    send!(svc, c, Call::post("/v1/names/{id}/return", &[&back]).by(&approver).json(json!({})), 400);
    send!(svc, c, Call::post("/v1/names/{id}/return", &[&back]).by(&approver).json(json!({"reason": "重名"})), 200);
    send!(svc, c, Call::post("/v1/names/{id}/return", &[&back]).by(&approver).json(json!({"reason": "重名"})), 409);
    send!(
        svc,
        c,
        Call::post("/v1/names/{id}/rename", &[&b]).by(&civil).json(json!({"name": "银桂路", "document": "d6"})),
        409
    );
    send!(
        svc,
        c,
        Call::post("/v1/names/{id}/rename", &["thr_nothing"])
            .by(&civil)
            .json(json!({"name": "银桂路", "document": "d6"})),
        404
    );
    send!(svc, c, Call::post("/v1/names/{id}/correct", &[&b]).by(&civil).json(json!({"reason": "无内容"})), 400);
    send!(
        svc,
        c,
        Call::post("/v1/names/{id}/correct", &[&b]).by(&civil).json(json!({"reason": "错字", "name": "银桂路"})),
        200
    );
    send!(
        svc,
        c,
        Call::post("/v1/names/words", &[])
            .by(&admin_t)
            .json(json!({"rule": "reserved_word", "word": "宇宙中心", "note": "夸大"})),
        201
    );
    send!(
        svc,
        c,
        Call::post("/v1/names/words", &[]).by(&admin_t).json(json!({"rule": "reserved_word", "word": "宇宙中心"})),
        409
    );
    send!(
        svc,
        c,
        Call::post("/v1/names/words", &[]).by(&admin_t).json(json!({"rule": "duplicate", "word": "宇宙"})),
        400
    );
    let removal = json!({"rule": "reserved_word", "word": "宇宙中心", "reason": "误加"});
    send!(svc, c, Call::post("/v1/names/words/remove", &[]).by(&admin_t).json(removal.clone()), 200);
    send!(svc, c, Call::post("/v1/names/words/remove", &[]).by(&admin_t).json(removal), 404);
    send!(
        svc,
        c,
        Call::post("/v1/names/words/remove", &[])
            .by(&admin_t)
            .json(json!({"rule": "reserved_word", "word": "中国", "reason": "试"})),
        409
    );
    let change = send!(
        svc,
        c,
        Call::post("/v1/names/division-changes", &[])
            .by(&civil)
            .json(json!({"code": "422801001", "aliases": ["舞阳坝"], "reason": "简称"})),
        201
    );
    let change_id = change["id"].as_str().unwrap().to_string();
    send!(
        svc,
        c,
        Call::post("/v1/names/division-changes", &[]).by(&civil).json(json!({"code": "422801", "name": "恩施县"})),
        400
    );
    send!(
        svc,
        c,
        Call::post("/v1/names/division-changes", &[]).by(&civil).json(json!({"code": "422801009", "name": "某镇"})),
        404
    );
    send!(
        svc,
        c,
        Call::post("/v1/names/division-changes", &[])
            .by(&civil)
            .json(json!({"code": "422801001", "name": "舞阳坝123"})),
        422
    );
    send!(svc, c, Call::get("/v1/names/division-changes", &[]).by(&reader).query("status=proposed"), 200);
    send!(svc, c, Call::get("/v1/names/division-changes", &[]).by(&reader).query("status=bogus"), 400);
    send!(
        svc,
        c,
        Call::post("/v1/names/division-changes/{id}/approve", &[&change_id])
            .by(&civil)
            .json(json!({"document": "鄂政〔2026〕1号"})),
        200
    );
    send!(
        svc,
        c,
        Call::post("/v1/names/division-changes/{id}/approve", &[&change_id])
            .by(&civil)
            .json(json!({"document": "鄂政〔2026〕1号"})),
        409
    );
    send!(
        svc,
        c,
        Call::post("/v1/names/division-changes/{id}/approve", &["dch_nothing"])
            .by(&civil)
            .json(json!({"document": "x"})),
        404
    );
    send!(svc, c, Call::get("/v1/names/division-changes", &[]).by(&reader), 200);

    // ---- plates (police) ----
    let at = |x: f64, north: bool| json!([x, if north { 30.2901 } else { 30.2899 }]);
    send!(
        svc,
        c,
        Call::post("/v1/plates/suggest", &[])
            .by(&police)
            .json(json!({"thoroughfare_id": hk, "location": at(109.475, true)})),
        200
    );
    send!(
        svc,
        c,
        Call::post("/v1/plates/suggest", &[])
            .by(&police)
            .json(json!({"thoroughfare_id": hk, "location": [109.475, 30.5]})),
        422
    );
    send!(
        svc,
        c,
        Call::post("/v1/plates/suggest", &[])
            .by(&police)
            .json(json!({"thoroughfare_id": "thr_nothing", "location": at(109.475, true)})),
        404
    );
    send!(
        svc,
        c,
        Call::post("/v1/plates/suggest", &[])
            .by(&police)
            .json(json!({"thoroughfare_id": ld, "location": at(109.475, true)})),
        409
    );
    send!(svc, c, Call::post("/v1/plates/suggest", &[]).by(&police).json(json!({"thoroughfare_id": hk})), 400);
    let v = send!(
        svc,
        c,
        Call::post("/v1/plates/validate", &[])
            .by(&police)
            .json(json!({"thoroughfare_id": hk, "number": 4, "location": at(109.475, true)})),
        200
    );
    assert_eq!(v["ok"], false, "an even number on the left: {v}");
    send!(
        svc,
        c,
        Call::post("/v1/plates/validate", &[])
            .by(&police)
            .json(json!({"locality_id": g3, "number": 1, "location": [109.5, 30.2]})),
        200
    );
    send!(
        svc,
        c,
        Call::post("/v1/plates/validate", &[])
            .by(&police)
            .json(json!({"thoroughfare_id": "thr_nothing", "number": 4, "location": at(109.475, true)})),
        404
    );
    send!(
        svc,
        c,
        Call::post("/v1/plates/validate", &[])
            .by(&police)
            .json(json!({"thoroughfare_id": ld, "number": 4, "location": at(109.475, true)})),
        409
    );
    let issue = json!({"thoroughfare_id": hk, "location": at(109.475, true), "township_code": "422801001"});
    let first = send!(
        svc,
        c,
        Call::post("/v1/plates", &[]).by(&police).header("Idempotency-Key", "k-1").json(issue.clone()),
        201
    );
    let again =
        send!(svc, c, Call::post("/v1/plates", &[]).by(&police).header("Idempotency-Key", "k-1").json(issue), 201);
    assert_eq!(first, again, "a retry answers as the first time");
    let plate5 = first["id"].as_str().unwrap().to_string();
    send!(
        svc,
        c,
        Call::post("/v1/plates", &[])
            .by(&police)
            .header("Idempotency-Key", "k-1")
            .json(json!({"thoroughfare_id": hk, "location": at(109.476, true), "township_code": "422801001"})),
        409
    );
    send!(
        svc,
        c,
        Call::post("/v1/plates", &[]).by(&police).json(
            json!({"thoroughfare_id": hk, "number": 1, "location": at(109.477, true), "township_code": "422801001"})
        ),
        409
    );
    send!(
        svc,
        c,
        Call::post("/v1/plates", &[])
            .by(&police)
            .json(json!({"thoroughfare_id": hk, "location": [109.475, 30.5], "township_code": "422801001"})),
        422
    );
    send!(
        svc,
        c,
        Call::post("/v1/plates", &[]).by(&police).json(json!({"thoroughfare_id": hk, "location": at(109.477, true)})),
        400
    );
    send!(
        svc,
        c,
        Call::post("/v1/plates", &[]).by(&police).json(
            json!({"thoroughfare_id": "thr_nothing", "location": at(109.477, true), "township_code": "422801001"})
        ),
        404
    );
    send!(
        svc,
        c,
        Call::post("/v1/plates", &[]).by(&police).json(json!({"locality_id": g3, "location": [109.5001, 30.2]})),
        201
    );
    send!(
        svc,
        c,
        Call::post("/v1/plates", &[]).by(&housing).json(json!({"locality_id": g3, "location": [109.5001, 30.2]})),
        403
    );
    let plan = json!({"thoroughfare_id": hk, "township_code": "422801001", "entrances": [at(109.478, true), at(109.4785, false)], "dry_run": true});
    send!(svc, c, Call::post("/v1/plates/plan", &[]).by(&police).json(plan.clone()), 200);
    let mut reserve = plan;
    reserve["dry_run"] = json!(false);
    let planned = send!(svc, c, Call::post("/v1/plates/plan", &[]).by(&police).json(reserve), 201);
    let plan_id = planned["plan_id"].as_str().unwrap().to_string();
    send!(
        svc,
        c,
        Call::post("/v1/plates/plan", &[]).by(&police).json(json!({"thoroughfare_id": hk, "entrances": []})),
        400
    );
    send!(
        svc,
        c,
        Call::post("/v1/plates/plan", &[])
            .by(&police)
            .json(json!({"thoroughfare_id": hk, "township_code": "422801001", "entrances": [[109.478, 30.5]]})),
        422
    );
    send!(
        svc,
        c,
        Call::post("/v1/plates/plan", &[])
            .by(&police)
            .json(json!({"thoroughfare_id": "thr_nothing", "entrances": [at(109.478, true)]})),
        404
    );
    send!(
        svc,
        c,
        Call::post("/v1/plates/plan", &[])
            .by(&police)
            .json(json!({"thoroughfare_id": ld, "entrances": [at(109.478, true)]})),
        409
    );
    send!(svc, c, Call::post("/v1/plates/plan/{id}/issue", &[&plan_id]).by(&police), 200);
    send!(svc, c, Call::post("/v1/plates/plan/{id}/issue", &[&plan_id]).by(&police), 409);
    send!(svc, c, Call::post("/v1/plates/plan/{id}/issue", &["plan_nothing"]).by(&police), 404);
    send!(svc, c, Call::get("/v1/plates/orders", &[]).by(&police).query("from=2000-01-01&to=2100-01-01"), 200);
    send!(
        svc,
        c,
        Call::get("/v1/plates/orders", &[]).by(&police).query("from=2000-01-01&to=2100-01-01&county_code=422801"),
        200
    );
    send!(svc, c, Call::get("/v1/plates/orders", &[]).by(&police).query("from=yesterday&to=2100-01-01"), 400);
    send!(svc, c, Call::get("/v1/plates/report", &[]).by(&reader).query("county_code=422801"), 200);
    send!(svc, c, Call::get("/v1/plates/report", &[]).by(&reader).query("county_code=422801&format=csv"), 200);
    send!(svc, c, Call::get("/v1/plates/report", &[]).by(&reader).query("county_code=422801&format=pdf"), 400);
    send!(svc, c, Call::get("/v1/plates/report", &[]).by(&reader).query("county_code=999999"), 404);
    send!(
        svc,
        c,
        Call::post("/v1/plates/{id}/move", &[&plate5])
            .by(&police)
            .json(json!({"location": at(109.4751, true), "reason": "测绘更正"})),
        200
    );
    send!(
        svc,
        c,
        Call::post("/v1/plates/{id}/move", &[&plate5])
            .by(&police)
            .json(json!({"location": [109.4751, 30.5], "reason": "测绘更正"})),
        422
    );
    send!(
        svc,
        c,
        Call::post("/v1/plates/{id}/move", &["plt_nothing"])
            .by(&police)
            .json(json!({"location": at(109.4751, true), "reason": "x"})),
        404
    );
    send!(
        svc,
        c,
        Call::post("/v1/plates/{id}/move", &[&plate5]).by(&police).json(json!({"location": at(109.4751, true)})),
        400
    );

    // ---- buildings, units, rooms (police or housing) ----
    let b =
        send!(svc, c, Call::post("/v1/plates/{id}/buildings", &[&plate5]).by(&police).json(json!({"number": 1})), 201);
    let b = b["id"].as_str().unwrap().to_string();
    send!(svc, c, Call::post("/v1/plates/{id}/buildings", &[&plate5]).by(&housing).json(json!({"number": "1"})), 409);
    send!(
        svc,
        c,
        Call::post("/v1/plates/{id}/buildings", &["plt_nothing"]).by(&housing).json(json!({"number": 2})),
        404
    );
    send!(svc, c, Call::post("/v1/plates/{id}/buildings", &[&plate5]).by(&housing).json(json!({"number": -1})), 400);
    let u = send!(svc, c, Call::post("/v1/buildings/{id}/units", &[&b]).by(&housing).json(json!({"number": 2})), 201);
    let u = u["id"].as_str().unwrap().to_string();
    send!(svc, c, Call::post("/v1/buildings/{id}/units", &[&b]).by(&housing).json(json!({"number": 2})), 409);
    send!(
        svc,
        c,
        Call::post("/v1/buildings/{id}/units", &["bld_nothing"]).by(&housing).json(json!({"number": 2})),
        404
    );
    send!(svc, c, Call::post("/v1/units/{id}/rooms", &[&u]).by(&housing).json(json!({"number": "501"})), 201);
    send!(svc, c, Call::post("/v1/units/{id}/rooms", &[&u]).by(&housing).json(json!({"number": "501"})), 409);
    send!(
        svc,
        c,
        Call::post("/v1/units/{id}/rooms", &["unt_nothing"]).by(&housing).json(json!({"number": "502"})),
        404
    );
    send!(svc, c, Call::post("/v1/units/{id}/rooms", &[&u]).by(&reader).json(json!({"number": "502"})), 403);
    let r = send!(svc, c, Call::post("/v1/units/{id}/rooms", &[&u]).by(&housing).json(json!({"number": "502"})), 201);
    let r = r["id"].as_str().unwrap().to_string();
    let fix = |n: Value| json!({"number": n, "reason": "登记时录错"});
    send!(svc, c, Call::post("/v1/rooms/{id}/correct", &[&r]).by(&housing).json(fix(json!("503室"))), 200);
    send!(svc, c, Call::post("/v1/rooms/{id}/correct", &[&r]).by(&housing).json(fix(json!("5-01"))), 409);
    send!(svc, c, Call::post("/v1/rooms/{id}/correct", &[&r]).by(&reader).json(fix(json!("504"))), 403);
    send!(svc, c, Call::post("/v1/units/{id}/correct", &[&u]).by(&police).json(fix(json!(3))), 200);
    send!(svc, c, Call::post("/v1/buildings/{id}/correct", &[&b]).by(&police).json(fix(json!("7栋"))), 200);
    send!(svc, c, Call::post("/v1/buildings/{id}/correct", &[&b]).by(&police).json(json!({"number": 8})), 400);
    send!(svc, c, Call::post("/v1/rooms/{id}/retire", &[&r]).by(&housing).json(json!({"reason": "并户"})), 200);
    send!(svc, c, Call::post("/v1/rooms/{id}/retire", &[&r]).by(&housing).json(json!({"reason": "并户"})), 409);
    send!(svc, c, Call::post("/v1/units/{id}/retire", &[&u]).by(&housing).json(json!({"reason": "拆除"})), 200);
    send!(svc, c, Call::post("/v1/buildings/{id}/retire", &["bld_nothing"]).by(&housing).json(json!({"reason": "x"})), 404);
    send!(svc, c, Call::post("/v1/buildings/{id}/retire", &[&b]).by(&housing).json(json!({"reason": "拆除"})), 200);
    send!(svc, c, Call::get("/v1/addresses/{id}/children", &[&u]).by(&reader), 200);

    // ---- retirement, then the record of it all ----
    send!(
        svc,
        c,
        Call::post("/v1/plates/{id}/retire", &[&plate5])
            .by(&police)
            .json(json!({"reason": "拆除", "replaced_by": plate1})),
        200
    );
    send!(svc, c, Call::post("/v1/plates/{id}/retire", &[&plate5]).by(&police).json(json!({"reason": "拆除"})), 409);
    send!(
        svc,
        c,
        Call::post("/v1/plates/{id}/retire", &["plt_nothing"]).by(&police).json(json!({"reason": "拆除"})),
        404
    );
    send!(svc, c, Call::post("/v1/plates/{id}/retire", &[&plate1]).by(&police).json(json!({"reason": ""})), 400);
    send!(svc, c, Call::post("/v1/validate", &[]).by(&reader).json(json!({"address": "恩施市航空大道5号"})), 200);
    send!(svc, c, Call::get("/v1/addresses/{id}", &[&plate5]).by(&reader), 200);
    let feed = send!(svc, c, Call::get("/v1/events", &[]).by(&reader).query("after=0&limit=1000"), 200);
    assert!(feed["events"].as_array().is_some_and(|e| e.len() > 10));
    send!(svc, c, Call::get("/v1/events", &[]).by(&reader).query(&format!("subject_id={plate5}")), 200);
    send!(svc, c, Call::get("/v1/events", &[]).by(&reader).query("county_code=422801&after=1&limit=5"), 200);
    send!(svc, c, Call::get("/v1/events", &[]).by(&reader).query("county_code=999999"), 404);
    send!(svc, c, Call::get("/v1/events", &[]).by(&reader).query("wait=100"), 400);
    send!(svc, c, Call::get("/v1/audit", &[]).by(&admin_t).query("after=0&limit=1000"), 200);
    send!(svc, c, Call::get("/v1/audit", &[]).by(&admin_t).query("after=-1"), 400);
    send!(svc, c, Call::get("/v1/export.geojson", &[]).by(&admin_t), 200);

    // Every route was exercised, so every route's answers were checked.
    let mut missing: Vec<String> = routes()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .chain(["/healthz", "/metrics", "/openapi.json"].map(|p| ("GET".to_string(), p.to_string())))
        .filter(|k| !c.touched.contains(k))
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    missing.sort();
    assert!(missing.is_empty(), "routes the session never touched: {missing:?}");
    assert!(c.checked > 200, "{} answers and requests checked", c.checked);
}

#[test]
fn a_rate_limited_answer_over_real_http_matches_the_document() {
    let db = TestDb::new();
    let app = db.app();
    let reader = token(&app, Role::Reader);
    let server = serve(&db, &[("MENPAI_RATE_PER_SEC", "0.5"), ("MENPAI_RATE_BURST", "2")]);
    let mut c = Contract::new(document());
    let mut statuses = vec![];
    for _ in 0..4 {
        let (status, content_type, body) = raw_get(server.1, "/v1/divisions/422801", &reader);
        c.check("GET", "/v1/divisions/{code}", status, &content_type, body.as_bytes());
        statuses.push(status);
    }
    assert_eq!(statuses, [200, 200, 429, 429]);
    let (status, content_type, body) = raw_get(server.1, "/healthz", "");
    c.check("GET", "/healthz", status, &content_type, body.as_bytes());
}

/// A GET over a real connection: (status, content type, body).
fn raw_get(port: u16, path: &str, token: &str) -> (u16, String, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let (head, body) = out.split_once("\r\n\r\n").unwrap();
    let status = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap();
    let content_type = head
        .lines()
        .find_map(|l| {
            l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("content-type")).map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_default();
    (status, content_type, body.to_string())
}
