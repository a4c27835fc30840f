//! The change feed and the audit log, written inside the transaction of the change they
//! record.

use diesel::prelude::*;
use serde::Serialize;

use super::schema::{audit, events, feed_head};
use super::{AnyConnection, StoreError};

/// An event to append to the feed.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub at: &'a str,
    pub actor: &'a str,
    pub kind: &'a str,
    pub subject_id: Option<&'a str>,
    pub county_code: Option<&'a str>,
    /// JSON array of `{"id","old","new"}`.
    pub changes: String,
    /// Why, where the change has a reason.
    pub reason: Option<&'a str>,
}

#[derive(Debug, Clone, Queryable, Serialize)]
pub struct EventRecord {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub kind: String,
    pub subject_id: Option<String>,
    pub county_code: Option<String>,
    pub changes: String,
    pub reason: Option<String>,
}

/// Appends one event and returns its seq. The seq comes from the one-row head, updated in
/// this transaction: concurrent writers queue on that row, and a rollback gives it back.
pub fn append_event(conn: &mut AnyConnection, e: &NewEvent<'_>) -> Result<i64, StoreError> {
    let seq: i64 = diesel::update(feed_head::table.filter(feed_head::id.eq(1)))
        .set(feed_head::seq.eq(feed_head::seq + 1))
        .returning(feed_head::seq)
        .get_result(conn)?;
    diesel::insert_into(events::table)
        .values((
            events::seq.eq(seq),
            events::at.eq(e.at),
            events::actor.eq(e.actor),
            events::kind.eq(e.kind),
            events::subject_id.eq(e.subject_id),
            events::county_code.eq(e.county_code),
            events::changes.eq(&e.changes),
            events::reason.eq(e.reason),
        ))
        .execute(conn)?;
    Ok(seq)
}

/// Events after `after`, oldest first; with a county, only that county's events and
/// those of no one county (imports); with a subject, only events about it or listing it
/// among their changes (IDs are unique strings, so a text match is exact enough).
pub fn events_after(
    conn: &mut AnyConnection,
    after: i64,
    limit: i64,
    county_code: Option<&str>,
    subject_id: Option<&str>,
) -> Result<Vec<EventRecord>, StoreError> {
    let mut q = events::table.filter(events::seq.gt(after)).order(events::seq).limit(limit).into_boxed();
    if let Some(c) = county_code {
        q = q.filter(events::county_code.eq(c.to_string()).or(events::county_code.is_null()));
    }
    if let Some(s) = subject_id {
        // The ID as a quoted JSON string, with LIKE's wildcards escaped (`_` is in every ID).
        let escaped = s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        let pattern = format!("%\"{escaped}\"%");
        q = q.filter(events::subject_id.eq(s.to_string()).or(events::changes.like(pattern).escape('\\')));
    }
    Ok(q.load(conn)?)
}

/// Events of one kind recorded in [from, to) (RFC 3339 UTC times), oldest first.
pub fn events_between(
    conn: &mut AnyConnection,
    kind: &str,
    from: &str,
    to: &str,
) -> Result<Vec<EventRecord>, StoreError> {
    Ok(events::table
        .filter(events::kind.eq(kind))
        .filter(events::at.ge(from))
        .filter(events::at.lt(to))
        .order(events::seq)
        .load(conn)?)
}

pub fn last_seq(conn: &mut AnyConnection) -> Result<i64, StoreError> {
    Ok(feed_head::table.select(feed_head::seq).first(conn)?)
}

/// One row of the audit log.
#[derive(Debug, Clone, Default, Queryable, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub token_id: Option<String>,
    pub role: Option<String>,
    pub action: String,
    pub subject_id: Option<String>,
    pub reason: Option<String>,
    pub document: Option<String>,
    pub request_id: Option<String>,
    pub detail: Option<String>,
}

pub fn append_audit(conn: &mut AnyConnection, a: &AuditEntry) -> Result<(), StoreError> {
    diesel::insert_into(audit::table)
        .values((
            audit::at.eq(&a.at),
            audit::token_id.eq(&a.token_id),
            audit::role.eq(&a.role),
            audit::action.eq(&a.action),
            audit::subject_id.eq(&a.subject_id),
            audit::reason.eq(&a.reason),
            audit::document.eq(&a.document),
            audit::request_id.eq(&a.request_id),
            audit::detail.eq(&a.detail),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn audit_after(conn: &mut AnyConnection, after: i64, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
    Ok(audit::table.filter(audit::id.gt(after)).order(audit::id).limit(limit).load(conn)?)
}
