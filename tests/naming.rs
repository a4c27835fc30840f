//! Naming for civil affairs through the HTTP API, on the store the run is for: every rule
//! with its code and conflicting record, proposal → approval → announcement, concurrent
//! approvals of homophones, renames re-texting every address under a street, retirement
//! refused while plates stand, corrections, and who may do what.

mod common;

use actix_web::http::StatusCode;
use actix_web::test::{call_service, init_service, read_body, TestRequest};
use common::*;
use menpai::api::Metrics;
use menpai::app::naming::Approval;
use menpai::app::{App, AppError, Role};
use serde_json::{json, Value};

macro_rules! service {
    ($app:expr) => {
        init_service(menpai::http_app!($app, Metrics::default())).await
    };
}

/// Calls the service: `(status, content type, JSON body)`.
macro_rules! call {
    ($svc:expr, get, $uri:expr, $token:expr) => {{
        let req = TestRequest::get().uri(&$uri).insert_header(("Authorization", format!("Bearer {}", $token)));
        answer(call_service(&$svc, req.to_request()).await).await
    }};
    ($svc:expr, post, $uri:expr, $token:expr, $body:expr) => {{
        let req = TestRequest::post()
            .uri(&$uri)
            .insert_header(("Authorization", format!("Bearer {}", $token)))
            .set_json($body);
        answer(call_service(&$svc, req.to_request()).await).await
    }};
}

async fn answer<B: actix_web::body::MessageBody>(
    resp: actix_web::dev::ServiceResponse<B>,
) -> (StatusCode, String, Value) {
    let status = resp.status();
    let ct = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let body = read_body(resp).await;
    (status, ct, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

fn token(app: &App, role: Role) -> String {
    app.create_token(&admin(), role, None, None).unwrap().1
}

/// 航空大道 (with former name 机场路) and 三组 of 高拱桥村, plates 1 and 2 on 航空大道 each
/// with building 3, unit 2, rooms 501 and 502; 利川市 as a second county and 六角亭街道 as a
/// second township.
fn loaded(db: &TestDb) -> (App, String, String) {
    let app = db.app();
    let lichuan = r#"{"type":"Feature","geometry":null,"properties":{"kind":"division","code":"422802","name":"利川市","level":"county","parent_code":"422800","aliases":["利川"]}}"#;
    let liujiaoting = r#"{"type":"Feature","geometry":null,"properties":{"kind":"division","code":"422801002","name":"六角亭街道","level":"township","parent_code":"422801","aliases":[]}}"#;
    let file = small_file(&[
        hk_plate(1, None, 109.471, true),
        hk_plate(2, None, 109.472, false),
        lichuan.to_string(),
        liujiaoting.to_string(),
    ]);
    let outcome = app.import(&admin(), &file, false).unwrap();
    assert!(outcome.ok);
    let reg = app.register();
    let hk = reg.thoroughfares.values().find(|t| t.name == "航空大道").unwrap().id.clone();
    let group = reg.localities.values().find(|l| l.name == "三组").unwrap().id.clone();
    (app, hk, group)
}

fn street_near_hk() -> Value {
    json!({"type": "LineString", "coordinates": [[109.47, 30.295], [109.48, 30.295]]})
}

fn proposal(name: &str) -> Value {
    json!({
        "kind": "thoroughfare",
        "name": name,
        "county_code": "422801",
        "geometry": street_near_hk(),
        "reason": "因青滩古渡得名",
        "applicant": "舞阳坝街道办事处",
        "documents": [
            {"kind": "evaluation", "reference": "恩施市地名评估〔2026〕1号"},
            {"kind": "expert_review", "reference": "专家论证意见 2026-01"},
            "征求意见报告 2026-02"
        ]
    })
}

fn check_body(name: &str) -> Value {
    json!({"kind": "thoroughfare", "name": name, "county_code": "422801"})
}

fn rules_of(body: &Value) -> Vec<String> {
    body["violations"]
        .as_array()
        .map(|v| v.iter().map(|x| x["rule"].as_str().unwrap_or("").to_string()).collect())
        .unwrap_or_default()
}

fn last_seq(app: &App) -> i64 {
    app.events(&admin(), 0, 1).unwrap().last_seq
}

#[actix_web::test]
async fn every_rule_fires_with_its_code_and_conflicting_record() {
    let db = TestDb::new();
    let (app, hk, group) = loaded(&db);
    let reader = token(&app, Role::Reader);
    let admin_token = token(&app, Role::Admin);
    let svc = service!(app);

    let cases: &[(&str, &str, Option<&str>)] = &[
        ("航空大道", "duplicate", Some(&hk)),
        ("杭空大道", "homophone", Some(&hk)),
        ("青滩", "no_generic", None),
        ("路", "no_specific", None),
        ("3号路", "digit_or_latin", None),
        ("ＡＢ路", "digit_or_latin", None),
        ("一二三四五六七八九十一二路", "too_long", None),
        ("解放路街", "repeated_generic", None),
        ("中华路", "reserved_word", None),
        ("国际大道", "reserved_word", None),
        ("中山先生路", "personal_name", None),
        ("曼哈顿大街", "foreign_name", None),
        // The bundled lists of foreign places and of persons (data/naming-words.tsv).
        ("华盛顿路", "foreign_name", None),
        ("东京路", "foreign_name", None),
        ("毛泽东路", "personal_name", None),
        ("拿破仑大道", "personal_name", None),
        // A space or a Latin word is the rules' to report, not a refused request.
        ("Manhattan Road", "digit_or_latin", None),
        ("金 桂路", "digit_or_latin", None),
        ("金桂路！", "digit_or_latin", None),
    ];
    for (name, rule, conflict) in cases {
        let (status, _, body) = call!(svc, post, "/v1/names/check", reader, check_body(name));
        assert_eq!(status, StatusCode::OK, "{name}: {body}");
        assert_eq!(body["ok"], false, "{name}");
        let v = body["violations"].as_array().unwrap().iter().find(|v| v["rule"] == *rule);
        let v = v.unwrap_or_else(|| panic!("{name} should break {rule}: {body}"));
        assert_eq!(v["conflict_id"].as_str(), *conflict, "{name}");
        assert!(
            v["message"].as_str().is_some_and(|m| m.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))),
            "Chinese message"
        );
    }

    // A good name passes, with its parts and sign romanisation.
    let (_, _, body) = call!(svc, post, "/v1/names/check", reader, check_body("青滩路"));
    assert_eq!(body["ok"], true, "{body}");
    assert_eq!(body["violations"], json!([]));
    assert_eq!(
        (body["specific"].as_str(), body["generic"].as_str(), body["pinyin"].as_str()),
        (Some("青滩"), Some("路"), Some("Qingtan Lu"))
    );

    // Polyphonic characters are listed for the clerk to confirm.
    let (_, _, body) = call!(svc, post, "/v1/names/check", reader, check_body("长乐路"));
    let chars: Vec<&str> = body["readings"].as_array().unwrap().iter().map(|r| r["char"].as_str().unwrap()).collect();
    assert!(chars.contains(&"长"), "{body}");

    // A former name past its grace period is a warning, not an error.
    let (_, _, body) = call!(svc, post, "/v1/names/check", reader, check_body("机场路"));
    assert_eq!(body["ok"], true, "{body}");
    assert_eq!(body["warnings"][0]["rule"], "former_name");
    assert_eq!(body["warnings"][0]["conflict_id"], json!(hk));

    // Localities clash within their village.
    let (_, _, body) = call!(
        svc,
        post,
        "/v1/names/check",
        reader,
        json!({"kind": "locality", "name": "三组", "village_code": "422801001201"})
    );
    assert_eq!(rules_of(&body), ["duplicate"]);
    assert_eq!(body["violations"][0]["conflict_id"], json!(group));

    // The same street name in another county of the prefecture is a warning.
    let (_, _, body) = call!(
        svc,
        post,
        "/v1/names/check",
        reader,
        json!({"kind": "thoroughfare", "name": "航空大道", "county_code": "422802"})
    );
    assert_eq!(body["ok"], true, "{body}");
    assert_eq!(body["warnings"][0]["rule"], "neighbouring_county");

    // An administrator extends the list of persons' names.
    let (status, _, _) = call!(
        svc,
        post,
        "/v1/names/words",
        admin_token,
        json!({"rule": "personal_name", "word": "张三丰", "note": "在世人物"})
    );
    assert_eq!(status, StatusCode::CREATED);
    let (status, _, _) =
        call!(svc, post, "/v1/names/words", admin_token, json!({"rule": "personal_name", "word": "张三丰"}));
    assert_eq!(status, StatusCode::CONFLICT);
    let (_, _, body) = call!(svc, post, "/v1/names/check", reader, check_body("张三丰路"));
    assert_eq!(rules_of(&body), ["personal_name"]);
    let (status, _, body) = call!(svc, get, "/v1/names/words", reader);
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["added"][0]["word"], "张三丰");

    // ... and takes a word off again, with a reason; the built-in lists stand.
    let removal = |word: &str| json!({"rule": "personal_name", "word": word, "reason": "已核实非人名"});
    let (status, _, _) = call!(svc, post, "/v1/names/words/remove", reader, removal("张三丰"));
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, problem) = call!(
        svc,
        post,
        "/v1/names/words/remove",
        admin_token,
        json!({"rule": "personal_name", "word": "张三丰", "reason": " "})
    );
    assert_eq!(status, StatusCode::BAD_REQUEST, "a reason is required: {problem}");
    let (status, _, body) = call!(svc, post, "/v1/names/words/remove", admin_token, removal("张三丰"));
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["word"], "张三丰");
    let (_, _, body) = call!(svc, post, "/v1/names/check", reader, check_body("张三丰路"));
    assert_eq!(body["ok"], true, "{body}");
    let (status, _, _) = call!(svc, post, "/v1/names/words/remove", admin_token, removal("张三丰"));
    assert_eq!(status, StatusCode::NOT_FOUND);
    let builtin = json!({"rule": "reserved_word", "word": "中国", "reason": "试图删除"});
    let (status, _, problem) = call!(svc, post, "/v1/names/words/remove", admin_token, builtin);
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    let audit = app.audit(&admin(), 0, 1000).unwrap();
    assert!(audit.iter().any(|a| a.action == "naming.word.remove" && a.reason.as_deref() == Some("已核实非人名")));

    // Bad input: 400 or 404, as problem+json.
    for (body, want) in [
        (json!({"kind": "thoroughfare", "name": "青滩路", "village_code": "422801001201"}), StatusCode::BAD_REQUEST),
        (json!({"kind": "thoroughfare", "name": "青滩路", "county_code": "422801001201"}), StatusCode::BAD_REQUEST),
        (json!({"kind": "thoroughfare", "name": "", "county_code": "422801"}), StatusCode::BAD_REQUEST),
        (json!({"kind": "street", "name": "青滩路", "county_code": "422801"}), StatusCode::BAD_REQUEST),
        (json!({"kind": "thoroughfare", "name": "青滩路"}), StatusCode::BAD_REQUEST),
        (json!({"kind": "thoroughfare", "name": "青滩路", "county_code": "429999"}), StatusCode::NOT_FOUND),
    ] {
        let (status, ct, problem) = call!(svc, post, "/v1/names/check", reader, body);
        assert_eq!(status, want, "{problem}");
        assert_eq!(ct, "application/problem+json");
        assert!(problem["detail"].as_str().is_some_and(|d| !d.is_empty()));
    }
}

#[actix_web::test]
async fn a_proposal_is_approved_announced_and_listed() {
    let db = TestDb::new();
    let (app, hk, _) = loaded(&db);
    let clerk = token(&app, Role::CivilAffairs);
    // Four eyes: a name is approved by another clerk than the one who proposed it.
    let approver = token(&app, Role::CivilAffairs);
    let admin_token = token(&app, Role::Admin);
    let svc = service!(app);

    let (status, _, body) = call!(svc, post, "/v1/names", clerk, proposal("青滩路"));
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("thr_"));
    assert_eq!(body["status"], "proposed");
    assert_eq!(body["pinyin"], "Qingtan Lu");
    assert_eq!(body["documents"][1]["kind"], "expert_review");
    assert_eq!(body["documents"][2]["kind"], "other");
    let (status, _, address) = call!(svc, get, format!("/v1/addresses/{id}"), clerk);
    assert_eq!(status, StatusCode::OK);
    assert_eq!(address["status"], "proposed");

    // Refused proposals change nothing.
    let seq = last_seq(&app);
    let (status, ct, problem) = call!(svc, post, "/v1/names", clerk, proposal("航空大道"));
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(ct, "application/problem+json");
    assert_eq!(problem["violations"][0]["rule"], "duplicate");
    assert_eq!(problem["violations"][0]["conflict_id"], json!(hk));
    let mut far = proposal("北京路");
    far["geometry"] = json!({"type": "LineString", "coordinates": [[116.39, 39.90], [116.40, 39.90]]});
    let (status, _, problem) = call!(svc, post, "/v1/names", clerk, far);
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(rules_of(&problem), ["outside_county"]);
    let mut point = proposal("白杨路");
    point["geometry"] = json!({"type": "Point", "coordinates": [109.47, 30.29]});
    let (status, _, _) = call!(svc, post, "/v1/names", clerk, point);
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let mut swapped = proposal("白杨路");
    swapped["geometry"] = json!({"type": "LineString", "coordinates": [[30.29, 109.47], [30.29, 109.48]]});
    let (status, _, _) = call!(svc, post, "/v1/names", clerk, swapped);
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(last_seq(&app), seq, "a refused request changes nothing");

    // A second proposal that sounds the same is filed, with a warning.
    let (status, _, second) = call!(svc, post, "/v1/names", clerk, proposal("清滩路"));
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(second["warnings"][0]["rule"], "pending");
    assert_eq!(second["warnings"][0]["conflict_id"], json!(id));

    let (status, ct, body) =
        call!(svc, post, format!("/v1/names/{id}/approve"), clerk, json!({"document": "恩施市政〔2026〕1号"}));
    assert_eq!(status, StatusCode::FORBIDDEN, "the proposer does not approve: {body}");
    assert_eq!(ct, "application/problem+json");
    assert!(body["detail"].as_str().is_some_and(|d| d.contains("另一名经办人")), "{body}");
    let (status, _, body) =
        call!(svc, post, format!("/v1/names/{id}/approve"), approver, json!({"document": "恩施市政〔2026〕1号"}));
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "active");
    assert_eq!(body["approval_document"], "恩施市政〔2026〕1号");
    assert!(body["announce_by"].is_string());
    // Approving the homophone now breaks the rule; approving twice is a conflict.
    let second_id = second["id"].as_str().unwrap();
    let (status, _, problem) =
        call!(svc, post, format!("/v1/names/{second_id}/approve"), approver, json!({"document": "恩施市政〔2026〕2号"}));
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["violations"][0]["rule"], "homophone");
    assert_eq!(problem["violations"][0]["conflict_id"], json!(id));
    let (status, _, _) =
        call!(svc, post, format!("/v1/names/{id}/approve"), approver, json!({"document": "恩施市政〔2026〕1号"}));
    assert_eq!(status, StatusCode::CONFLICT);

    // Approved names still to be announced.
    let (_, _, page) = call!(svc, get, "/v1/names?status=active&announced=false", clerk);
    let ids: Vec<&str> = page["items"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [id.as_str()], "imported names are not awaiting announcement");
    let (status, _, body) =
        call!(svc, post, format!("/v1/names/{id}/announce"), clerk, json!({"document": "恩施市地名公告〔2026〕1号"}));
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["announced_on"].is_string());
    let (_, _, page) = call!(svc, get, "/v1/names?status=active&announced=false", clerk);
    assert_eq!(page["items"], json!([]));

    // Listing by county, text and pinyin, a page at a time.
    let (_, _, page) = call!(svc, get, format!("/v1/names?county_code=422801&q={}", encode("青滩")), clerk);
    assert_eq!(page["items"][0]["id"], json!(id));
    let (_, _, page) = call!(svc, get, "/v1/names?q=qingtan", clerk);
    assert_eq!(page["items"].as_array().unwrap().len(), 2, "青滩路 and the proposal 清滩路 both read qingtan");
    let (_, _, page) = call!(svc, get, "/v1/names?county_code=422801&limit=1", clerk);
    let first = page["items"][0]["id"].as_str().unwrap().to_string();
    let after = page["next_after"].as_str().expect("more pages").to_string();
    let (_, _, page2) = call!(svc, get, format!("/v1/names?county_code=422801&limit=1&after={after}"), clerk);
    assert_ne!(page2["items"][0]["id"].as_str().unwrap(), first);
    let (status, _, _) = call!(svc, get, "/v1/names?status=gone", clerk);
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // The feed and the audit log.
    let page = app.events(&admin(), 0, 100).unwrap();
    let approved = page.events.iter().find(|e| e.kind == "name.approved").expect("approval event");
    assert_eq!(approved.subject_id.as_deref(), Some(id.as_str()));
    assert_eq!(approved.changes[0]["new"], "湖北省恩施土家族苗族自治州恩施市青滩路");
    assert!(page.events.iter().any(|e| e.kind == "name.proposed"));
    let (_, _, audit) = call!(svc, get, "/v1/audit?limit=1000", admin_token);
    let approve = audit["items"].as_array().unwrap().iter().find(|a| a["action"] == "name.approve").expect("audited");
    assert_eq!(approve["document"], "恩施市政〔2026〕1号");
    assert_eq!(approve["role"], "civil_affairs");
}

#[test]
fn concurrent_approvals_of_two_homophones_admit_exactly_one() {
    let db = TestDb::new();
    let (app, _, _) = loaded(&db);
    let clerk = actor(Role::CivilAffairs);
    for (round, (a, b)) in [("长乐路", "常乐路"), ("胜利路", "胜梨路"), ("朝阳路", "潮阳路")].into_iter().enumerate()
    {
        let ids: Vec<String> = [a, b]
            .iter()
            .map(|name| {
                let req = serde_json::from_value(proposal(name)).unwrap();
                app.propose_name(&clerk, &req).unwrap().record.id
            })
            .collect();
        // Two nodes on one store, approving at the same moment.
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
        let handles: Vec<_> = ids
            .iter()
            .cloned()
            .map(|id| {
                let node = db.app();
                let barrier = barrier.clone();
                let clerk = clerk.clone();
                std::thread::spawn(move || {
                    barrier.wait();
                    node.approve_name(
                        &clerk,
                        &id,
                        &Approval { document: format!("恩施市政〔2026〕{round}号"), announced_on: None },
                    )
                })
            })
            .collect();
        let results: Vec<Result<_, AppError>> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let admitted = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(admitted, 1, "{a}/{b}: {results:?}");
        let winner = results.iter().position(|r| r.is_ok()).unwrap();
        match &results[1 - winner] {
            Err(AppError::Unprocessable { violations, .. }) => {
                assert_eq!(violations[0]["rule"], "homophone");
                assert_eq!(violations[0]["conflict_id"], json!(ids[winner]));
            }
            other => panic!("the loser must be refused by the rule: {other:?}"),
        }
        let fresh = db.app();
        let reg = fresh.register();
        let active =
            ids.iter().filter(|id| reg.thoroughfares[*id].status == menpai::domain::NameStatus::Active).count();
        assert_eq!(active, 1);
    }
}

#[actix_web::test]
async fn a_rename_re_texts_every_plate_and_room_under_the_street() {
    let db = TestDb::new();
    let (app, hk, _) = loaded(&db);
    let clerk = token(&app, Role::CivilAffairs);
    let svc = service!(app);
    let under = app.register().descendants(&hk);
    assert_eq!(under.len(), 11, "street, 2 plates, 2 buildings, 2 units, 4 rooms");

    // A rename to a clashing name is refused and changes nothing.
    let seq = last_seq(&app);
    let (status, _, problem) =
        call!(svc, post, format!("/v1/names/{hk}/rename"), clerk, json!({"name": "三组", "document": "x"}));
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(last_seq(&app), seq);

    let (status, _, body) = call!(
        svc,
        post,
        format!("/v1/names/{hk}/rename"),
        clerk,
        json!({"name": "青滩大道", "document": "恩施市政〔2026〕9号"})
    );
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["name"], "青滩大道");
    assert_eq!(body["pinyin"], "Qingtan Dadao");
    let former: Vec<&str> =
        body["former_names"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(former, ["机场路", "航空大道"]);
    assert_eq!(body["former_names"][1]["document"], "恩施市政〔2026〕9号");

    for id in &under {
        let (status, _, a) = call!(svc, get, format!("/v1/addresses/{id}"), clerk);
        assert_eq!(status, StatusCode::OK);
        let text = a["canonical"].as_str().unwrap();
        assert!(text.contains("青滩大道") && !text.contains("航空大道"), "{id}: {text}");
    }
    let (_, _, room) = call!(svc, get, format!("/v1/addresses/{}", under.last().unwrap()), clerk);
    let history: Vec<&str> =
        room["history"].as_array().unwrap().iter().map(|h| h["canonical"].as_str().unwrap()).collect();
    assert!(history.iter().any(|h| h.contains("航空大道")), "{history:?}");

    let page = app.events(&admin(), seq, 10).unwrap();
    assert_eq!(page.events.len(), 1, "one event for the whole rename");
    let e = &page.events[0];
    assert_eq!(e.kind, "name.renamed");
    let changed: Vec<&str> = e.changes.as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(changed.len(), under.len());
    for id in &under {
        assert!(changed.contains(&id.as_str()), "{id} missing from the event");
    }
    assert!(e.changes[0]["old"].as_str().unwrap().ends_with("航空大道"));
    assert!(e.changes[0]["new"].as_str().unwrap().ends_with("青滩大道"));

    // The renamed register moves to another store intact.
    let export = app.export(&admin(), None).unwrap();
    let other = TestDb::new();
    let moved = other.app();
    assert!(moved.import(&admin(), &export, false).unwrap().ok);
    for id in &under {
        assert_eq!(moved.register().address(id), app.register().address(id));
    }
    assert_eq!(moved.register().thoroughfares[&hk].former_names, app.register().thoroughfares[&hk].former_names);

    // The old name is now a former name within its grace period: taken.
    let (_, _, body) = call!(svc, post, "/v1/names/check", clerk, check_body("航空大道"));
    assert_eq!(rules_of(&body), ["duplicate"]);
    assert_eq!(body["violations"][0]["conflict_id"], json!(hk));
}

#[actix_web::test]
async fn retirement_is_refused_while_plates_stand_and_can_be_undone() {
    let db = TestDb::new();
    let (app, hk, group) = loaded(&db);
    let clerk = token(&app, Role::CivilAffairs);
    // Four eyes: a name is approved by another clerk than the one who proposed it.
    let approver = token(&app, Role::CivilAffairs);
    let svc = service!(app);

    let seq = last_seq(&app);
    let (status, ct, problem) = call!(
        svc,
        post,
        format!("/v1/names/{hk}/retire"),
        clerk,
        json!({"document": "恩施市政〔2026〕5号", "reason": "道路改造"})
    );
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(ct, "application/problem+json");
    let listed = problem["conflicts"].as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed
        .iter()
        .all(|p| p["id"].as_str().unwrap().starts_with("plt_") && p["canonical"].as_str().unwrap().contains("号")));
    assert_eq!(last_seq(&app), seq);
    assert_eq!(app.register().thoroughfares[&hk].status, menpai::domain::NameStatus::Active);

    // A locality without plates is retired, and the mistaken retirement undone.
    let (status, _, body) = call!(
        svc,
        post,
        format!("/v1/names/{group}/retire"),
        clerk,
        json!({"document": "芭蕉乡〔2026〕1号", "reason": "并组"})
    );
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "retired");
    assert_eq!(body["retire_reason"], "并组");
    let (status, _, _) =
        call!(svc, post, format!("/v1/names/{group}/retire"), clerk, json!({"document": "x", "reason": "y"}));
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _, body) =
        call!(svc, post, format!("/v1/names/{group}/reinstate"), clerk, json!({"reason": "误废止"}));
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "active");
    assert!(body["retired_at"].is_null());
    let kinds: Vec<String> = app.events(&admin(), seq, 10).unwrap().events.into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds, ["name.retired", "name.reinstated"]);

    // Once its plates are retired, the street is retired with its successor.
    let (status, _, successor) = call!(svc, post, "/v1/names", clerk, proposal("青滩路"));
    assert_eq!(status, StatusCode::CREATED);
    let successor = successor["id"].as_str().unwrap().to_string();
    let (status, _, _) =
        call!(svc, post, format!("/v1/names/{successor}/approve"), approver, json!({"document": "恩施市政〔2026〕6号"}));
    assert_eq!(status, StatusCode::OK);
    let police = actor(Role::Police);
    let plates: Vec<String> =
        app.register().plates.values().filter(|p| p.parent.id() == hk).map(|p| p.id.clone()).collect();
    for p in &plates {
        app.retire_plate(&police, p, "道路废止", None).unwrap();
    }
    let (status, _, body) = call!(
        svc,
        post,
        format!("/v1/names/{hk}/retire"),
        clerk,
        json!({"document": "恩施市政〔2026〕7号", "reason": "并入青滩路", "replaced_by": successor})
    );
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["replaced_by"], json!(successor));
    let (_, _, address) = call!(svc, get, format!("/v1/addresses/{hk}"), clerk);
    assert_eq!(address["status"], "retired");
    assert_eq!(address["replaced_by"], json!(successor));
}

#[actix_web::test]
async fn corrections_are_audited_without_a_former_name() {
    let db = TestDb::new();
    let (app, hk, _) = loaded(&db);
    let clerk = token(&app, Role::CivilAffairs);
    let svc = service!(app);

    let (_, _, body) = call!(svc, post, "/v1/names", clerk, proposal("青摊路"));
    let id = body["id"].as_str().unwrap().to_string();
    let (status, _, _) = call!(svc, post, format!("/v1/names/{id}/correct"), clerk, json!({"reason": "无内容"}));
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, body) =
        call!(svc, post, format!("/v1/names/{id}/correct"), clerk, json!({"name": "青滩路", "reason": "错字：摊→滩"}));
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["name"], "青滩路");
    assert_eq!(body["former_names"], json!([]));

    // Moving 航空大道's line to the other side of its plates flips their sides.
    let before = app.register().plates.values().find(|p| p.parent.id() == hk && p.number == 1).unwrap().clone();
    let reversed = json!({"type": "LineString", "coordinates": [[109.48, 30.29], [109.47, 30.29]]});
    let (status, _, body) =
        call!(svc, post, format!("/v1/names/{hk}/correct"), clerk, json!({"geometry": reversed, "reason": "方向录反"}));
    assert_eq!(status, StatusCode::OK, "{body}");
    let after = app.register().plates[&before.id].clone();
    assert_ne!(before.side, after.side, "{before:?} {after:?}");
    let page = app.events(&admin(), 0, 100).unwrap();
    assert_eq!(page.events.iter().filter(|e| e.kind == "name.corrected").count(), 2);
    assert!(page.events.iter().all(|e| e.kind != "name.renamed"));
    let audit = app.audit(&admin(), 0, 1000).unwrap();
    let reasons: Vec<Option<&str>> =
        audit.iter().filter(|a| a.action == "name.correct").map(|a| a.reason.as_deref()).collect();
    assert_eq!(reasons, [Some("错字：摊→滩"), Some("方向录反")]);
}

#[actix_web::test]
async fn only_civil_affairs_changes_names_and_only_within_its_scope() {
    let db = TestDb::new();
    let (app, hk, group) = loaded(&db);
    let tokens: Vec<(Role, String)> = Role::ALL.iter().map(|r| (*r, token(&app, *r))).collect();
    let svc = service!(app);
    let requests = [
        ("/v1/names".to_string(), proposal("青滩路")),
        (format!("/v1/names/{hk}/approve"), json!({"document": "x"})),
        (format!("/v1/names/{hk}/announce"), json!({})),
        (format!("/v1/names/{hk}/rename"), json!({"name": "白杨大道", "document": "x"})),
        (format!("/v1/names/{group}/retire"), json!({"document": "x", "reason": "y"})),
        (format!("/v1/names/{group}/reinstate"), json!({"reason": "y"})),
        (format!("/v1/names/{hk}/correct"), json!({"reason": "y", "pinyin": "Hangkong Dadao"})),
    ];
    for (uri, body) in &requests {
        for (role, secret) in &tokens {
            let (status, _, problem) = call!(svc, post, uri, secret, body.clone());
            if *role == Role::CivilAffairs {
                assert_ne!(status, StatusCode::FORBIDDEN, "{uri}: {problem}");
                assert!(!status.is_server_error(), "{uri}: {problem}");
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{uri} admitted {role:?}");
            }
        }
    }

    // A clerk of 利川 cannot name or rename in 恩施市.
    let lichuan = app.create_token(&admin(), Role::CivilAffairs, Some("422802".into()), None).unwrap().1;
    let seq = last_seq(&app);
    let (status, _, problem) = call!(svc, post, "/v1/names", lichuan, proposal("白杨路"));
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    let (status, _, _) =
        call!(svc, post, format!("/v1/names/{hk}/rename"), lichuan, json!({"name": "白杨大道", "document": "x"}));
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(last_seq(&app), seq);
    // Reading and checking need any valid token.
    for (_, secret) in &tokens {
        let (status, _, _) = call!(svc, get, format!("/v1/names/{hk}"), secret);
        assert_eq!(status, StatusCode::OK);
        let (status, _, _) = call!(svc, post, "/v1/names/check", secret, check_body("青滩路"));
        assert_eq!(status, StatusCode::OK);
    }
    let (status, _, _) = call!(svc, get, "/v1/names/thr_00000000000000000000000000", lichuan);
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn a_division_change_is_approved_and_re_texts_everything_under_it() {
    let db = TestDb::new();
    let (app, _, group) = loaded(&db);
    let clerk = token(&app, Role::CivilAffairs);
    let police = token(&app, Role::Police);
    let svc = service!(app);
    let under = app.register().descendants("422801001");
    assert_eq!(under.len(), 13, "township, village, 三组, 2 plates, 2 buildings, 2 units, 4 rooms");

    // Refused: a sibling's name, a county, another role.
    let (status, _, problem) =
        call!(svc, post, "/v1/names/division-changes", clerk, json!({"code": "422801001", "name": "六角亭街道"}));
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["violations"][0]["rule"], "duplicate");
    assert_eq!(problem["violations"][0]["conflict_id"], "422801002");
    let (status, _, _) =
        call!(svc, post, "/v1/names/division-changes", clerk, json!({"code": "422801", "name": "恩施县"}));
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) =
        call!(svc, post, "/v1/names/division-changes", police, json!({"code": "422801001", "name": "舞阳街道"}));
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, _, change) = call!(
        svc,
        post,
        "/v1/names/division-changes",
        clerk,
        json!({"code": "422801001", "name": "舞阳街道", "reason": "区划调整"})
    );
    assert_eq!(status, StatusCode::CREATED, "{change}");
    assert_eq!(change["status"], "proposed");
    let id = change["id"].as_str().unwrap().to_string();
    assert_eq!(app.register().divisions["422801001"].name, "舞阳坝街道", "nothing changes before approval");
    let (_, _, pending) = call!(svc, get, "/v1/names/division-changes?status=proposed", police);
    assert_eq!(pending["items"][0]["id"], json!(id));

    let seq = last_seq(&app);
    let (status, _, body) = call!(
        svc,
        post,
        format!("/v1/names/division-changes/{id}/approve"),
        clerk,
        json!({"document": "鄂政函〔2026〕8号"})
    );
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "approved");
    assert_eq!(body["changed"].as_array().unwrap().len(), under.len());
    let (status, _, _) = call!(
        svc,
        post,
        format!("/v1/names/division-changes/{id}/approve"),
        clerk,
        json!({"document": "鄂政函〔2026〕8号"})
    );
    assert_eq!(status, StatusCode::CONFLICT);
    let page = app.events(&admin(), seq, 10).unwrap();
    assert_eq!(page.events.len(), 1);
    assert_eq!(page.events[0].kind, "division.renamed");
    for id in &under {
        let text = app.register().address(id).unwrap().canonical;
        assert!(text.contains("舞阳街道") && !text.contains("舞阳坝街道"), "{id}: {text}");
    }
    // A room's history shows the street's renaming and the township's, each with its document.
    let room = app.register().rooms.keys().next().unwrap().clone();
    let (_, _, view) = call!(svc, get, format!("/v1/addresses/{room}"), clerk);
    let history = view["history"].as_array().unwrap();
    assert_eq!(history.len(), 3, "{view}");
    assert!(history[0]["canonical"].as_str().unwrap().contains("舞阳坝街道机场路"));
    assert_eq!(history[1]["valid_from"], "2015-06-30");
    assert!(history[1]["canonical"].as_str().unwrap().contains("舞阳坝街道航空大道"));
    assert_eq!(history[2]["document"], "鄂政函〔2026〕8号");
    assert!(history[2]["canonical"].as_str().unwrap().contains("舞阳街道航空大道"));
    assert_eq!(history[1]["valid_to"], history[2]["valid_from"]);
    let (_, _, d) = call!(svc, get, "/v1/divisions/422801001", clerk);
    assert_eq!(d["name"], "舞阳街道");
    assert!(d["aliases"].as_array().unwrap().contains(&json!("舞阳坝街道")), "the old name keeps resolving");

    // New short forms alone; a county is not changed here.
    let (status, _, change) =
        call!(svc, post, "/v1/names/division-changes", clerk, json!({"code": "422801001201", "aliases": ["高拱桥"]}));
    assert_eq!(status, StatusCode::CREATED, "{change}");
    let id = change["id"].as_str().unwrap();
    let (status, _, body) = call!(
        svc,
        post,
        format!("/v1/names/division-changes/{id}/approve"),
        clerk,
        json!({"document": "恩施市政〔2026〕20号"})
    );
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.register().divisions["422801001201"].aliases, ["高拱桥"]);
    assert_eq!(app.events(&admin(), 0, 1000).unwrap().events.last().unwrap().kind, "division.changed");
    assert!(app.register().address(&group).unwrap().canonical.ends_with("舞阳街道高拱桥村三组"));
}

#[actix_web::test]
async fn villages_merge_move_and_take_new_codes_with_every_address_re_texted() {
    let db = TestDb::new();
    let (app, _, group) = loaded(&db);
    let extra = r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","geometry":null,"properties":{"kind":"division","code":"422801002201","name":"小渡船村","level":"village","parent_code":"422801002","aliases":[]}},
        {"type":"Feature","geometry":{"type":"Point","coordinates":[109.49,30.28]},"properties":{"kind":"locality","ref":"w5","name":"五组","village_code":"422801002201","former_names":[],"status":"proposed"}}
    ]}"#;
    // 恩施市 has a register: its new group comes in as a proposal and is approved by 民政.
    assert!(app.import(&admin(), extra, false).unwrap().ok);
    let five = app.register().localities.values().find(|l| l.name == "五组").unwrap().id.clone();
    let approval = Approval { document: "恩施市民政〔2026〕5号".into(), announced_on: None };
    app.approve_name(&actor(Role::CivilAffairs), &five, &approval).unwrap();
    let clerk = token(&app, Role::CivilAffairs);
    let svc = service!(app);
    let yesterday =
        (chrono::Utc::now() + chrono::Duration::hours(8) - chrono::Duration::days(1)).date_naive().to_string();
    let approve = |id: &Value| format!("/v1/names/division-changes/{}/approve", id.as_str().unwrap());

    // 高拱桥村 merges into 小渡船村 of another township: its 三组 goes with it.
    let (status, _, problem) = call!(
        svc,
        post,
        "/v1/names/division-changes",
        clerk,
        json!({"code": "422801001201", "merge_into": "422801002201", "name": "新村"})
    );
    assert_eq!(status, StatusCode::BAD_REQUEST, "a merger stands alone: {problem}");
    let (status, _, change) = call!(
        svc,
        post,
        "/v1/names/division-changes",
        clerk,
        json!({"code": "422801001201", "merge_into": "422801002201", "reason": "合村并组"})
    );
    assert_eq!(status, StatusCode::CREATED, "{change}");
    let seq = last_seq(&app);
    let (status, _, body) =
        call!(svc, post, approve(&change["id"]), clerk, json!({"document": "恩施市政〔2026〕31号"}));
    assert_eq!(status, StatusCode::OK, "{body}");
    let page = app.events(&admin(), seq, 10).unwrap();
    assert_eq!(page.events.len(), 1, "one event for the whole merger");
    assert_eq!(page.events[0].kind, "division.merged");
    let changed: Vec<(String, Option<String>)> = page.events[0]
        .changes
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap().to_string(), c["new"].as_str().map(str::to_string)))
        .collect();
    assert_eq!(changed[0], ("422801001201".to_string(), None), "the merged village ends");
    let moved = changed.iter().find(|(id, _)| *id == group).expect("三组 is listed");
    assert_eq!(moved.1.as_deref(), Some("湖北省恩施土家族苗族自治州恩施市六角亭街道小渡船村三组"));
    let (_, _, old) = call!(svc, get, "/v1/divisions/422801001201", clerk);
    assert_eq!((old["status"].as_str(), old["replaced_by"].as_str()), (Some("retired"), Some("422801002201")));
    let (_, _, then) = call!(svc, get, format!("/v1/addresses/{group}?at={yesterday}"), clerk);
    assert_eq!(then["canonical"], "湖北省恩施土家族苗族自治州恩施市舞阳坝街道高拱桥村三组", "{then}");
    let (_, _, found) = call!(svc, get, format!("/v1/resolve?q={}", encode("恩施市小渡船村三组")), clerk);
    assert_eq!(found["address"]["id"], json!(group), "{found}");
    // Merging it again, or into itself, is refused: it is retired.
    let (status, _, _) = call!(
        svc,
        post,
        "/v1/names/division-changes",
        clerk,
        json!({"code": "422801001201", "merge_into": "422801002201"})
    );
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // 小渡船村 moves to 舞阳坝街道, then takes the code that fits there.
    let (status, _, change) = call!(
        svc,
        post,
        "/v1/names/division-changes",
        clerk,
        json!({"code": "422801002201", "parent_code": "422801001"})
    );
    assert_eq!(status, StatusCode::CREATED, "{change}");
    let (status, _, body) =
        call!(svc, post, approve(&change["id"]), clerk, json!({"document": "恩施市政〔2026〕32号"}));
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.events(&admin(), 0, 1000).unwrap().events.last().unwrap().kind, "division.moved");
    assert!(app.register().address(&group).unwrap().canonical.ends_with("舞阳坝街道小渡船村三组"));
    let (status, _, problem) = call!(
        svc,
        post,
        "/v1/names/division-changes",
        clerk,
        json!({"code": "422801002201", "new_code": "422801002202"})
    );
    assert_eq!(status, StatusCode::BAD_REQUEST, "a code must fit under its parent: {problem}");
    let (status, _, change) = call!(
        svc,
        post,
        "/v1/names/division-changes",
        clerk,
        json!({"code": "422801002201", "new_code": "422801001202"})
    );
    assert_eq!(status, StatusCode::CREATED, "{change}");
    let (status, _, body) =
        call!(svc, post, approve(&change["id"]), clerk, json!({"document": "恩施市政〔2026〕33号"}));
    assert_eq!(status, StatusCode::OK, "{body}");
    let last = app.events(&admin(), 0, 1000).unwrap().events.last().unwrap().clone();
    assert_eq!(last.kind, "division.recoded");
    let changes = last.changes.as_array().unwrap();
    assert!(changes.iter().any(|c| c["id"] == "422801002201" && c["new"].is_null()), "{changes:?}");
    assert!(changes.iter().any(|c| c["id"] == "422801001202" && c["old"].is_null()), "{changes:?}");
    let reg = app.register();
    assert_eq!(reg.localities[&group].village_code, "422801001202");
    assert_eq!(reg.divisions["422801002201"].replaced_by.as_deref(), Some("422801001202"));
    let (_, _, kids) = call!(svc, get, "/v1/divisions/422801001/children", clerk);
    let statuses: Vec<(String, String)> = kids["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap().to_string(), d["status"].as_str().unwrap().to_string()))
        .collect();
    assert!(statuses.contains(&("422801001201".into(), "retired".into())), "{statuses:?}");
    assert!(statuses.contains(&("422801001202".into(), "active".into())), "{statuses:?}");
    // Its history: where it stood, and where it stands since today's changes.
    let (_, _, view) = call!(svc, get, format!("/v1/addresses/{group}"), clerk);
    let texts: Vec<&str> =
        view["history"].as_array().unwrap().iter().map(|h| h["canonical"].as_str().unwrap()).collect();
    assert_eq!(
        texts,
        [
            "湖北省恩施土家族苗族自治州恩施市舞阳坝街道高拱桥村三组",
            "湖北省恩施土家族苗族自治州恩施市舞阳坝街道小渡船村三组"
        ]
    );
    assert_eq!(view["history"][1]["document"], "恩施市政〔2026〕31号");
    // Yesterday the group stood where it stood before all three changes.
    let (_, _, then) = call!(svc, get, format!("/v1/addresses/{group}?at={yesterday}"), clerk);
    assert_eq!(then["canonical"], "湖北省恩施土家族苗族自治州恩施市舞阳坝街道高拱桥村三组", "{then}");
}

#[actix_web::test]
async fn a_county_with_a_polygon_keeps_new_streets_inside_it() {
    let db = TestDb::new();
    let app = db.app();
    // 恩施市 with a boundary: a box around 航空大道, 109.40–109.55 E, 30.25–30.35 N.
    let boxed = r#""code":"422801","name":"恩施市""#;
    let file = small_file(&[]).replacen(
        &format!(r#"{{"type":"Feature","geometry":null,"properties":{{"kind":"division",{boxed}"#),
        &format!(
            r#"{{"type":"Feature","geometry":{{"type":"Polygon","coordinates":[[[109.40,30.25],[109.55,30.25],[109.55,30.35],[109.40,30.35],[109.40,30.25]]]}},"properties":{{"kind":"division",{boxed}"#
        ),
        1,
    );
    assert!(file.contains("109.55,30.35"), "the boundary is in the file");
    assert!(app.import(&admin(), &file, false).unwrap().ok);
    let clerk = token(&app, Role::CivilAffairs);
    let svc = service!(app);
    let street = |coords: Value| {
        let mut p = proposal("青滩路");
        p["geometry"] = json!({"type": "LineString", "coordinates": coords});
        p
    };
    // 5 km east of the boundary: near enough for the 50 km rule, but outside the county.
    let (status, _, problem) = call!(svc, post, "/v1/names", clerk, street(json!([[109.54, 30.30], [109.60, 30.30]])));
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(rules_of(&problem), ["outside_county"]);
    assert!(problem["violations"][0]["message"].as_str().unwrap().contains("1 个点不在恩施市的行政区域内"));
    let (status, _, body) = call!(svc, post, "/v1/names", clerk, street(json!([[109.45, 30.30], [109.50, 30.30]])));
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[actix_web::test]
async fn a_rename_of_a_street_with_500_plates_and_3000_rooms_lists_every_address_in_one_event() {
    let db = TestDb::new();
    let app = db.app();
    // 航空大道 with plates 1 to 500, each with building 1, unit 1 and six rooms.
    let plates: Vec<String> = (1..=500)
        .map(|n| {
            let (x, y) = (109.47 + n as f64 * 0.00001, if n % 2 == 1 { 30.2901 } else { 30.2899 });
            format!(
                r#"{{"type":"Feature","geometry":{{"type":"Point","coordinates":[{x},{y}]}},"properties":{{"kind":"plate","thoroughfare_ref":"hk","number":{n},"township_code":"422801001","buildings":[{{"number":1,"units":[{{"number":1,"rooms":["101","102","201","202","301","302"]}}]}}]}}}}"#
            )
        })
        .collect();
    assert!(app.import(&admin(), &small_file(&plates), false).unwrap().ok);
    let hk = app.register().thoroughfares.values().find(|t| t.name == "航空大道").unwrap().id.clone();
    let under = app.register().descendants(&hk);
    assert_eq!(under.len(), 1 + 500 * 3 + 3000, "the street, its plates, buildings, units and rooms");
    let clerk = token(&app, Role::CivilAffairs);
    let svc = service!(app);
    let seq = last_seq(&app);

    let (status, _, body) = call!(
        svc,
        post,
        format!("/v1/names/{hk}/rename"),
        clerk,
        json!({"name": "青滩大道", "document": "恩施市政〔2026〕9号"})
    );
    assert_eq!(status, StatusCode::OK, "{body}");

    let (status, _, page) = call!(svc, get, format!("/v1/events?after={seq}"), clerk);
    assert_eq!(status, StatusCode::OK);
    let events = page["events"].as_array().unwrap();
    assert_eq!(events.len(), 1, "one rename, one event");
    assert_eq!(events[0]["kind"], "name.renamed");
    let changes = events[0]["changes"].as_array().unwrap();
    let listed: std::collections::HashSet<&str> = changes.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(listed.len(), changes.len(), "each address once");
    assert!(under.iter().all(|id| listed.contains(id.as_str())), "every address under the street is listed");
    assert_eq!(listed.len(), under.len());
    assert_eq!(listed.iter().filter(|id| id.starts_with("plt_")).count(), 500);
    assert_eq!(listed.iter().filter(|id| id.starts_with("rom_")).count(), 3000);
    for c in changes {
        let (old, new) = (c["old"].as_str().unwrap(), c["new"].as_str().unwrap());
        assert_eq!(old.replace("航空大道", "青滩大道"), new, "{c}");
    }
}

#[actix_web::test]
async fn a_proposal_is_returned_with_its_reason_by_another_clerk() {
    let db = TestDb::new();
    let (app, _, _) = loaded(&db);
    let clerk = token(&app, Role::CivilAffairs);
    let decider = token(&app, Role::CivilAffairs);
    let svc = service!(app);
    let (status, _, body) = call!(svc, post, "/v1/names", clerk, proposal("青滩路"));
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_str().unwrap().to_string();

    // A return says why; the proposer withdraws (retire), it does not return its own.
    let (status, _, _) = call!(svc, post, format!("/v1/names/{id}/return"), decider, json!({"reason": " "}));
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, body) = call!(svc, post, format!("/v1/names/{id}/return"), clerk, json!({"reason": "与规划道路名称重复"}));
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, _, body) =
        call!(svc, post, format!("/v1/names/{id}/return"), decider, json!({"reason": "与规划道路名称重复"}));
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "retired");
    assert_eq!(body["return_reason"], "与规划道路名称重复");
    assert!(body["returned_at"].is_string());
    assert!(body["approved_at"].is_null());

    // It leaves the waiting list, cannot be approved or returned again, and the feed says why.
    let (_, _, page) = call!(svc, get, "/v1/names?status=proposed", clerk);
    assert!(page["items"].as_array().unwrap().iter().all(|r| r["id"] != json!(id)));
    let (status, _, _) =
        call!(svc, post, format!("/v1/names/{id}/approve"), decider, json!({"document": "恩施市政〔2026〕9号"}));
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _, _) = call!(svc, post, format!("/v1/names/{id}/return"), decider, json!({"reason": "再次"}));
    assert_eq!(status, StatusCode::CONFLICT);
    let events = app.filtered_events(&admin(), 0, 100, None, Some(&id)).unwrap().events;
    let last = events.last().unwrap();
    assert_eq!((last.kind.as_str(), last.kind_label.as_str()), ("name.returned", "退回申报"));
    assert_eq!(last.reason.as_deref(), Some("与规划道路名称重复"));
    // A name never in effect is in no dated register.
    let yesterday = (menpai::domain::china_time::today() - chrono::Days::new(1)).to_string();
    assert!(app.address(&id, Some(&yesterday)).is_err());
}

#[actix_web::test]
async fn a_proposal_withdrawn_was_never_in_effect_on_any_day() {
    let db = TestDb::new();
    let (app, _, _) = loaded(&db);
    let clerk = token(&app, Role::CivilAffairs);
    let svc = service!(app);
    let (status, _, body) = call!(svc, post, "/v1/names", clerk, proposal("青滩路"));
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_str().unwrap().to_string();
    let (status, _, body) = call!(
        svc,
        post,
        format!("/v1/names/{id}/retire"),
        clerk,
        json!({"document": "恩施市民〔2026〕3号", "reason": "申请人撤回"})
    );
    assert_eq!(status, StatusCode::OK, "{body}");
    // Before today it was no name in use: not in the register of any earlier day.
    let yesterday = (menpai::domain::china_time::today() - chrono::Days::new(1)).to_string();
    assert!(app.address(&id, Some(&yesterday)).is_err(), "a withdrawn proposal read as in effect yesterday");
    assert!(app.address(&id, Some("2000-01-01")).is_err());
    let (_, _, r) = call!(svc, get, format!("/v1/resolve?q={}&at={yesterday}", encode("恩施市青滩路")), clerk);
    assert_ne!(r["address"]["id"], json!(id), "{r}");
}
