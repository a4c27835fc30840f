//! Door plates for police (公安): suggestion, issuance that never duplicates a number,
//! validation, retirement, corrections, and the buildings, units and rooms behind a plate.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::change::{record, AddressChange, Change};
use super::{now, today, Actor, App, AppError, Role};
use crate::domain::geometry::{self, Projection};
use crate::domain::EventKind;
use crate::domain::ids::{new_id, IdKind};
use crate::domain::numbering::{self, Breach, Existing, Suggestion};
use crate::domain::sub_address::{self, SubLevel};
use crate::domain::{
    Building, DivisionLevel, NameStatus, NumberingScheme, Plate, PlateParent, PlateStatus, Register, Room, Side, Unit,
};
use crate::store::{self, plates as db, AnyConnection};

/// An entrance farther than this from its thoroughfare is refused (MENPAI_MAX_PLATE_DISTANCE_M).
pub const DEFAULT_MAX_DISTANCE_M: f64 = 100.0;

const POLICE: &[Role] = &[Role::Police];
const BUILDING_ROLES: &[Role] = &[Role::Police, Role::Housing];

/// A request about a place on a street: suggest, issue or validate a number there.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PlateRequest {
    pub thoroughfare_id: Option<String>,
    pub locality_id: Option<String>,
    pub location: Option<[f64; 2]>,
    pub township_code: Option<String>,
    pub number: Option<i32>,
    pub sub: Option<i32>,
}

/// One plate to make (门牌制作单): what goes on its face, and where it goes.
#[derive(Debug, Clone, Serialize)]
pub struct OrderLine {
    pub id: String,
    /// What the plate says: its street or locality and number (航空大道123号附1号).
    pub face: String,
    /// The romanisation on the plate (Hangkong Dadao 123 Hao Fu 1 Hao).
    pub face_pinyin: String,
    pub street: String,
    pub number: i32,
    pub sub: Option<i32>,
    /// The plate's size as the county makes it (`MENPAI_PLATE_SIZE`).
    pub size: String,
    pub quantity: u32,
    pub canonical: String,
    pub pinyin: String,
    pub location: [f64; 2],
    pub issued_at: String,
    pub township: Option<String>,
}

/// The size of a door plate on the order (`MENPAI_PLATE_SIZE`, default 30×20 厘米, a common
/// size of 门牌; each county sets its own).
fn plate_size() -> String {
    std::env::var("MENPAI_PLATE_SIZE")
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "30×20 厘米".to_string())
}

/// Most entrances one plan numbers.
pub const MAX_PLAN: usize = 2000;

/// A numbering plan: a series of entrances on one street.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {
    pub thoroughfare_id: Option<String>,
    pub locality_id: Option<String>,
    pub township_code: Option<String>,
    pub entrances: Vec<[f64; 2]>,
    pub dry_run: Option<bool>,
    pub reserve_minutes: Option<i64>,
}

/// Where a request places a plate, checked against the register.
struct Placement {
    parent: PlateParent,
    location: geo::Point<f64>,
    /// Side, measure and distance on a thoroughfare; None on a locality.
    projection: Option<Projection>,
    scheme: NumberingScheme,
    /// The division the plate's scope is checked against: its township or its village.
    scope_code: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SuggestOut {
    pub number: i32,
    pub sub: Option<i32>,
    pub side: Option<Side>,
    pub measure_m: Option<f64>,
    pub township_code: Option<String>,
    pub canonical: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ValidateOut {
    pub ok: bool,
    pub violations: Vec<Breach>,
    pub side: Option<Side>,
    pub measure_m: Option<f64>,
    pub distance_m: Option<f64>,
}

fn max_distance() -> f64 {
    std::env::var("MENPAI_MAX_PLATE_DISTANCE_M")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|d: &f64| *d > 0.0)
        .unwrap_or(DEFAULT_MAX_DISTANCE_M)
}

fn round_cm(m: f64) -> f64 {
    (m * 100.0).round() / 100.0
}

fn existing(plates: &[Plate]) -> Vec<Existing> {
    plates
        .iter()
        .map(|p| Existing {
            id: p.id.clone(),
            number: p.number,
            sub: p.sub,
            side: p.side,
            measure_m: p.measure_m,
            status: p.status,
        })
        .collect()
}

/// The street or locality a request names. A sub-number (附号) belongs to a number: one
/// given alone is refused rather than silently dropped.
fn parent_of(req: &PlateRequest) -> Result<PlateParent, AppError> {
    if req.sub.is_some() && req.number.is_none() {
        return Err(AppError::Invalid("给出附号 sub 时必须同时给出门牌号 number".into()));
    }
    match (&req.thoroughfare_id, &req.locality_id) {
        (Some(tid), None) => Ok(PlateParent::Thoroughfare(tid.clone())),
        (None, Some(lid)) => Ok(PlateParent::Locality(lid.clone())),
        _ => Err(AppError::Invalid("必须给出 thoroughfare_id 或 locality_id 之一".into())),
    }
}

fn place(reg: &Register, req: &PlateRequest) -> Result<Placement, AppError> {
    let [lon, lat] = req.location.ok_or_else(|| AppError::Invalid("缺少 location（[经度, 纬度]）".into()))?;
    if !geometry::valid_lon_lat(lon, lat) {
        return Err(AppError::Invalid(format!("location [{lon}, {lat}] 不是有效的经纬度")));
    }
    let location = geo::Point::new(lon, lat);
    match (&req.thoroughfare_id, &req.locality_id) {
        (Some(tid), None) => {
            let t = reg.thoroughfares.get(tid).ok_or_else(|| AppError::NotFound(format!("道路 {tid} 不存在")))?;
            if t.status != NameStatus::Active {
                return Err(AppError::Conflict(format!(
                    "道路“{}”的状态是{}，只能在已批准的道路上编门牌",
                    t.name,
                    t.status.as_str()
                )));
            }
            let projection = geometry::project(&t.geometry, location);
            Ok(Placement {
                parent: PlateParent::Thoroughfare(tid.clone()),
                location,
                projection,
                scheme: t.numbering,
                scope_code: Some(t.county_code.clone()),
            })
        }
        (None, Some(lid)) => {
            let l = reg.localities.get(lid).ok_or_else(|| AppError::NotFound(format!("村组 {lid} 不存在")))?;
            if l.status != NameStatus::Active {
                return Err(AppError::Conflict(format!(
                    "村组“{}”的状态是{}，只能在已批准的村组上编门牌",
                    l.name,
                    l.status.as_str()
                )));
            }
            if req.township_code.is_some() {
                return Err(AppError::Invalid("村组上的门牌不带 township_code（乡镇由村确定）".into()));
            }
            Ok(Placement {
                parent: PlateParent::Locality(lid.clone()),
                location,
                projection: None,
                scheme: NumberingScheme::Sequential,
                scope_code: Some(l.village_code.clone()),
            })
        }
        _ => Err(AppError::Invalid("必须给出 thoroughfare_id 或 locality_id 之一".into())),
    }
}

/// The township a plate on a thoroughfare lies in: the one given (checked to be in the
/// street's county) or, for a suggestion, the township of the nearest plate on the street.
fn township(
    reg: &Register,
    placement: &Placement,
    given: Option<&str>,
    plates: &[Plate],
    required: bool,
) -> Result<Option<String>, AppError> {
    let PlateParent::Thoroughfare(tid) = &placement.parent else { return Ok(None) };
    let county = reg.thoroughfares.get(tid).map(|t| t.county_code.clone());
    if let Some(code) = given {
        return match reg.divisions.get(code) {
            Some(d) if d.level == DivisionLevel::Township && d.parent_code == county => Ok(Some(code.to_string())),
            Some(d) => Err(AppError::Invalid(format!("{}（{code}）不是该道路所在县市的乡镇（街道）", d.name))),
            None => Err(AppError::Invalid(format!("乡镇（街道）代码 {code} 不存在"))),
        };
    }
    if required {
        return Err(AppError::Invalid("道路上的门牌必须给出 township_code".into()));
    }
    let nearest = plates.iter().filter(|p| p.township_code.is_some()).min_by(|a, b| {
        let da = (a.location.x() - placement.location.x()).hypot(a.location.y() - placement.location.y());
        let db = (b.location.x() - placement.location.x()).hypot(b.location.y() - placement.location.y());
        da.partial_cmp(&db).unwrap_or(std::cmp::Ordering::Equal)
    });
    nearest
        .and_then(|p| p.township_code.clone())
        .map(Some)
        .ok_or_else(|| AppError::Invalid("这条道路上还没有门牌，请给出 township_code".into()))
}

fn suggestion(placement: &Placement, plates: &[Plate], max_d: f64) -> Result<Suggestion, AppError> {
    match placement.projection {
        Some(p) => {
            if p.distance_m > max_d {
                return Err(AppError::Unprocessable {
                    message: format!("门牌位置距道路 {:.0} 米，超过 {max_d:.0} 米", p.distance_m),
                    violations: json!([{"rule": "too_far", "message": format!("门牌位置距道路 {:.0} 米，超过 {max_d:.0} 米", p.distance_m)}]),
                });
            }
            numbering::suggest_on_thoroughfare(&existing(plates), p, placement.scheme).map_err(|m| {
                AppError::Unprocessable {
                    message: m.clone(),
                    violations: json!([{"rule": "no_free_number", "message": m}]),
                }
            })
        }
        None => Ok(numbering::suggest_on_locality(&existing(plates))),
    }
}

/// The plate a placement would give, for its canonical text.
fn plate_at(placement: &Placement, id: String, n: Suggestion, township: Option<String>, status: PlateStatus) -> Plate {
    Plate {
        id,
        parent: placement.parent.clone(),
        number: n.number,
        sub: n.sub,
        township_code: township,
        location: placement.location,
        side: placement.projection.map(|p| p.side),
        measure_m: placement.projection.map(|p| round_cm(p.measure_m)),
        status,
        replaced_by: None,
    }
}

fn canonical_with(reg: &Register, plate: &Plate) -> String {
    reg.plate_texts(plate).map(|(text, _)| text).unwrap_or_default()
}

fn breaches_error(breaches: Vec<Breach>) -> AppError {
    let message = breaches.iter().map(|b| b.message.as_str()).collect::<Vec<_>>().join("；");
    let conflict = breaches.iter().any(|b| matches!(b.rule, "taken" | "retired" | "reserved"));
    if conflict {
        AppError::Conflict(message)
    } else {
        AppError::Unprocessable { message, violations: serde_json::to_value(&breaches).unwrap_or(Value::Null) }
    }
}

impl App {
    /// The number an entrance should get (nothing is written).
    pub fn suggest_plate(&self, actor: &Actor, req: &PlateRequest) -> Result<SuggestOut, AppError> {
        actor.require(POLICE)?;
        parent_of(req)?;
        let reg = self.register();
        let placement = place(&reg, req)?;
        // Reservations count as taken here; lapsed ones are released when a plate is issued.
        let plates = self.store.read(|c| db::street_plates(c, &placement.parent))?;
        let township = township(&reg, &placement, req.township_code.as_deref(), &plates, false)?;
        let n = suggestion(&placement, &plates, max_distance())?;
        let plate = plate_at(&placement, "plt_preview".into(), n, township.clone(), PlateStatus::Reserved);
        Ok(SuggestOut {
            number: n.number,
            sub: n.sub,
            side: plate.side,
            measure_m: plate.measure_m,
            township_code: township,
            canonical: canonical_with(&reg, &plate),
        })
    }

    /// Whether a number fits a place, with every breach.
    pub fn validate_plate(&self, actor: &Actor, req: &PlateRequest) -> Result<ValidateOut, AppError> {
        actor.require(POLICE)?;
        let number = req.number.ok_or_else(|| AppError::Invalid("缺少 number".into()))?;
        let reg = self.register();
        let placement = place(&reg, req)?;
        let plates = self.store.read(|c| db::street_plates(c, &placement.parent))?;
        let violations = numbering::validate(&existing(&plates), number, req.sub, placement.projection, max_distance());
        Ok(ValidateOut {
            ok: violations.is_empty(),
            violations,
            side: placement.projection.map(|p| p.side),
            measure_m: placement.projection.map(|p| round_cm(p.measure_m)),
            distance_m: placement.projection.map(|p| round_cm(p.distance_m)),
        })
    }

    /// Issues a plate: the suggestion, or the number the officer gives, validated. With an
    /// idempotency key a retry returns the first answer. Returns (HTTP status, body).
    pub fn issue_plate(
        &self,
        actor: &Actor,
        req: &PlateRequest,
        idempotency_key: Option<&str>,
    ) -> Result<(u16, Value), AppError> {
        actor.require(POLICE)?;
        let key = match idempotency_key {
            Some(k) if k.is_empty() || k.len() > 200 => {
                return Err(AppError::Invalid("Idempotency-Key 应为 1 到 200 个字符".into()))
            }
            Some(k) => Some((actor.token_id.clone().unwrap_or_else(|| actor.name.clone()), k.to_string())),
            None => None,
        };
        let hash = {
            let body = serde_json::to_string(req).map_err(|e| AppError::Internal(e.to_string()))?;
            Sha256::digest(body.as_bytes()).iter().map(|b| format!("{b:02x}")).collect::<String>()
        };
        if let Some((token, k)) = &key {
            if let Some(kept) = self.store.read(|c| db::kept_answer(c, token, k))? {
                return replay(kept, &hash);
            }
        }
        // Checked, numbered and texted against the register as committed under the
        // change's locks: the snapshot may not show a rename made a moment ago elsewhere.
        let parent = parent_of(req)?;
        let max_d = max_distance();
        let result = self.store.write(|c| -> Result<(u16, Value), AppError> {
            let at = now();
            let reg = held(c, actor, &parent, req.township_code.as_deref())?;
            let placement = place(&reg, req)?;
            if let Some(code) = &placement.scope_code {
                actor.require_scope(&reg, req.township_code.as_deref().unwrap_or(code))?;
            }
            db::release_expired(c, &placement.parent, &at)?;
            let plates = db::street_plates(c, &placement.parent)?;
            let township = township(&reg, &placement, req.township_code.as_deref(), &plates, true)?;
            let n = match req.number {
                None => suggestion(&placement, &plates, max_d)?,
                Some(number) => {
                    let breaches =
                        numbering::validate(&existing(&plates), number, req.sub, placement.projection, max_d);
                    if !breaches.is_empty() {
                        return Err(breaches_error(breaches));
                    }
                    Suggestion { number, sub: req.sub }
                }
            };
            let plate = plate_at(&placement, new_id(IdKind::Plate), n, township, PlateStatus::Issued);
            db::insert_plate(c, &plate, &at, None, None)?;
            store::set_lifespan(c, &plate.id, Some(Some(&today().to_string())), None)?;
            let canonical = canonical_with(&reg, &plate);
            let county = reg.county_of(placement.parent.id());
            record(
                c,
                actor,
                &Change {
                    action: "plate.issue",
                    subject_id: Some(&plate.id),
                    county_code: county.as_deref(),
                    changes: vec![AddressChange { id: plate.id.clone(), old: None, new: Some(canonical.clone()) }],
                    ..Change::of(EventKind::PlateIssued)
                },
            )?;
            let body = json!({
                "id": plate.id,
                "number": plate.number,
                "sub": plate.sub,
                "canonical": canonical,
                "status": "issued",
                "side": plate.side,
                "measure_m": plate.measure_m,
                "township_code": plate.township_code,
            });
            if let Some((token, k)) = &key {
                db::keep_answer(
                    c,
                    &db::KeptAnswer {
                        token_id: token.clone(),
                        key: k.clone(),
                        request_hash: hash.clone(),
                        status: 201,
                        body: body.to_string(),
                        created_at: at.clone(),
                    },
                )?;
            }
            Ok((201, body))
        });
        match result {
            Ok(answer) => {
                self.refresh()?;
                Ok(answer)
            }
            // A concurrent retry with the same key committed first: answer as it did.
            Err(AppError::Conflict(m)) if key.is_some() => {
                let (token, k) = key.as_ref().map(|(t, k)| (t.clone(), k.clone())).unwrap_or_default();
                match self.store.read(|c| db::kept_answer(c, &token, &k))? {
                    Some(kept) => replay(kept, &hash),
                    None => Err(AppError::Conflict(m)),
                }
            }
            Err(e) => Err(e),
        }
    }

    /// Retires a plate (and what stands behind it); its number is never issued again.
    pub fn retire_plate(
        &self,
        actor: &Actor,
        id: &str,
        reason: &str,
        replaced_by: Option<&str>,
    ) -> Result<Value, AppError> {
        actor.require(POLICE)?;
        let reason = &super::text::required(reason, "reason", "注销门牌的原因")?;
        self.store.write(|c| -> Result<(), AppError> {
            let at = now();
            // The plate, what stands behind it and the names above it, as committed under
            // the plate's lock: a building added on another node a moment ago is retired
            // and listed with the rest.
            let mut ids = vec![id];
            ids.extend(replaced_by);
            ids.extend(actor.scope.as_deref());
            let mut reg = super::branch::hold(c, &ids, Some(id))?;
            store::branch::load_below_plate(c, &mut reg, id)?;
            let plate = reg.plates.get(id).ok_or_else(|| AppError::NotFound(format!("门牌 {id} 不存在")))?;
            if plate.status != PlateStatus::Issued {
                return Err(AppError::Conflict(format!("门牌 {id} 的状态是{}，不能注销", plate.status.as_str())));
            }
            if let Some(r) = replaced_by {
                match reg.plates.get(r) {
                    Some(p) if p.status == PlateStatus::Issued && p.id != id => {}
                    Some(_) => return Err(AppError::Invalid(format!("替代门牌 {r} 必须是另一块已编发的门牌"))),
                    None => return Err(AppError::NotFound(format!("替代门牌 {r} 不存在"))),
                }
            }
            scope_of_plate(actor, &reg, plate)?;
            let affected = reg.descendants(id);
            db::set_plate_status(c, id, PlateStatus::Retired, replaced_by, &at)?;
            db::retire_under_plate(c, id)?;
            let changes = end_addresses(c, &reg, &affected)?;
            let county = reg.county_of(id);
            record(
                c,
                actor,
                &Change {
                    action: "plate.retire",
                    subject_id: Some(id),
                    county_code: county.as_deref(),
                    reason: Some(reason),
                    changes,
                    ..Change::of(EventKind::PlateRetired)
                },
            )
            .map(|_| ())
        })?;
        self.refresh()?;
        serde_json::to_value(self.address(id, None)?).map_err(|e| AppError::Internal(e.to_string()))
    }

    /// Moves a misplaced plate point: a correction, audited with its reason; the number stays.
    pub fn move_plate(&self, actor: &Actor, id: &str, location: [f64; 2], reason: &str) -> Result<Value, AppError> {
        actor.require(POLICE)?;
        let reason = &super::text::required(reason, "reason", "更正的原因")?;
        let reg = self.register();
        let plate = reg.plates.get(id).ok_or_else(|| AppError::NotFound(format!("门牌 {id} 不存在")))?;
        scope_of_plate(actor, &reg, plate)?;
        if plate.status == PlateStatus::Retired {
            return Err(retired_stays(id));
        }
        let req = PlateRequest {
            thoroughfare_id: matches!(plate.parent, PlateParent::Thoroughfare(_))
                .then(|| plate.parent.id().to_string()),
            locality_id: matches!(plate.parent, PlateParent::Locality(_)).then(|| plate.parent.id().to_string()),
            location: Some(location),
            township_code: None,
            number: None,
            sub: None,
        };
        let placement = place(&reg, &req)?;
        if let Some(p) = placement.projection.filter(|p| p.distance_m > max_distance()) {
            return Err(AppError::Unprocessable {
                message: format!("新位置距道路 {:.0} 米，超过 {:.0} 米", p.distance_m, max_distance()),
                violations: json!([{"rule": "too_far", "message": "新位置离道路太远"}]),
            });
        }
        let county = reg.county_of(id);
        self.store.write(|c| -> Result<(), AppError> {
            // Retired meanwhile, through another node: its place is history too. Read under
            // the plate's lock, so a retirement racing this correction is seen.
            let mut ids = vec![id];
            ids.extend(actor.scope.as_deref());
            let reg = super::branch::hold(c, &ids, Some(id))?;
            let plate = reg.plates.get(id).ok_or_else(|| AppError::NotFound(format!("门牌 {id} 不存在")))?;
            if plate.status == PlateStatus::Retired {
                return Err(retired_stays(id));
            }
            scope_of_plate(actor, &reg, plate)?;
            db::move_plate(
                c,
                id,
                location[0],
                location[1],
                placement.projection.map(|p| p.side),
                placement.projection.map(|p| round_cm(p.measure_m)),
                &now(),
            )?;
            record(
                c,
                actor,
                &Change {
                    action: "plate.correct_location",
                    subject_id: Some(id),
                    county_code: county.as_deref(),
                    reason: Some(reason),
                    ..Change::of(EventKind::PlateLocationCorrected)
                },
            )
            .map(|_| ())
        })?;
        self.refresh()?;
        serde_json::to_value(self.address(id, None)?).map_err(|e| AppError::Internal(e.to_string()))
    }

    /// Numbers a series of entrances at once (a new street, or a block). A dry run only
    /// answers; otherwise the numbers are reserved for `reserve_minutes` (default 24 h)
    /// until [`App::issue_plan`] issues them all at once.
    pub fn plan_plates(&self, actor: &Actor, req: &PlanRequest) -> Result<Value, AppError> {
        actor.require(POLICE)?;
        if req.entrances.is_empty() || req.entrances.len() > MAX_PLAN {
            return Err(AppError::Invalid(format!("entrances 应有 1 到 {MAX_PLAN} 个入口")));
        }
        let minutes = req.reserve_minutes.unwrap_or(24 * 60);
        if !(1..=7 * 24 * 60).contains(&minutes) {
            return Err(AppError::Invalid("reserve_minutes 应在 1 到 10080（7 天）之间".into()));
        }
        let base = PlateRequest {
            thoroughfare_id: req.thoroughfare_id.clone(),
            locality_id: req.locality_id.clone(),
            location: req.entrances.first().copied(),
            township_code: req.township_code.clone(),
            number: None,
            sub: None,
        };
        let parent = parent_of(&base)?;
        let max_d = max_distance();
        let plan_id = format!("plan_{}", ulid::Ulid::new());
        let dry_run = req.dry_run.unwrap_or(false);
        let result = self.store.write(|c| -> Result<Value, AppError> {
            let at = now();
            let reg = held(c, actor, &parent, req.township_code.as_deref())?;
            let first = place(&reg, &base)?;
            if let Some(code) = &first.scope_code {
                actor.require_scope(&reg, req.township_code.as_deref().unwrap_or(code))?;
            }
            db::release_expired(c, &first.parent, &at)?;
            let mut plates = db::street_plates(c, &first.parent)?;
            let township = township(&reg, &first, req.township_code.as_deref(), &plates, true)?;
            // Entrances in order along the street, so the plan numbers rise with it.
            let mut placements = Vec::new();
            for (i, loc) in req.entrances.iter().enumerate() {
                let p = place(&reg, &PlateRequest { location: Some(*loc), ..base.clone() })?;
                placements.push((i, p));
            }
            placements.sort_by(|a, b| {
                let m = |p: &Placement| p.projection.map(|x| x.measure_m).unwrap_or(0.0);
                m(&a.1).partial_cmp(&m(&b.1)).unwrap_or(std::cmp::Ordering::Equal).then(a.0.cmp(&b.0))
            });
            let until = (chrono::Utc::now() + chrono::Duration::minutes(minutes)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            let mut out = vec![Value::Null; req.entrances.len()];
            for (i, placement) in &placements {
                let n = suggestion(placement, &plates, max_d).map_err(|e| match e {
                    AppError::Unprocessable { message, violations } => {
                        AppError::Unprocessable { message: format!("第 {} 个入口：{message}", i + 1), violations }
                    }
                    other => other,
                })?;
                let plate = plate_at(placement, new_id(IdKind::Plate), n, township.clone(), PlateStatus::Reserved);
                if !dry_run {
                    db::insert_plate(c, &plate, &at, Some(&until), Some(&plan_id))?;
                }
                out[*i] = json!({
                    "id": (!dry_run).then(|| plate.id.clone()),
                    "location": [plate.location.x(), plate.location.y()],
                    "number": plate.number,
                    "sub": plate.sub,
                    "side": plate.side,
                    "measure_m": plate.measure_m,
                    "canonical": canonical_with(&reg, &plate),
                });
                plates.push(plate);
            }
            if dry_run {
                return Ok(json!({"dry_run": true, "plates": out}));
            }
            let county = reg.county_of(first.parent.id());
            record(
                c,
                actor,
                &Change {
                    action: "plate.plan_reserve",
                    subject_id: Some(&plan_id),
                    county_code: county.as_deref(),
                    ..Change::of(EventKind::PlatePlanReserved)
                },
            )?;
            Ok(json!({"dry_run": false, "plan_id": plan_id, "status": "reserved", "reserved_until": until, "plates": out}))
        })?;
        if !dry_run {
            self.refresh()?;
        }
        Ok(result)
    }

    /// Issues every plate a plan reserved, atomically; refused once the reservation lapsed.
    pub fn issue_plan(&self, actor: &Actor, plan_id: &str) -> Result<Value, AppError> {
        actor.require(POLICE)?;
        let changes = self.store.write(|c| -> Result<Vec<AddressChange>, AppError> {
            let at = now();
            let plates = db::plan_plates(c, plan_id)?;
            let first =
                plates.first().ok_or_else(|| AppError::NotFound(format!("编号方案 {plan_id} 不存在或已失效")))?;
            let reg = held(c, actor, &first.parent, first.township_code.as_deref())?;
            // Read again under the street's lock: another issuance of the plan may have won.
            let plates = db::plan_plates(c, plan_id)?;
            let first =
                plates.first().ok_or_else(|| AppError::NotFound(format!("编号方案 {plan_id} 不存在或已失效")))?;
            scope_of_plate(actor, &reg, first)?;
            if plates.iter().any(|p| p.status != PlateStatus::Reserved) {
                return Err(AppError::Conflict(format!("编号方案 {plan_id} 已编发")));
            }
            if db::plan_lapsed(c, plan_id, &at)? {
                return Err(AppError::Conflict(format!("编号方案 {plan_id} 的预留已过期，请重新编制")));
            }
            db::issue_plan(c, plan_id, &at)?;
            let on = today().to_string();
            for p in &plates {
                store::set_lifespan(c, &p.id, Some(Some(&on)), None)?;
            }
            let changes: Vec<AddressChange> = plates
                .iter()
                .map(|p| AddressChange { id: p.id.clone(), old: None, new: Some(canonical_with(&reg, p)) })
                .collect();
            let county = reg.county_of(first.parent.id());
            record(
                c,
                actor,
                &Change {
                    action: "plate.plan_issue",
                    subject_id: Some(plan_id),
                    county_code: county.as_deref(),
                    changes: changes.clone(),
                    ..Change::of(EventKind::PlateIssued)
                },
            )?;
            Ok(changes)
        })?;
        self.refresh()?;
        let plates: Vec<Value> =
            changes.iter().map(|c| json!({"id": c.id, "canonical": c.new, "status": "issued"})).collect();
        Ok(json!({"plan_id": plan_id, "status": "issued", "plates": plates}))
    }

    /// The plate-making order (门牌制作单): plates issued between two dates (Beijing time,
    /// inclusive) that still stand, with number, canonical text and location.
    pub fn plate_orders(
        &self,
        actor: &Actor,
        from: &str,
        to: &str,
        county_code: Option<&str>,
    ) -> Result<Vec<OrderLine>, AppError> {
        actor.require(POLICE)?;
        let day = |s: &str| {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| AppError::Invalid(format!("日期“{s}”应为 YYYY-MM-DD")))
        };
        let (from_d, to_d) = (day(from)?, day(to)?);
        if to_d < from_d {
            return Err(AppError::Invalid("to 不能早于 from".into()));
        }
        let start = crate::domain::china_time::start_of;
        let (lo, hi) = (start(from_d), start(to_d + chrono::Duration::days(1)));
        let events = self.store.read(|c| crate::store::events_between(c, "plate.issued", &lo, &hi))?;
        let reg = self.register();
        let size = plate_size();
        let mut out = Vec::new();
        for e in events {
            let changes: Vec<AddressChange> = serde_json::from_str(&e.changes).unwrap_or_default();
            for ch in changes {
                let Some(p) = reg.plates.get(&ch.id).filter(|p| p.status == PlateStatus::Issued) else { continue };
                if county_code.is_some_and(|c| reg.county_of(&p.id).as_deref() != Some(c)) {
                    continue;
                }
                let Some(a) = reg.address(&p.id) else { continue };
                let street = match &p.parent {
                    PlateParent::Thoroughfare(t) => reg.thoroughfares.get(t).map(|t| t.name.clone()),
                    PlateParent::Locality(l) => reg.localities.get(l).map(|l| l.name.clone()),
                }
                .unwrap_or_default();
                out.push(OrderLine {
                    face: format!("{street}{}", crate::domain::canonical::plate_suffix(p.number, p.sub)),
                    face_pinyin: a.pinyin.clone(),
                    street,
                    size: size.clone(),
                    quantity: 1,
                    id: p.id.clone(),
                    number: p.number,
                    sub: p.sub,
                    canonical: a.canonical,
                    pinyin: a.pinyin,
                    location: [p.location.x(), p.location.y()],
                    issued_at: e.at.clone(),
                    township: p.township_code.as_ref().and_then(|t| reg.divisions.get(t)).map(|d| d.name.clone()),
                });
            }
        }
        // The workshop makes them street by street, in number order.
        out.sort_by(|a, b| {
            (&a.township, &a.street, a.number, a.sub, &a.id).cmp(&(&b.township, &b.street, b.number, b.sub, &b.id))
        });
        Ok(out)
    }

    /// The clean-up report of a county (readable by every role).
    pub fn plates_report(&self, actor: &Actor, county_code: &str) -> Result<crate::domain::cleanup::Report, AppError> {
        actor.require(&Role::ALL)?;
        let reg = self.register();
        if !crate::domain::cleanup::is_county(&reg, county_code) {
            return Err(AppError::NotFound(format!("县级区划代码 {county_code} 不存在")));
        }
        Ok(crate::domain::cleanup::report(&reg, county_code, max_distance()))
    }

    /// Adds a building (栋) under an issued plate.
    pub fn add_building(&self, actor: &Actor, plate_id: &str, number: &str) -> Result<Value, AppError> {
        actor.require(BUILDING_ROLES)?;
        let number = label(number, SubLevel::Building)?;
        self.add_nested(actor, plate_id, |c, reg| {
            let plate =
                reg.plates.get(plate_id).ok_or_else(|| AppError::NotFound(format!("门牌 {plate_id} 不存在")))?;
            if plate.status != PlateStatus::Issued {
                return Err(AppError::Conflict(format!("门牌 {plate_id} 未编发或已注销，不能登记楼栋")));
            }
            if let Some(b) = db::buildings_of(c, plate_id)?.iter().find(|b| same(&b.number, &number)) {
                return Err(AppError::Conflict(format!("该门牌下已有{}栋", b.number)));
            }
            let b = Building {
                id: new_id(IdKind::Building),
                plate_id: plate_id.into(),
                number: number.clone(),
                status: NameStatus::Active,
            };
            db::insert_building(c, &b)?;
            let id = b.id.clone();
            reg.buildings.insert(id.clone(), b);
            Ok((id, "building"))
        })
    }

    /// Adds a unit (单元) to a building.
    pub fn add_unit(&self, actor: &Actor, building_id: &str, number: &str) -> Result<Value, AppError> {
        actor.require(BUILDING_ROLES)?;
        let number = label(number, SubLevel::Unit)?;
        self.add_nested(actor, building_id, |c, reg| {
            let b = reg
                .buildings
                .get(building_id)
                .ok_or_else(|| AppError::NotFound(format!("楼栋 {building_id} 不存在")))?;
            if b.status != NameStatus::Active {
                return Err(AppError::Conflict(format!("楼栋 {building_id} 已注销")));
            }
            if let Some(u) = db::units_of(c, building_id)?.iter().find(|u| same(&u.number, &number)) {
                return Err(AppError::Conflict(format!("该楼栋已有{}单元", u.number)));
            }
            let u = Unit {
                id: new_id(IdKind::Unit),
                building_id: building_id.into(),
                number: number.clone(),
                status: NameStatus::Active,
            };
            db::insert_unit(c, &u)?;
            let id = u.id.clone();
            reg.units.insert(id.clone(), u);
            Ok((id, "unit"))
        })
    }

    /// Adds a room (室) to a unit.
    pub fn add_room(&self, actor: &Actor, unit_id: &str, number: &str) -> Result<Value, AppError> {
        actor.require(BUILDING_ROLES)?;
        let number = label(number, SubLevel::Room)?;
        self.add_nested(actor, unit_id, |c, reg| {
            let u = reg.units.get(unit_id).ok_or_else(|| AppError::NotFound(format!("单元 {unit_id} 不存在")))?;
            if u.status != NameStatus::Active {
                return Err(AppError::Conflict(format!("单元 {unit_id} 已注销")));
            }
            if let Some(r) = db::rooms_of(c, unit_id)?.iter().find(|r| same(&r.number, &number)) {
                return Err(AppError::Conflict(format!("该单元已有{}室", r.number)));
            }
            let r = Room {
                id: new_id(IdKind::Room),
                unit_id: unit_id.into(),
                number: number.clone(),
                status: NameStatus::Active,
            };
            db::insert_room(c, &r)?;
            let id = r.id.clone();
            reg.rooms.insert(id.clone(), r);
            Ok((id, "room"))
        })
    }

    /// Retires a building, unit or room and everything under it that stands, with the
    /// reason; audited, and listed in one event.
    pub fn retire_part(&self, actor: &Actor, id: &str, reason: &str) -> Result<Value, AppError> {
        actor.require(BUILDING_ROLES)?;
        let level = part_level(id)?;
        let reason = &super::text::required(reason, "reason", "注销的原因")?;
        self.store.write(|c| -> Result<(), AppError> {
            let (reg, _) = self.held_part(c, actor, id)?;
            if part_status(&reg, id) != Some(NameStatus::Active) {
                return Err(AppError::Conflict(format!("{}{id} 已注销", level.zh())));
            }
            let affected: Vec<String> =
                reg.descendants(id).into_iter().filter(|a| part_status(&reg, a) == Some(NameStatus::Active)).collect();
            db::retire_parts(c, &affected)?;
            let changes = end_addresses(c, &reg, &affected)?;
            record_part(c, actor, &reg, id, ("retire", "retired"), reason, changes)
        })?;
        self.refresh()?;
        serde_json::to_value(self.address(id, None)?).map_err(|e| AppError::Internal(e.to_string()))
    }

    /// Corrects a building's, unit's or room's number (a number registered wrongly): it and
    /// everything under it get their new canonical text, listed in one event with the
    /// reason. The new number is normalised and must not read like a sibling's.
    pub fn correct_part(&self, actor: &Actor, id: &str, number: &str, reason: &str) -> Result<Value, AppError> {
        actor.require(BUILDING_ROLES)?;
        let level = part_level(id)?;
        let number = label(number, level)?;
        let reason = &super::text::required(reason, "reason", "更正的原因")?;
        self.store.write(|c| -> Result<(), AppError> {
            let (mut reg, plate_id) = self.held_part(c, actor, id)?;
            if part_status(&reg, id) != Some(NameStatus::Active) {
                return Err(AppError::Conflict(format!("{}{id} 已注销，不能更正", level.zh())));
            }
            let siblings: Vec<(String, String)> = match level {
                SubLevel::Building => reg
                    .buildings
                    .records_under(&plate_id)
                    .filter(|b| b.plate_id == plate_id)
                    .map(|b| (b.id.clone(), b.number.clone()))
                    .collect(),
                SubLevel::Unit => {
                    let parent = reg.units.get(id).map(|u| u.building_id.clone()).unwrap_or_default();
                    reg.units
                        .records_under(&parent)
                        .filter(|u| u.building_id == parent)
                        .map(|u| (u.id.clone(), u.number.clone()))
                        .collect()
                }
                SubLevel::Room => {
                    let parent = reg.rooms.get(id).map(|r| r.unit_id.clone()).unwrap_or_default();
                    reg.rooms
                        .records_under(&parent)
                        .filter(|r| r.unit_id == parent)
                        .map(|r| (r.id.clone(), r.number.clone()))
                        .collect()
                }
            };
            if siblings.iter().any(|(other, n)| other == id && *n == number) {
                return Err(AppError::Invalid(format!("新编号“{number}”与现编号相同")));
            }
            if let Some((_, n)) = siblings.iter().find(|(other, n)| other != id && same(n, &number)) {
                return Err(AppError::Conflict(format!("同一上级下已有编号“{n}”")));
            }
            let affected: Vec<String> =
                reg.descendants(id).into_iter().filter(|a| part_status(&reg, a) == Some(NameStatus::Active)).collect();
            let before: Vec<Option<String>> = affected.iter().map(|a| reg.address(a).map(|t| t.canonical)).collect();
            match level {
                SubLevel::Building => reg.buildings.get_mut(id).map(|mut b| b.number = number.clone()),
                SubLevel::Unit => reg.units.get_mut(id).map(|mut u| u.number = number.clone()),
                SubLevel::Room => reg.rooms.get_mut(id).map(|mut r| r.number = number.clone()),
            };
            db::renumber_part(c, id, &number)?;
            let changes = affected
                .iter()
                .zip(before)
                .map(|(a, old)| AddressChange { id: a.clone(), old, new: reg.address(a).map(|t| t.canonical) })
                .collect();
            record_part(c, actor, &reg, id, ("correct", "corrected"), reason, changes)
        })?;
        self.refresh()?;
        serde_json::to_value(self.address(id, None)?).map_err(|e| AppError::Internal(e.to_string()))
    }

    /// Inside a change of a building, unit or room: locks it (and shares what is above it),
    /// reads its plate with everything under that plate, as committed, and checks the
    /// actor's scope. Returns the register read and the plate's ID.
    fn held_part(&self, c: &mut AnyConnection, actor: &Actor, id: &str) -> Result<(Register, String), AppError> {
        let mut ids = vec![id];
        ids.extend(actor.scope.as_deref());
        let mut reg = super::branch::hold(c, &ids, Some(id))?;
        let plate = reg.plate_of(id).cloned().ok_or_else(|| AppError::NotFound(format!("{id} 不存在")))?;
        scope_of_plate(actor, &reg, &plate)?;
        store::branch::load_below_plate(c, &mut reg, &plate.id)?;
        Ok((reg, plate.id))
    }

    /// Adds a building, unit or room under `parent` in one transaction: the parent is
    /// locked and, with everything above it, read as committed, so nothing is added under
    /// a plate retired a moment ago on another node, nor texted with a street's old name.
    /// `add` checks and inserts the record into the store and into the register it is
    /// given, and says what it added.
    fn add_nested(
        &self,
        actor: &Actor,
        parent: &str,
        add: impl Fn(&mut AnyConnection, &mut Register) -> Result<(String, &'static str), AppError>,
    ) -> Result<Value, AppError> {
        let text = self.store.write(|c| -> Result<crate::domain::register::AddressText, AppError> {
            let mut ids = vec![parent];
            ids.extend(actor.scope.as_deref());
            let mut reg = super::branch::hold(c, &ids, Some(parent))?;
            let plate = reg.plate_of(parent).cloned().ok_or_else(|| AppError::NotFound(format!("{parent} 不存在")))?;
            if plate.status != PlateStatus::Issued {
                return Err(AppError::Conflict(format!("门牌 {} 未编发或已注销，不能在其下登记", plate.id)));
            }
            scope_of_plate(actor, &reg, &plate)?;
            for (id, status) in
                reg.buildings.values().map(|b| (&b.id, b.status)).chain(reg.units.values().map(|u| (&u.id, u.status)))
            {
                if status != NameStatus::Active {
                    return Err(AppError::Conflict(format!("{id} 已注销，不能在其下登记")));
                }
            }
            let (id, what) = add(c, &mut reg)?;
            let text = reg.address(&id).ok_or_else(|| AppError::Internal("新地址无法生成标准地址".into()))?;
            store::set_lifespan(c, &id, Some(Some(&today().to_string())), None)?;
            let action = format!("{what}.create");
            let kind = event_kind(&format!("{what}.created"))?;
            record(
                c,
                actor,
                &Change {
                    action: &action,
                    kind,
                    subject_id: Some(&id),
                    county_code: reg.county_of(&id).as_deref(),
                    changes: vec![AddressChange { id: id.clone(), old: None, new: Some(text.canonical.clone()) }],
                    reason: None,
                    document: None,
                },
            )?;
            Ok(text)
        })?;
        self.refresh()?;
        Ok(
            json!({"id": text.id, "canonical": text.canonical, "level": text.level, "pinyin": text.pinyin, "status": "active"}),
        )
    }
}

/// Inside a numbering change: locks the street (exclusively: one numbering at a time) and
/// the divisions above it and the plate's township (shared: no rename or division change
/// commits meanwhile), checks that the street still stands, and reads them as committed.
fn held(
    c: &mut AnyConnection,
    actor: &Actor,
    street: &PlateParent,
    township: Option<&str>,
) -> Result<Register, AppError> {
    let mut ids: Vec<&str> = township.into_iter().collect();
    ids.extend(actor.scope.as_deref());
    let reg = super::branch::hold(c, &ids, Some(street.id()))?;
    let status = match street {
        PlateParent::Thoroughfare(id) => reg.thoroughfares.get(id).map(|t| t.status),
        PlateParent::Locality(id) => reg.localities.get(id).map(|l| l.status),
    };
    match status {
        Some(NameStatus::Active) => Ok(reg),
        Some(other) => Err(AppError::Conflict(format!(
            "{} 的状态是{}，只能在已批准的道路或村组上编门牌",
            street.id(),
            other.as_str()
        ))),
        None => Err(AppError::NotFound(format!("{} 不存在", street.id()))),
    }
}

/// A retired plate keeps the place it had: the record is history (SPEC: a number once
/// issued is never issued again), and moving it would rewrite where that address was.
fn retired_stays(id: &str) -> AppError {
    AppError::Conflict(format!("门牌 {id} 已注销，不能更正位置：注销的门牌保留其原有位置作为历史记录"))
}

fn scope_of_plate(actor: &Actor, reg: &Register, plate: &Plate) -> Result<(), AppError> {
    let code = match &plate.parent {
        PlateParent::Thoroughfare(t) => {
            plate.township_code.clone().or_else(|| reg.thoroughfares.get(t).map(|t| t.county_code.clone()))
        }
        PlateParent::Locality(l) => reg.localities.get(l).map(|l| l.village_code.clone()),
    };
    match code {
        Some(code) => actor.require_scope(reg, &code),
        None => Ok(()),
    }
}

/// The level of a building's, unit's or room's ID; 404 for any other.
fn part_level(id: &str) -> Result<SubLevel, AppError> {
    match IdKind::of(id) {
        Some(IdKind::Building) => Ok(SubLevel::Building),
        Some(IdKind::Unit) => Ok(SubLevel::Unit),
        Some(IdKind::Room) => Ok(SubLevel::Room),
        _ => Err(AppError::NotFound(format!("楼栋、单元或户室 {id} 不存在"))),
    }
}

/// The audit row and event of a change to a building, unit or room: `(verb, past)` make
/// its action and kind (`building.retire`, `building.retired`).
fn record_part(
    c: &mut AnyConnection,
    actor: &Actor,
    reg: &Register,
    id: &str,
    (verb, past): (&str, &str),
    reason: &str,
    changes: Vec<AddressChange>,
) -> Result<(), AppError> {
    let what = match part_level(id)? {
        SubLevel::Building => "building",
        SubLevel::Unit => "unit",
        SubLevel::Room => "room",
    };
    record(
        c,
        actor,
        &Change {
            action: &format!("{what}.{verb}"),
            subject_id: Some(id),
            county_code: reg.county_of(id).as_deref(),
            reason: Some(reason),
            changes,
            ..Change::of(event_kind(&format!("{what}.{past}"))?)
        },
    )
    .map(|_| ())
}

fn part_status(reg: &Register, id: &str) -> Option<NameStatus> {
    reg.buildings
        .get(id)
        .map(|b| b.status)
        .or_else(|| reg.units.get(id).map(|u| u.status))
        .or_else(|| reg.rooms.get(id).map(|r| r.status))
}

/// A building, unit or room number as the register keeps it (`5栋` → `5`, `三单元` → `3`,
/// `501室` → `501`); see `domain::sub_address`.
fn label(s: &str, level: SubLevel) -> Result<String, AppError> {
    sub_address::normalise(level, s).map_err(|e| AppError::Invalid(e.0))
}

/// Two numbers that read alike on a plate (`5-01` and `501`) are one within their parent.
fn same(a: &str, b: &str) -> bool {
    sub_address::lookalike_key(a) == sub_address::lookalike_key(b)
}

fn replay(kept: db::KeptAnswer, hash: &str) -> Result<(u16, Value), AppError> {
    if kept.request_hash != hash {
        return Err(AppError::Conflict("同一个 Idempotency-Key 已用于另一个请求".into()));
    }
    let body = serde_json::from_str(&kept.body).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((u16::try_from(kept.status).unwrap_or(201), body))
}

/// Ends today the addresses a retirement takes with it, and lists their texts as gone.
fn end_addresses(c: &mut AnyConnection, reg: &Register, affected: &[String]) -> Result<Vec<AddressChange>, AppError> {
    let on = today().to_string();
    for a in affected {
        store::set_lifespan(c, a, None, Some(Some(&on)))?;
    }
    Ok(affected
        .iter()
        .filter_map(|a| reg.address(a).map(|t| AddressChange { id: a.clone(), old: Some(t.canonical), new: None }))
        .collect())
}

/// The feed's kind of a change to a building, unit or room (`unit.created`).
fn event_kind(code: &str) -> Result<EventKind, AppError> {
    EventKind::parse(code).ok_or_else(|| AppError::Internal(format!("unknown event kind {code}")))
}
