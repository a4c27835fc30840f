//! The HTTP API (SPEC §5): thin handlers that parse the request, call the application
//! and shape its answer. Every `/v1` route declares its roles in [`ROUTES`].

mod auth;
mod handlers;
mod limit;
mod metrics;
mod names;
pub mod openapi;
mod plates;
mod problem;
mod webapp;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

pub use auth::{Caller, Require};
pub use limit::RateLimiter;
pub use metrics::Metrics;
pub use problem::problem;

use crate::app::Role;

/// Every role: reading, resolution, validation and the feed need any valid token.
pub const ANY: &[Role] = &Role::ALL;
pub const ADMIN: &[Role] = &[Role::Admin];

/// A `/v1` route, the roles it admits, and what `/openapi.json` says of it.
#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub roles: &'static [Role],
    pub summary: &'static str,
    /// Query parameters: (name, JSON type).
    pub query: &'static [(&'static str, &'static str)],
}

impl RouteSpec {
    pub const fn new(method: &'static str, path: &'static str, roles: &'static [Role], summary: &'static str) -> Self {
        RouteSpec { method, path, roles, summary, query: &[] }
    }

    pub const fn query(self, query: &'static [(&'static str, &'static str)]) -> Self {
        RouteSpec { query, ..self }
    }
}

/// Every `/v1` route with its roles: the tables that access is decided by, one per part
/// of the API.
pub fn routes() -> impl Iterator<Item = &'static RouteSpec> {
    CORE_ROUTES.iter().chain(names::ROUTES).chain(plates::ROUTES)
}

const PAGE: &[(&str, &str)] = &[("after", "integer"), ("limit", "integer")];

/// The register's reading, resolution, import/export, audit and token routes.
const CORE_ROUTES: &[RouteSpec] = &[
    RouteSpec::new("GET", "/v1/resolve", ANY, "解析：自由文本地址 → 标准地址").query(&[("q", "string")]),
    RouteSpec::new("POST", "/v1/resolve", ANY, "解析：自由文本地址 → 标准地址"),
    RouteSpec::new("POST", "/v1/resolve/batch", ANY, "批量解析（最多 10000 条）"),
    RouteSpec::new("GET", "/v1/autocomplete", ANY, "自动补全：汉字、拼音或拼音首字母前缀")
        .query(&[("q", "string"), ("limit", "integer")]),
    RouteSpec::new("GET", "/v1/reverse", ANY, "逆地理：离某点最近的门牌和道路").query(&[
        ("lon", "number"),
        ("lat", "number"),
        ("radius_m", "number"),
    ]),
    RouteSpec::new("POST", "/v1/validate", ANY, "登记校验：是否为已编发的现行地址，否则说明原因"),
    RouteSpec::new("GET", "/v1/divisions/{code}", ANY, "区划：按代码读取"),
    RouteSpec::new("GET", "/v1/divisions/{code}/children", ANY, "区划：下级区划"),
    RouteSpec::new("GET", "/v1/addresses/{id}", ANY, "地址：按 ID 读取（含历史）"),
    RouteSpec::new(
        "GET",
        "/v1/addresses/{id}/children",
        ANY,
        "地址：下一级地址（道路的门牌、门牌的楼栋、楼栋的单元、单元的房间、区划的下级区划）",
    ),
    RouteSpec::new(
        "GET",
        "/v1/addresses/{id}/certificate",
        ANY,
        "地址变更证明（HTML；Accept: application/json 为 JSON）",
    ),
    RouteSpec::new("GET", "/v1/certificates/{code}", ANY, "查验地址变更证明"),
    RouteSpec::new("GET", "/v1/events", ANY, "变更流：按 seq 分页，wait 长轮询，county_code 只看一县").query(&[
        ("after", "integer"),
        ("limit", "integer"),
        ("wait", "integer"),
        ("county_code", "string"),
        ("subject_id", "string"),
    ]),
    RouteSpec::new("POST", "/v1/import", ADMIN, "导入 GeoJSON").query(&[("strict", "boolean")]),
    RouteSpec::new("GET", "/v1/export.geojson", ADMIN, "导出 GeoJSON").query(&[("county_code", "string")]),
    RouteSpec::new("GET", "/v1/audit", ADMIN, "审计日志").query(PAGE),
    RouteSpec::new("GET", "/v1/tokens", ADMIN, "令牌列表"),
    RouteSpec::new("POST", "/v1/tokens", ADMIN, "创建令牌"),
    RouteSpec::new("POST", "/v1/tokens/{id}/revoke", ADMIN, "吊销令牌"),
];

/// The roles a route admits; None when the path has no such method.
pub fn roles_for(method: &str, path: &str) -> Option<&'static [Role]> {
    routes().find(|r| r.method == method && r.path == path).map(|r| r.roles)
}

/// Bodies above this are refused with 413 (imports have their own, larger limit).
pub const MAX_BODY: usize = 8 * 1024 * 1024;
pub const MAX_IMPORT: usize = 256 * 1024 * 1024;

/// Adds a `/v1` resource: access by its entries in [`routes`], and 405 as a problem for
/// methods it does not have.
pub(crate) fn add(
    cfg: &mut web::ServiceConfig,
    path: &'static str,
    build: impl FnOnce(actix_web::Resource) -> actix_web::Resource,
) {
    assert!(routes().any(|r| r.path == path), "{path} is missing from the route tables");
    let resource = build(web::resource(path).default_service(web::to(method_not_allowed)));
    cfg.service(resource.wrap(Require(path)));
}

/// The whole HTTP surface.
pub fn configure(cfg: &mut web::ServiceConfig) {
    use handlers as h;
    cfg.app_data(web::PayloadConfig::new(MAX_BODY))
        .app_data(web::JsonConfig::default().limit(MAX_BODY).error_handler(|e, _| json_error(e)))
        .app_data(web::QueryConfig::default().error_handler(|e, _| bad_request(e.to_string())))
        .app_data(web::PathConfig::default().error_handler(|e, _| bad_request(e.to_string())))
        .route("/healthz", web::get().to(h::healthz))
        .route("/metrics", web::get().to(h::metrics))
        .route("/openapi.json", web::get().to(openapi::serve));
    add(cfg, "/v1/resolve", |r| r.route(web::get().to(h::resolve_get)).route(web::post().to(h::resolve_post)));
    add(cfg, "/v1/resolve/batch", |r| r.route(web::post().to(h::resolve_batch)));
    add(cfg, "/v1/autocomplete", |r| r.route(web::get().to(h::autocomplete)));
    add(cfg, "/v1/reverse", |r| r.route(web::get().to(h::reverse)));
    add(cfg, "/v1/validate", |r| r.route(web::post().to(h::validate_address)));
    add(cfg, "/v1/divisions/{code}", |r| r.route(web::get().to(h::division)));
    add(cfg, "/v1/divisions/{code}/children", |r| r.route(web::get().to(h::division_children)));
    add(cfg, "/v1/addresses/{id}", |r| r.route(web::get().to(h::address)));
    add(cfg, "/v1/addresses/{id}/children", |r| r.route(web::get().to(h::address_children)));
    add(cfg, "/v1/addresses/{id}/certificate", |r| r.route(web::get().to(h::certificate)));
    add(cfg, "/v1/certificates/{code}", |r| r.route(web::get().to(h::verify_certificate)));
    add(cfg, "/v1/events", |r| r.route(web::get().to(h::events)));
    add(cfg, "/v1/import", |r| r.route(web::post().to(h::import)));
    add(cfg, "/v1/export.geojson", |r| r.route(web::get().to(h::export)));
    add(cfg, "/v1/audit", |r| r.route(web::get().to(h::audit)));
    add(cfg, "/v1/tokens", |r| r.route(web::get().to(h::list_tokens)).route(web::post().to(h::create_token)));
    add(cfg, "/v1/tokens/{id}/revoke", |r| r.route(web::post().to(h::revoke_token)));
    names::configure(cfg);
    plates::configure(cfg);
    webapp::configure(cfg);
}

async fn method_not_allowed(req: HttpRequest) -> HttpResponse {
    problem(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "方法不允许",
        &format!("{} 不支持 {} 方法", req.path(), req.method()),
        None,
    )
}

/// Runs blocking store work on actix's thread pool, off the async workers.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, crate::app::AppError> + Send + 'static,
) -> Result<T, crate::app::AppError> {
    web::block(f).await.map_err(|e| crate::app::AppError::Internal(e.to_string()))?
}

/// A JSON body that could not be read: too large (413), or malformed (400).
fn json_error(e: actix_web::error::JsonPayloadError) -> actix_web::Error {
    use actix_web::error::{JsonPayloadError as E, PayloadError};
    match e {
        E::Overflow { .. } | E::OverflowKnownLength { .. } | E::Payload(PayloadError::Overflow) => {
            let resp = too_large(MAX_BODY);
            actix_web::error::InternalError::from_response(e.to_string(), resp).into()
        }
        e => bad_request(e.to_string()),
    }
}

/// 413 for a body over `limit` bytes.
pub(crate) fn too_large(limit: usize) -> HttpResponse {
    problem(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        "请求体过大",
        &format!("请求体超过 {} MiB 的上限", limit >> 20),
        None,
    )
}

fn bad_request(detail: String) -> actix_web::Error {
    let resp = problem(StatusCode::BAD_REQUEST, "invalid", "请求无效", &format!("请求格式错误：{detail}"), None);
    actix_web::error::InternalError::from_response(detail, resp).into()
}

/// Unknown routes and methods answer in problem+json too.
pub async fn not_found(req: HttpRequest) -> HttpResponse {
    problem(
        StatusCode::NOT_FOUND,
        "not_found",
        "未找到",
        &format!("没有这个接口：{} {}", req.method(), req.path()),
        None,
    )
}

/// Builds the actix application for `app` (used by `serve` and by the tests).
#[macro_export]
macro_rules! http_app {
    ($app:expr, $metrics:expr) => {
        actix_web::App::new()
            .app_data(actix_web::web::Data::new($app.clone()))
            .app_data(actix_web::web::Data::new($metrics.clone()))
            .wrap(actix_web::middleware::from_fn($crate::api::Metrics::middleware))
            .wrap(tracing_actix_web::TracingLogger::default())
            .configure($crate::api::configure)
            .default_service(actix_web::web::to($crate::api::not_found))
    };
}
