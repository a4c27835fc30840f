//! Errors of the store.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("数据库配置错误：{0}")]
    Config(String),
    #[error("数据库不可用：{0}")]
    Unavailable(String),
    #[error("数据库迁移失败：{0}")]
    Migration(String),
    /// A constraint of the schema refused the write (a number issued twice, a second event
    /// with one seq …): the register's state, not a fault.
    #[error("与登记册现有记录冲突：{0}")]
    Conflict(String),
    #[error("记录不存在")]
    NotFound,
    #[error("数据库中的数据已损坏：{0}")]
    Corrupt(String),
    #[error("数据库错误：{0}")]
    Database(diesel::result::Error),
}

impl From<diesel::result::Error> for StoreError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => StoreError::NotFound,
            Error::DatabaseError(
                DatabaseErrorKind::UniqueViolation
                | DatabaseErrorKind::ForeignKeyViolation
                | DatabaseErrorKind::CheckViolation,
                info,
            ) => StoreError::Conflict(info.message().to_string()),
            // Out of time waiting for a lock or running a statement (the timeouts set on
            // every connection): the transaction rolled back, so the store is busy, not broken.
            Error::DatabaseError(_, info) if is_timeout(info.message()) => {
                StoreError::Unavailable(format!("数据库繁忙，操作已撤销：{}", info.message()))
            }
            other => StoreError::Database(other),
        }
    }
}

/// SQLite's busy error and PostgreSQL's lock and statement timeouts.
fn is_timeout(message: &str) -> bool {
    ["database is locked", "lock timeout", "statement timeout"].iter().any(|m| message.contains(m))
}
