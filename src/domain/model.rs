//! The records of the register (SPEC §2).

use serde::{Deserialize, Serialize};

/// Level of an administrative division, from the province down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DivisionLevel {
    Province,
    Prefecture,
    County,
    Township,
    Village,
}

impl DivisionLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            DivisionLevel::Province => "province",
            DivisionLevel::Prefecture => "prefecture",
            DivisionLevel::County => "county",
            DivisionLevel::Township => "township",
            DivisionLevel::Village => "village",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "province" => DivisionLevel::Province,
            "prefecture" => DivisionLevel::Prefecture,
            "county" => DivisionLevel::County,
            "township" => DivisionLevel::Township,
            "village" => DivisionLevel::Village,
            _ => return None,
        })
    }

    /// The number of digits of a code at this level (GB/T 2260 and the statistical codes).
    pub fn code_len(self) -> usize {
        match self {
            DivisionLevel::Province | DivisionLevel::Prefecture | DivisionLevel::County => 6,
            DivisionLevel::Township => 9,
            DivisionLevel::Village => 12,
        }
    }
}

/// Lifecycle of a name: `proposed → active → retired`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NameStatus {
    Proposed,
    Active,
    Retired,
}

impl NameStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            NameStatus::Proposed => "proposed",
            NameStatus::Active => "active",
            NameStatus::Retired => "retired",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "proposed" => NameStatus::Proposed,
            "active" => NameStatus::Active,
            "retired" => NameStatus::Retired,
            _ => return None,
        })
    }
}

/// Lifecycle of a plate: `reserved → issued → retired`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PlateStatus {
    Reserved,
    Issued,
    Retired,
}

impl PlateStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PlateStatus::Reserved => "reserved",
            PlateStatus::Issued => "issued",
            PlateStatus::Retired => "retired",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "reserved" => PlateStatus::Reserved,
            "issued" => PlateStatus::Issued,
            "retired" => PlateStatus::Retired,
            _ => return None,
        })
    }
}

/// Side of a thoroughfare, looking along its numbering direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Left,
    Right,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Left => "left",
            Side::Right => "right",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "left" => Some(Side::Left),
            "right" => Some(Side::Right),
            _ => None,
        }
    }
    /// 左单右双: odd numbers on the left, even on the right.
    pub fn for_number(number: i32) -> Side {
        if number % 2 == 1 {
            Side::Left
        } else {
            Side::Right
        }
    }
}

/// The level of an address, as the API names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AddressLevel {
    Division,
    Thoroughfare,
    Locality,
    Plate,
    Building,
    Unit,
    Room,
}

impl AddressLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            AddressLevel::Division => "division",
            AddressLevel::Thoroughfare => "thoroughfare",
            AddressLevel::Locality => "locality",
            AddressLevel::Plate => "plate",
            AddressLevel::Building => "building",
            AddressLevel::Unit => "unit",
            AddressLevel::Room => "room",
        }
    }
}

/// A division (行政区划), keyed by its official code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Division {
    pub code: String,
    pub name: String,
    pub level: DivisionLevel,
    pub parent_code: Option<String>,
    /// Short forms and other official names (`恩施州`, `芭蕉乡`).
    pub aliases: Vec<String>,
    /// GeoJSON geometry (Polygon or MultiPolygon), when the register has one.
    pub geometry: Option<geojson::Geometry>,
    /// `Active`, or `Retired` once merged into another division or given a new code
    /// (`replaced_by` then names the division that took its place).
    #[serde(default = "active")]
    pub status: NameStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<String>,
    /// Names (and parents) the division had before (乡改镇, a village moved to another
    /// township).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub former_names: Vec<FormerName>,
}

fn active() -> NameStatus {
    NameStatus::Active
}

/// A name a record has had, valid until a date, changed by a document; with the parent
/// it stood under then, when a merge or a new code moved it (a locality's village, a
/// thoroughfare's county, a division's parent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormerName {
    pub name: String,
    /// `YYYY-MM-DD`: the first day the record no longer had this name (or parent).
    pub until: String,
    pub document: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_code: Option<String>,
}

/// When a record was in effect, as dates `YYYY-MM-DD`: from its approval or issue
/// (inclusive) to its retirement (exclusive). `None` where the register does not know,
/// as for records that stood before the register began and were imported.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lifespan {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// How the numbers of a thoroughfare are laid out along it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "scheme", rename_all = "lowercase")]
pub enum NumberingScheme {
    /// Numbers in order of the entrances, 1, 3, 5 … on the left and 2, 4, 6 … on the right.
    Sequential,
    /// One number pair per `interval_m` metres of frontage, leaving room for infill.
    Distance { interval_m: f64 },
}

/// A thoroughfare's line in lon/lat, kept in the type it was given (LineString or
/// MultiLineString); its direction is the numbering direction.
#[derive(Debug, Clone, PartialEq)]
pub enum StreetGeometry {
    Line(geo::LineString<f64>),
    Multi(geo::MultiLineString<f64>),
}

impl StreetGeometry {
    /// The parts in numbering order.
    pub fn parts(&self) -> Vec<&geo::LineString<f64>> {
        match self {
            StreetGeometry::Line(l) => vec![l],
            StreetGeometry::Multi(m) => m.0.iter().collect(),
        }
    }
}

/// A street, road or lane (街/路/巷 …). Its geometry's direction is the numbering direction.
#[derive(Debug, Clone, PartialEq)]
pub struct Thoroughfare {
    pub id: String,
    pub county_code: String,
    pub name: String,
    /// The romanisation the authority set where the dictionary reads the name wrongly.
    pub pinyin_override: Option<String>,
    pub geometry: StreetGeometry,
    pub status: NameStatus,
    pub replaced_by: Option<String>,
    pub former_names: Vec<FormerName>,
    pub numbering: NumberingScheme,
}

/// Where a locality is: a point or an area.
#[derive(Debug, Clone, PartialEq)]
pub enum LocalityGeometry {
    Point(geo::Point<f64>),
    Polygon(geo::Polygon<f64>),
}

/// A hamlet or group (湾/组) of a village.
#[derive(Debug, Clone, PartialEq)]
pub struct Locality {
    pub id: String,
    pub village_code: String,
    pub name: String,
    pub pinyin_override: Option<String>,
    pub geometry: LocalityGeometry,
    pub status: NameStatus,
    pub replaced_by: Option<String>,
    pub former_names: Vec<FormerName>,
}

/// What a plate is numbered on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PlateParent {
    Thoroughfare(String),
    Locality(String),
}

impl PlateParent {
    pub fn id(&self) -> &str {
        match self {
            PlateParent::Thoroughfare(id) | PlateParent::Locality(id) => id,
        }
    }
}

/// A door plate (门牌).
#[derive(Debug, Clone, PartialEq)]
pub struct Plate {
    pub id: String,
    pub parent: PlateParent,
    pub number: i32,
    /// 附号
    pub sub: Option<i32>,
    /// The township the plate lies in (plates on thoroughfares only).
    pub township_code: Option<String>,
    pub location: geo::Point<f64>,
    /// Side and position along the thoroughfare, for plates on thoroughfares.
    pub side: Option<Side>,
    pub measure_m: Option<f64>,
    pub status: PlateStatus,
    pub replaced_by: Option<String>,
}

/// A building (栋) behind a plate.
#[derive(Debug, Clone, PartialEq)]
pub struct Building {
    pub id: String,
    pub plate_id: String,
    pub number: String,
    pub status: NameStatus,
}

/// A unit (单元) of a building.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub id: String,
    pub building_id: String,
    pub number: String,
    pub status: NameStatus,
}

/// A room (室) of a unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Room {
    pub id: String,
    pub unit_id: String,
    pub number: String,
    pub status: NameStatus,
}
