//! The application: what a user can do with the register, whatever the door (HTTP or the
//! command line). It checks access, runs the domain's rules against the store inside one
//! transaction, writes the audit row and the event of every change, and keeps the
//! in-memory register that reads and resolution use current.

pub mod access;
mod error;
mod import;
mod journal;
mod read;

use std::sync::{Arc, RwLock};

pub use access::{Actor, Role};
pub use error::AppError;
pub use import::ImportOutcome;
pub use journal::{EventPage, EventView};
pub use read::{AddressView, HistoryEntry};

use crate::domain::Register;
use crate::store::{self, Store};

/// The bundled register of 恩施土家族苗族自治州, compiled into the binary.
pub const BUNDLED_ENSHI: &str = include_str!("../../data/enshi.geojson");

/// The service: the store and the register as last committed by this node.
#[derive(Clone)]
pub struct App {
    store: Store,
    register: Arc<RwLock<Arc<Register>>>,
}

impl App {
    /// Opens the store, applies migrations and loads the register.
    pub fn open(database_url: &str) -> Result<App, AppError> {
        let store = Store::open(database_url)?;
        store.migrate()?;
        let register = store.read(store::load_register)?;
        Ok(App { store, register: Arc::new(RwLock::new(Arc::new(register))) })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The register as this node last saw it committed.
    pub fn register(&self) -> Arc<Register> {
        self.register.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Reloads the register after a change, so that this node answers with it at once.
    fn refresh(&self) -> Result<(), AppError> {
        let fresh = self.store.read(store::load_register)?;
        *self.register.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(fresh);
        Ok(())
    }

    /// Loads the bundled Enshi register into an empty store; does nothing otherwise.
    pub fn load_bundled_if_empty(&self) -> Result<Option<ImportOutcome>, AppError> {
        if !self.store.read(store::register_is_empty)? {
            return Ok(None);
        }
        let outcome = self.import(&Actor::system("bundled"), BUNDLED_ENSHI, false)?;
        Ok(Some(outcome))
    }
}

/// The time now, as stored and shown (RFC 3339, UTC, milliseconds).
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
