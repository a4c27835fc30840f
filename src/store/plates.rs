//! Storage of plates: issuance, reservations, retirement, corrections, the buildings, units
//! and rooms behind a plate, and the answers kept for idempotent retries.

use diesel::prelude::*;

use super::rows::{BuildingRow, PlateRow, RoomRow, UnitRow};
use super::schema::{buildings, idempotency, plates, rooms, units};
use super::{AnyConnection, StoreError};
use crate::domain::{Building, Plate, PlateParent, PlateStatus, Room, Side, Unit};

/// Every plate ever numbered on a street, retired and reserved ones included.
pub fn street_plates(conn: &mut AnyConnection, street: &PlateParent) -> Result<Vec<Plate>, StoreError> {
    let rows: Vec<PlateRow> = match street {
        PlateParent::Thoroughfare(id) => plates::table.filter(plates::thoroughfare_id.eq(id)).load(conn)?,
        PlateParent::Locality(id) => plates::table.filter(plates::locality_id.eq(id)).load(conn)?,
    };
    rows.into_iter().map(PlateRow::into_domain).collect()
}

/// Reservations of a plan that lapsed before they were issued give their numbers back.
pub fn release_expired(conn: &mut AnyConnection, street: &PlateParent, now: &str) -> Result<usize, StoreError> {
    let q =
        plates::table.filter(plates::status.eq(PlateStatus::Reserved.as_str())).filter(plates::reserved_until.lt(now));
    Ok(match street {
        PlateParent::Thoroughfare(id) => diesel::delete(q.filter(plates::thoroughfare_id.eq(id))).execute(conn)?,
        PlateParent::Locality(id) => diesel::delete(q.filter(plates::locality_id.eq(id))).execute(conn)?,
    })
}

pub fn insert_plate(
    conn: &mut AnyConnection,
    plate: &Plate,
    now: &str,
    reserved_until: Option<&str>,
    plan_id: Option<&str>,
) -> Result<(), StoreError> {
    let mut row = PlateRow::from_domain(plate, now);
    row.reserved_until = reserved_until.map(str::to_string);
    row.plan_id = plan_id.map(str::to_string);
    diesel::insert_into(plates::table).values(row).execute(conn)?;
    Ok(())
}

pub fn plate(conn: &mut AnyConnection, id: &str) -> Result<Option<Plate>, StoreError> {
    plates::table.find(id).first::<PlateRow>(conn).optional()?.map(PlateRow::into_domain).transpose()
}

pub fn set_plate_status(
    conn: &mut AnyConnection,
    id: &str,
    status: PlateStatus,
    replaced_by: Option<&str>,
    now: &str,
) -> Result<(), StoreError> {
    diesel::update(plates::table.find(id))
        .set((
            plates::status.eq(status.as_str()),
            plates::replaced_by.eq(replaced_by),
            plates::reserved_until.eq(None::<String>),
            plates::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Issues the plates a plan reserved.
pub fn issue_plan(conn: &mut AnyConnection, plan_id: &str, now: &str) -> Result<usize, StoreError> {
    Ok(diesel::update(
        plates::table.filter(plates::plan_id.eq(plan_id)).filter(plates::status.eq(PlateStatus::Reserved.as_str())),
    )
    .set((
        plates::status.eq(PlateStatus::Issued.as_str()),
        plates::reserved_until.eq(None::<String>),
        plates::updated_at.eq(now),
    ))
    .execute(conn)?)
}

/// Whether any reservation of the plan has lapsed.
pub fn plan_lapsed(conn: &mut AnyConnection, plan_id: &str, now: &str) -> Result<bool, StoreError> {
    let n: i64 = plates::table
        .filter(plates::plan_id.eq(plan_id))
        .filter(plates::status.eq(PlateStatus::Reserved.as_str()))
        .filter(plates::reserved_until.lt(now))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn plan_plates(conn: &mut AnyConnection, plan_id: &str) -> Result<Vec<Plate>, StoreError> {
    let rows: Vec<PlateRow> = plates::table.filter(plates::plan_id.eq(plan_id)).order(plates::id).load(conn)?;
    rows.into_iter().map(PlateRow::into_domain).collect()
}

/// Moves a misplaced plate point (a correction: the number stays).
pub fn move_plate(
    conn: &mut AnyConnection,
    id: &str,
    lon: f64,
    lat: f64,
    side: Option<Side>,
    measure_m: Option<f64>,
    now: &str,
) -> Result<(), StoreError> {
    diesel::update(plates::table.find(id))
        .set((
            plates::lon.eq(lon),
            plates::lat.eq(lat),
            plates::side.eq(side.map(|s| s.as_str())),
            plates::measure_m.eq(measure_m),
            plates::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn insert_building(conn: &mut AnyConnection, b: &Building) -> Result<(), StoreError> {
    diesel::insert_into(buildings::table).values(BuildingRow::from_domain(b)).execute(conn)?;
    Ok(())
}

pub fn insert_unit(conn: &mut AnyConnection, u: &Unit) -> Result<(), StoreError> {
    diesel::insert_into(units::table).values(UnitRow::from_domain(u)).execute(conn)?;
    Ok(())
}

pub fn insert_room(conn: &mut AnyConnection, r: &Room) -> Result<(), StoreError> {
    diesel::insert_into(rooms::table).values(RoomRow::from_domain(r)).execute(conn)?;
    Ok(())
}

/// Retires buildings, units and rooms by ID (each ID names one of them).
pub fn retire_parts(conn: &mut AnyConnection, ids: &[String]) -> Result<(), StoreError> {
    diesel::update(buildings::table.filter(buildings::id.eq_any(ids))).set(buildings::status.eq("retired")).execute(conn)?;
    diesel::update(units::table.filter(units::id.eq_any(ids))).set(units::status.eq("retired")).execute(conn)?;
    diesel::update(rooms::table.filter(rooms::id.eq_any(ids))).set(rooms::status.eq("retired")).execute(conn)?;
    Ok(())
}

/// Gives a building, unit or room another number (a correction).
pub fn renumber_part(conn: &mut AnyConnection, id: &str, number: &str) -> Result<(), StoreError> {
    let n = diesel::update(buildings::table.find(id)).set(buildings::number.eq(number)).execute(conn)?
        + diesel::update(units::table.find(id)).set(units::number.eq(number)).execute(conn)?
        + diesel::update(rooms::table.find(id)).set(rooms::number.eq(number)).execute(conn)?;
    if n == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

/// Marks the buildings, units and rooms under a retired plate retired too.
pub fn retire_under_plate(conn: &mut AnyConnection, plate_id: &str) -> Result<(), StoreError> {
    let b_ids: Vec<String> =
        buildings::table.filter(buildings::plate_id.eq(plate_id)).select(buildings::id).load(conn)?;
    let u_ids: Vec<String> = units::table.filter(units::building_id.eq_any(&b_ids)).select(units::id).load(conn)?;
    diesel::update(rooms::table.filter(rooms::unit_id.eq_any(&u_ids)))
        .set(rooms::status.eq("retired"))
        .execute(conn)?;
    diesel::update(units::table.filter(units::id.eq_any(&u_ids))).set(units::status.eq("retired")).execute(conn)?;
    diesel::update(buildings::table.filter(buildings::id.eq_any(&b_ids)))
        .set(buildings::status.eq("retired"))
        .execute(conn)?;
    Ok(())
}

/// A kept answer to an idempotent request.
#[derive(Debug, Clone, Queryable)]
pub struct KeptAnswer {
    pub token_id: String,
    pub key: String,
    pub request_hash: String,
    pub status: i32,
    pub body: String,
    pub created_at: String,
}

pub fn kept_answer(conn: &mut AnyConnection, token_id: &str, key: &str) -> Result<Option<KeptAnswer>, StoreError> {
    Ok(idempotency::table.find((token_id, key)).first(conn).optional()?)
}

pub fn keep_answer(conn: &mut AnyConnection, a: &KeptAnswer) -> Result<(), StoreError> {
    diesel::insert_into(idempotency::table)
        .values((
            idempotency::token_id.eq(&a.token_id),
            idempotency::key.eq(&a.key),
            idempotency::request_hash.eq(&a.request_hash),
            idempotency::status.eq(a.status),
            idempotency::body.eq(&a.body),
            idempotency::created_at.eq(&a.created_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The buildings under a plate, as committed.
pub fn buildings_of(conn: &mut AnyConnection, plate_id: &str) -> Result<Vec<Building>, StoreError> {
    let rows: Vec<BuildingRow> = buildings::table.filter(buildings::plate_id.eq(plate_id)).load(conn)?;
    rows.into_iter().map(BuildingRow::into_domain).collect()
}

/// The units of a building, as committed.
pub fn units_of(conn: &mut AnyConnection, building_id: &str) -> Result<Vec<Unit>, StoreError> {
    let rows: Vec<UnitRow> = units::table.filter(units::building_id.eq(building_id)).load(conn)?;
    rows.into_iter().map(UnitRow::into_domain).collect()
}

/// The rooms of a unit, as committed.
pub fn rooms_of(conn: &mut AnyConnection, unit_id: &str) -> Result<Vec<Room>, StoreError> {
    let rows: Vec<RoomRow> = rooms::table.filter(rooms::unit_id.eq(unit_id)).load(conn)?;
    rows.into_iter().map(RoomRow::into_domain).collect()
}
