//! The HTTP API (SPEC §5): thin handlers that parse the request, call the application
//! and shape its answer. Every `/v1` route declares its roles in [`ROUTES`].

mod auth;
mod handlers;
mod metrics;
pub mod openapi;
mod problem;

use actix_web::http::{Method, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};

pub use auth::{Caller, Require};
pub use metrics::Metrics;
pub use problem::problem;

use crate::app::Role;

/// Every role: reading, resolution, validation and the feed need any valid token.
pub const ANY: &[Role] = &Role::ALL;
pub const ADMIN: &[Role] = &[Role::Admin];

/// A `/v1` route and the roles it admits.
#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub roles: &'static [Role],
}

/// Every `/v1` route, with its roles: the one table that access is decided by.
pub const ROUTES: &[RouteSpec] = &[
    RouteSpec { method: "GET", path: "/v1/resolve", roles: ANY },
    RouteSpec { method: "POST", path: "/v1/resolve", roles: ANY },
    RouteSpec { method: "POST", path: "/v1/resolve/batch", roles: ANY },
    RouteSpec { method: "GET", path: "/v1/divisions/{code}", roles: ANY },
    RouteSpec { method: "GET", path: "/v1/divisions/{code}/children", roles: ANY },
    RouteSpec { method: "GET", path: "/v1/addresses/{id}", roles: ANY },
    RouteSpec { method: "GET", path: "/v1/events", roles: ANY },
    RouteSpec { method: "POST", path: "/v1/import", roles: ADMIN },
    RouteSpec { method: "GET", path: "/v1/export.geojson", roles: ADMIN },
    RouteSpec { method: "GET", path: "/v1/audit", roles: ADMIN },
    RouteSpec { method: "GET", path: "/v1/tokens", roles: ADMIN },
    RouteSpec { method: "POST", path: "/v1/tokens", roles: ADMIN },
    RouteSpec { method: "POST", path: "/v1/tokens/{id}/revoke", roles: ADMIN },
];

fn roles(method: &str, path: &str) -> &'static [Role] {
    ROUTES
        .iter()
        .find(|r| r.method == method && r.path == path)
        .map(|r| r.roles)
        .unwrap_or_else(|| panic!("route {method} {path} is missing from api::ROUTES"))
}

/// Bodies above this are refused with 413 (imports have their own, larger limit).
pub const MAX_BODY: usize = 8 * 1024 * 1024;
pub const MAX_IMPORT: usize = 256 * 1024 * 1024;

/// Registers one `/v1` route wrapped in the roles [`ROUTES`] gives it.
fn route<F, Args>(cfg: &mut web::ServiceConfig, method: &'static str, path: &'static str, handler: F)
where
    F: actix_web::Handler<Args>,
    Args: actix_web::FromRequest + 'static,
    F::Output: actix_web::Responder + 'static,
{
    let m = Method::from_bytes(method.as_bytes()).expect("valid method");
    let mut resource = web::resource(path).route(web::method(m).to(handler));
    if path == "/v1/import" {
        resource = resource.app_data(web::PayloadConfig::new(MAX_IMPORT));
    }
    cfg.service(resource.wrap(Require(roles(method, path))));
}

/// The whole HTTP surface.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::PayloadConfig::new(MAX_BODY))
        .app_data(web::JsonConfig::default().limit(MAX_BODY).error_handler(|e, _| bad_request(e.to_string())))
        .app_data(web::QueryConfig::default().error_handler(|e, _| bad_request(e.to_string())))
        .app_data(web::PathConfig::default().error_handler(|e, _| bad_request(e.to_string())))
        .route("/healthz", web::get().to(handlers::healthz))
        .route("/metrics", web::get().to(handlers::metrics))
        .route("/openapi.json", web::get().to(openapi::serve));
    cfg.service(
        web::resource("/v1/resolve")
            .route(web::get().to(handlers::resolve_get))
            .route(web::post().to(handlers::resolve_post))
            .wrap(Require(roles("GET", "/v1/resolve"))),
    );
    route(cfg, "POST", "/v1/resolve/batch", handlers::resolve_batch);
    route(cfg, "GET", "/v1/divisions/{code}", handlers::division);
    route(cfg, "GET", "/v1/divisions/{code}/children", handlers::division_children);
    route(cfg, "GET", "/v1/addresses/{id}", handlers::address);
    route(cfg, "GET", "/v1/events", handlers::events);
    route(cfg, "POST", "/v1/import", handlers::import);
    route(cfg, "GET", "/v1/export.geojson", handlers::export);
    route(cfg, "GET", "/v1/audit", handlers::audit);
    route(cfg, "GET", "/v1/tokens", handlers::list_tokens);
    route(cfg, "POST", "/v1/tokens", handlers::create_token);
    route(cfg, "POST", "/v1/tokens/{id}/revoke", handlers::revoke_token);
}

fn bad_request(detail: String) -> actix_web::Error {
    let resp = problem(StatusCode::BAD_REQUEST, "invalid", "请求无效", &format!("请求格式错误：{detail}"), None);
    actix_web::error::InternalError::from_response(detail, resp).into()
}

/// Unknown routes and methods answer in problem+json too.
pub async fn not_found(req: HttpRequest) -> HttpResponse {
    problem(StatusCode::NOT_FOUND, "not_found", "未找到", &format!("没有这个接口：{} {}", req.method(), req.path()), None)
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
