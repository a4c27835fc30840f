//! Planning an import (SPEC §4): checks a parsed file against the register, assigns IDs,
//! and reports per feature what it creates and every problem found. Invariant breaches are
//! fatal (the whole file is refused); legacy-data quality problems are reported and imported.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use super::generic::GenericKind;
use super::geometry;
use super::ids::{new_id, IdKind};
use super::interchange::{FeatureIn, LocalityIn, PlateIn, StreetRef, ThoroughfareIn};
use super::model::*;
use super::naming::{self, NameInUse};
use super::numbering;
use super::register::Register;

/// A plate farther than this from its thoroughfare is reported.
pub const MAX_PLATE_DISTANCE_M: f64 = 100.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Breaks an invariant of the register: the file is refused.
    Fatal,
    /// A quality problem of legacy data: imported and reported (refused with `--strict`).
    Quality,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conflict_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Created,
    Unchanged,
    Refused,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeatureReport {
    pub index: usize,
    pub kind: &'static str,
    /// The division's code or the address's ID.
    pub id: String,
    #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
    pub ref_: Option<String>,
    pub action: Action,
    /// Buildings, units and rooms created under a plate.
    #[serde(skip_serializing_if = "is_zero")]
    pub nested_created: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Finding>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The outcome of planning: what to add, and the report.
#[derive(Debug, Clone, Default)]
pub struct ImportPlan {
    /// The new records only.
    pub additions: Register,
    pub features: Vec<FeatureReport>,
}

impl ImportPlan {
    pub fn fatal_count(&self) -> usize {
        self.findings().filter(|f| f.severity == Severity::Fatal).count()
    }
    pub fn quality_count(&self) -> usize {
        self.findings().filter(|f| f.severity == Severity::Quality).count()
    }
    fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.features.iter().flat_map(|f| f.problems.iter())
    }
    /// Every ID the import creates, divisions by code, in feature order.
    pub fn created_ids(&self) -> Vec<String> {
        let a = &self.additions;
        a.divisions
            .keys()
            .chain(a.thoroughfares.keys())
            .chain(a.localities.keys())
            .chain(a.plates.keys())
            .chain(a.buildings.keys())
            .chain(a.units.keys())
            .chain(a.rooms.keys())
            .cloned()
            .collect()
    }
}

fn fatal(code: &str, message: String) -> Finding {
    Finding { code: code.into(), severity: Severity::Fatal, message, conflict_id: None }
}

fn quality(code: &str, message: String, conflict_id: Option<String>) -> Finding {
    Finding { code: code.into(), severity: Severity::Quality, message, conflict_id }
}

/// Checks the file's features against `existing` and plans the additions.
pub fn plan(existing: &Register, features: Vec<FeatureIn>) -> ImportPlan {
    let taken =
        existing.plates.values().map(|p| ((p.parent.id().to_string(), p.number, p.sub), p.id.clone())).collect();
    let mut p = Planner {
        existing,
        plan: ImportPlan::default(),
        refs: HashMap::new(),
        taken,
        report_at: HashMap::new(),
        registered: counties_with_register(existing),
    };
    let mut divisions = Vec::new();
    let mut thoroughfares = Vec::new();
    let mut localities = Vec::new();
    let mut plates = Vec::new();
    for (i, f) in features.into_iter().enumerate() {
        match f {
            FeatureIn::Division(d, span) => divisions.push((i, d, span)),
            FeatureIn::Thoroughfare(t) => thoroughfares.push((i, t)),
            FeatureIn::Locality(l) => localities.push((i, l)),
            FeatureIn::Plate(pl) => plates.push((i, pl)),
        }
    }
    // Parents before children, whatever order the file uses.
    divisions.sort_by_key(|(_, d, _)| d.level);
    for (i, d, span) in divisions {
        p.division(i, d, span);
    }
    for (i, t) in thoroughfares {
        p.thoroughfare(i, t);
    }
    for (i, l) in localities {
        p.locality(i, l);
    }
    for (i, pl) in plates {
        p.plate(i, pl);
    }
    p.check_replacements();
    p.check_names();
    p.check_numbering();
    p.plan.features.sort_by_key(|f| f.index);
    p.plan
}

struct Planner<'a> {
    existing: &'a Register,
    plan: ImportPlan,
    /// File-local `ref` → ID.
    refs: HashMap<(bool, String), String>,
    /// (street ID, number, sub-number) → the plate holding it, retired ones included.
    taken: HashMap<(String, i32, Option<i32>), String>,
    /// Feature ID → its position in the report.
    report_at: HashMap<String, usize>,
    /// Counties that hold a register already (see [`counties_with_register`]).
    registered: HashSet<String>,
}

/// The counties where the register already holds an active street or locality, or a plate
/// in use. Import loads legacy data into an empty area: in these counties, new names go
/// through the naming procedure (民政) and new plates through issuance (公安), so that the
/// administrator, who neither names nor issues (SPEC §6), cannot do either by import.
pub fn counties_with_register(reg: &Register) -> HashSet<String> {
    let county = |code: &str| reg.ancestor(code, DivisionLevel::County).map(|d| d.code.clone());
    let mut out: HashSet<String> =
        reg.thoroughfares.values().filter(|t| t.status == NameStatus::Active).map(|t| t.county_code.clone()).collect();
    out.extend(
        reg.localities.values().filter(|l| l.status == NameStatus::Active).filter_map(|l| county(&l.village_code)),
    );
    out.extend(
        reg.plates
            .values()
            .filter(|p| matches!(p.status, PlateStatus::Issued | PlateStatus::Reserved))
            .filter_map(|p| reg.county_of(&p.id)),
    );
    out
}

impl Planner<'_> {
    fn division_any(&self, code: &str) -> Option<&Division> {
        self.plan.additions.divisions.get(code).or_else(|| self.existing.divisions.get(code))
    }

    fn report(
        &mut self,
        index: usize,
        kind: &'static str,
        id: String,
        ref_: Option<String>,
        problems: Vec<Finding>,
        existed: bool,
    ) {
        let action = if problems.iter().any(|f| f.severity == Severity::Fatal) {
            Action::Refused
        } else if existed {
            Action::Unchanged
        } else {
            Action::Created
        };
        self.report_at.insert(id.clone(), self.plan.features.len());
        self.plan.features.push(FeatureReport { index, kind, id, ref_, action, nested_created: 0, problems });
    }

    fn division(&mut self, index: usize, d: Division, span: Option<Lifespan>) {
        let mut problems = Vec::new();
        let existed = match self.existing.divisions.get(&d.code) {
            Some(old) if *old == d => true,
            Some(old) => {
                problems.push(fatal("conflict", format!("区划代码 {} 已存在且内容不同（现为“{}”）", d.code, old.name)));
                true
            }
            None => false,
        };
        if self.plan.additions.divisions.contains_key(&d.code) {
            problems.push(fatal("duplicate_code", format!("区划代码 {} 在文件中重复", d.code)));
        }
        if let Some(parent) = &d.parent_code {
            match self.division_any(parent) {
                None => problems.push(fatal("unknown_reference", format!("上级区划代码 {parent} 不存在"))),
                Some(pd) if !is_parent_level(pd.level, d.level) => problems.push(fatal(
                    "bad_hierarchy",
                    format!("{}（{}）不能是{}级区划的上级", pd.name, pd.level.as_str(), d.level.as_str()),
                )),
                Some(pd) if !d.code.starts_with(parent_prefix(pd)) => {
                    problems.push(fatal("bad_hierarchy", format!("区划代码 {} 与上级代码 {} 不一致", d.code, pd.code)))
                }
                Some(_) => {}
            }
        }
        let code = d.code.clone();
        if !existed && problems.is_empty() {
            self.plan.additions.divisions.insert(code.clone(), d);
            self.keep_lifespan(&code, span);
        }
        self.report(index, "division", code, None, problems, existed);
    }

    /// The county a division (of the file or the register) lies in.
    fn county_of_division(&self, code: &str) -> Option<String> {
        let mut d = self.division_any(code)?;
        for _ in 0..8 {
            if d.level == DivisionLevel::County {
                return Some(d.code.clone());
            }
            d = self.division_any(d.parent_code.as_deref()?)?;
        }
        None
    }

    /// A new active name in a county that has a register already: refused (it must be
    /// proposed and approved, `POST /v1/names`).
    fn new_name_in_registered_county(&self, division: &str, name: &str, problems: &mut Vec<Finding>) {
        if let Some(county) = self.county_of_division(division).filter(|c| self.registered.contains(c)) {
            let county_name = self.division_any(&county).map_or(county.as_str(), |d| d.name.as_str());
            problems.push(fatal(
                "register_exists",
                format!(
                    "{county_name}已有登记册：新名称“{name}”须经民政申报、批准（POST /v1/names），不能导入；导入只用于把历史数据载入尚无登记的县市"
                ),
            ));
        }
    }

    fn keep_lifespan(&mut self, id: &str, span: Option<Lifespan>) {
        if let Some(s) = span {
            self.plan.additions.lifespans.insert(id.to_string(), s);
        }
    }

    fn name_id(
        &mut self,
        index: usize,
        kind: IdKind,
        id: Option<String>,
        ref_: &str,
        problems: &mut Vec<Finding>,
    ) -> String {
        let id = id.unwrap_or_else(|| new_id(kind));
        let key = (kind == IdKind::Thoroughfare, ref_.to_string());
        if self.refs.insert(key, id.clone()).is_some() {
            problems.push(fatal("duplicate_ref", format!("ref “{ref_}”在文件中重复（第 {index} 个要素）")));
        }
        id
    }

    fn thoroughfare(&mut self, index: usize, t: ThoroughfareIn) {
        let mut problems = Vec::new();
        match self.division_any(&t.county_code) {
            Some(d) if d.level == DivisionLevel::County => {}
            Some(d) => {
                problems.push(fatal("unknown_reference", format!("{} 不是县级区划代码（{}）", t.county_code, d.name)))
            }
            None => problems.push(fatal("unknown_reference", format!("县级区划代码 {} 不存在", t.county_code))),
        }
        let id = self.name_id(index, IdKind::Thoroughfare, t.id.clone(), &t.ref_, &mut problems);
        let record = Thoroughfare {
            id: id.clone(),
            county_code: t.county_code,
            name: t.name,
            pinyin_override: t.pinyin,
            geometry: t.geometry,
            status: t.status.unwrap_or(NameStatus::Active),
            replaced_by: t.replaced_by,
            former_names: t.former_names,
            numbering: t.numbering.unwrap_or(NumberingScheme::Sequential),
        };
        let existed = existing_check(self.existing.thoroughfares.get(&id), &record, &id, &mut problems);
        if !existed && record.status == NameStatus::Active {
            self.new_name_in_registered_county(&record.county_code, &record.name, &mut problems);
        }
        if self.plan.additions.thoroughfares.contains_key(&id) {
            problems.push(fatal("duplicate_id", format!("id {id} 在文件中重复")));
        }
        if !existed && problems.is_empty() {
            self.plan.additions.thoroughfares.insert(id.clone(), record);
            self.keep_lifespan(&id, t.lifespan);
        }
        self.report(index, "thoroughfare", id, Some(t.ref_), problems, existed);
    }

    fn locality(&mut self, index: usize, l: LocalityIn) {
        let mut problems = Vec::new();
        match self.division_any(&l.village_code) {
            Some(d) if d.level == DivisionLevel::Village => {}
            Some(d) => {
                problems.push(fatal("unknown_reference", format!("{} 不是村级区划代码（{}）", l.village_code, d.name)))
            }
            None => problems.push(fatal("unknown_reference", format!("村级区划代码 {} 不存在", l.village_code))),
        }
        let id = self.name_id(index, IdKind::Locality, l.id.clone(), &l.ref_, &mut problems);
        let record = Locality {
            id: id.clone(),
            village_code: l.village_code,
            name: l.name,
            pinyin_override: l.pinyin,
            geometry: l.geometry,
            status: l.status.unwrap_or(NameStatus::Active),
            replaced_by: l.replaced_by,
            former_names: l.former_names,
        };
        let existed = existing_check(self.existing.localities.get(&id), &record, &id, &mut problems);
        if !existed && record.status == NameStatus::Active {
            self.new_name_in_registered_county(&record.village_code, &record.name, &mut problems);
        }
        if self.plan.additions.localities.contains_key(&id) {
            problems.push(fatal("duplicate_id", format!("id {id} 在文件中重复")));
        }
        if !existed && problems.is_empty() {
            self.plan.additions.localities.insert(id.clone(), record);
            self.keep_lifespan(&id, l.lifespan);
        }
        self.report(index, "locality", id, Some(l.ref_), problems, existed);
    }

    /// The ID a plate's street reference names: a `ref` of this file, or an existing ID.
    fn street(&self, r: &StreetRef) -> Option<PlateParent> {
        match r {
            StreetRef::Thoroughfare(s) => self
                .refs
                .get(&(true, s.clone()))
                .cloned()
                .or_else(|| self.existing.thoroughfares.contains_key(s).then(|| s.clone()))
                .map(PlateParent::Thoroughfare),
            StreetRef::Locality(s) => self
                .refs
                .get(&(false, s.clone()))
                .cloned()
                .or_else(|| self.existing.localities.contains_key(s).then(|| s.clone()))
                .map(PlateParent::Locality),
        }
    }

    fn street_county(&self, parent: &PlateParent) -> Option<String> {
        match parent {
            PlateParent::Thoroughfare(id) => self
                .plan
                .additions
                .thoroughfares
                .get(id)
                .or_else(|| self.existing.thoroughfares.get(id))
                .map(|t| t.county_code.clone()),
            PlateParent::Locality(_) => None,
        }
    }

    fn plate(&mut self, index: usize, pl: PlateIn) {
        let mut problems = Vec::new();
        let parent = self.street(&pl.street);
        if parent.is_none() {
            let (what, r) = match &pl.street {
                StreetRef::Thoroughfare(r) => ("thoroughfare_ref", r),
                StreetRef::Locality(r) => ("locality_ref", r),
            };
            problems.push(fatal("unknown_reference", format!("{what} “{r}”在文件和登记册中都不存在")));
        }
        match (&parent, &pl.township_code) {
            (Some(PlateParent::Thoroughfare(_)), None) => {
                problems.push(fatal("missing_township", "道路上的门牌必须有 township_code".into()))
            }
            (Some(PlateParent::Thoroughfare(_)), Some(code)) => {
                let county = parent.as_ref().and_then(|p| self.street_county(p));
                match self.division_any(code) {
                    Some(d) if d.level == DivisionLevel::Township && d.parent_code == county => {}
                    Some(d) if d.level == DivisionLevel::Township => problems
                        .push(fatal("wrong_county", format!("乡镇（街道）{}（{code}）不在该道路所在的县市", d.name))),
                    _ => problems.push(fatal("unknown_reference", format!("乡镇（街道）代码 {code} 不存在"))),
                }
            }
            (Some(PlateParent::Locality(_)), Some(_)) => {
                problems.push(fatal("bad_property", "村组上的门牌不带 township_code（乡镇由村确定）".into()))
            }
            _ => {}
        }
        let id = pl.id.clone().unwrap_or_else(|| new_id(IdKind::Plate));
        let Some(parent) = parent else {
            self.report(index, "plate", id, None, problems, false);
            return;
        };
        let record = Plate {
            id: id.clone(),
            parent,
            number: pl.number,
            sub: pl.sub,
            township_code: pl.township_code.clone(),
            location: pl.location,
            side: None,
            measure_m: None,
            status: pl.status.unwrap_or(PlateStatus::Issued),
            replaced_by: pl.replaced_by.clone(),
        };
        let existed = match self.existing.plates.get(&id) {
            Some(old) if same_plate(old, &record) => true,
            Some(_) => {
                problems.push(fatal("conflict", format!("门牌 {id} 已存在且内容不同")));
                true
            }
            None => false,
        };
        if !existed {
            if let Some(other) = self.number_taken(&record) {
                problems.push(Finding {
                    conflict_id: Some(other),
                    ..fatal(
                        "duplicate_plate",
                        format!(
                            "{} 在同一道路（村组）上已有",
                            super::canonical::plate_suffix(record.number, record.sub)
                        ),
                    )
                });
            }
            if self.plan.additions.plates.contains_key(&id) {
                problems.push(fatal("duplicate_id", format!("id {id} 在文件中重复")));
            }
        }
        // Numbering a door on a street the register holds in use is issuance (公安), and
        // adding buildings or rooms behind a plate in use is theirs or housing's: not import.
        let live_street = match &record.parent {
            PlateParent::Thoroughfare(t) => {
                self.existing.thoroughfares.get(t).filter(|t| t.status != NameStatus::Retired).map(|t| &t.name)
            }
            PlateParent::Locality(l) => {
                self.existing.localities.get(l).filter(|l| l.status != NameStatus::Retired).map(|l| &l.name)
            }
        };
        if let (false, Some(street)) = (existed, live_street) {
            problems.push(fatal(
                "live_record",
                format!("“{street}”已在登记册中使用：其上的新门牌须由公安编号（POST /v1/plates），不能导入"),
            ));
        }
        let nested = self.nested(&id, &pl, &mut problems);
        let live_plate = self.existing.plates.get(&id).filter(|p| p.status != PlateStatus::Retired);
        if let (true, Some(_), true) = (existed, live_plate, nested.3 > 0) {
            problems.push(fatal(
                "live_record",
                format!("门牌 {id} 已在登记册中使用：其下新的楼栋、单元、房间须经公安或住建登记，不能导入"),
            ));
        }
        if problems.iter().all(|f| f.severity != Severity::Fatal) {
            if !existed {
                self.taken.insert((record.parent.id().to_string(), record.number, record.sub), id.clone());
                self.plan.additions.plates.insert(id.clone(), record);
                self.keep_lifespan(&id, pl.lifespan.clone());
            }
            for b in nested.0 {
                self.plan.additions.buildings.insert(b.id.clone(), b);
            }
            for u in nested.1 {
                self.plan.additions.units.insert(u.id.clone(), u);
            }
            for r in nested.2 {
                self.plan.additions.rooms.insert(r.id.clone(), r);
            }
        }
        let created = nested.3;
        self.report(index, "plate", id, None, problems, existed);
        if let Some(last) = self.plan.features.last_mut() {
            last.nested_created = created;
        }
    }

    /// The plate already holding this number (and sub-number) on the same street, if any:
    /// a number once issued is never issued again, so retired plates count too.
    fn number_taken(&self, p: &Plate) -> Option<String> {
        self.taken.get(&(p.parent.id().to_string(), p.number, p.sub)).filter(|id| **id != p.id).cloned()
    }

    #[allow(clippy::type_complexity)]
    fn nested(
        &self,
        plate_id: &str,
        pl: &PlateIn,
        problems: &mut Vec<Finding>,
    ) -> (Vec<Building>, Vec<Unit>, Vec<Room>, usize) {
        let (mut bs, mut us, mut rs) = (Vec::new(), Vec::new(), Vec::new());
        let mut created = 0;
        let mut seen_b = HashSet::new();
        for b in &pl.buildings {
            if !seen_b.insert(&b.number) {
                problems.push(fatal("duplicate_building", format!("{}栋在该门牌下重复", b.number)));
            }
            let bid = b.id.clone().unwrap_or_else(|| new_id(IdKind::Building));
            let rec = Building {
                id: bid.clone(),
                plate_id: plate_id.into(),
                number: b.number.clone(),
                status: NameStatus::Active,
            };
            match self.existing.buildings.get(&bid) {
                Some(old) if old.plate_id == rec.plate_id && old.number == rec.number => {}
                Some(_) => problems.push(fatal("conflict", format!("楼栋 {bid} 已存在且内容不同"))),
                None => {
                    created += 1;
                    bs.push(rec)
                }
            }
            let mut seen_u = HashSet::new();
            for u in &b.units {
                if !seen_u.insert(&u.number) {
                    problems.push(fatal("duplicate_unit", format!("{}栋{}单元重复", b.number, u.number)));
                }
                let uid = u.id.clone().unwrap_or_else(|| new_id(IdKind::Unit));
                let rec = Unit {
                    id: uid.clone(),
                    building_id: bid.clone(),
                    number: u.number.clone(),
                    status: NameStatus::Active,
                };
                match self.existing.units.get(&uid) {
                    Some(old) if old.building_id == rec.building_id && old.number == rec.number => {}
                    Some(_) => problems.push(fatal("conflict", format!("单元 {uid} 已存在且内容不同"))),
                    None => {
                        created += 1;
                        us.push(rec)
                    }
                }
                let mut seen_r = HashSet::new();
                for r in &u.rooms {
                    if !seen_r.insert(&r.number) {
                        problems
                            .push(fatal("duplicate_room", format!("{}栋{}单元{}室重复", b.number, u.number, r.number)));
                    }
                    let rid = r.id.clone().unwrap_or_else(|| new_id(IdKind::Room));
                    let rec = Room {
                        id: rid.clone(),
                        unit_id: uid.clone(),
                        number: r.number.clone(),
                        status: NameStatus::Active,
                    };
                    match self.existing.rooms.get(&rid) {
                        Some(old) if old.unit_id == rec.unit_id && old.number == rec.number => {}
                        Some(_) => problems.push(fatal("conflict", format!("房间 {rid} 已存在且内容不同"))),
                        None => {
                            created += 1;
                            rs.push(rec)
                        }
                    }
                }
            }
        }
        (bs, us, rs, created)
    }

    fn feature_mut(&mut self, id: &str) -> Option<&mut FeatureReport> {
        let at = *self.report_at.get(id)?;
        self.plan.features.get_mut(at)
    }

    /// `replaced_by` must name an address of the same register.
    fn check_replacements(&mut self) {
        let mut bad = Vec::new();
        let known = |id: &str| {
            let a = &self.plan.additions;
            let e = self.existing;
            a.divisions.contains_key(id)
                || e.divisions.contains_key(id)
                || a.thoroughfares.contains_key(id)
                || e.thoroughfares.contains_key(id)
                || a.localities.contains_key(id)
                || e.localities.contains_key(id)
                || a.plates.contains_key(id)
                || e.plates.contains_key(id)
        };
        let a = &self.plan.additions;
        for (id, r) in a
            .divisions
            .values()
            .map(|d| (&d.code, &d.replaced_by))
            .chain(a.thoroughfares.values().map(|t| (&t.id, &t.replaced_by)))
            .chain(a.localities.values().map(|l| (&l.id, &l.replaced_by)))
            .chain(a.plates.values().map(|p| (&p.id, &p.replaced_by)))
        {
            if let Some(r) = r {
                if !known(r) {
                    bad.push((id.clone(), r.clone()));
                }
            }
        }
        for (id, r) in bad {
            self.remove_addition(&id);
            if let Some(f) = self.feature_mut(&id) {
                f.problems.push(fatal("unknown_reference", format!("replaced_by “{r}”不存在")));
                f.action = Action::Refused;
            }
        }
    }

    fn remove_addition(&mut self, id: &str) {
        let a = &mut self.plan.additions;
        a.divisions.remove(id);
        a.thoroughfares.remove(id);
        a.localities.remove(id);
        a.plates.remove(id);
    }

    /// Names that break today's rules are legacy problems the clean-up must see.
    fn check_names(&mut self) {
        let mut found: Vec<(String, Finding)> = Vec::new();
        {
            let a = &self.plan.additions;
            let e = self.existing;
            let mut by_county: BTreeMap<&str, Vec<NameInUse<'_>>> = BTreeMap::new();
            for t in e.thoroughfares.values().chain(a.thoroughfares.values()) {
                if t.status == NameStatus::Active {
                    by_county.entry(&t.county_code).or_default().push(NameInUse { id: &t.id, name: &t.name });
                }
            }
            for t in a.thoroughfares.values() {
                let others: Vec<NameInUse<'_>> = by_county
                    .get(t.county_code.as_str())
                    .map(|v| v.iter().filter(|n| n.id != t.id).copied().collect())
                    .unwrap_or_default();
                if t.status == NameStatus::Active {
                    for v in naming::check(&t.name, GenericKind::Thoroughfare, &others) {
                        found.push((
                            t.id.clone(),
                            quality(&format!("name.{}", v.rule.code()), v.message, v.conflict_id),
                        ));
                    }
                }
            }
            let mut by_village: BTreeMap<&str, Vec<NameInUse<'_>>> = BTreeMap::new();
            for l in e.localities.values().chain(a.localities.values()) {
                if l.status == NameStatus::Active {
                    by_village.entry(&l.village_code).or_default().push(NameInUse { id: &l.id, name: &l.name });
                }
            }
            for l in a.localities.values() {
                let others: Vec<NameInUse<'_>> = by_village
                    .get(l.village_code.as_str())
                    .map(|v| v.iter().filter(|n| n.id != l.id).copied().collect())
                    .unwrap_or_default();
                if l.status == NameStatus::Active {
                    for v in naming::check(&l.name, GenericKind::Locality, &others) {
                        found.push((
                            l.id.clone(),
                            quality(&format!("name.{}", v.rule.code()), v.message, v.conflict_id),
                        ));
                    }
                }
            }
        }
        for (id, f) in found {
            if let Some(r) = self.feature_mut(&id) {
                r.problems.push(f);
            }
        }
    }

    /// Side and position of every new plate on a thoroughfare, and the numbering problems
    /// it brings (parity, order, distance) among the street's standing plates.
    fn check_numbering(&mut self) {
        let mut streets: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut placed = Vec::new();
        for (id, p) in self.plan.additions.plates.iter() {
            let PlateParent::Thoroughfare(tid) = &p.parent else { continue };
            let Some(t) = self.plan.additions.thoroughfares.get(tid).or_else(|| self.existing.thoroughfares.get(tid))
            else {
                continue;
            };
            if let Some(proj) = geometry::project(&t.geometry, p.location) {
                let mut p = p.clone();
                p.side = Some(proj.side);
                p.measure_m = Some((proj.measure_m * 100.0).round() / 100.0);
                placed.push(p);
            }
            streets.entry(tid.clone()).or_default().push(id.clone());
        }
        for p in placed {
            self.plan.additions.plates.insert(p.id.clone(), p);
        }
        let mut found: Vec<(String, Finding)> = Vec::new();
        for tid in streets.keys() {
            let Some(t) = self.plan.additions.thoroughfares.get(tid).or_else(|| self.existing.thoroughfares.get(tid))
            else {
                continue;
            };
            let on_street = |p: &&Plate| p.parent.id() == tid;
            let plates: Vec<&Plate> = self
                .existing
                .plates
                .values()
                .filter(on_street)
                .chain(self.plan.additions.plates.values().filter(on_street))
                .collect();
            for (id, b) in numbering::review_street(&t.geometry, &plates, MAX_PLATE_DISTANCE_M) {
                if self.plan.additions.plates.contains_key(&id) {
                    found.push((id, quality(b.rule, b.message, b.conflict_id)));
                }
            }
        }
        for (id, f) in found {
            if let Some(r) = self.feature_mut(&id) {
                r.problems.push(f);
            }
        }
    }
}

fn is_parent_level(parent: DivisionLevel, child: DivisionLevel) -> bool {
    use DivisionLevel::*;
    matches!((parent, child), (Province, Prefecture) | (Prefecture, County) | (County, Township) | (Township, Village))
}

/// The digits a child's code shares with its parent's.
fn parent_prefix(parent: &Division) -> &str {
    match parent.level {
        DivisionLevel::Province => &parent.code[..2],
        DivisionLevel::Prefecture => &parent.code[..4],
        _ => &parent.code,
    }
}

fn same_plate(a: &Plate, b: &Plate) -> bool {
    a.parent == b.parent
        && a.number == b.number
        && a.sub == b.sub
        && a.township_code == b.township_code
        && a.status == b.status
        && a.replaced_by == b.replaced_by
        && (a.location.x() - b.location.x()).abs() < 1e-9
        && (a.location.y() - b.location.y()).abs() < 1e-9
}

/// Whether an existing record with this ID is the same (a no-op) or conflicts.
fn existing_check<T: PartialEq>(old: Option<&T>, new: &T, id: &str, problems: &mut Vec<Finding>) -> bool {
    match old {
        Some(old) if old == new => true,
        Some(_) => {
            problems.push(fatal("conflict", format!("{id} 已存在且内容不同")));
            true
        }
        None => false,
    }
}
