//! `GET /openapi.json`: the OpenAPI 3.1 description of the API, built from the route
//! tables ([`super::routes`]) so that no route can be served without being described.

use actix_web::HttpResponse;
use serde_json::{json, Map, Value};

use super::routes;

pub fn document() -> Value {
    let mut paths = Map::new();
    for r in routes() {
        let mut params: Vec<Value> = r
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        params.extend(
            r.query
                .iter()
                .map(|(name, ty)| json!({"name": name, "in": "query", "required": false, "schema": {"type": ty}})),
        );
        let roles: Vec<&str> = r.roles.iter().map(|x| x.as_str()).collect();
        let mut op = json!({
            "summary": r.summary,
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
            op["responses"]["201"] =
                json!({"description": "已创建", "content": {"application/json": {"schema": {"type": "object"}}}});
            op["responses"]["409"] = json!({"$ref": "#/components/responses/Problem"});
            op["responses"]["422"] = json!({"$ref": "#/components/responses/Problem"});
        }
        let item = paths.entry(r.path.to_string()).or_insert_with(|| json!({}));
        item[r.method.to_lowercase()] = op;
    }
    for (path, summary) in [("/healthz", "健康检查"), ("/metrics", "Prometheus 指标"), ("/openapi.json", "本文档")]
    {
        paths.insert(
            path.into(),
            json!({"get": {"summary": summary, "security": [], "responses": {"200": {"description": "成功"}}}}),
        );
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
