//! Naming routes for civil affairs (民政): checks, proposals, approval, announcement,
//! renaming, retirement and corrections; changes of townships and villages; the listing
//! and the naming word lists.
//!
//! Changing a name needs `civil_affairs` (admin neither names nor issues); checking and
//! reading need any valid token; the word lists are reference data that `admin` extends.

use actix_web::{web, HttpResponse};

use super::{
    add, blocking, created, ok, Body, Caller, Param, RouteSpec, ADMIN, ANY, CONFLICT, NOT_FOUND, RULE_BROKEN,
    TOO_MANY_VERTICES,
};
use crate::app::naming::{
    Announcement, Approval, Correction, DivisionApproval, DivisionChangeQuery, DivisionChangeRequest, NameCheck,
    NameQuery, NewWord, Proposal, Reinstatement, Renaming, Retirement, Return, WordRemoval,
};
use crate::app::{App, AppError, Role};

const CIVIL_AFFAIRS: &[Role] = &[Role::CivilAffairs];

pub const ROUTES: &[RouteSpec] = &[
    RouteSpec::post(
        "/v1/names/check",
        ANY,
        "命名：按命名规则检查拟用名称（不写入）",
        Body::Json("NameCheckRequest"),
        &[ok("NameEvaluation")],
    )
    .reads()
    .refusals(&[NOT_FOUND]),
    RouteSpec::get("/v1/names", ANY, "命名：名称列表（按县、村、文字、状态、公告筛选，分页）", &[ok("NamePage")])
        .query(&[
            Param::opt("kind", "string").one_of(&["thoroughfare", "locality"]),
            Param::opt("county_code", "string"),
            Param::opt("village_code", "string"),
            Param::opt("q", "string").about("名称、曾用名或拼音中的文字"),
            Param::opt("status", "string").one_of(&["proposed", "active", "retired"]),
            Param::opt("announced", "boolean").about("只看已批准且已（或未）公告的名称"),
            Param::opt("after", "string").about("上一页最后一个 ID"),
            Param::opt("limit", "integer").about("1 到 1000，缺省 100"),
        ]),
    RouteSpec::post(
        "/v1/names",
        CIVIL_AFFAIRS,
        "命名：申报新名称（拟用），附几何和案卷",
        Body::Json("ProposalRequest"),
        &[created("ProposalOutcome")],
    )
    .refusals(&[NOT_FOUND, RULE_BROKEN, TOO_MANY_VERTICES]),
    RouteSpec::get("/v1/names/words", ANY, "命名：保留字、人名、外国地名词表", &[ok("NamingWords")]),
    RouteSpec::post(
        "/v1/names/words",
        ADMIN,
        "命名：增加词表词语",
        Body::Json("NamingWordRequest"),
        &[created("NamingWord")],
    )
    .refusals(&[CONFLICT]),
    RouteSpec::post(
        "/v1/names/words/remove",
        ADMIN,
        "命名：删除管理员增加的词表词语（须说明理由；内置词语不能删除）",
        Body::Json("NamingWordRemoval"),
        &[ok("NamingWord")],
    )
    .refusals(&[NOT_FOUND, CONFLICT]),
    RouteSpec::get("/v1/names/division-changes", ANY, "区划变更：列表", &[ok("DivisionChangeList")])
        .query(&[Param::opt("status", "string").one_of(&["proposed", "approved"])]),
    RouteSpec::post(
        "/v1/names/division-changes",
        CIVIL_AFFAIRS,
        "区划变更：申报（更名如乡改镇、简称、并入、改隶、改代码）",
        Body::Json("DivisionChangeRequest"),
        &[created("DivisionChange")],
    )
    .refusals(&[NOT_FOUND, RULE_BROKEN]),
    RouteSpec::post(
        "/v1/names/division-changes/{id}/approve",
        CIVIL_AFFAIRS,
        "区划变更：批准（下辖地址一次更新）",
        Body::Json("DocumentRequest"),
        &[ok("DivisionChange")],
    )
    .refusals(&[NOT_FOUND, CONFLICT, RULE_BROKEN]),
    RouteSpec::get("/v1/names/{id}", ANY, "命名：读取名称及其案卷", &[ok("NameRecord")]).refusals(&[NOT_FOUND]),
    RouteSpec::post(
        "/v1/names/{id}/approve",
        CIVIL_AFFAIRS,
        "命名：批准（事务内重新检查规则）",
        Body::Json("ApprovalRequest"),
        &[ok("NameRecord")],
    )
    .refusals(&[NOT_FOUND, CONFLICT, RULE_BROKEN]),
    RouteSpec::post(
        "/v1/names/{id}/announce",
        CIVIL_AFFAIRS,
        "命名：登记公告日期",
        Body::Json("AnnouncementRequest"),
        &[ok("NameRecord")],
    )
    .refusals(&[NOT_FOUND, CONFLICT]),
    RouteSpec::post(
        "/v1/names/{id}/rename",
        CIVIL_AFFAIRS,
        "命名：更名（原名保留为曾用名）",
        Body::Json("RenamingRequest"),
        &[ok("NameRecord")],
    )
    .refusals(&[NOT_FOUND, CONFLICT, RULE_BROKEN]),
    RouteSpec::post(
        "/v1/names/{id}/retire",
        CIVIL_AFFAIRS,
        "命名：废止（门牌未注销时拒绝，conflicts 列出在用门牌）",
        Body::Json("NameRetirementRequest"),
        &[ok("NameRecord")],
    )
    .refusals(&[NOT_FOUND, CONFLICT]),
    RouteSpec::post(
        "/v1/names/{id}/return",
        CIVIL_AFFAIRS,
        "命名：退回拟用名称（不予批准），写明理由；须由提出者以外的经办人退回",
        Body::Json("NameReturnRequest"),
        &[ok("NameRecord")],
    )
    .refusals(&[NOT_FOUND, CONFLICT]),
    RouteSpec::post(
        "/v1/names/{id}/reinstate",
        CIVIL_AFFAIRS,
        "命名：撤销误废止",
        Body::Json("ReinstatementRequest"),
        &[ok("NameRecord")],
    )
    .refusals(&[NOT_FOUND, CONFLICT, RULE_BROKEN]),
    RouteSpec::post(
        "/v1/names/{id}/correct",
        CIVIL_AFFAIRS,
        "命名：更正错字或几何（非法定变更）",
        Body::Json("NameCorrectionRequest"),
        &[ok("NameRecord")],
    )
    .refusals(&[NOT_FOUND, CONFLICT, RULE_BROKEN, TOO_MANY_VERTICES]),
];

pub fn configure(cfg: &mut web::ServiceConfig) {
    // The fixed paths come before `/v1/names/{id}`, which would otherwise take them.
    add(cfg, "/v1/names/check", |r| r.route(web::post().to(check)));
    add(cfg, "/v1/names/words", |r| r.route(web::get().to(words)).route(web::post().to(add_word)));
    add(cfg, "/v1/names/words/remove", |r| r.route(web::post().to(remove_word)));
    add(cfg, "/v1/names/division-changes", |r| {
        r.route(web::get().to(division_changes)).route(web::post().to(propose_division_change))
    });
    add(cfg, "/v1/names/division-changes/{id}/approve", |r| r.route(web::post().to(approve_division_change)));
    add(cfg, "/v1/names", |r| r.route(web::get().to(list)).route(web::post().to(propose)));
    add(cfg, "/v1/names/{id}", |r| r.route(web::get().to(one)));
    add(cfg, "/v1/names/{id}/approve", |r| r.route(web::post().to(approve)));
    add(cfg, "/v1/names/{id}/announce", |r| r.route(web::post().to(announce)));
    add(cfg, "/v1/names/{id}/rename", |r| r.route(web::post().to(rename)));
    add(cfg, "/v1/names/{id}/retire", |r| r.route(web::post().to(retire)));
    add(cfg, "/v1/names/{id}/return", |r| r.route(web::post().to(return_name)));
    add(cfg, "/v1/names/{id}/reinstate", |r| r.route(web::post().to(reinstate)));
    add(cfg, "/v1/names/{id}/correct", |r| r.route(web::post().to(correct)));
}

async fn check(app: web::Data<App>, c: Caller, body: web::Json<NameCheck>) -> Result<HttpResponse, AppError> {
    let req = body.into_inner();
    let result = blocking(move || app.check_name(&c.0, &req)).await?;
    Ok(HttpResponse::Ok().json(result))
}

async fn list(app: web::Data<App>, c: Caller, q: web::Query<NameQuery>) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    Ok(HttpResponse::Ok().json(blocking(move || app.list_names(&c.0, &q)).await?))
}

async fn propose(app: web::Data<App>, c: Caller, body: web::Json<Proposal>) -> Result<HttpResponse, AppError> {
    let req = body.into_inner();
    Ok(HttpResponse::Created().json(blocking(move || app.propose_name(&c.0, &req)).await?))
}

async fn words(app: web::Data<App>, c: Caller) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(blocking(move || app.naming_words(&c.0)).await?))
}

async fn add_word(app: web::Data<App>, c: Caller, body: web::Json<NewWord>) -> Result<HttpResponse, AppError> {
    let req = body.into_inner();
    Ok(HttpResponse::Created().json(blocking(move || app.add_naming_word(&c.0, &req)).await?))
}

async fn remove_word(app: web::Data<App>, c: Caller, body: web::Json<WordRemoval>) -> Result<HttpResponse, AppError> {
    let req = body.into_inner();
    Ok(HttpResponse::Ok().json(blocking(move || app.remove_naming_word(&c.0, &req)).await?))
}

async fn one(app: web::Data<App>, c: Caller, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(blocking(move || app.name(&c.0, &id)).await?))
}

async fn approve(
    app: web::Data<App>,
    c: Caller,
    id: web::Path<String>,
    body: web::Json<Approval>,
) -> Result<HttpResponse, AppError> {
    let (id, req) = (id.into_inner(), body.into_inner());
    Ok(HttpResponse::Ok().json(blocking(move || app.approve_name(&c.0, &id, &req)).await?))
}

async fn announce(
    app: web::Data<App>,
    c: Caller,
    id: web::Path<String>,
    body: web::Json<Announcement>,
) -> Result<HttpResponse, AppError> {
    let (id, req) = (id.into_inner(), body.into_inner());
    Ok(HttpResponse::Ok().json(blocking(move || app.announce_name(&c.0, &id, &req)).await?))
}

async fn rename(
    app: web::Data<App>,
    c: Caller,
    id: web::Path<String>,
    body: web::Json<Renaming>,
) -> Result<HttpResponse, AppError> {
    let (id, req) = (id.into_inner(), body.into_inner());
    Ok(HttpResponse::Ok().json(blocking(move || app.rename(&c.0, &id, &req)).await?))
}

async fn retire(
    app: web::Data<App>,
    c: Caller,
    id: web::Path<String>,
    body: web::Json<Retirement>,
) -> Result<HttpResponse, AppError> {
    let (id, req) = (id.into_inner(), body.into_inner());
    Ok(HttpResponse::Ok().json(blocking(move || app.retire_name(&c.0, &id, &req)).await?))
}

async fn return_name(
    app: web::Data<App>,
    c: Caller,
    id: web::Path<String>,
    body: web::Json<Return>,
) -> Result<HttpResponse, AppError> {
    let (id, req) = (id.into_inner(), body.into_inner());
    Ok(HttpResponse::Ok().json(blocking(move || app.return_name(&c.0, &id, &req)).await?))
}

async fn reinstate(
    app: web::Data<App>,
    c: Caller,
    id: web::Path<String>,
    body: web::Json<Reinstatement>,
) -> Result<HttpResponse, AppError> {
    let (id, req) = (id.into_inner(), body.into_inner());
    Ok(HttpResponse::Ok().json(blocking(move || app.reinstate_name(&c.0, &id, &req)).await?))
}

async fn correct(
    app: web::Data<App>,
    c: Caller,
    id: web::Path<String>,
    body: web::Json<Correction>,
) -> Result<HttpResponse, AppError> {
    let (id, req) = (id.into_inner(), body.into_inner());
    Ok(HttpResponse::Ok().json(blocking(move || app.correct_name(&c.0, &id, &req)).await?))
}

async fn division_changes(
    app: web::Data<App>,
    c: Caller,
    q: web::Query<DivisionChangeQuery>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let items = blocking(move || app.division_changes(&c.0, &q)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"items": items})))
}

async fn propose_division_change(
    app: web::Data<App>,
    c: Caller,
    body: web::Json<DivisionChangeRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.into_inner();
    Ok(HttpResponse::Created().json(blocking(move || app.propose_division_change(&c.0, &req)).await?))
}

async fn approve_division_change(
    app: web::Data<App>,
    c: Caller,
    id: web::Path<String>,
    body: web::Json<DivisionApproval>,
) -> Result<HttpResponse, AppError> {
    let (id, req) = (id.into_inner(), body.into_inner());
    Ok(HttpResponse::Ok().json(blocking(move || app.approve_division_change(&c.0, &id, &req.document)).await?))
}
