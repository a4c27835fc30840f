//! The store: the register's tables in SQLite (embedded default) or PostgreSQL, through one
//! diesel code path. It maps rows to domain records and back, and nothing more: rules live
//! in the domain, orchestration in `app`.

pub mod branch;
pub mod certificates;
pub mod delta;
mod error;
mod journal;
pub mod names;
pub mod plates;
pub mod rate;
mod register;
mod rows;
pub mod schema;
mod tokens;

use std::sync::{Arc, Mutex};

use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

pub use delta::Reread;
pub use error::StoreError;
pub use journal::{AuditEntry, EventRecord, NewEvent};
pub use tokens::TokenRecord;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// A connection to either backend.
#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Postgres(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Opens connections of the backend the URL's scheme names, so that a PostgreSQL error is
/// reported as such instead of silently becoming a SQLite file.
#[derive(Debug, Clone)]
pub struct Manager {
    backend: Backend,
    target: String,
    /// How long a change waits for another writer's lock before it gives up and rolls back
    /// (`MENPAI_LOCK_TIMEOUT_SECS`, default 15).
    lock_timeout_ms: u64,
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConnectError(String);

impl ManageConnection for Manager {
    type Connection = AnyConnection;
    type Error = ConnectError;

    fn connect(&self) -> Result<AnyConnection, ConnectError> {
        match self.backend {
            Backend::Postgres => {
                let mut c = diesel::PgConnection::establish(&self.target)
                    .map_err(|e| ConnectError(format!("PostgreSQL: {e}")))?;
                // A change waits at most this long for a lock, and no statement runs longer:
                // past them the transaction rolls back and the caller hears 503, nothing changed.
                diesel::connection::SimpleConnection::batch_execute(
                    &mut c,
                    &format!("SET lock_timeout = {}; SET statement_timeout = '120s'", self.lock_timeout_ms),
                )
                .map_err(|e| ConnectError(format!("PostgreSQL: {e}")))?;
                Ok(AnyConnection::Postgres(c))
            }
            Backend::Sqlite => {
                let mut c = diesel::SqliteConnection::establish(&self.target)
                    .map_err(|e| ConnectError(format!("SQLite {}: {e}", self.target)))?;
                // WAL lets readers run beside the writer; FULL sync makes an acknowledged
                // write survive a crash; the busy timeout covers other processes (backup, CLI).
                // batch_execute, since a prepared statement runs only the first of several.
                diesel::connection::SimpleConnection::batch_execute(
                    &mut c,
                    &format!(
                        "PRAGMA busy_timeout = {}; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
                        self.lock_timeout_ms
                    ),
                )
                .map_err(|e| ConnectError(format!("SQLite {}: {e}", self.target)))?;
                Ok(AnyConnection::Sqlite(c))
            }
        }
    }

    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), ConnectError> {
        diesel::sql_query("SELECT 1").execute(conn).map(|_| ()).map_err(|e| ConnectError(e.to_string()))
    }

    /// A connection whose transaction broke (its server went away mid-change) is not
    /// handed out again.
    fn has_broken(&self, conn: &mut AnyConnection) -> bool {
        use diesel::r2d2::R2D2Connection;
        match conn {
            AnyConnection::Postgres(c) => c.is_broken(),
            AnyConnection::Sqlite(c) => c.is_broken(),
        }
    }
}

pub type Pool = r2d2::Pool<Manager>;
pub type Conn = r2d2::PooledConnection<Manager>;

fn lock_timeout_ms() -> u64 {
    let secs = std::env::var("MENPAI_LOCK_TIMEOUT_SECS").ok().and_then(|v| v.parse::<f64>().ok());
    (secs.filter(|s| *s > 0.0).unwrap_or(15.0) * 1000.0) as u64
}

/// The register's store.
#[derive(Clone)]
pub struct Store {
    pool: Pool,
    backend: Backend,
    /// SQLite has one writer at a time; taking turns in the process avoids busy errors
    /// when a deferred transaction upgrades to a write.
    write_lock: Arc<Mutex<()>>,
}

impl Store {
    /// Opens the store a `DATABASE_URL` names: `postgres://…` or `postgresql://…` for
    /// PostgreSQL; `sqlite://PATH` or a plain path for SQLite.
    pub fn open(url: &str) -> Result<Store, StoreError> {
        let (backend, target) = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_string())
        } else if let Some(path) = url.strip_prefix("sqlite://") {
            (Backend::Sqlite, path.to_string())
        } else if url.contains("://") {
            return Err(StoreError::Config(format!(
                "不支持的数据库地址：{url}（应为 postgres://… 或 SQLite 文件路径）"
            )));
        } else {
            (Backend::Sqlite, url.to_string())
        };
        if target.is_empty() {
            return Err(StoreError::Config("数据库地址为空".into()));
        }
        let size = match backend {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        };
        let pool = r2d2::Pool::builder()
            .max_size(size)
            .min_idle(Some(1))
            .connection_timeout(std::time::Duration::from_secs(15))
            .build(Manager { backend, target, lock_timeout_ms: lock_timeout_ms() })
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        Ok(Store { pool, backend, write_lock: Arc::new(Mutex::new(())) })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn conn(&self) -> Result<Conn, StoreError> {
        self.pool.get().map_err(|e| StoreError::Unavailable(e.to_string()))
    }

    /// Applies every pending migration of this backend.
    pub fn migrate(&self) -> Result<(), StoreError> {
        let mut conn = self.conn()?;
        let _guard = self.write_lock.lock().unwrap_or_else(|e| e.into_inner());
        let result = match &mut *conn {
            AnyConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()).inspect_err(|_| {
                // A migration that runs its own transaction (the rebuild of divisions) and
                // failed half way leaves it open and foreign keys off on this pooled
                // connection: undo both (the ROLLBACK fails harmlessly when none is open).
                let _ = diesel::connection::SimpleConnection::batch_execute(c, "ROLLBACK");
                let _ = diesel::connection::SimpleConnection::batch_execute(c, "PRAGMA foreign_keys = ON");
            }),
            AnyConnection::Postgres(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
        };
        result.map_err(|e| StoreError::Migration(e.to_string()))
    }

    /// Writes a consistent copy of an embedded (SQLite) register to `path` while it serves:
    /// `VACUUM INTO` reads one snapshot of the database, whatever writers do meanwhile.
    /// A PostgreSQL register is backed up with its own tools (pg_dump, base backups).
    pub fn backup(&self, path: &str) -> Result<(), StoreError> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Config(
                "PostgreSQL 登记册请用 pg_dump 或基础备份加 WAL 归档备份（见 README）".into(),
            ));
        }
        if std::path::Path::new(path).exists() {
            return Err(StoreError::Config(format!("{path} 已存在，不会覆盖")));
        }
        let mut conn = self.conn()?;
        diesel::sql_query(format!("VACUUM INTO '{}'", path.replace('\'', "''"))).execute(&mut *conn)?;
        Ok(())
    }

    /// Runs `f` in one transaction: everything it writes lands together or not at all.
    ///
    /// When the store fails under it before it commits (a connection lost, a server that
    /// ended the session, a deadlock broken), nothing was written and `f` runs again on
    /// another connection, up to [`ATTEMPTS`] times. When the connection is lost while it
    /// commits, nobody can tell whether it did: that is [`StoreError::Unconfirmed`], never
    /// retried here.
    pub fn write<T, E>(&self, mut f: impl FnMut(&mut AnyConnection) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError> + From<diesel::result::Error> + Transient,
    {
        let mut attempt = 1;
        loop {
            let mut conn = self.conn()?;
            let _guard = match self.backend {
                Backend::Sqlite => Some(self.write_lock.lock().unwrap_or_else(|e| e.into_inner())),
                Backend::Postgres => None,
            };
            let mut ran = false;
            let result = (*conn).transaction(|c| {
                let r = f(c);
                ran = r.is_ok();
                r
            });
            match result {
                Err(e) if e.is_transient() && ran => {
                    tracing::error!("the store failed while a change committed; its outcome is unknown");
                    return Err(StoreError::Unconfirmed("commit".into()).into());
                }
                Err(e) if e.is_transient() && attempt < ATTEMPTS => {
                    tracing::warn!(attempt, "the store failed under a change before it committed; running it again");
                    attempt += 1;
                    std::thread::sleep(std::time::Duration::from_millis(20 * attempt as u64));
                }
                other => return other,
            }
        }
    }

    /// Runs `f` on one connection, in a transaction so that it reads one consistent state;
    /// again on another connection when the store failed under it.
    pub fn read<T, E>(&self, mut f: impl FnMut(&mut AnyConnection) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError> + From<diesel::result::Error> + Transient,
    {
        let mut attempt = 1;
        loop {
            let mut conn = self.conn()?;
            match (*conn).transaction(&mut f) {
                Err(e) if e.is_transient() && attempt < ATTEMPTS => {
                    tracing::warn!(attempt, "the store failed under a read; reading again");
                    attempt += 1;
                }
                other => return other,
            }
        }
    }
}

/// How many times a change or read runs when the store fails under it before it commits.
pub const ATTEMPTS: u32 = 3;

/// Errors that say whether the store failed under an operation that did not commit, so
/// that it may run again (see [`Store::write`]).
pub trait Transient {
    fn is_transient(&self) -> bool;
}

impl Transient for StoreError {
    fn is_transient(&self) -> bool {
        StoreError::is_transient(self)
    }
}

/// Inserts rows in chunks, per backend (the derived connection takes one row at a time).
macro_rules! insert_rows {
    ($conn:expr, $table:expr, $rows:expr) => {{
        for chunk in $rows.chunks(400) {
            match $conn {
                $crate::store::AnyConnection::Postgres(c) => {
                    diesel::insert_into($table).values(chunk).execute(c)?;
                }
                $crate::store::AnyConnection::Sqlite(c) => {
                    diesel::insert_into($table).values(chunk).execute(c)?;
                }
            }
        }
    }};
}
pub(crate) use insert_rows;

pub use journal::{append_audit, append_event, audit_after, events_after, events_between, last_seq};
pub use register::{insert as insert_records, is_empty as register_is_empty, load_names, load_register, set_lifespan};
pub use tokens::{insert_token, list_tokens, revoke_token, token_by_hash, touch_token};

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(QueryableByName)]
    struct Setting {
        #[diesel(sql_type = diesel::sql_types::Text)]
        value: String,
    }

    fn pragma(store: &Store, name: &str) -> String {
        // pragma_busy_timeout names its column `timeout`; the others are named as the pragma.
        let column = if name == "busy_timeout" { "timeout" } else { name };
        store
            .read(|c| -> Result<String, StoreError> {
                let q = format!("SELECT CAST({column} AS TEXT) AS value FROM pragma_{name}");
                Ok(diesel::sql_query(q).get_result::<Setting>(c)?.value)
            })
            .unwrap()
    }

    /// Every connection to an embedded register: readers beside the writer (WAL), an
    /// acknowledged write on disk (FULL), references enforced, and the lock timeout.
    #[test]
    fn every_sqlite_connection_is_durable_and_checks_references() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("r.db").to_str().unwrap()).unwrap();
        assert_eq!(pragma(&store, "journal_mode"), "wal");
        assert_eq!(pragma(&store, "synchronous"), "2", "FULL");
        assert_eq!(pragma(&store, "foreign_keys"), "1");
        assert_eq!(pragma(&store, "busy_timeout"), lock_timeout_ms().to_string());
    }
}
