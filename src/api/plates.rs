//! Door-plate routes for police (公安): suggestion, issuance, validation, retirement,
//! corrections, and the buildings, units and rooms behind a plate (police or housing).

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::Value;

use super::{add, blocking, created, ok, Answer, Body, Caller, Param, RouteSpec, CONFLICT, NOT_FOUND, RULE_BROKEN};
use crate::app::plates::{PlanRequest, PlateRequest};
use crate::app::{App, AppError, Role};

const POLICE: &[Role] = &[Role::Police];
const BUILDINGS: &[Role] = &[Role::Police, Role::Housing];

pub const ROUTES: &[RouteSpec] = &[
    RouteSpec::post(
        "/v1/plates/suggest",
        POLICE,
        "门牌：建议号码（不写入）",
        Body::Json("PlateSuggestRequest"),
        &[ok("PlateSuggestion")],
    )
    .reads()
    .refusals(&[NOT_FOUND, CONFLICT, RULE_BROKEN]),
    RouteSpec::get("/v1/plates/orders", POLICE, "门牌制作单：某期间编发的门牌", &[ok("PlateOrders")]).query(&[
        Param::req("from", "date"),
        Param::req("to", "date"),
        Param::opt("county_code", "string"),
    ]),
    RouteSpec::get(
        "/v1/plates/report",
        super::ANY,
        "门牌清理报告（JSON，format=csv 为 CSV）",
        &[ok("CleanupReport"), Answer::of(200, "text/csv", "CleanupCsv")],
    )
    .query(&[Param::req("county_code", "string"), Param::opt("format", "string").one_of(&["json", "csv"])])
    .refusals(&[NOT_FOUND]),
    RouteSpec::post(
        "/v1/plates",
        POLICE,
        "门牌：编发（支持 Idempotency-Key）",
        Body::Json("PlateIssueRequest"),
        &[created("IssuedPlate")],
    )
    .headers(&[Param::opt("Idempotency-Key", "string").about(
        "同一令牌、同一键的重试返回首次的状态和正文，不会再编一块门牌（至少保留 24 小时）；同一键配不同正文为 409",
    )])
    .refusals(&[NOT_FOUND, CONFLICT, RULE_BROKEN]),
    RouteSpec::post(
        "/v1/plates/validate",
        POLICE,
        "门牌：校验号码",
        Body::Json("PlateValidateRequest"),
        &[ok("PlateValidation")],
    )
    .reads()
    .refusals(&[NOT_FOUND, CONFLICT]),
    RouteSpec::post(
        "/v1/plates/plan",
        POLICE,
        "编号方案：整条道路编号（dry_run 试编，否则预留）",
        Body::Json("PlanRequest"),
        &[ok("PlanPreview"), created("PlanReserved")],
    )
    .refusals(&[NOT_FOUND, CONFLICT, RULE_BROKEN]),
    RouteSpec::post(
        "/v1/plates/plan/{id}/issue",
        POLICE,
        "编号方案：一次编发全部预留号码",
        Body::Empty,
        &[ok("PlanIssued")],
    )
    .refusals(&[NOT_FOUND, CONFLICT]),
    RouteSpec::post(
        "/v1/plates/{id}/retire",
        POLICE,
        "门牌：注销",
        Body::Json("PlateRetirementRequest"),
        &[ok("Address")],
    )
    .refusals(&[NOT_FOUND, CONFLICT]),
    RouteSpec::post(
        "/v1/plates/{id}/move",
        POLICE,
        "门牌：更正位置（不改号）",
        Body::Json("PlateMoveRequest"),
        &[ok("Address")],
    )
    .refusals(&[NOT_FOUND, CONFLICT, RULE_BROKEN]),
    RouteSpec::post(
        "/v1/plates/{id}/buildings",
        BUILDINGS,
        "楼栋：登记",
        Body::Json("NumberRequest"),
        &[created("NewAddress")],
    )
    .refusals(&[NOT_FOUND, CONFLICT]),
    RouteSpec::post(
        "/v1/buildings/{id}/units",
        BUILDINGS,
        "单元：登记",
        Body::Json("NumberRequest"),
        &[created("NewAddress")],
    )
    .refusals(&[NOT_FOUND, CONFLICT]),
    RouteSpec::post(
        "/v1/units/{id}/rooms",
        BUILDINGS,
        "房间：登记",
        Body::Json("NumberRequest"),
        &[created("NewAddress")],
    )
    .refusals(&[NOT_FOUND, CONFLICT]),
    RouteSpec::post(
        "/v1/buildings/{id}/retire",
        BUILDINGS,
        "楼栋：注销（连同其下单元、户室）",
        Body::Json("PartRetirementRequest"),
        &[ok("Address")],
    )
    .refusals(&[NOT_FOUND, CONFLICT]),
    RouteSpec::post(
        "/v1/units/{id}/retire",
        BUILDINGS,
        "单元：注销（连同其下户室）",
        Body::Json("PartRetirementRequest"),
        &[ok("Address")],
    )
    .refusals(&[NOT_FOUND, CONFLICT]),
    RouteSpec::post("/v1/rooms/{id}/retire", BUILDINGS, "户室：注销", Body::Json("PartRetirementRequest"), &[ok("Address")])
        .refusals(&[NOT_FOUND, CONFLICT]),
    RouteSpec::post(
        "/v1/buildings/{id}/correct",
        BUILDINGS,
        "楼栋：更正编号（其下地址随之更新）",
        Body::Json("NumberCorrectionRequest"),
        &[ok("Address")],
    )
    .refusals(&[NOT_FOUND, CONFLICT]),
    RouteSpec::post(
        "/v1/units/{id}/correct",
        BUILDINGS,
        "单元：更正编号（其下地址随之更新）",
        Body::Json("NumberCorrectionRequest"),
        &[ok("Address")],
    )
    .refusals(&[NOT_FOUND, CONFLICT]),
    RouteSpec::post(
        "/v1/rooms/{id}/correct",
        BUILDINGS,
        "户室：更正编号",
        Body::Json("NumberCorrectionRequest"),
        &[ok("Address")],
    )
    .refusals(&[NOT_FOUND, CONFLICT]),
];

pub fn configure(cfg: &mut web::ServiceConfig) {
    add(cfg, "/v1/plates/suggest", |r| r.route(web::post().to(suggest)));
    add(cfg, "/v1/plates/report", |r| r.route(web::get().to(report)));
    add(cfg, "/v1/plates/orders", |r| r.route(web::get().to(orders)));
    add(cfg, "/v1/plates/validate", |r| r.route(web::post().to(validate)));
    add(cfg, "/v1/plates/plan", |r| r.route(web::post().to(plan)));
    add(cfg, "/v1/plates/plan/{id}/issue", |r| r.route(web::post().to(issue_plan)));
    add(cfg, "/v1/plates", |r| r.route(web::post().to(issue)));
    add(cfg, "/v1/plates/{id}/retire", |r| r.route(web::post().to(retire)));
    add(cfg, "/v1/plates/{id}/move", |r| r.route(web::post().to(move_plate)));
    add(cfg, "/v1/plates/{id}/buildings", |r| r.route(web::post().to(building)));
    add(cfg, "/v1/buildings/{id}/units", |r| r.route(web::post().to(unit)));
    add(cfg, "/v1/units/{id}/rooms", |r| r.route(web::post().to(room)));
    for path in ["/v1/buildings/{id}/retire", "/v1/units/{id}/retire", "/v1/rooms/{id}/retire"] {
        add(cfg, path, |r| r.route(web::post().to(retire_part)));
    }
    for path in ["/v1/buildings/{id}/correct", "/v1/units/{id}/correct", "/v1/rooms/{id}/correct"] {
        add(cfg, path, |r| r.route(web::post().to(correct_part)));
    }
}

/// Retiring a building, unit or room: the reason is required.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartRetirement {
    reason: String,
}

async fn retire_part(
    app: web::Data<App>,
    c: Caller,
    id: web::Path<String>,
    body: web::Json<PartRetirement>,
) -> Result<HttpResponse, AppError> {
    let out = blocking(move || app.retire_part(&c.0, &id, &body.reason)).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Correcting a building's, unit's or room's number, with the reason.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NumberCorrection {
    number: Value,
    reason: String,
}

async fn correct_part(
    app: web::Data<App>,
    c: Caller,
    id: web::Path<String>,
    body: web::Json<NumberCorrection>,
) -> Result<HttpResponse, AppError> {
    let number = Numbered { number: body.number.clone() }.label()?;
    let out = blocking(move || app.correct_part(&c.0, &id, &number, &body.reason)).await?;
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportQuery {
    county_code: String,
    format: Option<String>,
}

async fn report(app: web::Data<App>, c: Caller, q: web::Query<ReportQuery>) -> Result<HttpResponse, AppError> {
    let ReportQuery { county_code, format } = q.into_inner();
    let report = blocking(move || app.plates_report(&c.0, &county_code)).await?;
    match format.as_deref() {
        None | Some("json") => Ok(HttpResponse::Ok().json(report)),
        Some("csv") => Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                "Content-Disposition",
                format!("attachment; filename=\"plates-report-{}.csv\"", report.county_code),
            ))
            .body(crate::domain::cleanup::to_csv(&report))),
        Some(other) => Err(AppError::Invalid(format!("format 只能是 json 或 csv，而不是“{other}”"))),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrdersQuery {
    from: String,
    to: String,
    county_code: Option<String>,
}

async fn orders(app: web::Data<App>, c: Caller, q: web::Query<OrdersQuery>) -> Result<HttpResponse, AppError> {
    let OrdersQuery { from, to, county_code } = q.into_inner();
    let items = blocking(move || app.plate_orders(&c.0, &from, &to, county_code.as_deref())).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"items": items})))
}

async fn suggest(app: web::Data<App>, c: Caller, body: web::Json<PlateRequest>) -> Result<HttpResponse, AppError> {
    let out = blocking(move || app.suggest_plate(&c.0, &body)).await?;
    Ok(HttpResponse::Ok().json(out))
}

async fn plan(app: web::Data<App>, c: Caller, body: web::Json<PlanRequest>) -> Result<HttpResponse, AppError> {
    let dry_run = body.dry_run.unwrap_or(false);
    let out = blocking(move || app.plan_plates(&c.0, &body)).await?;
    Ok(if dry_run { HttpResponse::Ok().json(out) } else { HttpResponse::Created().json(out) })
}

async fn issue_plan(app: web::Data<App>, c: Caller, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let out = blocking(move || app.issue_plan(&c.0, &id)).await?;
    Ok(HttpResponse::Ok().json(out))
}

async fn validate(app: web::Data<App>, c: Caller, body: web::Json<PlateRequest>) -> Result<HttpResponse, AppError> {
    let out = blocking(move || app.validate_plate(&c.0, &body)).await?;
    Ok(HttpResponse::Ok().json(out))
}

async fn issue(
    app: web::Data<App>,
    c: Caller,
    req: HttpRequest,
    body: web::Json<PlateRequest>,
) -> Result<HttpResponse, AppError> {
    let key = match req.headers().get("Idempotency-Key") {
        Some(v) => {
            Some(v.to_str().map_err(|_| AppError::Invalid("Idempotency-Key 必须是可见 ASCII 字符".into()))?.to_string())
        }
        None => None,
    };
    let (status, out) = blocking(move || app.issue_plate(&c.0, &body, key.as_deref())).await?;
    let status = actix_web::http::StatusCode::from_u16(status).unwrap_or(actix_web::http::StatusCode::CREATED);
    Ok(HttpResponse::build(status).json(out))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Retire {
    reason: String,
    replaced_by: Option<String>,
}

async fn retire(
    app: web::Data<App>,
    c: Caller,
    id: web::Path<String>,
    body: web::Json<Retire>,
) -> Result<HttpResponse, AppError> {
    let out = blocking(move || app.retire_plate(&c.0, &id, &body.reason, body.replaced_by.as_deref())).await?;
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Move {
    location: [f64; 2],
    reason: String,
}

async fn move_plate(
    app: web::Data<App>,
    c: Caller,
    id: web::Path<String>,
    body: web::Json<Move>,
) -> Result<HttpResponse, AppError> {
    let out = blocking(move || app.move_plate(&c.0, &id, body.location, &body.reason)).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// A building, unit or room number: an integer or a short string (`B8`, `501`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Numbered {
    number: Value,
}

impl Numbered {
    fn label(&self) -> Result<String, AppError> {
        match &self.number {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) if n.as_u64().is_some() => Ok(n.to_string()),
            _ => Err(AppError::Invalid("number 必须是正整数或字符串".into())),
        }
    }
}

/// Registers a building, unit or room under `id` with the application function `add`.
async fn register_under(
    app: web::Data<App>,
    c: Caller,
    id: web::Path<String>,
    body: web::Json<Numbered>,
    add: fn(&App, &crate::app::Actor, &str, &str) -> Result<Value, AppError>,
) -> Result<HttpResponse, AppError> {
    let n = body.label()?;
    let out = blocking(move || add(&app, &c.0, &id, &n)).await?;
    Ok(HttpResponse::Created().json(out))
}

async fn building(
    app: web::Data<App>,
    c: Caller,
    id: web::Path<String>,
    body: web::Json<Numbered>,
) -> Result<HttpResponse, AppError> {
    register_under(app, c, id, body, App::add_building).await
}

async fn unit(
    app: web::Data<App>,
    c: Caller,
    id: web::Path<String>,
    body: web::Json<Numbered>,
) -> Result<HttpResponse, AppError> {
    register_under(app, c, id, body, App::add_unit).await
}

async fn room(
    app: web::Data<App>,
    c: Caller,
    id: web::Path<String>,
    body: web::Json<Numbered>,
) -> Result<HttpResponse, AppError> {
    register_under(app, c, id, body, App::add_room).await
}
