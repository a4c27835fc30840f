//! The one place where errors become HTTP answers: `application/problem+json` (RFC 9457)
//! with a Chinese `detail` a person can read.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde_json::{json, Value};

use crate::app::AppError;

/// A problem answer built outside the application layer (bad JSON, unknown route …).
pub fn problem(
    status: StatusCode,
    code: &str,
    title: &str,
    detail: &str,
    extra: Option<(&str, Value)>,
) -> HttpResponse {
    let mut body = json!({
        "type": format!("urn:menpai:problem:{code}"),
        "title": title,
        "status": status.as_u16(),
        "detail": detail,
    });
    if let (Some((k, v)), Some(o)) = (extra, body.as_object_mut()) {
        o.insert(k.to_string(), v);
    }
    HttpResponse::build(status).content_type("application/problem+json").body(body.to_string())
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::Invalid(_) => StatusCode::BAD_REQUEST,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Conflict(_) | AppError::Blocked { .. } => StatusCode::CONFLICT,
            AppError::ImportRefused { .. } | AppError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) | AppError::Interrupted | AppError::Unconfirmed => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let (code, title) = match self {
            AppError::Invalid(_) => ("invalid", "请求无效"),
            AppError::NotFound(_) => ("not_found", "未找到"),
            AppError::Unauthenticated => ("unauthenticated", "未认证"),
            AppError::Forbidden(_) => ("forbidden", "无权操作"),
            AppError::Conflict(_) | AppError::Blocked { .. } => ("conflict", "与登记册状态冲突"),
            AppError::ImportRefused { .. } => ("import_refused", "导入被拒绝"),
            AppError::Unprocessable { .. } => ("rule_broken", "违反规则"),
            AppError::TooLarge(_) => ("too_large", "请求过大"),
            AppError::RateLimited(_) => ("rate_limited", "请求过于频繁"),
            AppError::Unavailable(_) | AppError::Interrupted => ("unavailable", "服务暂不可用"),
            AppError::Unconfirmed => ("unconfirmed", "无法确认操作结果"),
            AppError::Internal(_) => ("internal", "内部错误"),
        };
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let extra = match self {
            AppError::ImportRefused { report, .. } => Some(("report", report.clone())),
            AppError::Unprocessable { violations, .. } => Some(("violations", violations.clone())),
            AppError::Blocked { conflicts, .. } => Some(("conflicts", conflicts.clone())),
            _ => None,
        };
        // An internal error's own words (a database's message, a bug's) are for the log
        // above, never for the client.
        let detail = match self {
            AppError::Internal(_) => "服务内部错误，请稍后重试；如果一再出现，请把请求编号告诉管理员".to_string(),
            other => other.to_string(),
        };
        let mut resp = problem(status, code, title, &detail, extra);
        if let AppError::RateLimited(secs) = self {
            if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&secs.to_string()) {
                resp.headers_mut().insert(actix_web::http::header::RETRY_AFTER, v);
            }
        }
        if matches!(self, AppError::Unauthenticated) {
            resp.headers_mut().insert(
                actix_web::http::header::WWW_AUTHENTICATE,
                actix_web::http::header::HeaderValue::from_static("Bearer"),
            );
        }
        resp
    }
}
