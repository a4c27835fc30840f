//! Naming for civil affairs (民政): checking a name against the rules, proposing it with its
//! case file, approving it (the rules checked again inside the transaction, serialised per
//! county), announcing it, renaming (the old name kept as a former name), retiring (refused
//! while plates stand), the corrections that are not legal changes (a typo, a misplaced
//! line, a mistaken retirement undone), and renamings of townships and villages (乡改镇)
//! proposed and approved the same way.
//!
//! Every change is one transaction: it takes the clash scope's lock (the county of a
//! thoroughfare, the village of a locality) and the name's own row, reads the register as
//! committed, applies the rules, writes, and records one event and one audit row; the node
//! then refreshes its snapshot so that it answers with the change at once.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::change::{record, text_changes, AddressChange, Change};
use super::text::{optional, required};
use super::{now, today, Actor, App, AppError, Role};
use crate::domain::division_change::{self, DivisionEdit, Refusal};
use crate::domain::generic::GenericKind;
use crate::domain::EventKind;
use crate::domain::ids::{new_id, IdKind};
use crate::domain::naming::{self, CaseDocument, Evaluation, NameCase, Rule, Violation, WordList};
use crate::domain::{
    geometry, DivisionLevel, FormerName, Locality, LocalityGeometry, NameStatus, NumberingScheme, PlateStatus,
    Register, StreetGeometry, Thoroughfare,
};
use crate::store::names::{self as db, DivisionChangeRow, NamingWord};
use crate::store::{self, AnyConnection, StoreError};

const CIVIL_AFFAIRS: &[Role] = &[Role::CivilAffairs];

/// Most names one page lists.
pub const MAX_PAGE: usize = 1000;

/// What a name is for: a street in a county, or a hamlet or group in a village.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameKind {
    Thoroughfare,
    Locality,
}

impl NameKind {
    fn generic(self) -> GenericKind {
        match self {
            NameKind::Thoroughfare => GenericKind::Thoroughfare,
            NameKind::Locality => GenericKind::Locality,
        }
    }
}

/// `POST /v1/names/check`: a name and where it is for.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameCheck {
    pub kind: NameKind,
    pub name: String,
    pub county_code: Option<String>,
    pub village_code: Option<String>,
    /// The romanisation the clerk confirms where the dictionary reads a character wrongly.
    pub pinyin: Option<String>,
}

/// `POST /v1/names`: a new name with its geometry and case file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Proposal {
    pub kind: NameKind,
    pub name: String,
    pub county_code: Option<String>,
    pub village_code: Option<String>,
    pub pinyin: Option<String>,
    pub geometry: Value,
    /// 命名理由及含义.
    pub reason: Option<String>,
    pub applicant: Option<String>,
    #[serde(default)]
    pub documents: Vec<CaseDocument>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// The approval's document number (批准文号).
    pub document: String,
    /// `YYYY-MM-DD`, when the announcement (公告) was made together with the approval.
    pub announced_on: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Announcement {
    /// `YYYY-MM-DD`; today when absent.
    pub date: Option<String>,
    pub document: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Renaming {
    pub name: String,
    pub document: String,
    pub pinyin: Option<String>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retirement {
    pub document: String,
    pub reason: String,
    pub replaced_by: Option<String>,
}

/// Undoing a mistaken retirement.
/// A proposal returned (退回, 不予批准), with the reason the proposer reads.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Return {
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reinstatement {
    pub reason: String,
    pub document: Option<String>,
}

/// A correction that is not a legal change: a typo in the name, a romanisation, a
/// misplaced line. Audited with its reason; no former name, no certificate.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    pub reason: String,
    pub name: Option<String>,
    /// A blank string removes the override.
    pub pinyin: Option<String>,
    pub geometry: Option<Value>,
}

/// `GET /v1/names` filters and paging (by ID: `after` the last ID of the previous page).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameQuery {
    pub kind: Option<NameKind>,
    pub county_code: Option<String>,
    pub village_code: Option<String>,
    pub q: Option<String>,
    pub status: Option<String>,
    pub announced: Option<bool>,
    pub after: Option<String>,
    pub limit: Option<usize>,
}

/// A word an administrator adds to a naming rule's list.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewWord {
    pub rule: String,
    pub word: String,
    pub note: Option<String>,
}

/// A word an administrator takes off a naming rule's list, and why.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordRemoval {
    pub rule: String,
    pub word: String,
    pub reason: String,
}

/// A thoroughfare or locality as the naming routes show it, with its case file.
#[derive(Debug, Clone, Serialize)]
pub struct NameRecord {
    pub id: String,
    pub kind: NameKind,
    pub name: String,
    pub specific: String,
    pub generic: Option<String>,
    pub pinyin: String,
    pub pinyin_override: Option<String>,
    pub status: NameStatus,
    pub canonical: String,
    pub county_code: Option<String>,
    pub village_code: Option<String>,
    pub replaced_by: Option<String>,
    pub former_names: Vec<FormerName>,
    pub geometry: Value,
    #[serde(flatten)]
    pub case: NameCase,
    /// The last day the announcement (公告) is due, for an approved name not yet announced.
    pub announce_by: Option<String>,
}

/// A proposal as filed: the record, and what the clerk should still look at.
#[derive(Debug, Clone, Serialize)]
pub struct ProposalOutcome {
    #[serde(flatten)]
    pub record: NameRecord,
    pub warnings: Vec<naming::Warning>,
    pub readings: Vec<naming::Reading>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NamePage {
    pub items: Vec<NameRecord>,
    /// The `after` of the next page; None on the last.
    pub next_after: Option<String>,
}

/// The thoroughfare or locality a change is about.
#[derive(Debug, Clone)]
enum Subject {
    Street(Thoroughfare),
    Place(Locality),
}

impl Subject {
    fn of(reg: &Register, id: &str) -> Option<Subject> {
        reg.thoroughfares
            .get(id)
            .cloned()
            .map(Subject::Street)
            .or_else(|| reg.localities.get(id).cloned().map(Subject::Place))
    }

    fn kind(&self) -> NameKind {
        match self {
            Subject::Street(_) => NameKind::Thoroughfare,
            Subject::Place(_) => NameKind::Locality,
        }
    }

    fn id(&self) -> &str {
        match self {
            Subject::Street(t) => &t.id,
            Subject::Place(l) => &l.id,
        }
    }

    fn name(&self) -> &str {
        match self {
            Subject::Street(t) => &t.name,
            Subject::Place(l) => &l.name,
        }
    }

    fn pinyin_override(&self) -> Option<&str> {
        match self {
            Subject::Street(t) => t.pinyin_override.as_deref(),
            Subject::Place(l) => l.pinyin_override.as_deref(),
        }
    }

    fn status(&self) -> NameStatus {
        match self {
            Subject::Street(t) => t.status,
            Subject::Place(l) => l.status,
        }
    }

    /// The division its name must not clash in: the county of a street, the village of a
    /// hamlet or group.
    fn home(&self) -> &str {
        match self {
            Subject::Street(t) => &t.county_code,
            Subject::Place(l) => &l.village_code,
        }
    }

    fn set_name(&mut self, name: &str, pinyin: Option<String>) {
        let (n, p) = match self {
            Subject::Street(t) => (&mut t.name, &mut t.pinyin_override),
            Subject::Place(l) => (&mut l.name, &mut l.pinyin_override),
        };
        *n = name.to_string();
        *p = pinyin;
    }

    fn set_pinyin(&mut self, pinyin: Option<String>) {
        match self {
            Subject::Street(t) => t.pinyin_override = pinyin,
            Subject::Place(l) => l.pinyin_override = pinyin,
        }
    }

    fn set_status(&mut self, status: NameStatus, replaced_by: Option<String>) {
        match self {
            Subject::Street(t) => (t.status, t.replaced_by) = (status, replaced_by),
            Subject::Place(l) => (l.status, l.replaced_by) = (status, replaced_by),
        }
    }

    fn add_former_name(&mut self, f: FormerName) {
        match self {
            Subject::Street(t) => t.former_names.push(f),
            Subject::Place(l) => l.former_names.push(f),
        }
    }

    fn save(&self, c: &mut AnyConnection, at: &str) -> Result<(), StoreError> {
        match self {
            Subject::Street(t) => db::save_thoroughfare(c, t, at),
            Subject::Place(l) => db::save_locality(c, l, at),
        }
    }

    /// Puts the record into `reg` in place of the one it was taken from.
    fn put(self, reg: &mut Register) {
        match self {
            Subject::Street(t) => {
                reg.thoroughfares.insert(t.id.clone(), t);
            }
            Subject::Place(l) => {
                reg.localities.insert(l.id.clone(), l);
            }
        }
    }
}

/// Today in China (UTC+8): legal dates (ends of former names, announcements) are local.
/// The local date of a stored RFC 3339 time.
fn local_date(at: &str) -> Option<NaiveDate> {
    crate::domain::china_time::date_of(at)
}

fn parse_date(s: &str, field: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::Invalid(format!("{field} “{s}”不是 YYYY-MM-DD 格式的日期")))
}

/// A name as typed, trimmed; refused when empty or when it holds spaces, punctuation or
/// symbols (digits and letters are judged by the rules, not here).
fn clean_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::Invalid("名称不能为空".into()));
    }
    // Spaces, punctuation and symbols are the naming rules' to report (digit_or_latin), so
    // that a clerk who typed "Manhattan Road" sees the rule; only what no one types is refused.
    if let Some(c) = name.chars().find(|c| c.is_control()) {
        return Err(AppError::Invalid(format!("名称含有控制字符 U+{:04X}", u32::from(c))));
    }
    Ok(name.to_string())
}

/// A romanisation override: letters (ü included), spaces, apostrophes and hyphens; blank
/// means none.
fn clean_pinyin(pinyin: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(p) = optional(pinyin, "pinyin")? else { return Ok(None) };
    if !p.chars().all(|c| c.is_ascii_alphabetic() || matches!(c, ' ' | '\'' | '-' | 'ü' | 'Ü')) {
        return Err(AppError::Invalid(format!("拼音“{p}”只能含拉丁字母、ü、空格、隔音符号和连字符")));
    }
    Ok(Some(p))
}

/// The division a new name is for, checked: the county of a thoroughfare, the village of
/// a locality.
fn home(
    reg: &Register,
    kind: NameKind,
    county_code: Option<&str>,
    village_code: Option<&str>,
) -> Result<String, AppError> {
    let (code, level, field, other) = match kind {
        NameKind::Thoroughfare => {
            (county_code, DivisionLevel::County, "county_code", village_code.map(|_| "village_code"))
        }
        NameKind::Locality => {
            (village_code, DivisionLevel::Village, "village_code", county_code.map(|_| "county_code"))
        }
    };
    if let Some(other) = other {
        return Err(AppError::Invalid(match kind {
            NameKind::Thoroughfare => format!("道路属于县（市），请只给出 county_code，不要给出 {other}"),
            NameKind::Locality => format!("村组属于村（社区），请只给出 village_code，不要给出 {other}"),
        }));
    }
    let code = code.map(str::trim).filter(|c| !c.is_empty()).ok_or_else(|| {
        AppError::Invalid(match kind {
            NameKind::Thoroughfare => "道路名称须给出所在县（市）的代码 county_code".into(),
            NameKind::Locality => "村组名称须给出所在村（社区）的代码 village_code".into(),
        })
    })?;
    let d = reg.divisions.get(code).ok_or_else(|| AppError::NotFound(format!("区划代码 {code} 不存在")))?;
    if d.level != level {
        let want = match level {
            DivisionLevel::County => "县级",
            _ => "村级",
        };
        return Err(AppError::Invalid(format!("{field} {code}（{}）不是{want}区划", d.name)));
    }
    Ok(code.to_string())
}

/// The county a name's home lies in.
fn county_of_home(reg: &Register, home: &str) -> Option<String> {
    reg.ancestor(home, DivisionLevel::County).map(|d| d.code.clone())
}

fn evaluate_in(
    reg: &Register,
    words: &WordList,
    kind: NameKind,
    home: &str,
    name: &str,
    pinyin: Option<&str>,
    except: Option<&str>,
) -> Evaluation {
    let around = naming::surroundings(reg, kind.generic(), home, except);
    naming::evaluate(name, kind.generic(), pinyin, &around, words, today())
}

/// The word lists, with the administrator's additions, as committed.
fn word_list(c: &mut AnyConnection) -> Result<WordList, StoreError> {
    Ok(WordList::with(db::word_entries(c)?))
}

/// The 422 answer of a name that breaks rules: every violation, and a summary a clerk reads.
fn broken(name: &str, violations: &[Violation]) -> AppError {
    let summary = violations.iter().map(|v| v.message.as_str()).collect::<Vec<_>>().join("；");
    AppError::Unprocessable {
        message: format!("“{name}”不符合命名规则：{summary}"),
        violations: serde_json::to_value(violations).unwrap_or(Value::Null),
    }
}

/// Four eyes: whoever proposed a name does not decide on it (approve or return). The
/// command line and the service itself hold no token and are not a clerk.
fn not_the_proposer(actor: &Actor, case: &NameCase, name: &str, what: &str) -> Result<(), AppError> {
    if actor.token_id.is_some() && case.proposed_by.as_deref() == Some(actor.name.as_str()) {
        return Err(AppError::Forbidden(format!("“{name}”是用此令牌提出的，不能由提出者本人{what}")));
    }
    Ok(())
}

fn not_found(id: &str) -> AppError {
    AppError::NotFound(format!("没有编号为 {id} 的道路或村组名称"))
}

fn status_zh(s: NameStatus) -> &'static str {
    match s {
        NameStatus::Proposed => "拟用（待批准）",
        NameStatus::Active => "已启用",
        NameStatus::Retired => "已废止",
    }
}

fn wrong_status(s: &Subject, wanted: &str) -> AppError {
    AppError::Conflict(format!("“{}”（{}）的状态是{}，{wanted}", s.name(), s.id(), status_zh(s.status())))
}

fn street_json(g: &StreetGeometry) -> Value {
    let v = match g {
        StreetGeometry::Line(l) => geojson::GeometryValue::from(l),
        StreetGeometry::Multi(m) => geojson::GeometryValue::from(m),
    };
    serde_json::to_value(geojson::Geometry::new(v)).unwrap_or(Value::Null)
}

fn locality_json(g: &LocalityGeometry) -> Value {
    let v = match g {
        LocalityGeometry::Point(p) => geojson::GeometryValue::from(p),
        LocalityGeometry::Polygon(p) => geojson::GeometryValue::from(p),
    };
    serde_json::to_value(geojson::Geometry::new(v)).unwrap_or(Value::Null)
}

/// The naming view of a thoroughfare or locality of `reg`.
fn name_record(reg: &Register, id: &str, case: NameCase) -> Option<NameRecord> {
    let text = reg.address(id)?;
    let subject = Subject::of(reg, id)?;
    let kind = subject.kind();
    let (specific, generic) = match crate::domain::generic::split(subject.name(), kind.generic()) {
        Some((s, g)) => (s.to_string(), Some(g.text.to_string())),
        None => (subject.name().to_string(), None),
    };
    let announce_by = match (&case.approved_at, &case.announced_on, subject.status()) {
        (Some(at), None, NameStatus::Active) => local_date(at)
            .and_then(|d| d.checked_add_days(chrono::Days::new(naming::ANNOUNCE_WITHIN_DAYS)))
            .map(|d| d.to_string()),
        _ => None,
    };
    let (county_code, village_code, replaced_by, former_names, geometry) = match &subject {
        Subject::Street(t) => {
            (Some(t.county_code.clone()), None, t.replaced_by.clone(), t.former_names.clone(), street_json(&t.geometry))
        }
        Subject::Place(l) => (
            county_of_home(reg, &l.village_code),
            Some(l.village_code.clone()),
            l.replaced_by.clone(),
            l.former_names.clone(),
            locality_json(&l.geometry),
        ),
    };
    Some(NameRecord {
        id: id.to_string(),
        kind,
        name: subject.name().to_string(),
        specific,
        generic,
        pinyin: text.pinyin,
        pinyin_override: subject.pinyin_override().map(str::to_string),
        status: subject.status(),
        canonical: text.canonical,
        county_code,
        village_code,
        replaced_by,
        former_names,
        geometry,
        case,
        announce_by,
    })
}

fn record_of(reg: &Register, id: &str, case: NameCase) -> Result<NameRecord, AppError> {
    name_record(reg, id, case).ok_or_else(|| AppError::Internal(format!("名称 {id} 写入后无法读取")))
}

impl App {
    /// Checks a name against every rule without changing anything.
    pub fn check_name(&self, actor: &Actor, req: &NameCheck) -> Result<Evaluation, AppError> {
        actor.require(&Role::ALL)?;
        let name = clean_name(&req.name)?;
        let pinyin = clean_pinyin(req.pinyin.as_deref())?;
        let reg = self.register();
        let home = home(&reg, req.kind, req.county_code.as_deref(), req.village_code.as_deref())?;
        let words = self.store.read(word_list)?;
        Ok(evaluate_in(&reg, &words, req.kind, &home, &name, pinyin.as_deref(), None))
    }

    /// Files a new name as `proposed`, with its geometry and case file; refused (422) when
    /// it breaks a rule or its geometry lies outside its county.
    pub fn propose_name(&self, actor: &Actor, req: &Proposal) -> Result<ProposalOutcome, AppError> {
        actor.require(CIVIL_AFFAIRS)?;
        let name = clean_name(&req.name)?;
        let pinyin = clean_pinyin(req.pinyin.as_deref())?;
        super::within_vertex_limit(&req.geometry)?;
        let snapshot = self.snapshot();
        let reg = snapshot.register.clone();
        let home = home(&reg, req.kind, req.county_code.as_deref(), req.village_code.as_deref())?;
        actor.require_scope(&reg, &home)?;
        let county =
            county_of_home(&reg, &home).ok_or_else(|| AppError::Invalid(format!("区划 {home} 不属于任何县（市）")))?;
        let documents: Vec<CaseDocument> = req
            .documents
            .iter()
            .map(|d| {
                Ok(CaseDocument {
                    kind: d.kind,
                    reference: required(&d.reference, "documents[].reference", "文件文号")?,
                })
            })
            .collect::<Result<_, AppError>>()?;
        let id;
        let mut addition = Register::default();
        let vertices = match req.kind {
            NameKind::Thoroughfare => {
                let g = naming::street_geometry(&req.geometry).map_err(AppError::Invalid)?;
                id = new_id(IdKind::Thoroughfare);
                let vertices = naming::vertices_of_street(&g);
                addition.thoroughfares.insert(
                    id.clone(),
                    Thoroughfare {
                        id: id.clone(),
                        county_code: home.clone(),
                        name: name.clone(),
                        pinyin_override: pinyin.clone(),
                        geometry: g,
                        status: NameStatus::Proposed,
                        replaced_by: None,
                        former_names: vec![],
                        numbering: NumberingScheme::Sequential,
                    },
                );
                vertices
            }
            NameKind::Locality => {
                let g = naming::locality_geometry(&req.geometry).map_err(AppError::Invalid)?;
                id = new_id(IdKind::Locality);
                let vertices = naming::vertices_of_locality(&g);
                addition.localities.insert(
                    id.clone(),
                    Locality {
                        id: id.clone(),
                        village_code: home.clone(),
                        name: name.clone(),
                        pinyin_override: pinyin.clone(),
                        geometry: g,
                        status: NameStatus::Proposed,
                        replaced_by: None,
                        former_names: vec![],
                    },
                );
                vertices
            }
        };
        // Where the geometry lies is judged on this node's snapshot, before the lock: the
        // county's records change rarely, and the lock is held only for the name rules.
        let misplaced = naming::placement(&reg, &snapshot.spatial, &county, None, &vertices);
        let outcome = self.store.write(|c| -> Result<ProposalOutcome, AppError> {
            db::lock_division(c, &home)?;
            let mut reg = store::load_names(c)?;
            let words = word_list(c)?;
            let eval = evaluate_in(&reg, &words, req.kind, &home, &name, pinyin.as_deref(), None);
            let mut violations = eval.violations.clone();
            violations.extend(misplaced.clone());
            if !violations.is_empty() {
                return Err(broken(&name, &violations));
            }
            let at = now();
            store::insert_records(c, &addition, &at)?;
            let case = NameCase {
                reason: optional(req.reason.as_deref(), "reason")?,
                applicant: optional(req.applicant.as_deref(), "applicant")?,
                documents: documents.clone(),
                proposed_at: Some(at.clone()),
                proposed_by: Some(actor.name.clone()),
                ..NameCase::default()
            };
            db::save_case(c, &id, &case)?;
            record(
                c,
                actor,
                &Change {
                    action: "name.propose",
                    subject_id: Some(&id),
                    county_code: Some(&county),
                    reason: case.reason.as_deref(),
                    ..Change::of(EventKind::NameProposed)
                },
            )?;
            reg.thoroughfares.append(&mut addition.thoroughfares);
            reg.localities.append(&mut addition.localities);
            Ok(ProposalOutcome {
                record: record_of(&reg, &id, case)?,
                warnings: eval.warnings,
                readings: eval.readings,
            })
        })?;
        self.refresh()?;
        Ok(outcome)
    }

    /// Runs one change of the name `id` in one transaction: takes the lock of its clash
    /// scope (county or village) and its own row (so plates are not issued on it meanwhile),
    /// reads the register as committed after them, checks the actor's scope, runs `f`, and
    /// refreshes this node's snapshot after the commit.
    fn change_name<T>(
        &self,
        actor: &Actor,
        id: &str,
        mut f: impl FnMut(&mut AnyConnection, Register, Subject) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        actor.require(CIVIL_AFFAIRS)?;
        let scope = self.store.read(|c| db::clash_scope(c, id))?.ok_or_else(|| not_found(id))?;
        let out = self.store.write(|c| {
            db::lock_division(c, &scope)?;
            db::lock_name(c, id)?;
            // A street's or locality's change reads the names (its rules' scope) and what
            // stands on it; a division's reaches everything under it.
            let reg = if IdKind::of(id).is_some() {
                let mut reg = store::load_names(c)?;
                store::delta::load_below_place(c, &mut reg, id)?;
                reg
            } else {
                store::load_register(c)?
            };
            let subject = Subject::of(&reg, id).ok_or_else(|| not_found(id))?;
            actor.require_scope(&reg, subject.home())?;
            f(c, reg, subject)
        })?;
        self.refresh()?;
        Ok(out)
    }

    /// Approves a proposed name: the rules are checked again against the names active now,
    /// under the county's lock, so two clashing proposals never both become active.
    pub fn approve_name(&self, actor: &Actor, id: &str, req: &Approval) -> Result<NameRecord, AppError> {
        actor.require(CIVIL_AFFAIRS)?;
        let document = required(&req.document, "document", "批准文号")?;
        let announced_on = req.announced_on.as_deref().map(|d| parse_date(d, "announced_on")).transpose()?;
        self.change_name(actor, id, |c, mut reg, mut s| {
            if s.status() != NameStatus::Proposed {
                return Err(wrong_status(&s, "只有拟用名称可以批准"));
            }
            let case = db::case(c, id)?.unwrap_or_default();
            not_the_proposer(actor, &case, s.name(), "批准：须由另一名经办人批准")?;
            let words = word_list(c)?;
            let eval = evaluate_in(&reg, &words, s.kind(), s.home(), s.name(), s.pinyin_override(), Some(id));
            if !eval.violations.is_empty() {
                return Err(broken(s.name(), &eval.violations));
            }
            let at = now();
            s.set_status(NameStatus::Active, None);
            s.save(c, &at)?;
            store::set_lifespan(c, id, Some(Some(&today().to_string())), Some(None))?;
            let mut case = case.clone();
            case.approved_at = Some(at);
            case.approval_document = Some(document.clone());
            case.announced_on = announced_on.map(|d| d.to_string());
            db::save_case(c, id, &case)?;
            let county = county_of_home(&reg, s.home());
            s.put(&mut reg);
            let canonical = reg.address(id).map(|a| a.canonical);
            record(
                c,
                actor,
                &Change {
                    action: "name.approve",
                    subject_id: Some(id),
                    county_code: county.as_deref(),
                    document: Some(&document),
                    changes: vec![AddressChange { id: id.to_string(), old: None, new: canonical }],
                    ..Change::of(EventKind::NameApproved)
                },
            )?;
            record_of(&reg, id, case)
        })
    }

    /// Records the announcement (公告) of an approved name.
    pub fn announce_name(&self, actor: &Actor, id: &str, req: &Announcement) -> Result<NameRecord, AppError> {
        actor.require(CIVIL_AFFAIRS)?;
        let date = match req.date.as_deref() {
            Some(d) => parse_date(d, "date")?,
            None => today(),
        };
        let document = optional(req.document.as_deref(), "document")?;
        self.change_name(actor, id, |c, reg, s| {
            let mut case = db::case(c, id)?.unwrap_or_default();
            let approved = case.approved_at.as_deref().and_then(local_date);
            let Some(approved) = approved.filter(|_| s.status() == NameStatus::Active) else {
                return Err(wrong_status(&s, "只有经批准启用的名称需要公告"));
            };
            if date < approved {
                return Err(AppError::Invalid(format!("公告日期 {date} 早于批准日期 {approved}")));
            }
            case.announced_on = Some(date.to_string());
            case.announcement_document = document.clone();
            db::save_case(c, id, &case)?;
            record(
                c,
                actor,
                &Change {
                    action: "name.announce",
                    subject_id: Some(id),
                    county_code: county_of_home(&reg, s.home()).as_deref(),
                    document: document.as_deref(),
                    ..Change::of(EventKind::NameAnnounced)
                },
            )?;
            record_of(&reg, id, case)
        })
    }

    /// Renames an active name: the old one becomes a former name ending today with the
    /// renaming's document, and every address under it gets its new canonical text, all
    /// listed in the one event.
    pub fn rename(&self, actor: &Actor, id: &str, req: &Renaming) -> Result<NameRecord, AppError> {
        actor.require(CIVIL_AFFAIRS)?;
        let name = clean_name(&req.name)?;
        let document = required(&req.document, "document", "更名批准文号")?;
        let pinyin = clean_pinyin(req.pinyin.as_deref())?;
        let reason = optional(req.reason.as_deref(), "reason")?;
        self.change_name(actor, id, |c, mut reg, mut s| {
            if s.status() != NameStatus::Active {
                return Err(wrong_status(&s, "只有已启用的名称可以更名（拟用名称请用更正）"));
            }
            if s.name() == name {
                return Err(AppError::Invalid(format!("新名称与现名称“{name}”相同")));
            }
            let words = word_list(c)?;
            let eval = evaluate_in(&reg, &words, s.kind(), s.home(), &name, pinyin.as_deref(), Some(id));
            if !eval.violations.is_empty() {
                return Err(broken(&name, &eval.violations));
            }
            let at = now();
            let former = FormerName {
                name: s.name().to_string(),
                until: today().to_string(),
                document: Some(document.clone()),
                parent_code: None,
            };
            db::add_former_name(c, id, &former)?;
            s.add_former_name(former);
            // The old romanisation override belonged to the old name.
            s.set_name(&name, pinyin.clone());
            s.save(c, &at)?;
            let county = county_of_home(&reg, s.home());
            let ids = reg.descendants(id);
            let before = reg.clone();
            s.put(&mut reg);
            let changes = text_changes(&before, &reg, &ids);
            record(
                c,
                actor,
                &Change {
                    action: "name.rename",
                    kind: EventKind::NameRenamed,
                    subject_id: Some(id),
                    county_code: county.as_deref(),
                    reason: reason.as_deref(),
                    document: Some(&document),
                    changes,
                },
            )?;
            record_of(&reg, id, db::case(c, id)?.unwrap_or_default())
        })
    }

    /// Returns a proposal (退回, 不予批准) with its reason: the name is not approved and
    /// leaves the waiting list; it was never in effect, so it has no lifespan. Like an
    /// approval, it is decided by another clerk than the one who proposed it.
    pub fn return_name(&self, actor: &Actor, id: &str, req: &Return) -> Result<NameRecord, AppError> {
        actor.require(CIVIL_AFFAIRS)?;
        let reason = required(&req.reason, "reason", "退回理由")?;
        self.change_name(actor, id, |c, reg, mut s| {
            if s.status() != NameStatus::Proposed {
                return Err(wrong_status(&s, "只有拟用名称可以退回"));
            }
            let mut case = db::case(c, id)?.unwrap_or_default();
            not_the_proposer(actor, &case, s.name(), "退回：撤回申报请用废止")?;
            let at = now();
            s.set_status(NameStatus::Retired, None);
            s.save(c, &at)?;
            case.returned_at = Some(at);
            case.return_reason = Some(reason.clone());
            db::save_case(c, id, &case)?;
            let county = county_of_home(&reg, s.home());
            let mut reg = reg;
            s.put(&mut reg);
            record(
                c,
                actor,
                &Change {
                    action: "name.return",
                    subject_id: Some(id),
                    county_code: county.as_deref(),
                    reason: Some(&reason),
                    ..Change::of(EventKind::NameReturned)
                },
            )?;
            record_of(&reg, id, case)
        })
    }

    /// Retires a name (a proposal withdrawn, or an active name given up). Refused while
    /// issued or reserved plates stand on it: they are listed, to be retired or moved first.
    pub fn retire_name(&self, actor: &Actor, id: &str, req: &Retirement) -> Result<NameRecord, AppError> {
        actor.require(CIVIL_AFFAIRS)?;
        let document = required(&req.document, "document", "废止文号")?;
        let reason = required(&req.reason, "reason", "废止理由")?;
        let replaced_by = optional(req.replaced_by.as_deref(), "replaced_by")?;
        self.change_name(actor, id, |c, mut reg, mut s| {
            if s.status() == NameStatus::Retired {
                return Err(wrong_status(&s, "不能再次废止"));
            }
            let standing: Vec<Value> = reg
                .plates
                .values()
                .filter(|p| p.parent.id() == id && matches!(p.status, PlateStatus::Issued | PlateStatus::Reserved))
                .map(|p| json!({"id": p.id, "canonical": reg.address(&p.id).map(|a| a.canonical), "status": p.status}))
                .collect();
            if !standing.is_empty() {
                return Err(AppError::Blocked {
                    detail: format!(
                        "“{}”上还有 {} 块门牌在用或预留，须先注销或迁移到其他道路后才能废止",
                        s.name(),
                        standing.len()
                    ),
                    conflicts: Value::Array(standing),
                });
            }
            if let Some(r) = &replaced_by {
                let successor =
                    Subject::of(&reg, r).ok_or_else(|| AppError::NotFound(format!("替代名称 {r} 不存在")))?;
                if r == id || successor.kind() != s.kind() {
                    return Err(AppError::Invalid(format!(
                        "{r} 不能作为“{}”的替代：须是另一处同类的道路或村组",
                        s.name()
                    )));
                }
                if successor.status() != NameStatus::Active {
                    return Err(wrong_status(&successor, "不能作为替代名称"));
                }
            }
            let at = now();
            // A proposal withdrawn was never in effect: it gets no end, which with no start
            // would read as in effect on every earlier day.
            let was_in_effect = s.status() == NameStatus::Active;
            s.set_status(NameStatus::Retired, replaced_by.clone());
            s.save(c, &at)?;
            if was_in_effect {
                store::set_lifespan(c, id, None, Some(Some(&today().to_string())))?;
            }
            let mut case = db::case(c, id)?.unwrap_or_default();
            case.retired_at = Some(at);
            case.retire_document = Some(document.clone());
            case.retire_reason = Some(reason.clone());
            db::save_case(c, id, &case)?;
            let county = county_of_home(&reg, s.home());
            let old = reg.address(id).map(|a| a.canonical);
            s.put(&mut reg);
            record(
                c,
                actor,
                &Change {
                    action: "name.retire",
                    kind: EventKind::NameRetired,
                    subject_id: Some(id),
                    county_code: county.as_deref(),
                    reason: Some(&reason),
                    document: Some(&document),
                    changes: vec![AddressChange { id: id.to_string(), old, new: None }],
                },
            )?;
            record_of(&reg, id, case)
        })
    }

    /// Undoes a mistaken retirement: the name comes back as it was (active, or proposed
    /// when it was a proposal never approved), unless another name has taken it meanwhile.
    pub fn reinstate_name(&self, actor: &Actor, id: &str, req: &Reinstatement) -> Result<NameRecord, AppError> {
        actor.require(CIVIL_AFFAIRS)?;
        let reason = required(&req.reason, "reason", "撤销废止的理由")?;
        let document = optional(req.document.as_deref(), "document")?;
        self.change_name(actor, id, |c, mut reg, mut s| {
            if s.status() != NameStatus::Retired {
                return Err(wrong_status(&s, "只有已废止的名称可以撤销废止"));
            }
            let mut case = db::case(c, id)?;
            let was_proposal = case.as_ref().is_some_and(|k| k.proposed_at.is_some() && k.approved_at.is_none());
            let back_to = if was_proposal { NameStatus::Proposed } else { NameStatus::Active };
            if back_to == NameStatus::Active {
                // The name was lawful when retired; what can stand in its way now is only
                // another name that took it (or its sound) meanwhile.
                let words = word_list(c)?;
                let eval = evaluate_in(&reg, &words, s.kind(), s.home(), s.name(), s.pinyin_override(), Some(id));
                let clashes: Vec<Violation> = eval
                    .violations
                    .into_iter()
                    .filter(|v| matches!(v.rule, Rule::Duplicate | Rule::Homophone))
                    .collect();
                if !clashes.is_empty() {
                    return Err(broken(s.name(), &clashes));
                }
            }
            let at = now();
            s.set_status(back_to, None);
            s.save(c, &at)?;
            // The retirement was a mistake: the name never ceased to be.
            store::set_lifespan(c, id, None, Some(None))?;
            if let Some(k) = case.as_mut() {
                (k.retired_at, k.retire_document, k.retire_reason) = (None, None, None);
                db::save_case(c, id, k)?;
            }
            let county = county_of_home(&reg, s.home());
            s.put(&mut reg);
            let changes = match back_to {
                NameStatus::Active => {
                    vec![AddressChange { id: id.to_string(), old: None, new: reg.address(id).map(|a| a.canonical) }]
                }
                _ => vec![],
            };
            record(
                c,
                actor,
                &Change {
                    action: "name.reinstate",
                    kind: EventKind::NameReinstated,
                    subject_id: Some(id),
                    county_code: county.as_deref(),
                    reason: Some(&reason),
                    document: document.as_deref(),
                    changes,
                },
            )?;
            record_of(&reg, id, case.unwrap_or_default())
        })
    }

    /// Corrects a record without a legal change: a typo in the name (no former name kept),
    /// the romanisation, or a misplaced line (the plates on it are placed again along the
    /// corrected line). Audited with its reason; the event lists every changed text.
    pub fn correct_name(&self, actor: &Actor, id: &str, req: &Correction) -> Result<NameRecord, AppError> {
        actor.require(CIVIL_AFFAIRS)?;
        let reason = required(&req.reason, "reason", "更正理由")?;
        let name = req.name.as_deref().map(clean_name).transpose()?;
        let pinyin = req.pinyin.as_deref().map(|p| clean_pinyin(Some(p))).transpose()?;
        if name.is_none() && pinyin.is_none() && req.geometry.is_none() {
            return Err(AppError::Invalid("更正须至少给出 name、pinyin 或 geometry 之一".into()));
        }
        // Where a corrected line lies is judged on the snapshot, before the lock (as for a
        // proposal); its validity is checked again inside.
        let misplaced = match &req.geometry {
            None => None,
            Some(g) => {
                super::within_vertex_limit(g)?;
                let snapshot = self.snapshot();
                let reg = &snapshot.register;
                let vertices = match Subject::of(reg, id) {
                    Some(Subject::Street(_)) => {
                        naming::vertices_of_street(&naming::street_geometry(g).map_err(AppError::Invalid)?)
                    }
                    Some(Subject::Place(_)) => {
                        naming::vertices_of_locality(&naming::locality_geometry(g).map_err(AppError::Invalid)?)
                    }
                    None => vec![],
                };
                let county = Subject::of(reg, id).and_then(|s| county_of_home(reg, s.home()));
                county.and_then(|county| naming::placement(reg, &snapshot.spatial, &county, Some(id), &vertices))
            }
        };
        self.change_name(actor, id, |c, mut reg, mut s| {
            if s.status() == NameStatus::Retired {
                return Err(wrong_status(&s, "已废止的名称不能更正（请先撤销废止）"));
            }
            let county = county_of_home(&reg, s.home());
            let mut violations = Vec::new();
            if let Some(name) = name.as_deref().filter(|n| *n != s.name()) {
                let words = word_list(c)?;
                let eval =
                    evaluate_in(&reg, &words, s.kind(), s.home(), name, pinyin.clone().flatten().as_deref(), Some(id));
                violations.extend(eval.violations);
                let keep = s.pinyin_override().map(str::to_string);
                s.set_name(name, keep);
            }
            if let Some(p) = &pinyin {
                s.set_pinyin(p.clone());
            }
            let mut placed = Vec::new();
            if let Some(g) = &req.geometry {
                match &mut s {
                    Subject::Street(t) => {
                        t.geometry = naming::street_geometry(g).map_err(AppError::Invalid)?;
                        violations.extend(misplaced.clone());
                        for p in reg.plates.records_under(id).filter(|p| p.parent.id() == id) {
                            if let Some(at) = geometry::project(&t.geometry, p.location) {
                                placed.push((p.id.clone(), at.side, (at.measure_m * 100.0).round() / 100.0));
                            }
                        }
                    }
                    Subject::Place(l) => {
                        l.geometry = naming::locality_geometry(g).map_err(AppError::Invalid)?;
                        violations.extend(misplaced.clone());
                    }
                }
            }
            if !violations.is_empty() {
                return Err(broken(s.name(), &violations));
            }
            let at = now();
            s.save(c, &at)?;
            db::resurvey_plates(c, &placed, &at)?;
            let ids = reg.descendants(id);
            let before = reg.clone();
            s.put(&mut reg);
            for (pid, side, measure) in &placed {
                if let Some(mut p) = reg.plates.get_mut(pid) {
                    (p.side, p.measure_m) = (Some(*side), Some(*measure));
                }
            }
            record(
                c,
                actor,
                &Change {
                    action: "name.correct",
                    subject_id: Some(id),
                    county_code: county.as_deref(),
                    reason: Some(&reason),
                    changes: text_changes(&before, &reg, &ids),
                    ..Change::of(EventKind::NameCorrected)
                },
            )?;
            record_of(&reg, id, db::case(c, id)?.unwrap_or_default())
        })
    }

    /// One name with its case file.
    pub fn name(&self, actor: &Actor, id: &str) -> Result<NameRecord, AppError> {
        actor.require(&Role::ALL)?;
        let reg = self.register();
        if Subject::of(&reg, id).is_none() {
            return Err(not_found(id));
        }
        let case = self.store.read(|c| db::case(c, id))?.unwrap_or_default();
        record_of(&reg, id, case)
    }

    /// Names by kind, county, village, text (name, former name or pinyin), status and
    /// announcement, in ID order, a page at a time.
    pub fn list_names(&self, actor: &Actor, q: &NameQuery) -> Result<NamePage, AppError> {
        actor.require(&Role::ALL)?;
        let limit = q.limit.unwrap_or(100);
        if !(1..=MAX_PAGE).contains(&limit) {
            return Err(AppError::Invalid(format!("limit 应在 1 到 {MAX_PAGE} 之间")));
        }
        let status = match q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => Some(
                NameStatus::parse(s)
                    .ok_or_else(|| AppError::Invalid(format!("未知的状态“{s}”（proposed、active、retired）")))?,
            ),
            None => None,
        };
        let text = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let text_key = text.map(|t| t.to_lowercase().replace([' ', '\''], ""));
        let reg = self.register();
        let mut cases = self.store.read(db::cases)?;
        let mut ids: Vec<&String> = reg.thoroughfares.keys().chain(reg.localities.keys()).collect();
        ids.sort();
        let mut items = Vec::new();
        let mut next_after = None;
        for id in ids {
            if q.after.as_ref().is_some_and(|a| id <= a) {
                continue;
            }
            let Some(s) = Subject::of(&reg, id) else { continue };
            let county = county_of_home(&reg, s.home());
            let case = cases.get(id.as_str());
            let former: &[FormerName] = match &s {
                Subject::Street(t) => &t.former_names,
                Subject::Place(l) => &l.former_names,
            };
            let keep = q.kind.is_none_or(|k| k == s.kind())
                && q.county_code.as_ref().is_none_or(|c| county.as_ref() == Some(c))
                && q.village_code.as_ref().is_none_or(|v| matches!(&s, Subject::Place(l) if &l.village_code == v))
                && status.is_none_or(|st| st == s.status())
                && q.announced.is_none_or(|announced| {
                    let approved = case.is_some_and(|k| k.approved_at.is_some());
                    let done = case.is_some_and(|k| k.announced_on.is_some());
                    approved && done == announced
                })
                && text.is_none_or(|t| {
                    s.name().contains(t)
                        || former.iter().any(|f| f.name.contains(t))
                        || text_key.as_ref().is_some_and(|k| crate::domain::pinyin::key(s.name()).contains(k.as_str()))
                });
            if !keep {
                continue;
            }
            if items.len() == limit {
                next_after = items.last().map(|r: &NameRecord| r.id.clone());
                break;
            }
            let case = cases.remove(id.as_str()).unwrap_or_default();
            items.push(record_of(&reg, id, case)?);
        }
        Ok(NamePage { items, next_after })
    }

    /// The words the content rules look for: built in, and added by administrators.
    pub fn naming_words(&self, actor: &Actor) -> Result<Value, AppError> {
        actor.require(&Role::ALL)?;
        let added = self.store.read(db::words)?;
        let builtin: Vec<Value> =
            WordList::builtin().entries().iter().map(|(rule, word)| json!({"rule": rule, "word": word})).collect();
        Ok(json!({"builtin": builtin, "added": added}))
    }

    /// Adds a word to a content rule's list (administrators keep the reference lists).
    pub fn add_naming_word(&self, actor: &Actor, req: &NewWord) -> Result<NamingWord, AppError> {
        actor.require(&[Role::Admin])?;
        let rule = Rule::parse(req.rule.trim()).filter(|r| r.is_word_rule()).ok_or_else(|| {
            AppError::Invalid(format!("词表规则“{}”无效（reserved_word、personal_name、foreign_name）", req.rule))
        })?;
        let word = required(&req.word, "word", "词语")?;
        if word.chars().count() > 20 || word.chars().any(|c| !naming::is_name_char(c)) {
            return Err(AppError::Invalid(format!("词语“{word}”应为不超过 20 个字的文字，不含空格或标点")));
        }
        let entry = NamingWord {
            rule: rule.code().to_string(),
            word,
            note: optional(req.note.as_deref(), "note")?,
            added_at: now(),
            added_by: actor.name.clone(),
        };
        self.store.write(|c| -> Result<(), AppError> {
            if !db::add_word(c, &entry)? {
                return Err(AppError::Conflict(format!("“{}”已在{}词表中", entry.word, entry.rule)));
            }
            let mut audit = actor.audit("naming.word.add", None);
            audit.detail = Some(format!("{}={}", entry.rule, entry.word));
            audit.reason = entry.note.clone();
            Ok(store::append_audit(c, &audit)?)
        })?;
        Ok(entry)
    }

    /// Takes a word an administrator added off its list; the built-in lists stand.
    pub fn remove_naming_word(&self, actor: &Actor, req: &WordRemoval) -> Result<NamingWord, AppError> {
        actor.require(&[Role::Admin])?;
        let rule = Rule::parse(req.rule.trim()).filter(|r| r.is_word_rule()).ok_or_else(|| {
            AppError::Invalid(format!("词表规则“{}”无效（reserved_word、personal_name、foreign_name）", req.rule))
        })?;
        let word = required(&req.word, "word", "词语")?;
        let reason = required(&req.reason, "reason", "删除的理由")?;
        if WordList::builtin().entries().iter().any(|(r, w)| *r == rule && *w == word) {
            return Err(AppError::Conflict(format!("“{word}”是内置的{}词语，依据法规设定，不能删除", rule.code())));
        }
        self.store.write(|c| -> Result<NamingWord, AppError> {
            let removed = db::remove_word(c, rule.code(), &word)?
                .ok_or_else(|| AppError::NotFound(format!("{}词表中没有管理员增加的“{word}”", rule.code())))?;
            let mut audit = actor.audit("naming.word.remove", None);
            audit.detail = Some(format!("{}={}", rule.code(), word));
            audit.reason = Some(reason.clone());
            store::append_audit(c, &audit)?;
            Ok(removed)
        })
    }
}

/// `POST /v1/names/division-changes`: a township or village renamed (乡改镇) or given new
/// short forms, merged into another (`merge_into`), moved to another parent
/// (`parent_code`) or given a new code (`new_code`). A rename keeps the code, so every ID
/// under it survives; a merger or a new code retires the old code with `replaced_by`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DivisionChangeRequest {
    pub code: String,
    pub name: Option<String>,
    pub aliases: Option<Vec<String>>,
    pub merge_into: Option<String>,
    pub parent_code: Option<String>,
    pub new_code: Option<String>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DivisionApproval {
    /// The approval's document number (批准文号).
    pub document: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DivisionChangeQuery {
    pub status: Option<String>,
}

/// A division change as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DivisionChangeView {
    pub id: String,
    pub code: String,
    pub name: Option<String>,
    pub aliases: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merge_into: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_code: Option<String>,
    pub reason: Option<String>,
    pub status: String,
    pub proposed_at: String,
    pub proposed_by: String,
    pub approved_at: Option<String>,
    pub approval_document: Option<String>,
    /// On approval: every address whose canonical text the change gave a new one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changed: Vec<AddressChange>,
}

impl DivisionChangeView {
    fn of(row: DivisionChangeRow) -> Result<DivisionChangeView, AppError> {
        let edit = edit_of(&row)?;
        Ok(DivisionChangeView {
            id: row.id,
            code: row.code,
            name: row.name,
            aliases: edit.aliases,
            merge_into: row.merge_into,
            parent_code: row.parent_code,
            new_code: row.new_code,
            reason: row.reason,
            status: row.status,
            proposed_at: row.proposed_at,
            proposed_by: row.proposed_by,
            approved_at: row.approved_at,
            approval_document: row.approval_document,
            changed: vec![],
        })
    }
}

/// The change a stored proposal asks for.
fn edit_of(row: &DivisionChangeRow) -> Result<DivisionEdit, AppError> {
    let aliases = row
        .aliases
        .as_deref()
        .map(serde_json::from_str::<Vec<String>>)
        .transpose()
        .map_err(|_| AppError::Internal(format!("区划变更 {} 的简称数据已损坏", row.id)))?;
    Ok(DivisionEdit {
        code: row.code.clone(),
        name: row.name.clone(),
        aliases,
        merge_into: row.merge_into.clone(),
        parent_code: row.parent_code.clone(),
        new_code: row.new_code.clone(),
    })
}

/// Every division a change touches: the division itself, its parent now (it loses a
/// child when moved), the one it merges into and its new parent.
fn touched<'a>(reg: &'a Register, edit: &'a DivisionEdit) -> Vec<&'a str> {
    let parent_now = reg.divisions.get(&edit.code).and_then(|d| d.parent_code.as_deref());
    let moved = edit.parent_code.is_some() || edit.merge_into.is_some();
    [Some(edit.code.as_str()), parent_now.filter(|_| moved), edit.merge_into.as_deref(), edit.parent_code.as_deref()]
        .into_iter()
        .flatten()
        .collect()
}

/// The division change planned on `reg`, its refusals in the application's terms.
fn planned(
    reg: &Register,
    words: &WordList,
    edit: &DivisionEdit,
    document: Option<&str>,
) -> Result<division_change::Plan, AppError> {
    division_change::plan(reg, words, edit, &today().to_string(), document).map_err(|r| match r {
        Refusal::NotFound(m) => AppError::NotFound(m),
        Refusal::Invalid(m) => AppError::Invalid(m),
        Refusal::Broken(name, violations) => broken(&name, &violations),
    })
}

impl App {
    /// Proposes a change of a township or village; nothing changes until it is approved.
    pub fn propose_division_change(
        &self,
        actor: &Actor,
        req: &DivisionChangeRequest,
    ) -> Result<DivisionChangeView, AppError> {
        actor.require(CIVIL_AFFAIRS)?;
        let code = required(&req.code, "code", "区划代码")?;
        let trimmed = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let edit = DivisionEdit {
            code: code.clone(),
            name: req.name.as_deref().map(clean_name).transpose()?,
            aliases: req.aliases.clone(),
            merge_into: trimmed(&req.merge_into),
            parent_code: trimmed(&req.parent_code),
            new_code: trimmed(&req.new_code),
        };
        let reg = self.register();
        let words = self.store.read(word_list)?;
        let plan = planned(&reg, &words, &edit, None)?;
        actor.require_scope_all(&reg, touched(&reg, &edit))?;
        let row = DivisionChangeRow {
            id: format!("dch_{}", ulid::Ulid::new()),
            code: code.clone(),
            name: edit.name,
            // The short forms as the plan settled them (trimmed, blanks dropped).
            aliases: edit
                .aliases
                .as_ref()
                .map(|_| serde_json::to_string(&plan.after.divisions[&plan.successor].aliases))
                .transpose()
                .map_err(|e| AppError::Internal(e.to_string()))?,
            reason: optional(req.reason.as_deref(), "reason")?,
            status: "proposed".into(),
            proposed_at: now(),
            proposed_by: actor.name.clone(),
            approved_at: None,
            approval_document: None,
            merge_into: edit.merge_into,
            parent_code: edit.parent_code,
            new_code: edit.new_code,
        };
        self.store.write(|c| -> Result<(), AppError> {
            db::insert_division_change(c, &row)?;
            record(
                c,
                actor,
                &Change {
                    action: "division.propose",
                    subject_id: Some(&code),
                    county_code: county_of_home(&reg, &code).as_deref(),
                    reason: row.reason.as_deref(),
                    ..Change::of(EventKind::DivisionChangeProposed)
                },
            )?;
            Ok(())
        })?;
        DivisionChangeView::of(row)
    }

    /// Approves a division change: planned again under the locks of every division it
    /// involves (parents before children, so lock orders never cross), applied, and every
    /// address under the division re-texted in one event.
    pub fn approve_division_change(
        &self,
        actor: &Actor,
        id: &str,
        document: &str,
    ) -> Result<DivisionChangeView, AppError> {
        actor.require(CIVIL_AFFAIRS)?;
        let document = required(document, "document", "批准文号")?;
        let row = self
            .store
            .read(|c| db::division_change(c, id))?
            .ok_or_else(|| AppError::NotFound(format!("区划变更 {id} 不存在")))?;
        let edit = edit_of(&row)?;
        let mut locks: Vec<String> = {
            let reg = self.register();
            let parent_of = |code: &str| reg.divisions.get(code).and_then(|d| d.parent_code.clone());
            [Some(row.code.clone()), parent_of(&row.code), edit.merge_into.clone(), edit.parent_code.clone()]
                .into_iter()
                .flatten()
                .chain(edit.merge_into.as_deref().and_then(parent_of))
                .collect()
        };
        locks.sort_by_key(|c| (c.len(), c.clone()));
        locks.dedup();
        let view = self.store.write(|c| -> Result<DivisionChangeView, AppError> {
            for code in &locks {
                db::lock_division(c, code)?;
            }
            if db::division_change(c, id)?.is_none_or(|r| r.status != "proposed") {
                return Err(AppError::Conflict(format!("区划变更 {id} 已经批准")));
            }
            let before = store::load_register(c)?;
            // Every division the change touches, not only its subject: approving a merger
            // of another county's township into one's own is outside one's scope.
            actor.require_scope_all(&before, touched(&before, &edit))?;
            let words = word_list(c)?;
            let plan = planned(&before, &words, &edit, Some(&document))?;
            let at = now();
            db::approve_division_change(c, id, &at, &document)?;
            db::apply_division_plan(c, &before, &plan, &today().to_string())?;
            let mut ids = before.descendants(&row.code);
            ids.extend(plan.created.iter().cloned());
            let mut changes = text_changes(&before, &plan.after, &ids);
            if let Some(gone) = &plan.retired {
                let old = before.address(gone).map(|a| a.canonical);
                changes.retain(|ch| &ch.id != gone);
                changes.insert(0, AddressChange { id: gone.clone(), old, new: None });
            }
            record(
                c,
                actor,
                &Change {
                    action: "division.approve",
                    kind: plan.kind,
                    subject_id: Some(&row.code),
                    county_code: county_of_home(&before, &row.code).as_deref(),
                    reason: row.reason.as_deref(),
                    document: Some(&document),
                    changes: changes.clone(),
                },
            )?;
            let approved = db::division_change(c, id)?
                .ok_or_else(|| AppError::Internal(format!("区划变更 {id} 写入后无法读取")))?;
            Ok(DivisionChangeView { changed: changes, ..DivisionChangeView::of(approved)? })
        })?;
        self.refresh()?;
        Ok(view)
    }

    /// Division changes, oldest first (`proposed` ones are awaiting approval).
    pub fn division_changes(
        &self,
        actor: &Actor,
        q: &DivisionChangeQuery,
    ) -> Result<Vec<DivisionChangeView>, AppError> {
        actor.require(&Role::ALL)?;
        let status = optional(q.status.as_deref(), "status")?;
        if let Some(s) = status.as_deref().filter(|s| !matches!(*s, "proposed" | "approved")) {
            return Err(AppError::Invalid(format!("未知的状态“{s}”（proposed、approved）")));
        }
        self.store
            .read(|c| db::division_changes(c, status.as_deref()))?
            .into_iter()
            .map(DivisionChangeView::of)
            .collect()
    }
}
