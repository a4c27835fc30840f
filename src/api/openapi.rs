//! `GET /openapi.json`: the OpenAPI 3.1 description of the API, built from [`ROUTES`] so
//! that no route can be served without being described.

use actix_web::HttpResponse;
use serde_json::{json, Map, Value};

use super::{RouteSpec, ROUTES};

/// What each route does, for the description.
fn summary(r: &RouteSpec) -> &'static str {
    match (r.method, r.path) {
        ("GET", "/v1/resolve") | ("POST", "/v1/resolve") => "解析：自由文本地址 → 标准地址",
        ("POST", "/v1/resolve/batch") => "批量解析（最多 10000 条）",
        ("GET", "/v1/divisions/{code}") => "区划：按代码读取",
        ("GET", "/v1/divisions/{code}/children") => "区划：下级区划",
        ("GET", "/v1/addresses/{id}") => "地址：按 ID 读取（含历史）",
        ("GET", "/v1/events") => "变更流：按 seq 分页",
        ("POST", "/v1/import") => "导入 GeoJSON（管理员）",
        ("GET", "/v1/export.geojson") => "导出 GeoJSON（管理员）",
        ("GET", "/v1/audit") => "审计日志（管理员）",
        ("GET", "/v1/tokens") => "令牌列表（管理员）",
        ("POST", "/v1/tokens") => "创建令牌（管理员）",
        ("POST", "/v1/tokens/{id}/revoke") => "吊销令牌（管理员）",
        _ => "",
    }
}

fn query_params(r: &RouteSpec) -> Vec<Value> {
    let q = |name: &str, ty: &str| json!({"name": name, "in": "query", "required": false, "schema": {"type": ty}});
    match r.path {
        "/v1/events" | "/v1/audit" => vec![q("after", "integer"), q("limit", "integer")],
        "/v1/import" => vec![q("strict", "boolean")],
        "/v1/resolve" if r.method == "GET" => vec![json!({"name": "q", "in": "query", "required": true, "schema": {"type": "string", "maxLength": 512}})],
        "/v1/export.geojson" => vec![q("county_code", "string")],
        _ => vec![],
    }
}

pub fn document() -> Value {
    let mut paths = Map::new();
    for r in ROUTES {
        let mut params: Vec<Value> = r
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        params.extend(query_params(r));
        let roles: Vec<&str> = r.roles.iter().map(|x| x.as_str()).collect();
        let mut op = json!({
            "summary": summary(r),
            "description": format!("角色：{}", roles.join(", ")),
            "parameters": params,
            "security": [{"bearer": []}],
            "x-roles": roles,
            "responses": {
                "200": {"description": "成功", "content": {"application/json": {"schema": {"type": "object"}}}},
                "400": {"$ref": "#/components/responses/Problem"},
                "401": {"$ref": "#/components/responses/Problem"},
                "403": {"$ref": "#/components/responses/Problem"},
                "404": {"$ref": "#/components/responses/Problem"}
            }
        });
        if r.method == "POST" {
            let content = if r.path == "/v1/import" { "application/geo+json" } else { "application/json" };
            op["requestBody"] = json!({"required": true, "content": {content: {"schema": {"type": "object"}}}});
            op["responses"]["201"] = json!({"description": "已创建", "content": {"application/json": {"schema": {"type": "object"}}}});
            op["responses"]["409"] = json!({"$ref": "#/components/responses/Problem"});
            op["responses"]["422"] = json!({"$ref": "#/components/responses/Problem"});
        }
        let item = paths.entry(r.path.to_string()).or_insert_with(|| json!({}));
        item[r.method.to_lowercase()] = op;
    }
    for (path, summary) in [("/healthz", "健康检查"), ("/metrics", "Prometheus 指标"), ("/openapi.json", "本文档")] {
        paths.insert(path.into(), json!({"get": {"summary": summary, "security": [], "responses": {"200": {"description": "成功"}}}}));
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "门牌 — 恩施州地名门牌登记服务", "version": env!("CARGO_PKG_VERSION")},
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {"Problem": {"description": "RFC 9457 problem", "content": {"application/problem+json": {"schema": {
                "type": "object",
                "required": ["type", "title", "status", "detail"],
                "properties": {
                    "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                    "detail": {"type": "string"}, "violations": {"type": "array"}, "report": {"type": "object"}
                }
            }}}}}
        }
    })
}

pub async fn serve() -> HttpResponse {
    HttpResponse::Ok().json(document())
}
