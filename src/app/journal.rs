//! Reading the change feed and the audit log.

use serde::Serialize;

use super::{Actor, App, AppError, Role};
use crate::domain::EventKind;
use crate::store::{self, AuditEntry};

/// Most events or audit rows one page returns.
pub const MAX_PAGE: i64 = 1000;

#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    /// Who acted, as a clerk reads it: the token's label (a person or an office), else its
    /// department; 系统 for the service itself and the command line.
    pub actor_label: String,
    pub kind: String,
    /// What the change was, in words (编发门牌).
    pub kind_label: String,
    pub subject_id: Option<String>,
    pub changes: serde_json::Value,
    /// Why the change was made, where it has a reason (注销理由).
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventPage {
    pub events: Vec<EventView>,
    /// The newest seq in the register.
    pub last_seq: i64,
    /// The feed has been read through this seq: with a county filter, the next page starts
    /// after it, and no event of that county up to it was left out.
    pub scanned_through: i64,
}

impl App {
    /// Events after `after`, oldest first, and the newest seq of the register.
    pub fn events(&self, actor: &Actor, after: i64, limit: i64) -> Result<EventPage, AppError> {
        self.county_events(actor, after, limit, None)
    }

    /// Events after `after`; with a county, only those that may touch it.
    pub fn county_events(
        &self,
        actor: &Actor,
        after: i64,
        limit: i64,
        county_code: Option<&str>,
    ) -> Result<EventPage, AppError> {
        self.filtered_events(actor, after, limit, county_code, None)
    }

    /// Events after `after`, optionally only those that may touch a county, and only those
    /// that touched one address.
    pub fn filtered_events(
        &self,
        actor: &Actor,
        after: i64,
        limit: i64,
        county_code: Option<&str>,
        subject_id: Option<&str>,
    ) -> Result<EventPage, AppError> {
        actor.require(&Role::ALL)?;
        if after < 0 || !(1..=MAX_PAGE).contains(&limit) {
            return Err(AppError::Invalid(format!("after 不能为负，limit 应在 1 到 {MAX_PAGE} 之间")));
        }
        if let Some(c) = county_code {
            if !crate::domain::cleanup::is_county(&self.register(), c) {
                return Err(AppError::NotFound(format!("县级区划代码 {c} 不存在")));
            }
        }
        let (rows, last_seq, tokens) = self.store.read(|c| {
            Ok::<_, AppError>((
                store::events_after(c, after, limit, county_code, subject_id)?,
                store::last_seq(c)?,
                store::list_tokens(c)?,
            ))
        })?;
        let labels: std::collections::HashMap<String, Option<String>> =
            tokens.into_iter().map(|t| (t.id, t.label)).collect();
        let scanned_through = match rows.last() {
            Some(e) if rows.len() as i64 == limit => e.seq,
            _ => last_seq.max(after),
        };
        let events = rows
            .into_iter()
            .map(|e| EventView {
                seq: e.seq,
                at: e.at,
                actor_label: actor_label(&e.actor, &labels),
                actor: e.actor,
                kind_label: EventKind::parse(&e.kind).map(EventKind::label_zh).unwrap_or("变更").to_string(),
                kind: e.kind,
                subject_id: e.subject_id,
                changes: serde_json::from_str(&e.changes).unwrap_or(serde_json::Value::Null),
                reason: e.reason,
            })
            .collect();
        Ok(EventPage { events, last_seq, scanned_through })
    }

    /// Records a read that hands out many addresses (a wash, an export, a batch): room-level
    /// addresses link to population records, so reads are accountable too.
    pub fn audit_read(&self, actor: &Actor, action: &str, detail: &str) -> Result<(), AppError> {
        let mut entry = actor.audit(action, None);
        entry.detail = Some(detail.to_string());
        self.store.write(|c| store::append_audit(c, &entry))?;
        Ok(())
    }

    pub fn audit(&self, actor: &Actor, after: i64, limit: i64) -> Result<Vec<AuditEntry>, AppError> {
        actor.require(&[Role::Admin])?;
        if after < 0 || !(1..=MAX_PAGE).contains(&limit) {
            return Err(AppError::Invalid(format!("after 不能为负，limit 应在 1 到 {MAX_PAGE} 之间")));
        }
        Ok(self.store.read(|c| store::audit_after(c, after, limit))?)
    }
}

/// Who an event's actor (`police:tok_…`, or a name of the service's own) is, in words.
fn actor_label(actor: &str, labels: &std::collections::HashMap<String, Option<String>>) -> String {
    let Some((role, token)) = actor.split_once(':') else { return "系统".into() };
    let role = Role::parse(role).map(Role::label_zh).unwrap_or("未知部门");
    match labels.get(token) {
        Some(Some(label)) if !label.trim().is_empty() => format!("{}（{role}）", label.trim()),
        _ => format!("{role}经办人"),
    }
}
