//! Reading back, as committed, the records a run of changes touched, so that a node applies
//! them to the register it serves instead of loading the whole register again
//! (`app::snapshot`). Every read is by key or by parent, never a scan of a table.

use std::collections::{BTreeSet, HashMap};

use diesel::prelude::*;

use super::rows::*;
use super::schema::*;
use super::{AnyConnection, StoreError};
use crate::domain::ids::IdKind;
use crate::domain::{FormerName, Register};

/// Keys per `IN (…)` list: well under SQLite's limit of bound parameters.
const CHUNK: usize = 500;

/// What a run of changes touched, as the store holds it now.
#[derive(Debug, Default)]
pub struct Reread {
    /// The records read, with their former names and lifespans.
    pub present: Register,
    /// IDs and codes asked for that the store no longer holds.
    pub absent: BTreeSet<String>,
    /// Streets and localities whose plates were all read: a plate of theirs that is not
    /// in `present` is gone (an expired reservation is deleted, not retired).
    pub whole_streets: BTreeSet<String>,
}

/// Reads the records `ids` name, the plates of every street or locality among them or
/// under a plate among them, the plates a plan among `plans` reserved, and what stands
/// behind every plate, building and unit among them.
pub fn reread(
    conn: &mut AnyConnection,
    ids: &BTreeSet<String>,
    plans: &BTreeSet<String>,
) -> Result<Reread, StoreError> {
    let of =
        |kind: Option<IdKind>| -> Vec<String> { ids.iter().filter(|id| IdKind::of(id) == kind).cloned().collect() };
    let mut out = Reread::default();
    let mut spans = Vec::new();

    let codes = of(None);
    let mut divisions = Vec::new();
    for chunk in codes.chunks(CHUNK) {
        divisions.extend(divisions::table.filter(divisions::code.eq_any(chunk)).load::<DivisionRow>(conn)?);
    }
    let mut streets = Vec::new();
    for chunk in of(Some(IdKind::Thoroughfare)).chunks(CHUNK) {
        streets.extend(thoroughfares::table.filter(thoroughfares::id.eq_any(chunk)).load::<ThoroughfareRow>(conn)?);
    }
    let mut places = Vec::new();
    for chunk in of(Some(IdKind::Locality)).chunks(CHUNK) {
        places.extend(localities::table.filter(localities::id.eq_any(chunk)).load::<LocalityRow>(conn)?);
    }
    let named: Vec<String> = divisions
        .iter()
        .map(|d| d.code.clone())
        .chain(streets.iter().map(|t| t.id.clone()))
        .chain(places.iter().map(|l| l.id.clone()))
        .collect();
    let mut former = former_names_of(conn, &named)?;
    for d in divisions {
        spans.push((d.code.clone(), lifespan(&d.valid_from, &d.valid_to)));
        let f = former.remove(&d.code).unwrap_or_default();
        let d = d.into_domain(f)?;
        out.present.divisions.insert(d.code.clone(), d);
    }
    for t in streets {
        spans.push((t.id.clone(), lifespan(&t.valid_from, &t.valid_to)));
        out.whole_streets.insert(t.id.clone());
        let f = former.remove(&t.id).unwrap_or_default();
        let t = t.into_domain(f)?;
        out.present.thoroughfares.insert(t.id.clone(), t);
    }
    for l in places {
        spans.push((l.id.clone(), lifespan(&l.valid_from, &l.valid_to)));
        out.whole_streets.insert(l.id.clone());
        let f = former.remove(&l.id).unwrap_or_default();
        let l = l.into_domain(f)?;
        out.present.localities.insert(l.id.clone(), l);
    }

    // Plates: those named, those of the plans, then every plate of their streets.
    let plate_ids = of(Some(IdKind::Plate));
    let mut first = Vec::new();
    for chunk in plate_ids.chunks(CHUNK) {
        first.extend(plates::table.filter(plates::id.eq_any(chunk)).load::<PlateRow>(conn)?);
    }
    let plans: Vec<String> = plans.iter().cloned().collect();
    for chunk in plans.chunks(CHUNK) {
        first.extend(plates::table.filter(plates::plan_id.eq_any(chunk)).load::<PlateRow>(conn)?);
    }
    for p in &first {
        out.whole_streets.extend(p.thoroughfare_id.clone());
        out.whole_streets.extend(p.locality_id.clone());
    }
    let whole: Vec<String> = out.whole_streets.iter().cloned().collect();
    let mut rows: HashMap<String, PlateRow> = first.into_iter().map(|p| (p.id.clone(), p)).collect();
    for chunk in whole.chunks(CHUNK) {
        let more: Vec<PlateRow> = plates::table
            .filter(plates::thoroughfare_id.eq_any(chunk).or(plates::locality_id.eq_any(chunk)))
            .load(conn)?;
        rows.extend(more.into_iter().map(|p| (p.id.clone(), p)));
    }
    for p in rows.into_values() {
        spans.push((p.id.clone(), lifespan(&p.valid_from, &p.valid_to)));
        let p = p.into_domain()?;
        out.present.plates.insert(p.id.clone(), p);
    }

    // Buildings, units and rooms: those named, and everything behind a plate, building or
    // unit named (a retirement reaches down).
    let mut buildings: Vec<BuildingRow> = Vec::new();
    for chunk in of(Some(IdKind::Building)).chunks(CHUNK) {
        buildings.extend(buildings::table.filter(buildings::id.eq_any(chunk)).load::<BuildingRow>(conn)?);
    }
    for chunk in plate_ids.chunks(CHUNK) {
        buildings.extend(buildings::table.filter(buildings::plate_id.eq_any(chunk)).load::<BuildingRow>(conn)?);
    }
    let building_ids: Vec<String> = buildings.iter().map(|b| b.id.clone()).chain(of(Some(IdKind::Building))).collect();
    let mut units: Vec<UnitRow> = Vec::new();
    for chunk in of(Some(IdKind::Unit)).chunks(CHUNK) {
        units.extend(units::table.filter(units::id.eq_any(chunk)).load::<UnitRow>(conn)?);
    }
    for chunk in building_ids.chunks(CHUNK) {
        units.extend(units::table.filter(units::building_id.eq_any(chunk)).load::<UnitRow>(conn)?);
    }
    let unit_ids: Vec<String> = units.iter().map(|u| u.id.clone()).chain(of(Some(IdKind::Unit))).collect();
    let mut rooms: Vec<RoomRow> = Vec::new();
    for chunk in of(Some(IdKind::Room)).chunks(CHUNK) {
        rooms.extend(rooms::table.filter(rooms::id.eq_any(chunk)).load::<RoomRow>(conn)?);
    }
    for chunk in unit_ids.chunks(CHUNK) {
        rooms.extend(rooms::table.filter(rooms::unit_id.eq_any(chunk)).load::<RoomRow>(conn)?);
    }
    for b in buildings {
        spans.push((b.id.clone(), lifespan(&b.valid_from, &b.valid_to)));
        let b = b.into_domain()?;
        out.present.buildings.insert(b.id.clone(), b);
    }
    for u in units {
        spans.push((u.id.clone(), lifespan(&u.valid_from, &u.valid_to)));
        let u = u.into_domain()?;
        out.present.units.insert(u.id.clone(), u);
    }
    for r in rooms {
        spans.push((r.id.clone(), lifespan(&r.valid_from, &r.valid_to)));
        let r = r.into_domain()?;
        out.present.rooms.insert(r.id.clone(), r);
    }
    out.present.lifespans = spans.into_iter().filter_map(|(id, s)| Some((id, s?))).collect();

    let p = &out.present;
    out.absent = ids
        .iter()
        .filter(|id| match IdKind::of(id) {
            None => !p.divisions.contains_key(*id),
            Some(IdKind::Thoroughfare) => !p.thoroughfares.contains_key(*id),
            Some(IdKind::Locality) => !p.localities.contains_key(*id),
            Some(IdKind::Plate) => !p.plates.contains_key(*id),
            Some(IdKind::Building) => !p.buildings.contains_key(*id),
            Some(IdKind::Unit) => !p.units.contains_key(*id),
            Some(IdKind::Room) => !p.rooms.contains_key(*id),
            Some(IdKind::Token) => false,
        })
        .cloned()
        .collect();
    Ok(out)
}

/// Former names of these records, oldest first.
fn former_names_of(conn: &mut AnyConnection, ids: &[String]) -> Result<HashMap<String, Vec<FormerName>>, StoreError> {
    let mut out: HashMap<String, Vec<FormerName>> = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        let rows: Vec<FormerNameRow> =
            former_names::table.filter(former_names::subject_id.eq_any(chunk)).order(former_names::id).load(conn)?;
        for f in rows {
            out.entry(f.subject_id).or_default().push(FormerName {
                name: f.name,
                until: f.valid_until,
                document: f.document,
                parent_code: f.parent_code,
            });
        }
    }
    Ok(out)
}

/// Adds to `reg` the plates of a street or locality and everything behind them, as
/// committed (what renaming or retiring its name reaches).
pub fn load_below_place(conn: &mut AnyConnection, reg: &mut Register, id: &str) -> Result<(), StoreError> {
    let ids = BTreeSet::from([id.to_string()]);
    let plates: BTreeSet<String> = reread(conn, &ids, &BTreeSet::new())?.present.plates.keys().cloned().collect();
    let below = reread(conn, &plates, &BTreeSet::new())?;
    let gone = BTreeSet::new();
    reg.apply(&below.present, &gone);
    Ok(())
}
