//! Recording a change: one event in the feed and one audit row, written inside the
//! transaction of the change itself (SPEC §6, §8).

use serde::Serialize;

use super::{now, Actor, AppError};
use crate::domain::{EventKind, Register};
use crate::store::{self, AnyConnection, NewEvent};

/// An address whose canonical text changed: created (`old` None), retired (`new` None) or
/// renamed.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct AddressChange {
    pub id: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// What a change was, for the feed and the audit log.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    /// The audit log's action (`name.approve`, `plate.issue` …).
    pub action: &'a str,
    /// The feed's event kind.
    pub kind: EventKind,
    pub subject_id: Option<&'a str>,
    /// The county the change belongs to, for county feeds.
    pub county_code: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub document: Option<&'a str>,
    pub changes: Vec<AddressChange>,
}

impl Change<'_> {
    /// A change of this kind with nothing else said yet, to fill in with `..`.
    pub fn of(kind: EventKind) -> Self {
        Change {
            action: "",
            kind,
            subject_id: None,
            county_code: None,
            reason: None,
            document: None,
            changes: Vec::new(),
        }
    }
}

/// Appends the event and the audit row of `change`; returns the event's seq.
pub fn record(conn: &mut AnyConnection, actor: &Actor, change: &Change<'_>) -> Result<i64, AppError> {
    let at = now();
    let seq = store::append_event(
        conn,
        &NewEvent {
            at: &at,
            actor: &actor.name,
            kind: change.kind.as_str(),
            subject_id: change.subject_id,
            county_code: change.county_code,
            changes: serde_json::to_string(&change.changes).map_err(|e| AppError::Internal(e.to_string()))?,
            reason: change.reason,
        },
    )?;
    let mut audit = actor.audit(change.action, change.subject_id);
    audit.at = at;
    audit.reason = change.reason.map(str::to_string);
    audit.document = change.document.map(str::to_string);
    audit.detail = Some(format!("seq={seq}"));
    store::append_audit(conn, &audit)?;
    Ok(seq)
}

/// The canonical texts of `ids` before and after, for every one that differs.
pub fn text_changes(before: &Register, after: &Register, ids: &[String]) -> Vec<AddressChange> {
    ids.iter()
        .filter_map(|id| {
            let old = before.address(id).map(|a| a.canonical);
            let new = after.address(id).map(|a| a.canonical);
            (old != new).then(|| AddressChange { id: id.clone(), old, new })
        })
        .collect()
}
