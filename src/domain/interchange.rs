//! The GeoJSON interchange format of SPEC §4: reading a FeatureCollection into import
//! records, and writing the register back in the same shape, deterministically.

use std::collections::BTreeSet;

use geojson::{Geometry, GeometryValue};
use serde_json::{json, Map, Value};

use super::model::*;
use super::register::Register;

/// A problem with one feature (or the file, where `index` is None).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Problem {
    pub index: Option<usize>,
    pub code: &'static str,
    pub message: String,
}

impl Problem {
    pub fn new(index: Option<usize>, code: &'static str, message: impl Into<String>) -> Self {
        Problem { index, code, message: message.into() }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ThoroughfareIn {
    pub id: Option<String>,
    pub ref_: String,
    pub name: String,
    pub county_code: String,
    pub former_names: Vec<FormerName>,
    pub pinyin: Option<String>,
    pub status: Option<NameStatus>,
    pub replaced_by: Option<String>,
    pub numbering: Option<NumberingScheme>,
    pub geometry: StreetGeometry,
    pub lifespan: Option<Lifespan>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LocalityIn {
    pub id: Option<String>,
    pub ref_: String,
    pub name: String,
    pub village_code: String,
    pub former_names: Vec<FormerName>,
    pub pinyin: Option<String>,
    pub status: Option<NameStatus>,
    pub replaced_by: Option<String>,
    pub geometry: LocalityGeometry,
    pub lifespan: Option<Lifespan>,
}

/// What a plate in the file is numbered on, by the file's `ref` (or an existing ID).
#[derive(Debug, Clone, PartialEq)]
pub enum StreetRef {
    Thoroughfare(String),
    Locality(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlateIn {
    pub id: Option<String>,
    pub street: StreetRef,
    pub number: i32,
    pub sub: Option<i32>,
    pub township_code: Option<String>,
    pub location: geo::Point<f64>,
    pub status: Option<PlateStatus>,
    pub replaced_by: Option<String>,
    pub buildings: Vec<BuildingIn>,
    pub lifespan: Option<Lifespan>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BuildingIn {
    pub id: Option<String>,
    pub number: String,
    pub units: Vec<UnitIn>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnitIn {
    pub id: Option<String>,
    pub number: String,
    pub rooms: Vec<RoomIn>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RoomIn {
    pub id: Option<String>,
    pub number: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FeatureIn {
    Division(Division, Option<Lifespan>),
    Thoroughfare(ThoroughfareIn),
    Locality(LocalityIn),
    Plate(PlateIn),
}

/// Reads a FeatureCollection with at most [`super::shape::DEFAULT_MAX_VERTICES`] vertices
/// per feature: see [`parse_with_limit`].
pub fn parse(text: &str) -> Result<Vec<FeatureIn>, Vec<Problem>> {
    parse_with_limit(text, super::shape::DEFAULT_MAX_VERTICES)
}

/// Reads a FeatureCollection. Every malformed feature is reported; any problem refuses the
/// whole file, so the result is either every feature or every problem. A feature with more
/// than `max_vertices` vertices is refused before its geometry is looked at further.
pub fn parse_with_limit(text: &str, max_vertices: usize) -> Result<Vec<FeatureIn>, Vec<Problem>> {
    let root: Value = serde_json::from_str(text)
        .map_err(|e| vec![Problem::new(None, "bad_json", format!("不是有效的 JSON：{e}"))])?;
    if root.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return Err(vec![Problem::new(None, "bad_json", "顶层必须是 GeoJSON FeatureCollection")]);
    }
    let Some(features) = root.get("features").and_then(Value::as_array) else {
        return Err(vec![Problem::new(None, "bad_json", "FeatureCollection 缺少 features 数组")]);
    };
    let mut out = Vec::with_capacity(features.len());
    let mut problems = Vec::new();
    for (i, f) in features.iter().enumerate() {
        let vertices = f.get("geometry").map_or(0, super::shape::vertex_count);
        if vertices > max_vertices {
            problems.push(Problem::new(
                Some(i),
                "too_many_vertices",
                super::shape::too_many_vertices(vertices, max_vertices),
            ));
            continue;
        }
        match parse_feature(f) {
            Ok(item) => out.push(item),
            Err(message) => problems.push(Problem::new(Some(i), "bad_feature", message)),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

type Props = Map<String, Value>;

fn parse_feature(f: &Value) -> Result<FeatureIn, String> {
    let props = f.get("properties").and_then(Value::as_object).ok_or("要素缺少 properties 对象")?;
    let geometry = match f.get("geometry") {
        None | Some(Value::Null) => None,
        Some(g) => Some(serde_json::from_value::<Geometry>(g.clone()).map_err(|e| format!("几何无效：{e}"))?),
    };
    let kind = str_prop(props, "kind")?;
    match kind.as_str() {
        "division" => Ok(FeatureIn::Division(parse_division(props, geometry)?, parse_lifespan(props)?)),
        "thoroughfare" => parse_thoroughfare(props, geometry).map(FeatureIn::Thoroughfare),
        "locality" => parse_locality(props, geometry).map(FeatureIn::Locality),
        "plate" => parse_plate(props, geometry).map(FeatureIn::Plate),
        other => Err(format!("未知的 kind “{other}”（应为 division、thoroughfare、locality 或 plate）")),
    }
}

fn str_prop(props: &Props, key: &str) -> Result<String, String> {
    match props.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_string()),
        Some(Value::String(_)) => Err(format!("属性 {key} 不能为空")),
        Some(_) => Err(format!("属性 {key} 必须是字符串")),
        None => Err(format!("缺少属性 {key}")),
    }
}

fn opt_str_prop(props: &Props, key: &str) -> Result<Option<String>, String> {
    match props.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => str_prop(props, key).map(Some),
    }
}

fn opt_int_prop(props: &Props, key: &str) -> Result<Option<i32>, String> {
    match props.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .filter(|n| *n > 0)
            .map(Some)
            .ok_or_else(|| format!("属性 {key} 必须是正整数")),
    }
}

/// Building and unit numbers: integers or short strings (`B8`); rooms: strings.
fn label(v: &Value, what: &str) -> Result<String, String> {
    let s = match v {
        Value::Number(n) if n.as_u64().is_some() => n.to_string(),
        Value::String(s) => s.trim().to_string(),
        _ => return Err(format!("{what}编号必须是整数或字符串")),
    };
    if s.is_empty() || s.chars().count() > 16 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("{what}编号“{s}”无效"));
    }
    Ok(s)
}

fn parse_status<T>(props: &Props, parse: fn(&str) -> Option<T>) -> Result<Option<T>, String> {
    match opt_str_prop(props, "status")? {
        None => Ok(None),
        Some(s) => parse(&s).map(Some).ok_or_else(|| format!("未知的状态“{s}”")),
    }
}

fn parse_former_names(props: &Props) -> Result<Vec<FormerName>, String> {
    let Some(v) = props.get("former_names") else { return Ok(vec![]) };
    let items = v.as_array().ok_or("former_names 必须是数组")?;
    items
        .iter()
        .map(|item| {
            let o = item.as_object().ok_or("former_names 的每一项必须是对象")?;
            let name = str_prop(o, "name")?;
            let until = str_prop(o, "until")?;
            if chrono::NaiveDate::parse_from_str(&until, "%Y-%m-%d").is_err() {
                return Err(format!("曾用名“{name}”的 until 日期“{until}”不是 YYYY-MM-DD"));
            }
            Ok(FormerName {
                name,
                until,
                document: opt_str_prop(o, "document")?,
                parent_code: opt_str_prop(o, "parent_code")?,
            })
        })
        .collect()
}

/// `valid_from` and `valid_to`: the dates a record was in effect, where the register knows.
fn parse_lifespan(props: &Props) -> Result<Option<Lifespan>, String> {
    let date = |key: &str| -> Result<Option<String>, String> {
        let v = opt_str_prop(props, key)?;
        if let Some(d) = &v {
            if d.len() != 10 || chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err() {
                return Err(format!("{key}“{d}”不是 YYYY-MM-DD 格式的日期"));
            }
        }
        Ok(v)
    };
    let (from, to) = (date("valid_from")?, date("valid_to")?);
    if let (Some(f), Some(t)) = (&from, &to) {
        if f >= t {
            return Err(format!("valid_from {f} 应早于 valid_to {t}"));
        }
    }
    Ok((from.is_some() || to.is_some()).then_some(Lifespan { from, to }))
}

/// Writes a record's lifespan, where the register knows it.
fn lifespan_props(p: &mut Map<String, Value>, span: Option<&Lifespan>) {
    if let Some(s) = span {
        if let Some(f) = &s.from {
            p.insert("valid_from".into(), json!(f));
        }
        if let Some(t) = &s.to {
            p.insert("valid_to".into(), json!(t));
        }
    }
}

fn former_names_json(former: &[FormerName]) -> Value {
    let items = former
        .iter()
        .map(|f| {
            let mut o = Map::new();
            o.insert("name".into(), json!(f.name));
            o.insert("until".into(), json!(f.until));
            if let Some(d) = &f.document {
                o.insert("document".into(), json!(d));
            }
            if let Some(c) = &f.parent_code {
                o.insert("parent_code".into(), json!(c));
            }
            Value::Object(o)
        })
        .collect();
    Value::Array(items)
}

fn check_coords(g: &Geometry) -> Result<(), String> {
    if !super::geometry::all_lon_lat(&g.value) {
        Err("坐标必须是经纬度（经度 -180…180，纬度 -90…90）".into())
    } else {
        Ok(())
    }
}

fn parse_division(props: &Props, geometry: Option<Geometry>) -> Result<Division, String> {
    let code = str_prop(props, "code")?;
    let name = str_prop(props, "name")?;
    let level_s = str_prop(props, "level")?;
    let level = DivisionLevel::parse(&level_s).ok_or_else(|| format!("未知的区划级别“{level_s}”"))?;
    if code.len() != level.code_len() || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("区划代码“{code}”应为{}位数字", level.code_len()));
    }
    let parent_code = opt_str_prop(props, "parent_code")?;
    if parent_code.is_none() && level != DivisionLevel::Province {
        return Err(format!("区划“{name}”缺少 parent_code"));
    }
    let aliases = match props.get("aliases") {
        None | Some(Value::Null) => vec![],
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| v.as_str().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()))
            .collect::<Option<Vec<_>>>()
            .ok_or("aliases 必须是非空字符串数组")?,
        Some(_) => return Err("aliases 必须是数组".into()),
    };
    if let Some(g) = &geometry {
        if !matches!(g.value, GeometryValue::Polygon { .. } | GeometryValue::MultiPolygon { .. }) {
            return Err("区划的几何必须是 Polygon、MultiPolygon 或 null".into());
        }
        check_coords(g)?;
        match geo::Geometry::<f64>::try_from(g.value.clone()).map_err(|e| e.to_string())? {
            geo::Geometry::Polygon(p) => super::shape::check_simple(&p)?,
            geo::Geometry::MultiPolygon(m) => m.0.iter().try_for_each(super::shape::check_simple)?,
            _ => {}
        }
    }
    Ok(Division {
        code,
        name,
        level,
        parent_code,
        aliases,
        geometry,
        status: parse_status(props, NameStatus::parse)?.unwrap_or(NameStatus::Active),
        replaced_by: opt_str_prop(props, "replaced_by")?,
        former_names: parse_former_names(props)?,
    })
}

fn id_prop(props: &Props, kind: super::ids::IdKind) -> Result<Option<String>, String> {
    let id = opt_str_prop(props, "id")?;
    if let Some(id) = &id {
        if super::ids::IdKind::of(id) != Some(kind) {
            return Err(format!("id “{id}”不是有效的{}编号", kind.prefix()));
        }
    }
    Ok(id)
}

fn parse_thoroughfare(props: &Props, geometry: Option<Geometry>) -> Result<ThoroughfareIn, String> {
    let g = geometry.ok_or("道路必须有 LineString 或 MultiLineString 几何")?;
    check_coords(&g)?;
    let geometry = match &g.value {
        GeometryValue::LineString { .. } => {
            StreetGeometry::Line(geo::LineString::try_from(&g.value).map_err(|e| e.to_string())?)
        }
        GeometryValue::MultiLineString { .. } => {
            StreetGeometry::Multi(geo::MultiLineString::try_from(&g.value).map_err(|e| e.to_string())?)
        }
        other => return Err(format!("道路的几何必须是 LineString 或 MultiLineString，而不是 {}", other.type_name())),
    };
    if geometry.parts().is_empty() || geometry.parts().iter().any(|l| l.0.len() < 2) {
        return Err("道路的每条线至少需要两个点".into());
    }
    let numbering = match props.get("numbering") {
        None | Some(Value::Null) => None,
        Some(v) => {
            Some(serde_json::from_value::<NumberingScheme>(v.clone()).map_err(|e| format!("numbering 无效：{e}"))?)
        }
    };
    Ok(ThoroughfareIn {
        id: id_prop(props, super::ids::IdKind::Thoroughfare)?,
        ref_: str_prop(props, "ref")?,
        name: str_prop(props, "name")?,
        county_code: str_prop(props, "county_code")?,
        former_names: parse_former_names(props)?,
        pinyin: opt_str_prop(props, "pinyin")?,
        status: parse_status(props, NameStatus::parse)?,
        replaced_by: opt_str_prop(props, "replaced_by")?,
        numbering,
        geometry,
        lifespan: parse_lifespan(props)?,
    })
}

fn parse_locality(props: &Props, geometry: Option<Geometry>) -> Result<LocalityIn, String> {
    let g = geometry.ok_or("村组必须有 Point 或 Polygon 几何")?;
    check_coords(&g)?;
    let geometry = match &g.value {
        GeometryValue::Point { .. } => {
            LocalityGeometry::Point(geo::Point::try_from(&g.value).map_err(|e| e.to_string())?)
        }
        GeometryValue::Polygon { .. } => {
            let polygon = geo::Polygon::try_from(&g.value).map_err(|e| e.to_string())?;
            super::shape::check_simple(&polygon)?;
            LocalityGeometry::Polygon(polygon)
        }
        other => return Err(format!("村组的几何必须是 Point 或 Polygon，而不是 {}", other.type_name())),
    };
    Ok(LocalityIn {
        id: id_prop(props, super::ids::IdKind::Locality)?,
        ref_: str_prop(props, "ref")?,
        name: str_prop(props, "name")?,
        village_code: str_prop(props, "village_code")?,
        former_names: parse_former_names(props)?,
        pinyin: opt_str_prop(props, "pinyin")?,
        status: parse_status(props, NameStatus::parse)?,
        replaced_by: opt_str_prop(props, "replaced_by")?,
        geometry,
        lifespan: parse_lifespan(props)?,
    })
}

fn parse_plate(props: &Props, geometry: Option<Geometry>) -> Result<PlateIn, String> {
    let g = geometry.ok_or("门牌必须有 Point 几何")?;
    check_coords(&g)?;
    let location = match &g.value {
        GeometryValue::Point { .. } => geo::Point::try_from(&g.value).map_err(|e| e.to_string())?,
        other => return Err(format!("门牌的几何必须是 Point，而不是 {}", other.type_name())),
    };
    let street = match (opt_str_prop(props, "thoroughfare_ref")?, opt_str_prop(props, "locality_ref")?) {
        (Some(t), None) => StreetRef::Thoroughfare(t),
        (None, Some(l)) => StreetRef::Locality(l),
        _ => return Err("门牌必须有 thoroughfare_ref 或 locality_ref 之一".into()),
    };
    let number = opt_int_prop(props, "number")?.ok_or("缺少属性 number")?;
    let mut buildings = Vec::new();
    match props.get("buildings") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for b in items {
                buildings.push(parse_building(b)?);
            }
        }
        Some(_) => return Err("buildings 必须是数组".into()),
    }
    Ok(PlateIn {
        id: id_prop(props, super::ids::IdKind::Plate)?,
        street,
        number,
        sub: opt_int_prop(props, "sub")?,
        township_code: opt_str_prop(props, "township_code")?,
        location,
        status: parse_status(props, PlateStatus::parse)?,
        replaced_by: opt_str_prop(props, "replaced_by")?,
        buildings,
        lifespan: parse_lifespan(props)?,
    })
}

fn nested_id(o: &Props, kind: super::ids::IdKind) -> Result<Option<String>, String> {
    id_prop(o, kind)
}

fn parse_building(v: &Value) -> Result<BuildingIn, String> {
    let o = v.as_object().ok_or("buildings 的每一项必须是对象")?;
    let number = label(o.get("number").ok_or("楼栋缺少 number")?, "楼栋")?;
    let mut units = Vec::new();
    if let Some(us) = o.get("units") {
        for u in us.as_array().ok_or("units 必须是数组")? {
            let uo = u.as_object().ok_or("units 的每一项必须是对象")?;
            let unumber = label(uo.get("number").ok_or("单元缺少 number")?, "单元")?;
            let mut rooms = Vec::new();
            if let Some(rs) = uo.get("rooms") {
                for r in rs.as_array().ok_or("rooms 必须是数组")? {
                    rooms.push(match r {
                        Value::Object(ro) => RoomIn {
                            id: nested_id(ro, super::ids::IdKind::Room)?,
                            number: label(ro.get("number").ok_or("房间缺少 number")?, "房间")?,
                        },
                        other => RoomIn { id: None, number: label(other, "房间")? },
                    });
                }
            }
            units.push(UnitIn { id: nested_id(uo, super::ids::IdKind::Unit)?, number: unumber, rooms });
        }
    }
    Ok(BuildingIn { id: nested_id(o, super::ids::IdKind::Building)?, number, units })
}

// ---- export ----

/// Writes the register (or one county of it) as a FeatureCollection: one feature a line,
/// ordered by kind then code or ID, no timestamps, so two exports of one register are
/// identical bytes.
pub fn write(register: &Register, county_code: Option<&str>) -> String {
    let in_county = |code: &str| match county_code {
        None => true,
        Some(c) => register.chain(code).iter().any(|d| d.code == c),
    };
    let mut lines: Vec<String> = Vec::new();
    let feature = |geometry: Value, properties: Value| {
        serde_json::to_string(&json!({"type": "Feature", "geometry": geometry, "properties": properties}))
            .expect("JSON values serialise")
    };
    // A county's export keeps the divisions above it, so it imports on its own.
    let ancestors: BTreeSet<&str> =
        county_code.map(|c| register.chain(c).iter().map(|d| d.code.as_str()).collect()).unwrap_or_default();
    for d in register.divisions.values() {
        if !(in_county(&d.code) || ancestors.contains(d.code.as_str())) {
            continue;
        }
        let mut p = Map::new();
        p.insert("kind".into(), json!("division"));
        p.insert("code".into(), json!(d.code));
        p.insert("name".into(), json!(d.name));
        p.insert("level".into(), json!(d.level.as_str()));
        if let Some(parent) = &d.parent_code {
            p.insert("parent_code".into(), json!(parent));
        }
        p.insert("aliases".into(), json!(d.aliases));
        // Only where there is something to say, so that a plain register's file stays the
        // format SPEC §4 shows.
        if d.status != NameStatus::Active {
            p.insert("status".into(), json!(d.status.as_str()));
        }
        if let Some(r) = &d.replaced_by {
            p.insert("replaced_by".into(), json!(r));
        }
        if !d.former_names.is_empty() {
            p.insert("former_names".into(), former_names_json(&d.former_names));
        }
        lifespan_props(&mut p, register.lifespans.get(&d.code));
        let g =
            d.geometry.as_ref().map(|g| serde_json::to_value(g).expect("geometry serialises")).unwrap_or(Value::Null);
        lines.push(feature(g, Value::Object(p)));
    }
    for t in register.thoroughfares.values().filter(|t| in_county(&t.county_code)) {
        let mut p = named_props(
            "thoroughfare",
            &t.id,
            &t.name,
            &t.former_names,
            t.pinyin_override.as_deref(),
            t.status.as_str(),
            t.replaced_by.as_deref(),
        );
        p.insert("county_code".into(), json!(t.county_code));
        lifespan_props(&mut p, register.lifespans.get(&t.id));
        if let NumberingScheme::Distance { .. } = t.numbering {
            p.insert("numbering".into(), serde_json::to_value(t.numbering).expect("scheme serialises"));
        }
        let gv = match &t.geometry {
            StreetGeometry::Line(l) => GeometryValue::from(l),
            StreetGeometry::Multi(m) => GeometryValue::from(m),
        };
        lines.push(feature(geometry_json(gv), Value::Object(p)));
    }
    for l in register.localities.values().filter(|l| in_county(&l.village_code)) {
        let mut p = named_props(
            "locality",
            &l.id,
            &l.name,
            &l.former_names,
            l.pinyin_override.as_deref(),
            l.status.as_str(),
            l.replaced_by.as_deref(),
        );
        p.insert("village_code".into(), json!(l.village_code));
        lifespan_props(&mut p, register.lifespans.get(&l.id));
        let gv = match &l.geometry {
            LocalityGeometry::Point(pt) => GeometryValue::from(pt),
            LocalityGeometry::Polygon(pg) => GeometryValue::from(pg),
        };
        lines.push(feature(geometry_json(gv), Value::Object(p)));
    }
    let mut plates_by_id: Vec<&Plate> = register
        .plates
        .values()
        .filter(|p| register.county_of(p.parent.id()).is_some_and(|c| county_code.is_none_or(|cc| cc == c)))
        .collect();
    plates_by_id.sort_by(|a, b| a.id.cmp(&b.id));
    let buildings = children_index(register.buildings.values().map(|b| (b.plate_id.as_str(), b)));
    let units = children_index(register.units.values().map(|u| (u.building_id.as_str(), u)));
    let rooms = children_index(register.rooms.values().map(|r| (r.unit_id.as_str(), r)));
    for pl in plates_by_id {
        let mut p = Map::new();
        p.insert("kind".into(), json!("plate"));
        p.insert("id".into(), json!(pl.id));
        match &pl.parent {
            PlateParent::Thoroughfare(t) => p.insert("thoroughfare_ref".into(), json!(t)),
            PlateParent::Locality(l) => p.insert("locality_ref".into(), json!(l)),
        };
        p.insert("number".into(), json!(pl.number));
        if let Some(s) = pl.sub {
            p.insert("sub".into(), json!(s));
        }
        if let Some(t) = &pl.township_code {
            p.insert("township_code".into(), json!(t));
        }
        p.insert("status".into(), json!(pl.status.as_str()));
        if let Some(r) = &pl.replaced_by {
            p.insert("replaced_by".into(), json!(r));
        }
        lifespan_props(&mut p, register.lifespans.get(&pl.id));
        let bs: Vec<Value> = buildings
            .get(pl.id.as_str())
            .into_iter()
            .flatten()
            .map(|b| {
                let us: Vec<Value> = units
                    .get(b.id.as_str())
                    .into_iter()
                    .flatten()
                    .map(|u| {
                        let rs: Vec<Value> = rooms
                            .get(u.id.as_str())
                            .into_iter()
                            .flatten()
                            .map(|r| json!({"number": r.number, "id": r.id}))
                            .collect();
                        json!({"id": u.id, "number": label_json(&u.number), "rooms": rs})
                    })
                    .collect();
                json!({"id": b.id, "number": label_json(&b.number), "units": us})
            })
            .collect();
        p.insert("buildings".into(), Value::Array(bs));
        lines.push(feature(geometry_json(GeometryValue::from(&pl.location)), Value::Object(p)));
    }
    let mut out = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
    out.push_str(&lines.join(",\n"));
    out.push_str("\n]}\n");
    out
}

fn geometry_json(v: GeometryValue) -> Value {
    serde_json::to_value(Geometry::new(v)).expect("geometry serialises")
}

/// Children grouped by parent ID, each group ordered by number then ID.
fn children_index<'a, T: HasNumber + 'a>(
    items: impl Iterator<Item = (&'a str, &'a T)>,
) -> std::collections::HashMap<&'a str, Vec<&'a T>> {
    let mut map: std::collections::HashMap<&str, Vec<&T>> = std::collections::HashMap::new();
    for (parent, item) in items {
        map.entry(parent).or_default().push(item);
    }
    for v in map.values_mut() {
        v.sort_by(|a, b| natural_key(a.number()).cmp(&natural_key(b.number())).then(a.id().cmp(b.id())));
    }
    map
}

trait HasNumber {
    fn number(&self) -> &str;
    fn id(&self) -> &str;
}
macro_rules! has_number {
    ($($t:ty),*) => {$(impl HasNumber for $t {
        fn number(&self) -> &str { &self.number }
        fn id(&self) -> &str { &self.id }
    })*};
}
has_number!(Building, Unit, Room);

/// Orders `2` before `10`, and numbers before labels with letters.
fn natural_key(s: &str) -> (u64, &str) {
    (s.parse::<u64>().unwrap_or(u64::MAX), s)
}

/// Integer labels go back out as JSON integers, as they came in.
fn label_json(s: &str) -> Value {
    match s.parse::<u64>() {
        Ok(n) if n.to_string() == s => json!(n),
        _ => json!(s),
    }
}

fn named_props(
    kind: &str,
    id: &str,
    name: &str,
    former: &[FormerName],
    pinyin: Option<&str>,
    status: &str,
    replaced_by: Option<&str>,
) -> Map<String, Value> {
    let mut p = Map::new();
    p.insert("kind".into(), json!(kind));
    p.insert("id".into(), json!(id));
    p.insert("ref".into(), json!(id));
    p.insert("name".into(), json!(name));
    p.insert("former_names".into(), former_names_json(former));
    if let Some(py) = pinyin {
        p.insert("pinyin".into(), json!(py));
    }
    p.insert("status".into(), json!(status));
    if let Some(r) = replaced_by {
        p.insert("replaced_by".into(), json!(r));
    }
    p
}
