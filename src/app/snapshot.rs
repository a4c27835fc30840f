//! The register a node serves, with the indexes built over it, and how it follows the store.
//!
//! A node loads the whole register once, at start. After that it applies changes: what
//! the feed shows after its snapshot is read back from the store by key (store::delta),
//! applied to a copy of the register (a cheap copy: its tables are persistent), and each
//! index takes the records that differ. Changes committed through this node and those of
//! other nodes of the same store take the same way. Readers keep the snapshot they took.
//!
//! A full load remains for what reaches everywhere (imports, division changes, a long
//! run of events) and as a periodic self-check: [`App::self_check`] compares the applied
//! state with a fresh load, and reloads (logging the difference) if they disagree.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::change::AddressChange;
use super::{App, AppError};
use crate::domain::autocomplete::Autocomplete;
use crate::domain::resolve::{Changed, Resolver};
use crate::domain::spatial::SpatialIndex;
use crate::domain::Register;
use crate::store::{self, Reread, Store};

/// Events read per step of catching up; more than this in one go is a full load.
const MAX_EVENTS: i64 = 500;

/// Records a run of changes may touch before a full load is cheaper than reading them.
const MAX_TOUCHED: usize = 20_000;

/// The register as last committed, with the indexes built over it.
pub struct Snapshot {
    pub register: Arc<Register>,
    pub resolver: Arc<Resolver>,
    pub spatial: SpatialIndex,
    pub autocomplete: Arc<Autocomplete>,
    /// The newest event the snapshot shows.
    pub seq: i64,
}

/// What to read back for a run of events, or `None` when only a full load will do.
#[derive(Debug, Default)]
struct Touched {
    ids: BTreeSet<String>,
    plans: BTreeSet<String>,
    /// A correction was among them: it changes what the register said of earlier days too.
    corrects: bool,
}

impl Touched {
    /// The records a run of events names: their subjects and the addresses they list.
    /// Imports and division changes reach anywhere: `None`.
    fn of(events: &[store::EventRecord]) -> Option<Touched> {
        let mut t = Touched::default();
        for e in events {
            if e.kind.starts_with("register.") || e.kind.starts_with("division.") {
                return None;
            }
            t.corrects |= e.kind.ends_with("corrected");
            if let Some(s) = &e.subject_id {
                if s.starts_with("plan_") {
                    t.plans.insert(s.clone());
                } else {
                    t.ids.insert(s.clone());
                }
            }
            let changes: Vec<AddressChange> = serde_json::from_str(&e.changes).ok()?;
            t.ids.extend(changes.into_iter().map(|c| c.id));
            if t.ids.len() > MAX_TOUCHED {
                return None;
            }
        }
        Some(t)
    }
}

impl Snapshot {
    /// Loads the register and the feed's head in one consistent read, and builds every
    /// index.
    pub(crate) fn load(store: &Store) -> Result<Snapshot, AppError> {
        store.read(Snapshot::load_in)
    }

    /// This snapshot with the records read back applied, showing the feed up to `seq`.
    fn applied(&self, reread: &Reread, seq: i64) -> Snapshot {
        let before = &self.register;
        let mut gone = reread.absent.clone();
        for street in &reread.whole_streets {
            gone.extend(
                before
                    .plates
                    .records_under(street)
                    .filter(|p| p.parent.id() == street && !reread.present.plates.contains_key(&p.id))
                    .map(|p| p.id.clone()),
            );
        }
        let mut register = (**before).clone();
        let applied = register.apply(&reread.present, &gone);
        if applied.ids.is_empty() {
            return Snapshot {
                register: before.clone(),
                resolver: self.resolver.clone(),
                spatial: self.spatial.clone(),
                autocomplete: self.autocomplete.clone(),
                seq,
            };
        }
        let plates: BTreeSet<String> =
            applied.ids.iter().filter_map(|id| plate_of(&register, id).or_else(|| plate_of(before, id))).collect();
        let streets = applied
            .ids
            .iter()
            .any(|id| register.thoroughfares.contains_key(id) || before.thoroughfares.contains_key(id));
        let register = Arc::new(register);
        let changed = Changed { names: applied.names, plates };
        Snapshot {
            resolver: Arc::new(self.resolver.updated(register.clone(), &changed)),
            spatial: self.spatial.updated(&register, &applied.ids, streets),
            autocomplete: if applied.names {
                Arc::new(Autocomplete::build(&register))
            } else {
                self.autocomplete.clone()
            },
            register,
            seq,
        }
    }
}

/// The plate an address stands behind, by ID (itself for a plate).
fn plate_of(reg: &Register, id: &str) -> Option<String> {
    reg.plate_of(id).map(|p| p.id.clone())
}

impl App {
    /// Brings the snapshot up to the store's feed: applies the changes since, or loads the
    /// register afresh where they reach too far. One node applies one run at a time;
    /// concurrent callers wait and find the work done.
    pub(crate) fn follow_feed(&self) -> Result<bool, AppError> {
        let _applying = self.applying.lock().unwrap_or_else(|e| e.into_inner());
        let mut moved = false;
        loop {
            let current = self.snapshot();
            // (the next snapshot, whether dated registers built before are stale)
            let step = self.store.read(|c| -> Result<Option<(Snapshot, bool)>, AppError> {
                let events = store::events_after(c, current.seq, MAX_EVENTS + 1, None, None)?;
                let Some(last) = events.last().map(|e| e.seq) else { return Ok(None) };
                let touched = (events.len() as i64 <= MAX_EVENTS).then(|| Touched::of(&events)).flatten();
                match touched {
                    Some(t) => {
                        let reread = store::delta::reread(c, &t.ids, &t.plans)?;
                        Ok(Some((current.applied(&reread, last), t.corrects)))
                    }
                    None => Ok(Some((Snapshot::load_in(c)?, true))),
                }
            })?;
            let Some((next, stale)) = step else { return Ok(moved) };
            moved = true;
            if stale {
                self.dated.clear();
            } else {
                self.dated.changed(&current, &next);
            }
            *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(next);
        }
    }

    /// Compares the applied snapshot with the register loaded afresh at the same point of
    /// the feed. On any difference it logs the records that differ and serves the fresh
    /// load. Returns the IDs that differed (empty when they agree, or when the feed moved
    /// meanwhile and the comparison is left to the next round).
    pub fn self_check(&self) -> Result<Vec<String>, AppError> {
        self.follow_feed()?;
        let _applying = self.applying.lock().unwrap_or_else(|e| e.into_inner());
        let current = self.snapshot();
        let fresh = Snapshot::load(&self.store)?;
        if fresh.seq != current.seq {
            return Ok(vec![]);
        }
        let differ = differences(&current.register, &fresh.register);
        if !differ.is_empty() {
            tracing::error!(
                seq = current.seq,
                count = differ.len(),
                first = ?differ.iter().take(10).collect::<Vec<_>>(),
                "the applied register differs from a fresh load; serving the fresh load"
            );
            self.dated.clear();
            *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(fresh);
        }
        Ok(differ)
    }
}

impl Snapshot {
    /// [`Snapshot::load`] on a connection already in a read.
    fn load_in(c: &mut store::AnyConnection) -> Result<Snapshot, AppError> {
        let register = Arc::new(store::load_register(c)?);
        let seq = store::last_seq(c)?;
        Ok(Snapshot {
            resolver: Arc::new(Resolver::build(register.clone())),
            spatial: SpatialIndex::build(&register),
            autocomplete: Arc::new(Autocomplete::build(&register)),
            register,
            seq,
        })
    }
}

/// IDs and codes whose records (or lifespans) differ between two registers.
pub(crate) fn differences(a: &Register, b: &Register) -> Vec<String> {
    let mut out = BTreeSet::new();
    macro_rules! diff {
        ($table:ident) => {
            for (id, x) in a.$table.iter() {
                if b.$table.get(id) != Some(x) {
                    out.insert(id.clone());
                }
            }
            for id in b.$table.keys() {
                if !a.$table.contains_key(id) {
                    out.insert(id.clone());
                }
            }
        };
    }
    diff!(divisions);
    diff!(thoroughfares);
    diff!(localities);
    diff!(plates);
    diff!(buildings);
    diff!(units);
    diff!(rooms);
    for (id, x) in a.lifespans.iter() {
        if b.lifespans.get(id) != Some(x) {
            out.insert(id.clone());
        }
    }
    for id in b.lifespans.keys() {
        if !a.lifespans.contains_key(id) {
            out.insert(id.clone());
        }
    }
    out.into_iter().collect()
}
