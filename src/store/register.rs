//! Loading the register and writing new records.

use std::collections::HashMap;

use diesel::prelude::*;

use super::rows::*;
use super::schema::*;
use super::{insert_rows, AnyConnection, StoreError};
use crate::domain::ids::IdKind;
use crate::domain::{FormerName, Register};

/// Loads every record of the register.
pub fn load_register(conn: &mut AnyConnection) -> Result<Register, StoreError> {
    let mut r = load_names(conn)?;
    let mut spans = Vec::new();
    for p in plates::table.load::<PlateRow>(conn)? {
        spans.push((p.id.clone(), lifespan(&p.valid_from, &p.valid_to)));
        let p = p.into_domain()?;
        r.plates.insert(p.id.clone(), p);
    }
    for b in buildings::table.load::<BuildingRow>(conn)? {
        spans.push((b.id.clone(), lifespan(&b.valid_from, &b.valid_to)));
        let b = b.into_domain()?;
        r.buildings.insert(b.id.clone(), b);
    }
    for u in units::table.load::<UnitRow>(conn)? {
        spans.push((u.id.clone(), lifespan(&u.valid_from, &u.valid_to)));
        let u = u.into_domain()?;
        r.units.insert(u.id.clone(), u);
    }
    for x in rooms::table.load::<RoomRow>(conn)? {
        spans.push((x.id.clone(), lifespan(&x.valid_from, &x.valid_to)));
        let x = x.into_domain()?;
        r.rooms.insert(x.id.clone(), x);
    }
    r.lifespans.extend(spans.into_iter().filter_map(|(id, s)| Some((id, s?))));
    Ok(r)
}

/// Loads the names of the register (divisions, thoroughfares and localities, with their
/// former names and lifespans) and none of the addresses under them: what the naming
/// rules read, a few thousand rows whatever the register holds.
pub fn load_names(conn: &mut AnyConnection) -> Result<Register, StoreError> {
    let mut former: HashMap<String, Vec<FormerName>> = HashMap::new();
    for f in former_names::table.order(former_names::id).load::<FormerNameRow>(conn)? {
        former.entry(f.subject_id).or_default().push(FormerName {
            name: f.name,
            until: f.valid_until,
            document: f.document,
            parent_code: f.parent_code,
        });
    }
    let mut r = Register::default();
    let mut spans = Vec::new();
    for d in divisions::table.load::<DivisionRow>(conn)? {
        spans.push((d.code.clone(), lifespan(&d.valid_from, &d.valid_to)));
        let f = former.remove(&d.code).unwrap_or_default();
        let d = d.into_domain(f)?;
        r.divisions.insert(d.code.clone(), d);
    }
    for t in thoroughfares::table.load::<ThoroughfareRow>(conn)? {
        spans.push((t.id.clone(), lifespan(&t.valid_from, &t.valid_to)));
        let f = former.remove(&t.id).unwrap_or_default();
        let t = t.into_domain(f)?;
        r.thoroughfares.insert(t.id.clone(), t);
    }
    for l in localities::table.load::<LocalityRow>(conn)? {
        spans.push((l.id.clone(), lifespan(&l.valid_from, &l.valid_to)));
        let f = former.remove(&l.id).unwrap_or_default();
        let l = l.into_domain(f)?;
        r.localities.insert(l.id.clone(), l);
    }
    r.lifespans = spans.into_iter().filter_map(|(id, s)| Some((id, s?))).collect();
    Ok(r)
}

/// Records when a record came into effect or ceased to be: `Some(date)` sets the date,
/// `Some(None)` clears it (a retirement undone), `None` leaves it.
pub fn set_lifespan(
    conn: &mut AnyConnection,
    id: &str,
    from: Option<Option<&str>>,
    to: Option<Option<&str>>,
) -> Result<(), StoreError> {
    macro_rules! set {
        ($table:ident, $key:expr) => {{
            let target = $table::table.filter($key.eq(id));
            if let Some(from) = from {
                diesel::update(target).set($table::valid_from.eq(from)).execute(conn)?;
            }
            if let Some(to) = to {
                diesel::update(target).set($table::valid_to.eq(to)).execute(conn)?;
            }
        }};
    }
    match IdKind::of(id) {
        Some(IdKind::Thoroughfare) => set!(thoroughfares, thoroughfares::id),
        Some(IdKind::Locality) => set!(localities, localities::id),
        Some(IdKind::Plate) => set!(plates, plates::id),
        Some(IdKind::Building) => set!(buildings, buildings::id),
        Some(IdKind::Unit) => set!(units, units::id),
        Some(IdKind::Room) => set!(rooms, rooms::id),
        Some(IdKind::Token) => {}
        None => set!(divisions, divisions::code),
    }
    Ok(())
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
    let span = |id: &str| add.lifespans.get(id);
    let rows: Vec<DivisionRow> =
        divs.into_iter().map(|d| DivisionRow::from_domain(d).with_lifespan(span(&d.code))).collect();
    insert_rows!(conn, divisions::table, rows);
    let rows: Vec<ThoroughfareRow> =
        add.thoroughfares.values().map(|t| ThoroughfareRow::from_domain(t, now).with_lifespan(span(&t.id))).collect();
    insert_rows!(conn, thoroughfares::table, rows);
    let rows: Vec<LocalityRow> =
        add.localities.values().map(|l| LocalityRow::from_domain(l, now).with_lifespan(span(&l.id))).collect();
    insert_rows!(conn, localities::table, rows);
    let former: Vec<NewFormerName> = add
        .thoroughfares
        .values()
        .map(|t| (&t.id, &t.former_names))
        .chain(add.localities.values().map(|l| (&l.id, &l.former_names)))
        .chain(add.divisions.values().map(|d| (&d.code, &d.former_names)))
        .flat_map(|(id, names)| {
            names.iter().map(move |f| NewFormerName {
                subject_id: id.clone(),
                name: f.name.clone(),
                valid_until: f.until.clone(),
                document: f.document.clone(),
                parent_code: f.parent_code.clone(),
            })
        })
        .collect();
    insert_rows!(conn, former_names::table, former);
    let rows: Vec<PlateRow> =
        add.plates.values().map(|p| PlateRow::from_domain(p, now).with_lifespan(span(&p.id))).collect();
    insert_rows!(conn, plates::table, rows);
    let rows: Vec<BuildingRow> =
        add.buildings.values().map(|b| BuildingRow::from_domain(b).with_lifespan(span(&b.id))).collect();
    insert_rows!(conn, buildings::table, rows);
    let rows: Vec<UnitRow> = add.units.values().map(|u| UnitRow::from_domain(u).with_lifespan(span(&u.id))).collect();
    insert_rows!(conn, units::table, rows);
    let rows: Vec<RoomRow> = add.rooms.values().map(|r| RoomRow::from_domain(r).with_lifespan(span(&r.id))).collect();
    insert_rows!(conn, rooms::table, rows);
    Ok(())
}
