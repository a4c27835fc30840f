//! `GET /openapi.json`: the OpenAPI 3.1 description of the API, built from the route
//! tables ([`super::routes`]), which name every route's body and answers, and from the
//! schemas of [`super::schemas`], so that no route can be served without being described.

use actix_web::HttpResponse;
use serde_json::{json, Map, Value};

use super::{routes, Answer, Body, Param, Refusal, RouteSpec};
use crate::app::Role;

fn schema_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn param_schema(p: &Param) -> Value {
    let mut schema = match p.ty {
        "date" => json!({"type": "string", "format": "date"}),
        ty => json!({"type": ty}),
    };
    if !p.values.is_empty() {
        schema["enum"] = json!(p.values);
    }
    schema
}

fn parameter(p: &Param, location: &str) -> Value {
    let mut v = json!({"name": p.name, "in": location, "required": p.required, "schema": param_schema(p)});
    if !p.description.is_empty() {
        v["description"] = json!(p.description);
    }
    v
}

/// The answers of one status, one entry per media type.
fn answers(list: &[Answer]) -> Map<String, Value> {
    let mut out = Map::new();
    for a in list {
        let entry = out
            .entry(a.status.to_string())
            .or_insert_with(|| json!({"description": if a.status == 201 { "已创建" } else { "成功" }, "content": {}}));
        entry["content"][a.media] = json!({"schema": schema_ref(a.schema)});
    }
    out
}

fn refusal(schema: &str, description: &str) -> Value {
    json!({"description": description, "content": {"application/problem+json": {"schema": schema_ref(schema)}}})
}

/// Every problem a route can answer with: those of its own work, and those that follow
/// from what every `/v1` route does (authentication, rate limits, the store), from its
/// roles and from its input.
fn refusals(r: &RouteSpec) -> Vec<(u16, Value)> {
    let mut out = vec![
        (401, json!({"$ref": "#/components/responses/Unauthenticated"})),
        (429, json!({"$ref": "#/components/responses/RateLimited"})),
        (503, json!({"$ref": "#/components/responses/Unavailable"})),
    ];
    if r.body != Body::Empty || !r.query.is_empty() || !r.headers.is_empty() {
        out.push((400, refusal("Problem", "请求格式错误、类型不符或取值无效")));
    }
    if r.body != Body::Empty {
        let limit = if matches!(r.body, Body::GeoJson(_)) { "256 MiB" } else { "8 MiB" };
        out.push((413, refusal("Problem", &format!("请求体超过 {limit}"))));
        out.push((408, refusal("Problem", "请求体未在时限内传完（MENPAI_REQUEST_TIMEOUT_SECS）")));
    }
    if r.roles.len() < Role::ALL.len() {
        out.push((403, refusal("Problem", "角色不符，或变更超出令牌的范围")));
    }
    // Several refusals of one status share its entry.
    let mut own: Vec<&Refusal> = r.refusals.iter().collect();
    own.sort_by_key(|x| x.status);
    for x in own {
        match out.iter_mut().find(|(s, _)| *s == x.status) {
            Some((_, v)) => {
                let d = format!("{}；{}", v["description"].as_str().unwrap_or(""), x.description);
                v["description"] = json!(d);
            }
            None => out.push((x.status, refusal(x.schema, x.description))),
        }
    }
    out
}

fn operation(r: &RouteSpec) -> Value {
    let mut params: Vec<Value> = r
        .path
        .split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
        .collect();
    params.extend(r.query.iter().map(|p| parameter(p, "query")));
    params.extend(r.headers.iter().map(|p| parameter(p, "header")));
    let roles: Vec<&str> = r.roles.iter().map(|x| x.as_str()).collect();
    let mut responses = answers(r.answers);
    for (status, v) in refusals(r) {
        responses.insert(status.to_string(), v);
    }
    let mut op = json!({
        "summary": r.summary,
        "description": format!("角色：{}", roles.join(", ")),
        "parameters": params,
        "security": [{"bearer": []}],
        "x-roles": roles,
        "responses": responses,
    });
    match r.body {
        Body::Empty => {}
        Body::Json(name) => {
            op["requestBody"] =
                json!({"required": true, "content": {"application/json": {"schema": schema_ref(name)}}});
        }
        Body::GeoJson(name) => {
            op["requestBody"] =
                json!({"required": true, "content": {"application/geo+json": {"schema": schema_ref(name)}}});
        }
    }
    op
}

/// `/healthz`, `/metrics` and `/openapi.json`: outside `/v1`, open to all.
fn open_routes() -> [(&'static str, Value); 3] {
    let get = |summary: &str, media: &str, schema: &str| {
        json!({"get": {
            "summary": summary,
            "security": [],
            "responses": {"200": {"description": "成功", "content": {media: {"schema": schema_ref(schema)}}}}
        }})
    };
    let mut health = get("健康检查：存储可用时 200", "application/json", "Health");
    health["get"]["responses"]["503"] = refusal("Problem", "存储不可用");
    [
        ("/healthz", health),
        ("/metrics", get("Prometheus 指标", "text/plain", "Metrics")),
        ("/openapi.json", get("本文档", "application/json", "OpenApi")),
    ]
}

pub fn document() -> Value {
    let mut paths = Map::new();
    for r in routes() {
        let item = paths.entry(r.path.to_string()).or_insert_with(|| json!({}));
        item[r.method.to_lowercase()] = operation(r);
    }
    for (path, item) in open_routes() {
        paths.insert(path.into(), item);
    }
    let problem = |description: &str, header: Option<(&str, &str)>| {
        let mut v = refusal("Problem", description);
        if let Some((name, about)) = header {
            v["headers"] = json!({name: {"description": about, "schema": {"type": "string"}}});
        }
        v
    };
    json!({
        "openapi": "3.1.0",
        "info": {"title": "门牌 — 恩施州地名门牌登记服务", "version": env!("CARGO_PKG_VERSION")},
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {
                "Unauthenticated": problem("缺少令牌，或令牌无效、已吊销、已过期", Some(("WWW-Authenticate", "Bearer"))),
                "RateLimited": problem("请求过于频繁", Some(("Retry-After", "多少秒后可重试"))),
                "Unavailable": problem("存储暂不可用或繁忙，或查询未在时限内完成；未作任何变更", None),
            },
            "schemas": super::schemas::schemas(),
        }
    })
}

pub async fn serve() -> HttpResponse {
    HttpResponse::Ok().json(document())
}
