//! The part of the register one change depends on, read inside its transaction: the
//! records above an address (whose names make its canonical text and whose statuses decide
//! whether it may be added) and, where a change reaches down, the records below a plate.
//!
//! A change checked and texted against the node's snapshot could write what the register
//! no longer holds: a plate texted with a street's old name while another node renamed it,
//! a building added under a plate another node had just retired. So a change locks the
//! rows its text and checks depend on ([`share`] for records it only reads, [`exclusive`]
//! for the one it numbers under) and then reads them here, as committed.
//!
//! Lock order, to keep concurrent changes from deadlocking: divisions from the province
//! down, then the street, then the plate, building and unit. Renames and division changes
//! take the same rows exclusively in the same order.

use std::collections::BTreeSet;

use diesel::prelude::*;

use super::rows::*;
use super::schema::*;
use super::{AnyConnection, StoreError};
use crate::domain::ids::IdKind;
use crate::domain::Register;

/// Loads `ids` and every record above them (rooms up to their unit, building, plate,
/// street, and the division chain to the province). Unknown IDs are skipped.
pub fn load_lineage(conn: &mut AnyConnection, ids: &[&str]) -> Result<Register, StoreError> {
    let mut reg = Register::default();
    let mut todo: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    let mut seen = BTreeSet::new();
    while let Some(id) = todo.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        match IdKind::of(&id) {
            Some(IdKind::Room) => {
                if let Some(r) = rooms::table.find(&id).first::<RoomRow>(conn).optional()? {
                    let r = r.into_domain()?;
                    todo.push(r.unit_id.clone());
                    reg.rooms.insert(id, r);
                }
            }
            Some(IdKind::Unit) => {
                if let Some(u) = units::table.find(&id).first::<UnitRow>(conn).optional()? {
                    let u = u.into_domain()?;
                    todo.push(u.building_id.clone());
                    reg.units.insert(id, u);
                }
            }
            Some(IdKind::Building) => {
                if let Some(b) = buildings::table.find(&id).first::<BuildingRow>(conn).optional()? {
                    let b = b.into_domain()?;
                    todo.push(b.plate_id.clone());
                    reg.buildings.insert(id, b);
                }
            }
            Some(IdKind::Plate) => {
                if let Some(p) = plates::table.find(&id).first::<PlateRow>(conn).optional()? {
                    let p = p.into_domain()?;
                    todo.push(p.parent.id().to_string());
                    todo.extend(p.township_code.clone());
                    reg.plates.insert(id, p);
                }
            }
            Some(IdKind::Thoroughfare) => {
                if let Some(t) = thoroughfares::table.find(&id).first::<ThoroughfareRow>(conn).optional()? {
                    let t = t.into_domain(Vec::new())?;
                    todo.push(t.county_code.clone());
                    reg.thoroughfares.insert(id, t);
                }
            }
            Some(IdKind::Locality) => {
                if let Some(l) = localities::table.find(&id).first::<LocalityRow>(conn).optional()? {
                    let l = l.into_domain(Vec::new())?;
                    todo.push(l.village_code.clone());
                    reg.localities.insert(id, l);
                }
            }
            Some(IdKind::Token) => {}
            None => {
                if let Some(d) = divisions::table.find(&id).first::<DivisionRow>(conn).optional()? {
                    let d = d.into_domain(Vec::new())?;
                    todo.extend(d.parent_code.clone());
                    reg.divisions.insert(id, d);
                }
            }
        }
    }
    Ok(reg)
}

/// Adds to `reg` the buildings, units and rooms under a plate, as committed.
pub fn load_below_plate(conn: &mut AnyConnection, reg: &mut Register, plate_id: &str) -> Result<(), StoreError> {
    let bs: Vec<BuildingRow> = buildings::table.filter(buildings::plate_id.eq(plate_id)).load(conn)?;
    let b_ids: Vec<String> = bs.iter().map(|b| b.id.clone()).collect();
    let us: Vec<UnitRow> = units::table.filter(units::building_id.eq_any(&b_ids)).load(conn)?;
    let u_ids: Vec<String> = us.iter().map(|u| u.id.clone()).collect();
    let rs: Vec<RoomRow> = rooms::table.filter(rooms::unit_id.eq_any(&u_ids)).load(conn)?;
    for b in bs {
        let b = b.into_domain()?;
        reg.buildings.insert(b.id.clone(), b);
    }
    for u in us {
        let u = u.into_domain()?;
        reg.units.insert(u.id.clone(), u);
    }
    for r in rs {
        let r = r.into_domain()?;
        reg.rooms.insert(r.id.clone(), r);
    }
    Ok(())
}

/// Holds a shared lock on these rows until the transaction ends: no rename, retirement or
/// division change of them commits meanwhile, while other changes that only read them go
/// on. On SQLite, where a writer holds the whole database, it only makes the transaction a
/// writer at once, so that what it reads next is the newest state.
pub fn share(conn: &mut AnyConnection, ids: &[&str]) -> Result<(), StoreError> {
    match conn {
        AnyConnection::Postgres(pg) => {
            let of = |kind: Option<IdKind>| -> Vec<&str> {
                ids.iter().copied().filter(|id| IdKind::of(id) == kind).collect()
            };
            let mut codes = of(None);
            codes.sort_by_key(|c| (c.len(), *c));
            // One statement per table, parents first; each locks its rows in key order.
            let _: Vec<String> = divisions::table
                .filter(divisions::code.eq_any(&codes))
                .order(divisions::code)
                .select(divisions::code)
                .for_share()
                .load(pg)?;
            let _: Vec<String> = thoroughfares::table
                .filter(thoroughfares::id.eq_any(of(Some(IdKind::Thoroughfare))))
                .order(thoroughfares::id)
                .select(thoroughfares::id)
                .for_share()
                .load(pg)?;
            let _: Vec<String> = localities::table
                .filter(localities::id.eq_any(of(Some(IdKind::Locality))))
                .order(localities::id)
                .select(localities::id)
                .for_share()
                .load(pg)?;
            let _: Vec<String> = plates::table
                .filter(plates::id.eq_any(of(Some(IdKind::Plate))))
                .order(plates::id)
                .select(plates::id)
                .for_share()
                .load(pg)?;
            let _: Vec<String> = buildings::table
                .filter(buildings::id.eq_any(of(Some(IdKind::Building))))
                .order(buildings::id)
                .select(buildings::id)
                .for_share()
                .load(pg)?;
            let _: Vec<String> = units::table
                .filter(units::id.eq_any(of(Some(IdKind::Unit))))
                .order(units::id)
                .select(units::id)
                .for_share()
                .load(pg)?;
        }
        AnyConnection::Sqlite(_) => begin_writing(conn)?,
    }
    Ok(())
}

/// Holds the write lock on one record's row until the transaction ends (a no-op update,
/// the same statement on both stores). False when there is no such row.
pub fn exclusive(conn: &mut AnyConnection, id: &str) -> Result<bool, StoreError> {
    let n = match IdKind::of(id) {
        Some(IdKind::Thoroughfare) => diesel::update(thoroughfares::table.find(id))
            .set(thoroughfares::updated_at.eq(thoroughfares::updated_at))
            .execute(conn)?,
        Some(IdKind::Locality) => diesel::update(localities::table.find(id))
            .set(localities::updated_at.eq(localities::updated_at))
            .execute(conn)?,
        Some(IdKind::Plate) => {
            diesel::update(plates::table.find(id)).set(plates::updated_at.eq(plates::updated_at)).execute(conn)?
        }
        Some(IdKind::Building) => {
            diesel::update(buildings::table.find(id)).set(buildings::status.eq(buildings::status)).execute(conn)?
        }
        Some(IdKind::Unit) => {
            diesel::update(units::table.find(id)).set(units::status.eq(units::status)).execute(conn)?
        }
        Some(IdKind::Room) => {
            diesel::update(rooms::table.find(id)).set(rooms::status.eq(rooms::status)).execute(conn)?
        }
        Some(IdKind::Token) => 0,
        None => {
            diesel::update(divisions::table.find(id)).set(divisions::status.eq(divisions::status)).execute(conn)?
        }
    };
    Ok(n == 1)
}

/// Makes an SQLite transaction a writer now (it takes the database's write lock), so that
/// its reads see the newest commit and no other process writes until it ends.
fn begin_writing(conn: &mut AnyConnection) -> Result<(), StoreError> {
    diesel::update(feed_head::table).set(feed_head::seq.eq(feed_head::seq)).execute(conn)?;
    Ok(())
}
