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
mod text;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

pub use access::{Actor, Role};
pub use as_of::{parse_at, Dated};
pub use error::AppError;
pub use import::ImportOutcome;
pub use journal::{EventPage, EventView, MAX_PAGE as MAX_FEED_PAGE};
pub use read::{AddressView, HistoryEntry};
pub use resolve::{MAX_BATCH, MAX_QUERY_CHARS};
pub use text::MAX_TEXT_CHARS;

use crate::domain::autocomplete::Autocomplete;
use crate::domain::resolve::Resolver;
use crate::domain::spatial::SpatialIndex;
use crate::domain::Register;
use crate::store::{self, Store};

/// The bundled register of 恩施土家族苗族自治州, compiled into the binary.
pub const BUNDLED_ENSHI: &str = include_str!("../../data/enshi.geojson");

/// The register as last committed, with the resolution index built over it.
pub struct Snapshot {
    pub register: Arc<Register>,
    pub resolver: Resolver,
    pub spatial: SpatialIndex,
    pub autocomplete: Autocomplete,
    /// The newest event the snapshot shows.
    pub seq: i64,
}

impl Snapshot {
    /// Loads the register and the feed's head in one consistent read.
    fn load(store: &Store) -> Result<Snapshot, AppError> {
        let (register, seq) = store.read(|c| Ok::<_, AppError>((store::load_register(c)?, store::last_seq(c)?)))?;
        let register = Arc::new(register);
        Ok(Snapshot {
            resolver: Resolver::build(register.clone()),
            spatial: SpatialIndex::build(&register),
            autocomplete: Autocomplete::build(&register),
            register,
            seq,
        })
    }
}

/// The service: the store and the register as last committed by this node.
#[derive(Clone)]
pub struct App {
    store: Store,
    snapshot: Arc<RwLock<Arc<Snapshot>>>,
    refresh: Arc<Refresh>,
    dated: Arc<as_of::DatedCache>,
}

/// Coalesces the reloads that follow changes: a reload that starts after a change was
/// committed shows it, so concurrent writers can share one.
#[derive(Default)]
struct Refresh {
    /// Changes committed through this node, counted.
    committed: AtomicU64,
    /// The count of committed changes the current snapshot is known to show.
    shown: Mutex<u64>,
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
            refresh: Arc::new(Refresh::default()),
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

    /// Reloads the register after a change this node committed, so that it answers with
    /// the change at once. Call it after the commit. The change is made whatever happens
    /// here: if the store fails under the reload, the failure is logged and the node
    /// catches up within a second ([`App::catch_up`]), rather than telling the client that
    /// a committed change failed.
    pub(crate) fn refresh(&self) -> Result<(), AppError> {
        if let Err(e) = self.reload_after_change() {
            tracing::error!(error = %e, "could not reload the register after a change; catching up later");
        }
        Ok(())
    }

    fn reload_after_change(&self) -> Result<(), AppError> {
        let mine = self.refresh.committed.fetch_add(1, Ordering::SeqCst) + 1;
        let mut shown = self.refresh.shown.lock().unwrap_or_else(|e| e.into_inner());
        if *shown >= mine {
            return Ok(());
        }
        let target = self.refresh.committed.load(Ordering::SeqCst);
        let fresh = Snapshot::load(&self.store)?;
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(fresh);
        *shown = target;
        Ok(())
    }

    /// Catches up with changes other nodes made to the same store: reloads when the feed
    /// has moved past the snapshot. `serve` calls it every second, so a change made on one
    /// node shows on every other within two. True when it reloaded.
    pub fn catch_up(&self) -> Result<bool, AppError> {
        let head = self.store.read(store::last_seq)?;
        if head == self.snapshot().seq {
            return Ok(false);
        }
        let _shown = self.refresh.shown.lock().unwrap_or_else(|e| e.into_inner());
        if head == self.snapshot().seq {
            return Ok(false);
        }
        let fresh = Snapshot::load(&self.store)?;
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(fresh);
        Ok(true)
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
