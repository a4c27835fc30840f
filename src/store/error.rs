//! Errors of the store.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("数据库配置错误：{0}")]
    Config(String),
    #[error("数据库不可用：{0}")]
    Unavailable(String),
    /// Out of time waiting for a lock or running a statement: the transaction rolled back.
    #[error("数据库繁忙，操作已撤销：{0}")]
    Busy(String),
    /// The connection was lost, or the server aborted the transaction (a deadlock, a
    /// serialization failure), before it committed: nothing was written, and running the
    /// change again is safe.
    #[error("数据库连接中断，操作未完成：{0}")]
    Interrupted(String),
    /// The connection was lost while the transaction committed: it may or may not have.
    #[error("数据库连接在提交时中断，无法确认操作是否完成：{0}")]
    Unconfirmed(String),
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
            Error::DatabaseError(_, info) if is_timeout(info.message()) => StoreError::Busy(info.message().to_string()),
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::SerializationFailure, info) => {
                StoreError::Interrupted(info.message().to_string())
            }
            Error::DatabaseError(_, info) if is_interruption(info.message()) => {
                StoreError::Interrupted(info.message().to_string())
            }
            Error::BrokenTransactionManager => StoreError::Interrupted("the transaction manager is broken".into()),
            other => StoreError::Database(other),
        }
    }
}

impl StoreError {
    /// Whether the change may simply be run again: it did not commit, and the failure was
    /// the store's, not the change's.
    pub fn is_transient(&self) -> bool {
        matches!(self, StoreError::Interrupted(_))
    }
}

/// PostgreSQL ending a session (an administrator, a restart, a failover) or breaking a
/// deadlock; what libpq says when the server went away mid-statement.
fn is_interruption(message: &str) -> bool {
    [
        "deadlock detected",
        "terminating connection",
        "server closed the connection",
        "SSL connection has been closed",
        "no connection to the server",
        "could not receive data from server",
        "could not send data to server",
        "connection to server was lost",
    ]
    .iter()
    .any(|m| message.contains(m))
}

/// SQLite's busy error and PostgreSQL's lock and statement timeouts.
fn is_timeout(message: &str) -> bool {
    ["database is locked", "lock timeout", "statement timeout"].iter().any(|m| message.contains(m))
}
