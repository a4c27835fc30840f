//! The application: what a user can do with the register, whatever the door (HTTP or the
//! command line). It checks access, runs the domain's rules against the store inside one
//! transaction, writes the audit row and the event of every change, and keeps the
//! in-memory register that reads and resolution use current.

pub mod access;
mod as_of;
mod branch;
pub mod certificates;
pub mod change;
mod error;
mod import;
mod journal;
pub mod naming;
pub mod plates;
mod rate;
mod read;
mod resolve;
mod snapshot;
mod text;

use std::sync::{Arc, Mutex, RwLock};

pub use access::{Actor, Role};
pub use as_of::{parse_at, Dated};
pub use error::AppError;
pub use import::ImportOutcome;
pub use journal::{EventPage, EventView, MAX_PAGE as MAX_FEED_PAGE};
pub use read::{AddressView, HistoryEntry};
pub use resolve::{MAX_BATCH, MAX_QUERY_CHARS};
pub use snapshot::Snapshot;
pub use text::MAX_TEXT_CHARS;

use crate::domain::Register;
use crate::store::{self, Store};

/// The bundled register of 恩施土家族苗族自治州, compiled into the binary.
pub const BUNDLED_ENSHI: &str = include_str!("../../data/enshi.geojson");

/// The service: the store and the register as last committed by this node.
#[derive(Clone)]
pub struct App {
    store: Store,
    snapshot: Arc<RwLock<Arc<Snapshot>>>,
    /// Held while the snapshot follows the feed: one run is applied at a time, and a
    /// writer that waited finds its change applied by the run before.
    applying: Arc<Mutex<()>>,
    dated: Arc<as_of::DatedCache>,
}

impl App {
    /// Opens the store, applies migrations and loads the register.
    pub fn open(database_url: &str) -> Result<App, AppError> {
        let store = Store::open(database_url)?;
        store.migrate()?;
        let snapshot = Snapshot::load(&store)?;
        Ok(App {
            store,
            snapshot: Arc::new(RwLock::new(Arc::new(snapshot))),
            applying: Arc::default(),
            dated: Arc::default(),
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The register and its index as this node last saw them committed. Readers keep the
    /// snapshot they took; a change swaps in a new one without blocking them.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn register(&self) -> Arc<Register> {
        self.snapshot().register.clone()
    }

    /// Applies a change this node committed (and any other the feed shows), so that the
    /// node answers with it at once. Call it after the commit. The change is made whatever
    /// happens here: if the store fails meanwhile, the failure is logged and the node
    /// catches up within a second ([`App::catch_up`]), rather than telling the client that
    /// a committed change failed.
    pub(crate) fn refresh(&self) -> Result<(), AppError> {
        if let Err(e) = self.follow_feed() {
            tracing::error!(error = %e, "could not apply a change to the register; catching up later");
        }
        Ok(())
    }

    /// Catches up with changes other nodes made to the same store. `serve` calls it four
    /// times a second, so a change made on one node shows on every other well within a
    /// second. True when the snapshot moved.
    pub fn catch_up(&self) -> Result<bool, AppError> {
        let head = self.store.read(store::last_seq)?;
        if head == self.snapshot().seq {
            return Ok(false);
        }
        self.follow_feed()
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

/// Vertices one feature may have (`MENPAI_MAX_VERTICES`, default 10,000): checks of a
/// geometry grow with its size, and one request must not stall a node.
pub fn max_vertices() -> usize {
    std::env::var("MENPAI_MAX_VERTICES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|n: &usize| *n > 0)
        .unwrap_or(crate::domain::shape::DEFAULT_MAX_VERTICES)
}

/// Refuses a GeoJSON geometry with more vertices than [`max_vertices`], before it is parsed.
pub(crate) fn within_vertex_limit(geometry: &serde_json::Value) -> Result<(), AppError> {
    let (count, max) = (crate::domain::shape::vertex_count(geometry), max_vertices());
    if count > max {
        return Err(AppError::TooLarge(crate::domain::shape::too_many_vertices(count, max)));
    }
    Ok(())
}

/// Today in China (UTC+8): the date a change takes effect and that documents bear.
pub(crate) fn today() -> chrono::NaiveDate {
    crate::domain::china_time::today()
}

/// The time now, as stored and shown (RFC 3339, UTC, milliseconds).
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
