//! Errors of the application layer: what went wrong, in terms a caller can act on. The API
//! maps each to one problem+json status in one place (`api::problem`).

use thiserror::Error;

use crate::domain::DomainError;
use crate::store::StoreError;

#[derive(Debug, Error)]
pub enum AppError {
    /// Malformed input: bad JSON, wrong types, bad geometry.
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotFound(String),
    #[error("需要有效的访问令牌")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    /// The input contradicts the register's state.
    #[error("{0}")]
    Conflict(String),
    /// A rule was broken (naming, numbering): 422 with every violation.
    #[error("{message}")]
    Unprocessable { message: String, violations: serde_json::Value },
    /// An import was refused; the report says why, per feature.
    #[error("导入被拒绝：{summary}")]
    ImportRefused { summary: String, report: serde_json::Value },
    /// The register's state stands in the way, with the records that do (plates still
    /// standing on a street to be retired …): 409 listing them.
    #[error("{detail}")]
    Blocked { detail: String, conflicts: serde_json::Value },
    /// The input is within the body limit but too big to be checked at a bounded cost (a
    /// geometry over the vertex limit): 413.
    #[error("{0}")]
    TooLarge(String),
    /// Too many requests from one token: retry after this many seconds.
    #[error("请求过于频繁，请在 {0} 秒后重试")]
    RateLimited(u64),
    #[error("{0}")]
    Unavailable(String),
    /// The store failed under a change before it committed, on every attempt: nothing
    /// was written.
    #[error("数据库连接中断，操作未完成，请重试")]
    Interrupted,
    /// The store failed while a change committed: it may or may not have been made.
    #[error("数据库连接在提交时中断，无法确认操作是否已完成：请先查询，再决定是否重试（带 Idempotency-Key 的请求可以直接重试）")]
    Unconfirmed,
    #[error("内部错误：{0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(m) => AppError::Conflict(format!("与登记册现有记录冲突：{m}")),
            StoreError::NotFound => AppError::NotFound("记录不存在".into()),
            // The cause goes to the log (with the request's ID); a person reads a fixed text.
            StoreError::Busy(_) => {
                tracing::warn!(cause = %e, "store busy");
                AppError::Unavailable("数据库繁忙，操作已撤销，请稍后重试".into())
            }
            StoreError::Unavailable(_) | StoreError::Config(_) => {
                tracing::error!(cause = %e, "store unavailable");
                AppError::Unavailable("数据库暂不可用，操作未完成，请稍后重试".into())
            }
            StoreError::Interrupted(_) => {
                tracing::warn!(cause = %e, "store interrupted");
                AppError::Interrupted
            }
            StoreError::Unconfirmed(_) => AppError::Unconfirmed,
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl crate::store::Transient for AppError {
    fn is_transient(&self) -> bool {
        matches!(self, AppError::Interrupted)
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        StoreError::from(e).into()
    }
}

impl From<DomainError> for AppError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Invalid(m) => AppError::Invalid(m),
            DomainError::NotFound(m) => AppError::NotFound(m),
            DomainError::Conflict(m) => AppError::Conflict(m),
        }
    }
}
