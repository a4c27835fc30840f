//! Import: the administrator's path for loading legacy data (SPEC §4), as one change.

use serde::Serialize;
use serde_json::json;

use super::{now, Actor, App, AppError, Role};
use crate::domain::EventKind;
use crate::domain::import::{self, FeatureReport};
use crate::domain::interchange;
use crate::store::{self, NewEvent};

/// What an import did, per feature.
#[derive(Debug, Clone, Serialize)]
pub struct ImportOutcome {
    pub ok: bool,
    pub strict: bool,
    pub summary: Summary,
    /// The event that records the import (none when nothing was new).
    pub seq: Option<i64>,
    pub features: Vec<FeatureReport>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub features: usize,
    pub created: usize,
    pub unchanged: usize,
    pub nested_created: usize,
    pub quality_problems: usize,
    pub fatal_problems: usize,
}

impl App {
    /// Imports a GeoJSON FeatureCollection: all or nothing. Invariant breaches (and, with
    /// `strict`, any problem) refuse the whole file; the report lists every problem.
    pub fn import(&self, actor: &Actor, text: &str, strict: bool) -> Result<ImportOutcome, AppError> {
        actor.require(&[Role::Admin])?;
        let features =
            interchange::parse_with_limit(text, super::max_vertices()).map_err(|problems| AppError::ImportRefused {
                summary: format!("文件有 {} 处格式错误，未导入任何内容", problems.len()),
                report: json!({"ok": false, "strict": strict, "problems": problems}),
            })?;
        // A large file is not kept twice for a retry: an import the store failed under
        // answers that nothing was imported, to be sent again.
        let mut features = Some(features);
        let outcome = self.store.write(|c| {
            let features = features.take().ok_or(AppError::Interrupted)?;
            // Planned against the store inside the transaction, not a cached copy: another
            // node may have changed the register.
            let existing = store::load_register(c)?;
            let plan = import::plan(&existing, features);
            let mut summary = Summary { features: plan.features.len(), ..Summary::default() };
            for f in &plan.features {
                match f.action {
                    import::Action::Created => summary.created += 1,
                    import::Action::Unchanged => summary.unchanged += 1,
                    import::Action::Refused => {}
                }
                summary.nested_created += f.nested_created;
            }
            summary.fatal_problems = plan.fatal_count();
            summary.quality_problems = plan.quality_count();
            let refuse = summary.fatal_problems > 0 || (strict && summary.quality_problems > 0);
            let mut outcome =
                ImportOutcome { ok: !refuse, strict, summary, seq: None, features: plan.features.clone() };
            if refuse {
                let s = &outcome.summary;
                let why = if s.fatal_problems > 0 {
                    format!("{} 处违反登记册约束", s.fatal_problems)
                } else {
                    format!("严格模式下有 {} 处质量问题", s.quality_problems)
                };
                return Err(AppError::ImportRefused {
                    summary: format!("{why}，未导入任何内容"),
                    report: serde_json::to_value(&outcome).map_err(|e| AppError::Internal(e.to_string()))?,
                });
            }
            let created = plan.created_ids();
            if created.is_empty() {
                return Ok(outcome);
            }
            let mut merged = existing;
            merge(&mut merged, plan.additions.clone());
            // A scoped administrator loads data for its own area only: every record the
            // file adds must lie within its scope.
            if actor.scope.is_some() {
                for id in &created {
                    if let Some(code) = home_of(&merged, id) {
                        actor.require_scope(&merged, &code)?;
                    }
                }
            }
            let at = now();
            store::insert_records(c, &plan.additions, &at)?;
            let changes: Vec<serde_json::Value> = created
                .iter()
                .filter_map(|id| merged.address(id))
                .map(|a| json!({"id": a.id, "old": null, "new": a.canonical}))
                .collect();
            let seq = store::append_event(
                c,
                &NewEvent {
                    at: &at,
                    actor: &actor.name,
                    kind: EventKind::RegisterImported.as_str(),
                    subject_id: None,
                    county_code: None,
                    changes: serde_json::to_string(&changes).map_err(|e| AppError::Internal(e.to_string()))?,
                    reason: None,
                },
            )?;
            let mut audit = actor.audit("import", None);
            audit.detail =
                Some(serde_json::to_string(&outcome.summary).map_err(|e| AppError::Internal(e.to_string()))?);
            store::append_audit(c, &audit)?;
            outcome.seq = Some(seq);
            Ok(outcome)
        })?;
        if outcome.seq.is_some() {
            self.refresh()?;
        }
        Ok(outcome)
    }

    /// The register (or one county of it) in the interchange format.
    pub fn export(&self, actor: &Actor, county_code: Option<&str>) -> Result<String, AppError> {
        actor.require(&[Role::Admin])?;
        let register = self.register();
        if let Some(c) = county_code {
            if register.divisions.get(c).is_none_or(|d| d.level != crate::domain::DivisionLevel::County) {
                return Err(AppError::NotFound(format!("县级区划代码 {c} 不存在")));
            }
        }
        let text = interchange::write(&register, county_code);
        self.audit_read(actor, "export", &format!("county={} bytes={}", county_code.unwrap_or("all"), text.len()))?;
        Ok(text)
    }
}

/// The division a record lies in, as finely as it is known: a division itself, a street's
/// county, a locality's village, a plate's township (or its locality's village), and for
/// buildings, units and rooms their plate's.
fn home_of(reg: &crate::domain::Register, id: &str) -> Option<String> {
    use crate::domain::PlateParent;
    if reg.divisions.contains_key(id) {
        return Some(id.to_string());
    }
    if let Some(t) = reg.thoroughfares.get(id) {
        return Some(t.county_code.clone());
    }
    if let Some(l) = reg.localities.get(id) {
        return Some(l.village_code.clone());
    }
    if let Some(p) = reg.plates.get(id) {
        return match &p.parent {
            PlateParent::Thoroughfare(t) => p.township_code.clone().or_else(|| home_of(reg, t)),
            PlateParent::Locality(l) => home_of(reg, l),
        };
    }
    let up = reg
        .buildings
        .get(id)
        .map(|b| b.plate_id.clone())
        .or_else(|| reg.units.get(id).map(|u| u.building_id.clone()))
        .or_else(|| reg.rooms.get(id).map(|r| r.unit_id.clone()))?;
    home_of(reg, &up)
}

fn merge(into: &mut crate::domain::Register, add: crate::domain::Register) {
    into.divisions.extend(add.divisions);
    into.thoroughfares.extend(add.thoroughfares);
    into.localities.extend(add.localities);
    into.plates.extend(add.plates);
    into.buildings.extend(add.buildings);
    into.units.extend(add.units);
    into.rooms.extend(add.rooms);
}
