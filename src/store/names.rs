//! Storage of naming: the case file of each proposed name (`name_cases`), the words an
//! administrator adds to the naming rules (`naming_words`), name changes of thoroughfares
//! and localities, changes of divisions (`division_changes`), and the per-county lock that
//! serialises approvals.

use std::collections::HashMap;

use diesel::prelude::*;

use super::register::set_lifespan;
use super::rows::{DivisionRow, LocalityRow, NewFormerName, ThoroughfareRow};
use super::schema::{
    division_changes, divisions, former_names, localities, name_cases, naming_words, plates, thoroughfares,
};
use super::{AnyConnection, StoreError};
use crate::domain::division_change::Plan;
use crate::domain::naming::{CaseDocument, NameCase, Rule};
use crate::domain::{FormerName, Locality, Register, Side, Thoroughfare};

#[derive(Queryable, Insertable, AsChangeset)]
#[diesel(table_name = name_cases, treat_none_as_null = true)]
struct CaseRow {
    subject_id: String,
    reason: Option<String>,
    applicant: Option<String>,
    documents: String,
    proposed_at: Option<String>,
    proposed_by: Option<String>,
    approved_at: Option<String>,
    approval_document: Option<String>,
    announced_on: Option<String>,
    announcement_document: Option<String>,
    retired_at: Option<String>,
    retire_document: Option<String>,
    retire_reason: Option<String>,
    returned_at: Option<String>,
    return_reason: Option<String>,
}

impl CaseRow {
    fn from_domain(subject_id: &str, c: &NameCase) -> CaseRow {
        CaseRow {
            subject_id: subject_id.to_string(),
            reason: c.reason.clone(),
            applicant: c.applicant.clone(),
            documents: serde_json::to_string(&c.documents).unwrap_or_else(|_| "[]".into()),
            proposed_at: c.proposed_at.clone(),
            proposed_by: c.proposed_by.clone(),
            approved_at: c.approved_at.clone(),
            approval_document: c.approval_document.clone(),
            announced_on: c.announced_on.clone(),
            announcement_document: c.announcement_document.clone(),
            retired_at: c.retired_at.clone(),
            retire_document: c.retire_document.clone(),
            retire_reason: c.retire_reason.clone(),
            returned_at: c.returned_at.clone(),
            return_reason: c.return_reason.clone(),
        }
    }

    fn into_domain(self) -> Result<(String, NameCase), StoreError> {
        let documents: Vec<CaseDocument> = serde_json::from_str(&self.documents)
            .map_err(|_| StoreError::Corrupt(format!("documents of {}", self.subject_id)))?;
        Ok((
            self.subject_id,
            NameCase {
                reason: self.reason,
                applicant: self.applicant,
                documents,
                proposed_at: self.proposed_at,
                proposed_by: self.proposed_by,
                approved_at: self.approved_at,
                approval_document: self.approval_document,
                announced_on: self.announced_on,
                announcement_document: self.announcement_document,
                retired_at: self.retired_at,
                retire_document: self.retire_document,
                retire_reason: self.retire_reason,
                returned_at: self.returned_at,
                return_reason: self.return_reason,
            },
        ))
    }
}

/// Takes the write lock on a division's row until the transaction ends: approvals and
/// renames in one county (or village) queue here, so that each re-checks the names the
/// one before it committed. (On SQLite the first write of a transaction takes the database's
/// one write lock, which serialises the same way.) False when no such division exists.
pub(crate) fn lock_division(conn: &mut AnyConnection, code: &str) -> Result<bool, StoreError> {
    let n = diesel::update(divisions::table.find(code)).set(divisions::status.eq(divisions::status)).execute(conn)?;
    Ok(n == 1)
}

/// Takes the write lock on a thoroughfare's or locality's row until the transaction ends,
/// as plate issuance does for its street: a retirement then sees every plate issued before
/// it, and none is issued on the street while it changes.
pub(crate) fn lock_name(conn: &mut AnyConnection, id: &str) -> Result<(), StoreError> {
    let n = diesel::update(thoroughfares::table.find(id))
        .set(thoroughfares::updated_at.eq(thoroughfares::updated_at))
        .execute(conn)?
        + diesel::update(localities::table.find(id))
            .set(localities::updated_at.eq(localities::updated_at))
            .execute(conn)?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// The division whose names a thoroughfare (its county) or locality (its village) must not
/// clash with; None when `id` names neither.
pub(crate) fn clash_scope(conn: &mut AnyConnection, id: &str) -> Result<Option<String>, StoreError> {
    let county: Option<String> =
        thoroughfares::table.find(id).select(thoroughfares::county_code).first(conn).optional()?;
    if county.is_some() {
        return Ok(county);
    }
    Ok(localities::table.find(id).select(localities::village_code).first(conn).optional()?)
}

pub(crate) fn case(conn: &mut AnyConnection, id: &str) -> Result<Option<NameCase>, StoreError> {
    let row: Option<CaseRow> = name_cases::table.find(id).first(conn).optional()?;
    row.map(|r| r.into_domain().map(|(_, c)| c)).transpose()
}

/// Every case file, by subject ID.
pub(crate) fn cases(conn: &mut AnyConnection) -> Result<HashMap<String, NameCase>, StoreError> {
    name_cases::table.load::<CaseRow>(conn)?.into_iter().map(CaseRow::into_domain).collect()
}

/// Writes the case file of `id`, creating it for a name that had none (an imported one).
pub(crate) fn save_case(conn: &mut AnyConnection, id: &str, c: &NameCase) -> Result<(), StoreError> {
    let row = CaseRow::from_domain(id, c);
    let n = diesel::update(name_cases::table.find(id)).set(&row).execute(conn)?;
    if n == 0 {
        diesel::insert_into(name_cases::table).values(&row).execute(conn)?;
    }
    Ok(())
}

/// Writes every changeable column of a thoroughfare (name, romanisation, geometry,
/// status, successor).
pub(crate) fn save_thoroughfare(conn: &mut AnyConnection, t: &Thoroughfare, now: &str) -> Result<(), StoreError> {
    let row = ThoroughfareRow::from_domain(t, now);
    let n = diesel::update(thoroughfares::table.find(&t.id))
        .set((
            thoroughfares::name.eq(row.name),
            thoroughfares::pinyin_override.eq(row.pinyin_override),
            thoroughfares::geometry.eq(row.geometry),
            thoroughfares::status.eq(row.status),
            thoroughfares::replaced_by.eq(row.replaced_by),
            thoroughfares::updated_at.eq(now),
        ))
        .execute(conn)?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(crate) fn save_locality(conn: &mut AnyConnection, l: &Locality, now: &str) -> Result<(), StoreError> {
    let row = LocalityRow::from_domain(l, now);
    let n = diesel::update(localities::table.find(&l.id))
        .set((
            localities::name.eq(row.name),
            localities::pinyin_override.eq(row.pinyin_override),
            localities::geometry.eq(row.geometry),
            localities::status.eq(row.status),
            localities::replaced_by.eq(row.replaced_by),
            localities::updated_at.eq(now),
        ))
        .execute(conn)?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Keeps a name a thoroughfare or locality had, with the date it ended and the document
/// that changed it.
pub(crate) fn add_former_name(conn: &mut AnyConnection, subject_id: &str, f: &FormerName) -> Result<(), StoreError> {
    diesel::insert_into(former_names::table)
        .values(NewFormerName {
            subject_id: subject_id.to_string(),
            name: f.name.clone(),
            valid_until: f.until.clone(),
            document: f.document.clone(),
            parent_code: f.parent_code.clone(),
        })
        .execute(conn)?;
    Ok(())
}

/// Sets the side and position of plates along their street after its line was corrected.
pub(crate) fn resurvey_plates(
    conn: &mut AnyConnection,
    placed: &[(String, Side, f64)],
    now: &str,
) -> Result<(), StoreError> {
    for (id, side, measure) in placed {
        diesel::update(plates::table.find(id))
            .set((plates::side.eq(side.as_str()), plates::measure_m.eq(*measure), plates::updated_at.eq(now)))
            .execute(conn)?;
    }
    Ok(())
}

/// A word an administrator added to a naming rule's list.
#[derive(Debug, Clone, PartialEq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = naming_words)]
pub struct NamingWord {
    pub rule: String,
    pub word: String,
    pub note: Option<String>,
    pub added_at: String,
    pub added_by: String,
}

pub(crate) fn words(conn: &mut AnyConnection) -> Result<Vec<NamingWord>, StoreError> {
    Ok(naming_words::table.order((naming_words::rule, naming_words::word)).load(conn)?)
}

/// The added words as the rules read them (rows with an unknown rule are skipped: the
/// schema's check keeps them out).
pub(crate) fn word_entries(conn: &mut AnyConnection) -> Result<Vec<(Rule, String)>, StoreError> {
    Ok(words(conn)?.into_iter().filter_map(|w| Some((Rule::parse(&w.rule)?, w.word))).collect())
}

/// Removes an added word, answering with what was removed (None when it was not there).
pub(crate) fn remove_word(conn: &mut AnyConnection, rule: &str, word: &str) -> Result<Option<NamingWord>, StoreError> {
    let target = naming_words::table.filter(naming_words::rule.eq(rule)).filter(naming_words::word.eq(word));
    let Some(found) = target.first::<NamingWord>(conn).optional()? else { return Ok(None) };
    diesel::delete(target).execute(conn)?;
    Ok(Some(found))
}

/// Adds a word; false when the rule already lists it.
pub(crate) fn add_word(conn: &mut AnyConnection, w: &NamingWord) -> Result<bool, StoreError> {
    let exists: i64 = naming_words::table
        .filter(naming_words::rule.eq(&w.rule))
        .filter(naming_words::word.eq(&w.word))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    diesel::insert_into(naming_words::table).values(w.clone()).execute(conn)?;
    Ok(true)
}

/// A proposed or approved change of a division; `aliases` is a JSON array.
#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(table_name = division_changes)]
pub struct DivisionChangeRow {
    pub id: String,
    pub code: String,
    pub name: Option<String>,
    pub aliases: Option<String>,
    pub reason: Option<String>,
    pub status: String,
    pub proposed_at: String,
    pub proposed_by: String,
    pub approved_at: Option<String>,
    pub approval_document: Option<String>,
    pub merge_into: Option<String>,
    pub parent_code: Option<String>,
    pub new_code: Option<String>,
}

pub(crate) fn insert_division_change(conn: &mut AnyConnection, change: &DivisionChangeRow) -> Result<(), StoreError> {
    diesel::insert_into(division_changes::table).values(change.clone()).execute(conn)?;
    Ok(())
}

pub(crate) fn division_change(conn: &mut AnyConnection, id: &str) -> Result<Option<DivisionChangeRow>, StoreError> {
    Ok(division_changes::table.find(id).first(conn).optional()?)
}

/// Division changes, oldest first, of one status or all.
pub(crate) fn division_changes(
    conn: &mut AnyConnection,
    status: Option<&str>,
) -> Result<Vec<DivisionChangeRow>, StoreError> {
    let mut q = division_changes::table.order(division_changes::id).into_boxed();
    if let Some(s) = status {
        q = q.filter(division_changes::status.eq(s.to_string()));
    }
    Ok(q.load(conn)?)
}

/// Marks a proposed change approved.
pub(crate) fn approve_division_change(
    conn: &mut AnyConnection,
    id: &str,
    at: &str,
    document: &str,
) -> Result<(), StoreError> {
    let n = diesel::update(division_changes::table.find(id).filter(division_changes::status.eq("proposed")))
        .set((
            division_changes::status.eq("approved"),
            division_changes::approved_at.eq(at),
            division_changes::approval_document.eq(document),
        ))
        .execute(conn)?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Writes what a planned division change touched (see `domain::division_change`): the
/// divisions (a new code inserted), localities' villages, plates' townships, the former
/// names the plan added, and the dates the retired and created divisions ended and began.
pub(crate) fn apply_division_plan(
    conn: &mut AnyConnection,
    before: &Register,
    plan: &Plan,
    on: &str,
) -> Result<(), StoreError> {
    let after = &plan.after;
    for id in &plan.touched {
        let (before_former, after_former) = if let Some(d) = after.divisions.get(id) {
            let row = DivisionRow::from_domain(d);
            let n = diesel::update(divisions::table.find(id))
                .set((
                    divisions::name.eq(&row.name),
                    divisions::parent_code.eq(&row.parent_code),
                    divisions::aliases.eq(&row.aliases),
                    divisions::status.eq(&row.status),
                    divisions::replaced_by.eq(&row.replaced_by),
                ))
                .execute(conn)?;
            if n == 0 {
                diesel::insert_into(divisions::table).values(row).execute(conn)?;
            }
            (before.divisions.get(id).map_or(0, |d| d.former_names.len()), &d.former_names)
        } else if let Some(l) = after.localities.get(id) {
            diesel::update(localities::table.find(id))
                .set(localities::village_code.eq(&l.village_code))
                .execute(conn)?;
            (before.localities.get(id).map_or(0, |l| l.former_names.len()), &l.former_names)
        } else if let Some(p) = after.plates.get(id) {
            diesel::update(plates::table.find(id)).set(plates::township_code.eq(&p.township_code)).execute(conn)?;
            continue;
        } else {
            return Err(StoreError::NotFound);
        };
        for f in &after_former[before_former.min(after_former.len())..] {
            add_former_name(conn, id, f)?;
        }
    }
    if let Some(code) = &plan.retired {
        set_lifespan(conn, code, None, Some(Some(on)))?;
    }
    if let Some(code) = &plan.created {
        set_lifespan(conn, code, Some(Some(on)), None)?;
    }
    Ok(())
}
