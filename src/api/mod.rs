//! The HTTP API (SPEC §5): thin handlers that parse the request, call the application
//! and shape its answer. Every `/v1` route declares its roles in [`ROUTES`].

mod auth;
mod deadline;
mod handlers;
mod limit;
mod metrics;
mod names;
pub mod openapi;
mod plates;
mod problem;
mod schemas;
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

/// A `/v1` route: the roles it admits, and what `/openapi.json` says of it. Its body and
/// its answers must be named to build one, so no route is served without being described.
#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub roles: &'static [Role],
    pub summary: &'static str,
    pub query: &'static [Param],
    /// Request headers the route reads (`Idempotency-Key`).
    pub headers: &'static [Param],
    pub body: Body,
    /// What it answers when it succeeds.
    pub answers: &'static [Answer],
    /// The problems its own work can give (404, 409, 422); those every `/v1` route can give
    /// (401, 429, 503), and those of its roles (403) and its input (400, 408, 413), are added by
    /// [`openapi`].
    pub refusals: &'static [Refusal],
    /// Whether it may change the register (every POST unless marked [`RouteSpec::reads`]):
    /// a change is never cut off by the request timeout (see [`deadline`]).
    pub changes: bool,
}

/// The body a route reads: a schema under `components/schemas`, or nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    Empty,
    Json(&'static str),
    /// A GeoJSON file (`application/geo+json`).
    GeoJson(&'static str),
}

/// A success answer: its status, media type and schema (under `components/schemas`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub media: &'static str,
    pub schema: &'static str,
}

impl Answer {
    pub const fn of(status: u16, media: &'static str, schema: &'static str) -> Answer {
        Answer { status, media, schema }
    }
}

/// 200 with a JSON body.
pub const fn ok(schema: &'static str) -> Answer {
    Answer::of(200, "application/json", schema)
}

/// 201 with a JSON body: something was created.
pub const fn created(schema: &'static str) -> Answer {
    Answer::of(201, "application/json", schema)
}

/// A problem (`application/problem+json`) a route can answer with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub schema: &'static str,
    pub description: &'static str,
}

pub const NOT_FOUND: Refusal = Refusal { status: 404, schema: "Problem", description: "ID 或代码不存在" };
pub const CONFLICT: Refusal = Refusal {
    status: 409,
    schema: "Problem",
    description: "与登记册状态冲突（号码已占用或已注销、状态不符、仍有门牌等）",
};
pub const RULE_BROKEN: Refusal =
    Refusal {
        status: 422, schema: "RuleProblem", description: "违反命名或编号规则，violations 列出每一条"
    };
pub const TOO_MANY_VERTICES: Refusal = Refusal {
    status: 413,
    schema: "Problem",
    description: "几何的顶点超过每个要素的上限（MENPAI_MAX_VERTICES，默认 10000）",
};
pub const IMPORT_REFUSED: Refusal =
    Refusal {
        status: 422, schema: "ImportProblem", description: "导入被拒绝，report 逐要素说明原因；未导入任何内容"
    };

/// A query or header parameter.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    /// `string`, `integer`, `number`, `boolean`, or `date` (a `YYYY-MM-DD` string).
    pub ty: &'static str,
    pub required: bool,
    /// The values it takes, where they are few.
    pub values: &'static [&'static str],
    pub description: &'static str,
}

impl Param {
    pub const fn req(name: &'static str, ty: &'static str) -> Param {
        Param { name, ty, required: true, values: &[], description: "" }
    }

    pub const fn opt(name: &'static str, ty: &'static str) -> Param {
        Param { required: false, ..Param::req(name, ty) }
    }

    pub const fn one_of(self, values: &'static [&'static str]) -> Param {
        Param { values, ..self }
    }

    pub const fn about(self, description: &'static str) -> Param {
        Param { description, ..self }
    }
}

impl RouteSpec {
    pub const fn get(
        path: &'static str,
        roles: &'static [Role],
        summary: &'static str,
        answers: &'static [Answer],
    ) -> Self {
        RouteSpec {
            method: "GET",
            path,
            roles,
            summary,
            query: &[],
            headers: &[],
            body: Body::Empty,
            answers,
            refusals: &[],
            changes: false,
        }
    }

    pub const fn post(
        path: &'static str,
        roles: &'static [Role],
        summary: &'static str,
        body: Body,
        answers: &'static [Answer],
    ) -> Self {
        RouteSpec { method: "POST", body, changes: true, ..RouteSpec::get(path, roles, summary, answers) }
    }

    /// A POST that only reads (resolution, checks, suggestions).
    pub const fn reads(self) -> Self {
        RouteSpec { changes: false, ..self }
    }

    pub const fn query(self, query: &'static [Param]) -> Self {
        RouteSpec { query, ..self }
    }

    pub const fn headers(self, headers: &'static [Param]) -> Self {
        RouteSpec { headers, ..self }
    }

    pub const fn refusals(self, refusals: &'static [Refusal]) -> Self {
        RouteSpec { refusals, ..self }
    }
}

/// Every `/v1` route with its roles: the tables that access is decided by, one per part
/// of the API.
pub fn routes() -> impl Iterator<Item = &'static RouteSpec> {
    CORE_ROUTES.iter().chain(names::ROUTES).chain(plates::ROUTES)
}

const PAGE: &[Param] = &[Param::opt("after", "integer"), Param::opt("limit", "integer")];

/// The optional historical date of reading routes: the register as it stood that day.
const AT: Param = Param::opt("at", "date").about("按某日（YYYY-MM-DD）的登记册作答；缺省为今天");

/// The register's reading, resolution, import/export, audit and token routes.
const CORE_ROUTES: &[RouteSpec] = &[
    RouteSpec::get("/v1/resolve", ANY, "解析：自由文本地址 → 标准地址", &[ok("Resolution")])
        .query(&[Param::req("q", "string"), AT]),
    RouteSpec::post(
        "/v1/resolve",
        ANY,
        "解析：自由文本地址 → 标准地址",
        Body::Json("ResolveRequest"),
        &[ok("Resolution")],
    )
    .reads(),
    RouteSpec::post(
        "/v1/resolve/batch",
        ANY,
        "批量解析（最多 10000 条）",
        Body::Json("BatchRequest"),
        &[ok("BatchResults")],
    )
    .reads(),
    RouteSpec::get("/v1/autocomplete", ANY, "自动补全：汉字、拼音或拼音首字母前缀", &[ok("Suggestions")])
        .query(&[Param::req("q", "string"), Param::opt("limit", "integer").about("1 到 50，缺省 10")]),
    RouteSpec::get("/v1/reverse", ANY, "逆地理：离某点最近的门牌和道路", &[ok("Nearest")]).query(&[
        Param::req("lon", "number"),
        Param::req("lat", "number"),
        Param::opt("radius_m", "number").about("搜索半径（米），0 到 2000，缺省 500"),
    ]),
    RouteSpec::post(
        "/v1/validate",
        ANY,
        "登记校验：是否为已编发的现行地址，否则说明原因",
        Body::Json("ValidateRequest"),
        &[ok("AddressValidation")],
    )
    .reads(),
    RouteSpec::get("/v1/divisions/{code}", ANY, "区划：按代码读取", &[ok("Division")]).refusals(&[NOT_FOUND]),
    RouteSpec::get("/v1/divisions/{code}/children", ANY, "区划：下级区划", &[ok("DivisionList")])
        .refusals(&[NOT_FOUND]),
    RouteSpec::get("/v1/addresses/{id}", ANY, "地址：按 ID 读取（含历史）", &[ok("Address")])
        .query(&[AT])
        .refusals(&[NOT_FOUND]),
    RouteSpec::get(
        "/v1/addresses/{id}/children",
        ANY,
        "地址：下一级地址（道路的门牌、门牌的楼栋、楼栋的单元、单元的房间、区划的下级区划）",
        &[ok("AddressChildren")],
    )
    .refusals(&[NOT_FOUND]),
    RouteSpec::get(
        "/v1/addresses/{id}/certificate",
        ANY,
        "地址变更证明（HTML；Accept: application/json 为 JSON）",
        &[Answer::of(200, "text/html", "CertificatePage"), ok("Certificate")],
    )
    .refusals(&[NOT_FOUND]),
    RouteSpec::get("/v1/certificates/{code}", ANY, "查验地址变更证明", &[ok("CertificateCheck")])
        .refusals(&[NOT_FOUND]),
    RouteSpec::get("/v1/events", ANY, "变更流：按 seq 分页，wait 长轮询，county_code 只看一县", &[ok("EventPage")])
        .query(&[
            Param::opt("after", "integer").about("从此 seq 之后读起，缺省 0"),
            Param::opt("limit", "integer").about("1 到 1000，缺省 100"),
            Param::opt("wait", "integer").about("无新事件时最多等待的秒数（0 到 60）"),
            Param::opt("county_code", "string"),
            Param::opt("subject_id", "string").about("只看涉及此地址的事件"),
        ])
        .refusals(&[NOT_FOUND]),
    RouteSpec::post(
        "/v1/import",
        ADMIN,
        "导入 GeoJSON（全部或全不）",
        Body::GeoJson("ImportFile"),
        &[created("ImportOutcome"), ok("ImportOutcome")],
    )
    .query(&[Param::opt("strict", "boolean").about("有任何质量问题即拒绝整个文件")])
    .refusals(&[IMPORT_REFUSED]),
    RouteSpec::get(
        "/v1/export.geojson",
        ADMIN,
        "导出 GeoJSON",
        &[Answer::of(200, "application/geo+json", "RegisterExport")],
    )
    .query(&[Param::opt("county_code", "string")])
    .refusals(&[NOT_FOUND]),
    RouteSpec::get("/v1/audit", ADMIN, "审计日志", &[ok("AuditPage")]).query(PAGE),
    RouteSpec::get("/v1/tokens", ADMIN, "令牌列表", &[ok("TokenList")]),
    RouteSpec::post("/v1/tokens", ADMIN, "创建令牌", Body::Json("TokenRequest"), &[created("NewToken")]),
    RouteSpec::post("/v1/tokens/{id}/revoke", ADMIN, "吊销令牌", Body::Empty, &[ok("TokenRevoked")])
        .refusals(&[NOT_FOUND]),
];

/// The route of a method and path pattern; None when the path has no such method.
pub fn route(method: &str, path: &str) -> Option<&'static RouteSpec> {
    routes().find(|r| r.method == method && r.path == path)
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
        .app_data(web::QueryConfig::default().error_handler(|_, _| bad_request("查询参数无效：缺少必需的参数，或取值的类型不对".into())))
        .app_data(web::PathConfig::default().error_handler(|_, _| bad_request("路径中的参数无效".into())))
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
        E::Payload(ref p) if deadline::body_timed_out(p) => {
            actix_web::error::InternalError::from_response(e.to_string(), deadline::body_too_slow()).into()
        }
        E::Deserialize(ref err) => bad_request(json_detail(err)),
        E::ContentType => bad_request("Content-Type 应为 application/json".into()),
        _ => bad_request("请求体不是有效的 JSON".into()),
    }
}

/// What was wrong with a JSON body, in Chinese: the field and the place, never the
/// parser's own words.
fn json_detail(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let quoted = |s: &str| s.split('`').nth(1).map(str::to_string);
    let what = if text.starts_with("missing field") {
        quoted(&text).map(|f| format!("缺少字段 {f}"))
    } else if text.starts_with("unknown field") {
        quoted(&text).map(|f| format!("不认识的字段 {f}"))
    } else if text.starts_with("duplicate field") {
        quoted(&text).map(|f| format!("字段 {f} 出现了两次"))
    } else if text.starts_with("invalid type") || text.starts_with("invalid value") {
        Some("字段的类型或取值不对".into())
    } else if text.starts_with("recursion limit exceeded") {
        Some("JSON 嵌套过深".into())
    } else {
        None
    };
    let what = what.unwrap_or_else(|| match e.classify() {
        serde_json::error::Category::Eof => "JSON 不完整".into(),
        serde_json::error::Category::Syntax => "JSON 语法错误".into(),
        _ => "JSON 内容不符合要求".into(),
    });
    if e.line() > 0 {
        format!("{what}（第 {} 行第 {} 列）", e.line(), e.column())
    } else {
        what
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
        "unknown_route",
        "没有这个接口",
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
