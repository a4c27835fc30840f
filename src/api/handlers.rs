//! Route handlers: parse, call the application off the async threads, shape the answer.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::{blocking, Caller, Metrics};
use crate::app::{App, AppError, Role};
use crate::domain::Division;

pub async fn healthz(app: web::Data<App>) -> HttpResponse {
    let ok = blocking(move || app.store().read(crate::store::last_seq).map_err(AppError::from)).await;
    match ok {
        Ok(seq) => HttpResponse::Ok().json(json!({"status": "ok", "last_seq": seq})),
        Err(e) => super::problem(
            actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "服务暂不可用",
            &e.to_string(),
            None,
        ),
    }
}

pub async fn metrics(app: web::Data<App>, metrics: web::Data<Metrics>) -> HttpResponse {
    let r = app.register();
    let sizes = [
        ("division", r.divisions.len()),
        ("thoroughfare", r.thoroughfares.len()),
        ("locality", r.localities.len()),
        ("plate", r.plates.len()),
        ("building", r.buildings.len()),
        ("unit", r.units.len()),
        ("room", r.rooms.len()),
    ];
    HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(metrics.render(&sizes))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResolveQuery {
    q: String,
    /// `YYYY-MM-DD`: resolve against the register as it stood then.
    at: Option<String>,
}

pub async fn resolve_get(
    app: web::Data<App>,
    c: Caller,
    q: web::Query<ResolveQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(app.resolve(&c.0, &q.q, q.at.as_deref())?))
}

pub async fn resolve_post(
    app: web::Data<App>,
    c: Caller,
    q: web::Json<ResolveQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(app.resolve(&c.0, &q.q, q.at.as_deref())?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchQuery {
    queries: Vec<String>,
    at: Option<String>,
}

pub async fn resolve_batch(
    app: web::Data<App>,
    c: Caller,
    body: web::Json<BatchQuery>,
) -> Result<HttpResponse, AppError> {
    let BatchQuery { queries, at } = body.into_inner();
    let body = blocking(move || {
        use rayon::prelude::*;
        let results = app.resolve_batch(&c.0, &queries, at.as_deref())?;
        // Up to 10,000 answers: serialised on both cores, then joined in order.
        let parts: Vec<String> =
            results.par_iter().map(|r| serde_json::to_string(r).unwrap_or_else(|_| "null".into())).collect();
        Ok(format!("{{\"results\":[{}]}}", parts.join(",")))
    })
    .await?;
    Ok(HttpResponse::Ok().content_type("application/json").body(body))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AutocompleteQuery {
    q: String,
    limit: Option<usize>,
}

pub async fn autocomplete(
    app: web::Data<App>,
    c: Caller,
    q: web::Query<AutocompleteQuery>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(json!({"items": app.autocomplete(&c.0, &q.q, q.limit)?})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReverseQuery {
    lon: f64,
    lat: f64,
    radius_m: Option<f64>,
}

pub async fn reverse(app: web::Data<App>, c: Caller, q: web::Query<ReverseQuery>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(app.reverse(&c.0, q.lon, q.lat, q.radius_m)?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidateBody {
    address: String,
    at: Option<String>,
}

pub async fn validate_address(
    app: web::Data<App>,
    c: Caller,
    body: web::Json<ValidateBody>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(app.validate_address(&c.0, &body.address, body.at.as_deref())?))
}

pub(super) fn division_json(d: &Division) -> serde_json::Value {
    let mut v = json!({
        "code": d.code,
        "name": d.name,
        "level": d.level,
        "parent_code": d.parent_code,
        "aliases": d.aliases,
        "status": d.status,
    });
    if let Some(r) = &d.replaced_by {
        v["replaced_by"] = json!(r);
    }
    v
}

pub async fn division(app: web::Data<App>, _c: Caller, code: web::Path<String>) -> Result<HttpResponse, AppError> {
    let d = app.division(&code)?;
    Ok(HttpResponse::Ok().json(division_json(&d)))
}

pub async fn division_children(
    app: web::Data<App>,
    _c: Caller,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let items: Vec<_> = app.division_children(&code)?.iter().map(division_json).collect();
    Ok(HttpResponse::Ok().json(json!({"items": items})))
}

/// `?at=YYYY-MM-DD`: the record as it stood at the end of that day.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AtQuery {
    at: Option<String>,
}

pub async fn address(
    app: web::Data<App>,
    _c: Caller,
    id: web::Path<String>,
    q: web::Query<AtQuery>,
) -> Result<HttpResponse, AppError> {
    let at = q.at.as_deref();
    // A division's code answers with the division (SPEC §5).
    if let Ok(d) = app.division_as_of(&id, at) {
        let view = app.address(&d.code, at)?;
        let mut body = serde_json::to_value(&view).map_err(|e| AppError::Internal(e.to_string()))?;
        if let Some(o) = body.as_object_mut() {
            o.insert("division".into(), division_json(&d));
        }
        return Ok(HttpResponse::Ok().json(body));
    }
    Ok(HttpResponse::Ok().json(app.address(&id, at)?))
}

pub async fn address_children(
    app: web::Data<App>,
    _c: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(json!({"items": app.address_children(&id)?})))
}

pub async fn certificate(
    app: web::Data<App>,
    c: Caller,
    id: web::Path<String>,
    req: actix_web::HttpRequest,
) -> Result<HttpResponse, AppError> {
    let cert = blocking(move || app.certificate(&c.0, &id)).await?;
    let wants_json = req
        .headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    if wants_json {
        return Ok(HttpResponse::Ok().json(cert));
    }
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'"))
        .body(crate::app::certificates::to_html(&cert)))
}

pub async fn verify_certificate(
    app: web::Data<App>,
    c: Caller,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let cert = blocking(move || app.verify_certificate(&c.0, &code)).await?;
    Ok(HttpResponse::Ok().json(json!({"valid": true, "certificate": cert})))
}

#[derive(Deserialize)]
pub struct Page {
    #[serde(default)]
    after: i64,
    #[serde(default = "default_limit")]
    limit: i64,
}

fn default_limit() -> i64 {
    100
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedQuery {
    #[serde(default)]
    after: i64,
    #[serde(default = "default_limit")]
    limit: i64,
    /// Long-poll: wait up to this many seconds for a first event.
    #[serde(default)]
    wait: u64,
    county_code: Option<String>,
    /// Only events that touched this address (its subject, or listed among its changes).
    subject_id: Option<String>,
}

/// Longest long-poll, in seconds.
const MAX_WAIT_S: u64 = 60;

pub async fn events(app: web::Data<App>, c: Caller, q: web::Query<FeedQuery>) -> Result<HttpResponse, AppError> {
    let FeedQuery { after, limit, wait, county_code, subject_id } = q.into_inner();
    if wait > MAX_WAIT_S {
        return Err(AppError::Invalid(format!("wait 最多 {MAX_WAIT_S} 秒")));
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(wait);
    loop {
        let (app2, actor, county, subject) = (app.clone(), c.0.clone(), county_code.clone(), subject_id.clone());
        let page =
            blocking(move || app2.filtered_events(&actor, after, limit, county.as_deref(), subject.as_deref())).await?;
        if !page.events.is_empty() || std::time::Instant::now() >= deadline {
            return Ok(HttpResponse::Ok().json(page));
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

pub async fn audit(app: web::Data<App>, c: Caller, q: web::Query<Page>) -> Result<HttpResponse, AppError> {
    let Page { after, limit } = q.into_inner();
    let rows = blocking(move || app.audit(&c.0, after, limit)).await?;
    Ok(HttpResponse::Ok().json(json!({"items": rows})))
}

#[derive(Deserialize)]
pub struct ImportQuery {
    #[serde(default)]
    strict: bool,
}

pub async fn import(
    app: web::Data<App>,
    c: Caller,
    q: web::Query<ImportQuery>,
    body: web::Payload,
) -> Result<HttpResponse, AppError> {
    // Read here, not by the `Bytes` extractor, whose overflow answers in plain text.
    let body = match body.to_bytes_limited(super::MAX_IMPORT).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(e)) if e.as_error().is_some_and(super::deadline::body_timed_out) => {
            return Ok(super::deadline::body_too_slow())
        }
        Ok(Err(e)) => return Err(AppError::Invalid(format!("读取导入文件失败：{e}"))),
        Err(_) => return Ok(super::too_large(super::MAX_IMPORT)),
    };
    let text = String::from_utf8(body.to_vec()).map_err(|_| AppError::Invalid("导入文件必须是 UTF-8 编码".into()))?;
    let strict = q.strict;
    let outcome = blocking(move || app.import(&c.0, &text, strict)).await?;
    let status =
        if outcome.seq.is_some() { actix_web::http::StatusCode::CREATED } else { actix_web::http::StatusCode::OK };
    Ok(HttpResponse::build(status).json(outcome))
}

#[derive(Deserialize)]
pub struct ExportQuery {
    county_code: Option<String>,
}

pub async fn export(app: web::Data<App>, c: Caller, q: web::Query<ExportQuery>) -> Result<HttpResponse, AppError> {
    let county = q.into_inner().county_code;
    let text = blocking(move || app.export(&c.0, county.as_deref())).await?;
    Ok(HttpResponse::Ok().content_type("application/geo+json").body(text))
}

pub async fn list_tokens(app: web::Data<App>, c: Caller) -> Result<HttpResponse, AppError> {
    let items = blocking(move || app.list_tokens(&c.0)).await?;
    Ok(HttpResponse::Ok().json(json!({"items": items})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    role: String,
    scope: Option<String>,
    label: Option<String>,
    expires_at: Option<String>,
}

pub async fn create_token(app: web::Data<App>, c: Caller, body: web::Json<NewToken>) -> Result<HttpResponse, AppError> {
    let NewToken { role, scope, label, expires_at } = body.into_inner();
    let role = Role::parse(&role).ok_or_else(|| AppError::Invalid(format!("未知的角色“{role}”")))?;
    let (info, secret) = blocking(move || app.create_expiring_token(&c.0, role, scope, label, expires_at)).await?;
    let mut body = serde_json::to_value(info).map_err(|e| AppError::Internal(e.to_string()))?;
    if let Some(o) = body.as_object_mut() {
        o.insert("token".into(), json!(secret));
    }
    Ok(HttpResponse::Created().json(body))
}

pub async fn revoke_token(app: web::Data<App>, c: Caller, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let id2 = id.clone();
    blocking(move || app.revoke_token(&c.0, &id2)).await?;
    Ok(HttpResponse::Ok().json(json!({"id": id, "revoked": true})))
}
