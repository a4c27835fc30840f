//! Loading the register and writing new records.

use std::collections::HashMap;

use diesel::prelude::*;

use super::rows::*;
use super::schema::*;
use super::{insert_rows, AnyConnection, StoreError};
use crate::domain::{FormerName, Register};

/// Loads every record of the register.
pub fn load_register(conn: &mut AnyConnection) -> Result<Register, StoreError> {
    let mut former: HashMap<String, Vec<FormerName>> = HashMap::new();
    for f in former_names::table.order(former_names::id).load::<FormerNameRow>(conn)? {
        former.entry(f.subject_id).or_default().push(FormerName {
            name: f.name,
            until: f.valid_until,
            document: f.document,
        });
    }
    let mut r = Register::default();
    for d in divisions::table.load::<DivisionRow>(conn)? {
        let d = d.into_domain()?;
        r.divisions.insert(d.code.clone(), d);
    }
    for t in thoroughfares::table.load::<ThoroughfareRow>(conn)? {
        let f = former.remove(&t.id).unwrap_or_default();
        let t = t.into_domain(f)?;
        r.thoroughfares.insert(t.id.clone(), t);
    }
    for l in localities::table.load::<LocalityRow>(conn)? {
        let f = former.remove(&l.id).unwrap_or_default();
        let l = l.into_domain(f)?;
        r.localities.insert(l.id.clone(), l);
    }
    for p in plates::table.load::<PlateRow>(conn)? {
        let p = p.into_domain()?;
        r.plates.insert(p.id.clone(), p);
    }
    for b in buildings::table.load::<BuildingRow>(conn)? {
        let b = b.into_domain()?;
        r.buildings.insert(b.id.clone(), b);
    }
    for u in units::table.load::<UnitRow>(conn)? {
        let u = u.into_domain()?;
        r.units.insert(u.id.clone(), u);
    }
    for x in rooms::table.load::<RoomRow>(conn)? {
        let x = x.into_domain()?;
        r.rooms.insert(x.id.clone(), x);
    }
    Ok(r)
}

/// Whether the register has any division yet (an empty register gets the bundled data).
pub fn is_empty(conn: &mut AnyConnection) -> Result<bool, StoreError> {
    let n: i64 = divisions::table.count().get_result(conn)?;
    Ok(n == 0)
}

/// Inserts new records, parents first.
pub fn insert(conn: &mut AnyConnection, add: &Register, now: &str) -> Result<(), StoreError> {
    let mut divs: Vec<_> = add.divisions.values().collect();
    divs.sort_by_key(|d| d.level);
    let rows: Vec<DivisionRow> = divs.into_iter().map(DivisionRow::from_domain).collect();
    insert_rows!(conn, divisions::table, rows);
    let rows: Vec<ThoroughfareRow> = add.thoroughfares.values().map(|t| ThoroughfareRow::from_domain(t, now)).collect();
    insert_rows!(conn, thoroughfares::table, rows);
    let rows: Vec<LocalityRow> = add.localities.values().map(|l| LocalityRow::from_domain(l, now)).collect();
    insert_rows!(conn, localities::table, rows);
    let former: Vec<NewFormerName> = add
        .thoroughfares
        .values()
        .map(|t| (&t.id, &t.former_names))
        .chain(add.localities.values().map(|l| (&l.id, &l.former_names)))
        .flat_map(|(id, names)| {
            names.iter().map(move |f| NewFormerName {
                subject_id: id.clone(),
                name: f.name.clone(),
                valid_until: f.until.clone(),
                document: f.document.clone(),
            })
        })
        .collect();
    insert_rows!(conn, former_names::table, former);
    let rows: Vec<PlateRow> = add.plates.values().map(|p| PlateRow::from_domain(p, now)).collect();
    insert_rows!(conn, plates::table, rows);
    let rows: Vec<BuildingRow> = add.buildings.values().map(BuildingRow::from_domain).collect();
    insert_rows!(conn, buildings::table, rows);
    let rows: Vec<UnitRow> = add.units.values().map(UnitRow::from_domain).collect();
    insert_rows!(conn, units::table, rows);
    let rows: Vec<RoomRow> = add.rooms.values().map(RoomRow::from_domain).collect();
    insert_rows!(conn, rooms::table, rows);
    Ok(())
}
