//! Reading the register: divisions, and any address with its history.

use serde::Serialize;

use super::{App, AppError};
use crate::domain::{AddressLevel, Division, LocalityGeometry, Register, StreetGeometry};

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
            let v = present(&reg, child)?;
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
            let mut plates: Vec<_> = reg.plates.records_under(id).filter(|p| p.parent.id() == id).collect();
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
            reg.buildings
                .records_under(id)
                .filter(|b| b.plate_id == id)
                .map(|b| (b.id.clone(), b.number.clone()))
                .collect()
        } else if reg.buildings.contains_key(id) {
            reg.units
                .records_under(id)
                .filter(|u| u.building_id == id)
                .map(|u| (u.id.clone(), u.number.clone()))
                .collect()
        } else if reg.units.contains_key(id) {
            reg.rooms.records_under(id).filter(|r| r.unit_id == id).map(|r| (r.id.clone(), r.number.clone())).collect()
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
    let mut view = present(reg, id)?;
    view.history = reg
        .history(id)
        .into_iter()
        .map(|s| HistoryEntry { canonical: s.canonical, valid_from: s.from, valid_to: s.to, document: s.document })
        .collect();
    Some(view)
}

/// An address without its history (which lists like a street's plates leave out).
fn present(reg: &Register, id: &str) -> Option<AddressView> {
    let text = reg.address(id)?;
    let (status, geometry, replaced_by, parent_id) = if let Some(d) = reg.divisions.get(id) {
        let g = d.geometry.as_ref().and_then(|g| serde_json::to_value(g).ok());
        (d.status.as_str().into(), g, d.replaced_by.clone(), d.parent_code.clone())
    } else if let Some(t) = reg.thoroughfares.get(id) {
        let g = match &t.geometry {
            StreetGeometry::Line(l) => geometry_json(l.into()),
            StreetGeometry::Multi(m) => geometry_json(m.into()),
        };
        (t.status.as_str().into(), g, t.replaced_by.clone(), Some(t.county_code.clone()))
    } else if let Some(l) = reg.localities.get(id) {
        let g = match &l.geometry {
            LocalityGeometry::Point(p) => geometry_json(p.into()),
            LocalityGeometry::Polygon(p) => geometry_json(p.into()),
        };
        (l.status.as_str().into(), g, l.replaced_by.clone(), Some(l.village_code.clone()))
    } else if let Some(p) = reg.plates.get(id) {
        let g = geometry_json((&p.location).into());
        (p.status.as_str().into(), g, p.replaced_by.clone(), Some(p.parent.id().to_string()))
    } else if let Some(b) = reg.buildings.get(id) {
        (b.status.as_str().into(), None, None, Some(b.plate_id.clone()))
    } else if let Some(u) = reg.units.get(id) {
        (u.status.as_str().into(), None, None, Some(u.building_id.clone()))
    } else {
        let r = reg.rooms.get(id)?;
        (r.status.as_str().into(), None, None, Some(r.unit_id.clone()))
    };
    Some(AddressView {
        id: text.id,
        canonical: text.canonical,
        level: text.level,
        status,
        pinyin: text.pinyin,
        geometry,
        replaced_by,
        parent_id,
        history: vec![],
    })
}
