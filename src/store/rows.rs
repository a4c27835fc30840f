//! Rows as the tables hold them, and their mapping to and from domain records.

use diesel::prelude::*;
use geojson::{Geometry, GeometryValue};

use super::schema::*;
use super::StoreError;
use crate::domain::*;

#[derive(Queryable, Insertable)]
#[diesel(table_name = divisions)]
pub struct DivisionRow {
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_code: Option<String>,
    pub aliases: String,
    pub geometry: Option<String>,
    pub status: String,
    pub replaced_by: Option<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
}

#[derive(Queryable, Insertable)]
#[diesel(table_name = thoroughfares)]
pub struct ThoroughfareRow {
    pub id: String,
    pub county_code: String,
    pub name: String,
    pub pinyin_override: Option<String>,
    pub geometry: String,
    pub numbering: String,
    pub status: String,
    pub replaced_by: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
}

#[derive(Queryable, Insertable)]
#[diesel(table_name = localities)]
pub struct LocalityRow {
    pub id: String,
    pub village_code: String,
    pub name: String,
    pub pinyin_override: Option<String>,
    pub geometry: String,
    pub status: String,
    pub replaced_by: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
}

#[derive(Queryable)]
pub struct FormerNameRow {
    /// Loaded for the row's shape; names are ordered by it in the query.
    #[allow(dead_code)]
    pub id: i64,
    pub subject_id: String,
    pub name: String,
    pub valid_until: String,
    pub document: Option<String>,
    pub parent_code: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = former_names)]
pub struct NewFormerName {
    pub subject_id: String,
    pub name: String,
    pub valid_until: String,
    pub document: Option<String>,
    pub parent_code: Option<String>,
}

#[derive(Queryable, Insertable)]
#[diesel(table_name = plates)]
pub struct PlateRow {
    pub id: String,
    pub thoroughfare_id: Option<String>,
    pub locality_id: Option<String>,
    pub number: i32,
    pub sub: i32,
    pub township_code: Option<String>,
    pub lon: f64,
    pub lat: f64,
    pub side: Option<String>,
    pub measure_m: Option<f64>,
    pub status: String,
    pub replaced_by: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub reserved_until: Option<String>,
    pub plan_id: Option<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
}

#[derive(Queryable, Insertable)]
#[diesel(table_name = buildings)]
pub struct BuildingRow {
    pub id: String,
    pub plate_id: String,
    pub number: String,
    pub status: String,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
}

#[derive(Queryable, Insertable)]
#[diesel(table_name = units)]
pub struct UnitRow {
    pub id: String,
    pub building_id: String,
    pub number: String,
    pub status: String,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
}

#[derive(Queryable, Insertable)]
#[diesel(table_name = rooms)]
pub struct RoomRow {
    pub id: String,
    pub unit_id: String,
    pub number: String,
    pub status: String,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
}

/// Sets the dates a new record is in effect from and to, before it is inserted.
pub trait WithLifespan {
    fn lifespan_mut(&mut self) -> (&mut Option<String>, &mut Option<String>);

    fn with_lifespan(mut self, span: Option<&Lifespan>) -> Self
    where
        Self: Sized,
    {
        if let Some(span) = span {
            let (from, to) = self.lifespan_mut();
            *from = span.from.clone();
            *to = span.to.clone();
        }
        self
    }
}

macro_rules! with_lifespan {
    ($($row:ty),*) => {$(
        impl WithLifespan for $row {
            fn lifespan_mut(&mut self) -> (&mut Option<String>, &mut Option<String>) {
                (&mut self.valid_from, &mut self.valid_to)
            }
        }
    )*};
}
with_lifespan!(DivisionRow, ThoroughfareRow, LocalityRow, PlateRow, BuildingRow, UnitRow, RoomRow);

/// The lifespan a row records, if it records any.
pub fn lifespan(from: &Option<String>, to: &Option<String>) -> Option<Lifespan> {
    (from.is_some() || to.is_some()).then(|| Lifespan { from: from.clone(), to: to.clone() })
}

fn corrupt(what: &str, id: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} {id}"))
}

fn geometry_text(v: GeometryValue) -> String {
    serde_json::to_string(&Geometry::new(v)).expect("geometry serialises")
}

fn parse_geometry(text: &str, id: &str) -> Result<Geometry, StoreError> {
    serde_json::from_str(text).map_err(|_| corrupt("geometry of", id))
}

impl DivisionRow {
    pub fn from_domain(d: &Division) -> Self {
        DivisionRow {
            code: d.code.clone(),
            name: d.name.clone(),
            level: d.level.as_str().into(),
            parent_code: d.parent_code.clone(),
            aliases: serde_json::to_string(&d.aliases).expect("strings serialise"),
            geometry: d.geometry.as_ref().map(|g| serde_json::to_string(g).expect("geometry serialises")),
            status: d.status.as_str().into(),
            replaced_by: d.replaced_by.clone(),
            valid_from: None,
            valid_to: None,
        }
    }

    pub fn into_domain(self, former_names: Vec<FormerName>) -> Result<Division, StoreError> {
        Ok(Division {
            status: name_status(&self.status, &self.code)?,
            replaced_by: self.replaced_by,
            former_names,
            level: DivisionLevel::parse(&self.level).ok_or_else(|| corrupt("level of", &self.code))?,
            aliases: serde_json::from_str(&self.aliases).map_err(|_| corrupt("aliases of", &self.code))?,
            geometry: self.geometry.as_deref().map(|g| parse_geometry(g, &self.code)).transpose()?,
            code: self.code,
            name: self.name,
            parent_code: self.parent_code,
        })
    }
}

impl ThoroughfareRow {
    pub fn from_domain(t: &Thoroughfare, now: &str) -> Self {
        let g = match &t.geometry {
            StreetGeometry::Line(l) => GeometryValue::from(l),
            StreetGeometry::Multi(m) => GeometryValue::from(m),
        };
        ThoroughfareRow {
            id: t.id.clone(),
            county_code: t.county_code.clone(),
            name: t.name.clone(),
            pinyin_override: t.pinyin_override.clone(),
            geometry: geometry_text(g),
            numbering: serde_json::to_string(&t.numbering).expect("scheme serialises"),
            status: t.status.as_str().into(),
            replaced_by: t.replaced_by.clone(),
            created_at: now.into(),
            updated_at: now.into(),
            valid_from: None,
            valid_to: None,
        }
    }

    pub fn into_domain(self, former_names: Vec<FormerName>) -> Result<Thoroughfare, StoreError> {
        let g = parse_geometry(&self.geometry, &self.id)?;
        let geometry = match &g.value {
            GeometryValue::LineString { .. } => geo::LineString::try_from(&g.value).map(StreetGeometry::Line).ok(),
            GeometryValue::MultiLineString { .. } => {
                geo::MultiLineString::try_from(&g.value).map(StreetGeometry::Multi).ok()
            }
            _ => None,
        }
        .ok_or_else(|| corrupt("geometry of", &self.id))?;
        Ok(Thoroughfare {
            status: NameStatus::parse(&self.status).ok_or_else(|| corrupt("status of", &self.id))?,
            numbering: serde_json::from_str(&self.numbering).map_err(|_| corrupt("numbering of", &self.id))?,
            id: self.id,
            county_code: self.county_code,
            name: self.name,
            pinyin_override: self.pinyin_override,
            geometry,
            replaced_by: self.replaced_by,
            former_names,
        })
    }
}

impl LocalityRow {
    pub fn from_domain(l: &Locality, now: &str) -> Self {
        let g = match &l.geometry {
            LocalityGeometry::Point(p) => GeometryValue::from(p),
            LocalityGeometry::Polygon(p) => GeometryValue::from(p),
        };
        LocalityRow {
            id: l.id.clone(),
            village_code: l.village_code.clone(),
            name: l.name.clone(),
            pinyin_override: l.pinyin_override.clone(),
            geometry: geometry_text(g),
            status: l.status.as_str().into(),
            replaced_by: l.replaced_by.clone(),
            created_at: now.into(),
            updated_at: now.into(),
            valid_from: None,
            valid_to: None,
        }
    }

    pub fn into_domain(self, former_names: Vec<FormerName>) -> Result<Locality, StoreError> {
        let g = parse_geometry(&self.geometry, &self.id)?;
        let geometry = match &g.value {
            GeometryValue::Point { .. } => geo::Point::try_from(&g.value).map(LocalityGeometry::Point).ok(),
            GeometryValue::Polygon { .. } => geo::Polygon::try_from(&g.value).map(LocalityGeometry::Polygon).ok(),
            _ => None,
        }
        .ok_or_else(|| corrupt("geometry of", &self.id))?;
        Ok(Locality {
            status: NameStatus::parse(&self.status).ok_or_else(|| corrupt("status of", &self.id))?,
            id: self.id,
            village_code: self.village_code,
            name: self.name,
            pinyin_override: self.pinyin_override,
            geometry,
            replaced_by: self.replaced_by,
            former_names,
        })
    }
}

impl PlateRow {
    pub fn from_domain(p: &Plate, now: &str) -> Self {
        let (thoroughfare_id, locality_id) = match &p.parent {
            PlateParent::Thoroughfare(t) => (Some(t.clone()), None),
            PlateParent::Locality(l) => (None, Some(l.clone())),
        };
        PlateRow {
            id: p.id.clone(),
            thoroughfare_id,
            locality_id,
            number: p.number,
            sub: p.sub.unwrap_or(0),
            township_code: p.township_code.clone(),
            lon: p.location.x(),
            lat: p.location.y(),
            side: p.side.map(|s| s.as_str().into()),
            measure_m: p.measure_m,
            status: p.status.as_str().into(),
            replaced_by: p.replaced_by.clone(),
            created_at: now.into(),
            updated_at: now.into(),
            reserved_until: None,
            plan_id: None,
            valid_from: None,
            valid_to: None,
        }
    }

    pub fn into_domain(self) -> Result<Plate, StoreError> {
        let parent = match (self.thoroughfare_id, self.locality_id) {
            (Some(t), None) => PlateParent::Thoroughfare(t),
            (None, Some(l)) => PlateParent::Locality(l),
            _ => return Err(corrupt("parent of", &self.id)),
        };
        Ok(Plate {
            status: PlateStatus::parse(&self.status).ok_or_else(|| corrupt("status of", &self.id))?,
            side: self.side.as_deref().and_then(Side::parse),
            id: self.id,
            parent,
            number: self.number,
            sub: (self.sub > 0).then_some(self.sub),
            township_code: self.township_code,
            location: geo::Point::new(self.lon, self.lat),
            measure_m: self.measure_m,
            replaced_by: self.replaced_by,
        })
    }
}

fn name_status(s: &str, id: &str) -> Result<NameStatus, StoreError> {
    NameStatus::parse(s).ok_or_else(|| corrupt("status of", id))
}

impl BuildingRow {
    pub fn from_domain(b: &Building) -> Self {
        BuildingRow {
            id: b.id.clone(),
            plate_id: b.plate_id.clone(),
            number: b.number.clone(),
            status: b.status.as_str().into(),
            valid_from: None,
            valid_to: None,
        }
    }
    pub fn into_domain(self) -> Result<Building, StoreError> {
        Ok(Building {
            status: name_status(&self.status, &self.id)?,
            id: self.id,
            plate_id: self.plate_id,
            number: self.number,
        })
    }
}

impl UnitRow {
    pub fn from_domain(u: &Unit) -> Self {
        UnitRow {
            id: u.id.clone(),
            building_id: u.building_id.clone(),
            number: u.number.clone(),
            status: u.status.as_str().into(),
            valid_from: None,
            valid_to: None,
        }
    }
    pub fn into_domain(self) -> Result<Unit, StoreError> {
        Ok(Unit {
            status: name_status(&self.status, &self.id)?,
            id: self.id,
            building_id: self.building_id,
            number: self.number,
        })
    }
}

impl RoomRow {
    pub fn from_domain(r: &Room) -> Self {
        RoomRow {
            id: r.id.clone(),
            unit_id: r.unit_id.clone(),
            number: r.number.clone(),
            status: r.status.as_str().into(),
            valid_from: None,
            valid_to: None,
        }
    }
    pub fn into_domain(self) -> Result<Room, StoreError> {
        Ok(Room {
            status: name_status(&self.status, &self.id)?,
            id: self.id,
            unit_id: self.unit_id,
            number: self.number,
        })
    }
}
