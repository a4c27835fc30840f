//! Reading the register: divisions, and any address with its history.

use serde::Serialize;

use super::{App, AppError};
use crate::domain::{AddressLevel, Division, FormerName, LocalityGeometry, PlateParent, Register, StreetGeometry};

/// One canonical text an address has had.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct HistoryEntry {
    pub canonical: String,
    /// `YYYY-MM-DD`; None where the register does not know when it began.
    pub valid_from: Option<String>,
    /// None for the current text.
    pub valid_to: Option<String>,
    pub document: Option<String>,
}

/// An address as `GET /v1/addresses/{id}` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct AddressView {
    pub id: String,
    pub canonical: String,
    pub level: AddressLevel,
    pub status: String,
    pub pinyin: String,
    pub geometry: Option<serde_json::Value>,
    pub replaced_by: Option<String>,
    pub parent_id: Option<String>,
    pub history: Vec<HistoryEntry>,
}

impl App {
    pub fn division(&self, code: &str) -> Result<Division, AppError> {
        self.register()
            .divisions
            .get(code)
            .cloned()
            .ok_or_else(|| AppError::NotFound(format!("区划代码 {code} 不存在")))
    }

    /// A division as it stands, or as it stood at the end of the date `at`.
    pub fn division_as_of(&self, code: &str, at: Option<&str>) -> Result<Division, AppError> {
        let Some(at) = at else { return self.division(code) };
        let dated = self.dated(at)?;
        dated
            .register
            .divisions
            .get(code)
            .cloned()
            .ok_or_else(|| AppError::NotFound(format!("区划代码 {code} 在 {} 不在登记册中", dated.date)))
    }

    pub fn division_children(&self, code: &str) -> Result<Vec<Division>, AppError> {
        let reg = self.register();
        if !reg.divisions.contains_key(code) {
            return Err(AppError::NotFound(format!("区划代码 {code} 不存在")));
        }
        Ok(reg.children(code).into_iter().cloned().collect())
    }

    /// The addresses one level below: a division's divisions, a street's or locality's
    /// plates (every status, in number order), a plate's buildings, a building's units, a
    /// unit's rooms.
    pub fn address_children(&self, id: &str) -> Result<Vec<serde_json::Value>, AppError> {
        let reg = self.register();
        let item = |child: &str, number: serde_json::Value, extra: serde_json::Value| -> Option<serde_json::Value> {
            let v = address_view(&reg, child)?;
            let mut o = serde_json::json!({"id": v.id, "canonical": v.canonical, "level": v.level, "status": v.status, "number": number, "geometry": v.geometry});
            if let (Some(o), serde_json::Value::Object(e)) = (o.as_object_mut(), extra) {
                o.extend(e);
            }
            Some(o)
        };
        let natural = |s: &str| (s.parse::<u64>().unwrap_or(u64::MAX), s.to_string());
        if reg.divisions.contains_key(id) {
            return Ok(reg
                .children(id)
                .iter()
                .filter_map(|d| item(&d.code, serde_json::json!(d.name), serde_json::json!({})))
                .collect());
        }
        if reg.thoroughfares.contains_key(id) || reg.localities.contains_key(id) {
            let mut plates: Vec<_> = reg.plates.values().filter(|p| p.parent.id() == id).collect();
            plates.sort_by_key(|p| (p.number, p.sub.unwrap_or(0)));
            return Ok(plates
                .into_iter()
                .filter_map(|p| {
                    item(
                        &p.id,
                        serde_json::json!(p.number),
                        serde_json::json!({"sub": p.sub, "side": p.side, "measure_m": p.measure_m}),
                    )
                })
                .collect());
        }
        let mut kids: Vec<(String, String)> = if reg.plates.contains_key(id) {
            reg.buildings.values().filter(|b| b.plate_id == id).map(|b| (b.id.clone(), b.number.clone())).collect()
        } else if reg.buildings.contains_key(id) {
            reg.units.values().filter(|u| u.building_id == id).map(|u| (u.id.clone(), u.number.clone())).collect()
        } else if reg.units.contains_key(id) {
            reg.rooms.values().filter(|r| r.unit_id == id).map(|r| (r.id.clone(), r.number.clone())).collect()
        } else if reg.rooms.contains_key(id) {
            vec![]
        } else {
            return Err(AppError::NotFound(format!("地址 {id} 不存在")));
        };
        kids.sort_by_key(|(_, n)| natural(n));
        Ok(kids.iter().filter_map(|(k, n)| item(k, serde_json::json!(n), serde_json::json!({}))).collect())
    }

    /// An address as it stands, or as it stood at the end of the date `at`.
    pub fn address(&self, id: &str, at: Option<&str>) -> Result<AddressView, AppError> {
        let reg = self.register();
        let Some(at) = at else {
            return address_view(&reg, id).ok_or_else(|| AppError::NotFound(format!("地址 {id} 不存在")));
        };
        let dated = self.dated(at)?;
        address_view(&dated.register, id).ok_or_else(|| match reg.address(id) {
            Some(_) => {
                AppError::NotFound(format!("地址 {id} 在 {} 不在登记册中（尚未启用、编发或已废止）", dated.date))
            }
            None => AppError::NotFound(format!("地址 {id} 不存在")),
        })
    }
}

fn geometry_json(v: geojson::GeometryValue) -> Option<serde_json::Value> {
    serde_json::to_value(geojson::Geometry::new(v)).ok()
}

pub fn address_view(reg: &Register, id: &str) -> Option<AddressView> {
    let text = reg.address(id)?;
    let (status, geometry, replaced_by, parent_id, former): (String, _, _, _, Vec<FormerName>) =
        if let Some(d) = reg.divisions.get(id) {
            let g = d.geometry.as_ref().and_then(|g| serde_json::to_value(g).ok());
            (d.status.as_str().into(), g, d.replaced_by.clone(), d.parent_code.clone(), d.former_names.clone())
        } else if let Some(t) = reg.thoroughfares.get(id) {
            let g = match &t.geometry {
                StreetGeometry::Line(l) => geometry_json(l.into()),
                StreetGeometry::Multi(m) => geometry_json(m.into()),
            };
            (t.status.as_str().into(), g, t.replaced_by.clone(), Some(t.county_code.clone()), t.former_names.clone())
        } else if let Some(l) = reg.localities.get(id) {
            let g = match &l.geometry {
                LocalityGeometry::Point(p) => geometry_json(p.into()),
                LocalityGeometry::Polygon(p) => geometry_json(p.into()),
            };
            (l.status.as_str().into(), g, l.replaced_by.clone(), Some(l.village_code.clone()), l.former_names.clone())
        } else if let Some(p) = reg.plates.get(id) {
            (
                p.status.as_str().into(),
                geometry_json((&p.location).into()),
                p.replaced_by.clone(),
                Some(p.parent.id().to_string()),
                street_former_names(reg, &p.parent),
            )
        } else if let Some(b) = reg.buildings.get(id) {
            let former = reg.plates.get(&b.plate_id).map(|p| street_former_names(reg, &p.parent)).unwrap_or_default();
            (b.status.as_str().into(), None, None, Some(b.plate_id.clone()), former)
        } else if let Some(u) = reg.units.get(id) {
            let former = reg
                .buildings
                .get(&u.building_id)
                .and_then(|b| reg.plates.get(&b.plate_id))
                .map(|p| street_former_names(reg, &p.parent))
                .unwrap_or_default();
            (u.status.as_str().into(), None, None, Some(u.building_id.clone()), former)
        } else {
            let r = reg.rooms.get(id)?;
            let former = reg
                .units
                .get(&r.unit_id)
                .and_then(|u| reg.buildings.get(&u.building_id))
                .and_then(|b| reg.plates.get(&b.plate_id))
                .map(|p| street_former_names(reg, &p.parent))
                .unwrap_or_default();
            (r.status.as_str().into(), None, None, Some(r.unit_id.clone()), former)
        };
    let history = history(reg, &text.canonical, id, &former);
    Some(AddressView {
        id: text.id,
        canonical: text.canonical,
        level: text.level,
        status,
        pinyin: text.pinyin,
        geometry,
        replaced_by,
        parent_id,
        history,
    })
}

fn street_former_names(reg: &Register, parent: &PlateParent) -> Vec<FormerName> {
    match parent {
        PlateParent::Thoroughfare(t) => reg.thoroughfares.get(t).map(|t| t.former_names.clone()).unwrap_or_default(),
        PlateParent::Locality(l) => reg.localities.get(l).map(|l| l.former_names.clone()).unwrap_or_default(),
    }
}

/// Each text the address has had, oldest first: the current text with the street's (or
/// locality's) current name replaced by each former name, in the order they were used.
fn history(reg: &Register, current: &str, id: &str, former: &[FormerName]) -> Vec<HistoryEntry> {
    let current_name = street_name_of(reg, id);
    let mut former: Vec<&FormerName> = former.iter().collect();
    former.sort_by(|a, b| a.until.cmp(&b.until));
    let mut out = Vec::new();
    let mut from: Option<String> = None;
    for f in &former {
        let canonical = match &current_name {
            Some(name) => match current.rfind(name.as_str()) {
                Some(at) => format!("{}{}{}", &current[..at], f.name, &current[at + name.len()..]),
                None => current.to_string(),
            },
            None => current.to_string(),
        };
        out.push(HistoryEntry { canonical, valid_from: from.clone(), valid_to: Some(f.until.clone()), document: None });
        from = Some(f.until.clone());
    }
    // A renaming's document belongs to the text that followed it.
    for (i, f) in former.iter().enumerate() {
        if let Some(next) = out.get_mut(i + 1) {
            next.document = f.document.clone();
        }
    }
    let last_doc = former.last().and_then(|f| f.document.clone());
    out.push(HistoryEntry { canonical: current.to_string(), valid_from: from, valid_to: None, document: last_doc });
    // The address's own lifespan bounds the texts: a plate issued after its street was
    // renamed never bore the old name; a retired one bore its last text until retirement.
    let span = reg.lifespans.get(id);
    if let Some(begun) = span.and_then(|s| s.from.as_deref()) {
        out.retain(|e| e.valid_to.as_deref().is_none_or(|to| to > begun));
        if let Some(first) = out.first_mut() {
            if first.valid_from.as_deref().is_none_or(|f| f < begun) {
                first.valid_from = Some(begun.to_string());
            }
        }
    }
    if let (Some(ended), Some(last)) = (span.and_then(|s| s.to.as_deref()), out.last_mut()) {
        last.valid_to.get_or_insert_with(|| ended.to_string());
    }
    out
}

/// The current name of the thoroughfare or locality an address stands on.
fn street_name_of(reg: &Register, id: &str) -> Option<String> {
    if let Some(d) = reg.divisions.get(id) {
        return Some(d.name.clone());
    }
    if let Some(t) = reg.thoroughfares.get(id) {
        return Some(t.name.clone());
    }
    if let Some(l) = reg.localities.get(id) {
        return Some(l.name.clone());
    }
    let plate = reg
        .plates
        .get(id)
        .or_else(|| reg.buildings.get(id).and_then(|b| reg.plates.get(&b.plate_id)))
        .or_else(|| {
            reg.units.get(id).and_then(|u| reg.buildings.get(&u.building_id)).and_then(|b| reg.plates.get(&b.plate_id))
        })
        .or_else(|| {
            reg.rooms
                .get(id)
                .and_then(|r| reg.units.get(&r.unit_id))
                .and_then(|u| reg.buildings.get(&u.building_id))
                .and_then(|b| reg.plates.get(&b.plate_id))
        })?;
    match &plate.parent {
        PlateParent::Thoroughfare(t) => reg.thoroughfares.get(t).map(|t| t.name.clone()),
        PlateParent::Locality(l) => reg.localities.get(l).map(|l| l.name.clone()),
    }
}
