//! The plates part of the resolver's index: each plate with the buildings, units and
//! rooms behind it, and what a (street, number, sub-number) reads as.
//!
//! It is persistent (`imbl`) and keyed by the register's own IDs, never by positions in the
//! names part ([`super::index::Index`]), so a change to a few plates costs the logarithm of
//! the register and the names part is shared, and a rebuilt names part needs no change here.
//!
//! A slot keeps every plate that claims its number, not one chosen answer: whether a retired
//! plate's replacement still is an address depends on that other plate (and its street), so
//! it is decided when the slot is read. That way a change to a plate touches only the slots
//! of its own number, before and after the change.

use std::sync::Arc;

use imbl::HashMap;

use super::super::model::{NameStatus, Plate, PlateStatus};
use super::super::register::Register;
use super::index::{Index, Node};

/// A plate as the resolver reads it.
#[derive(Debug)]
pub(super) struct PlateNode {
    pub id: String,
    /// The street or locality the plate is on.
    pub place: String,
    pub number: i32,
    pub sub: Option<i32>,
    /// The code of the plate's township, which its canonical text runs down to (plates on
    /// streets); see [`Index::township`].
    pub township: Option<String>,
    pub buildings: Vec<Node>,
}

/// A number on a street or locality.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct SlotKey {
    pub place: String,
    pub number: i32,
    pub sub: Option<i32>,
}

impl SlotKey {
    fn of(p: &Plate) -> SlotKey {
        SlotKey { place: p.parent.id().to_string(), number: p.number, sub: p.sub }
    }
}

/// The plates that claim one number: the issued one (the last by ID, if several were), and
/// the replacements named by retired plates of that number, in the retired plates' ID order.
#[derive(Debug, Clone, Default)]
pub(super) struct Slot {
    pub issued: Option<String>,
    pub replacements: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub(super) struct Plates {
    pub slots: HashMap<SlotKey, Slot>,
    /// Every issued plate, by ID.
    pub nodes: HashMap<String, Arc<PlateNode>>,
}

/// Rooms, units and buildings that are not retired, in ID order.
fn buildings(r: &Register, plate_id: &str) -> Vec<Node> {
    let rooms = |unit: &str| {
        r.rooms
            .records_under(unit)
            .filter(|x| x.status != NameStatus::Retired)
            .map(|x| Node { number: x.number.clone(), id: x.id.clone(), children: Vec::new() })
            .collect()
    };
    let units = |building: &str| {
        r.units
            .records_under(building)
            .filter(|x| x.status != NameStatus::Retired)
            .map(|x| Node { number: x.number.clone(), id: x.id.clone(), children: rooms(&x.id) })
            .collect()
    };
    r.buildings
        .records_under(plate_id)
        .filter(|x| x.status != NameStatus::Retired)
        .map(|x| Node { number: x.number.clone(), id: x.id.clone(), children: units(&x.id) })
        .collect()
}

fn node(r: &Register, p: &Plate) -> Arc<PlateNode> {
    Arc::new(PlateNode {
        id: p.id.clone(),
        place: p.parent.id().to_string(),
        number: p.number,
        sub: p.sub,
        township: p.township_code.clone(),
        buildings: buildings(r, &p.id),
    })
}

/// Adds a plate's claim to the slot of its number; plates must come in ID order.
fn claim(slot: &mut Slot, p: &Plate) {
    match (p.status, &p.replaced_by) {
        (PlateStatus::Issued, _) => slot.issued = Some(p.id.clone()),
        (PlateStatus::Retired, Some(to)) => slot.replacements.push(to.clone()),
        _ => {}
    }
}

impl Plates {
    pub fn build(r: &Register) -> Plates {
        // Rooms by unit, units by building, buildings by plate, in one pass over each
        // table (what [`buildings`] gives one plate, for all at once).
        let mut rooms: std::collections::HashMap<&str, Vec<Node>> = std::collections::HashMap::new();
        for x in r.rooms.values().filter(|x| x.status != NameStatus::Retired) {
            rooms.entry(&x.unit_id).or_default().push(Node {
                number: x.number.clone(),
                id: x.id.clone(),
                children: Vec::new(),
            });
        }
        let mut units: std::collections::HashMap<&str, Vec<Node>> = std::collections::HashMap::new();
        for x in r.units.values().filter(|x| x.status != NameStatus::Retired) {
            let children = rooms.remove(x.id.as_str()).unwrap_or_default();
            units.entry(&x.building_id).or_default().push(Node {
                number: x.number.clone(),
                id: x.id.clone(),
                children,
            });
        }
        let mut buildings: std::collections::HashMap<&str, Vec<Node>> = std::collections::HashMap::new();
        for x in r.buildings.values().filter(|x| x.status != NameStatus::Retired) {
            let children = units.remove(x.id.as_str()).unwrap_or_default();
            buildings.entry(&x.plate_id).or_default().push(Node {
                number: x.number.clone(),
                id: x.id.clone(),
                children,
            });
        }
        let mut slots: std::collections::HashMap<SlotKey, Slot> = std::collections::HashMap::new();
        let mut nodes = HashMap::new();
        for p in r.plates.values() {
            if p.status == PlateStatus::Issued {
                let node = PlateNode {
                    id: p.id.clone(),
                    place: p.parent.id().to_string(),
                    number: p.number,
                    sub: p.sub,
                    township: p.township_code.clone(),
                    buildings: buildings.remove(p.id.as_str()).unwrap_or_default(),
                };
                nodes.insert(p.id.clone(), Arc::new(node));
            }
            if p.status == PlateStatus::Issued || (p.status == PlateStatus::Retired && p.replaced_by.is_some()) {
                claim(slots.entry(SlotKey::of(p)).or_default(), p);
            }
        }
        Plates { slots: slots.into_iter().collect(), nodes }
    }

    /// These plates with `changed` (plate IDs) read again from `new`; `old` is the register
    /// these plates were built over, which tells the number a changed plate held before.
    pub fn updated(&self, old: &Register, new: &Register, changed: &std::collections::BTreeSet<String>) -> Plates {
        let mut plates = self.clone();
        let mut keys: Vec<SlotKey> = Vec::new();
        for id in changed {
            keys.extend(old.plates.get(id).map(SlotKey::of));
            match new.plates.get(id) {
                Some(p) => {
                    keys.push(SlotKey::of(p));
                    if p.status == PlateStatus::Issued {
                        plates.nodes.insert(id.clone(), node(new, p));
                    } else {
                        plates.nodes.remove(id);
                    }
                }
                None => {
                    plates.nodes.remove(id);
                }
            }
        }
        keys.sort_by(|a, b| (&a.place, a.number, a.sub).cmp(&(&b.place, b.number, b.sub)));
        keys.dedup();
        for key in keys {
            // The plates of the street with this number, in ID order, as the build reads them.
            let mut slot = Slot::default();
            for p in new.plates.records_under(&key.place) {
                if p.parent.id() == key.place && p.number == key.number && p.sub == key.sub {
                    claim(&mut slot, p);
                }
            }
            if slot.issued.is_some() || !slot.replacements.is_empty() {
                plates.slots.insert(key, slot);
            } else {
                plates.slots.remove(&key);
            }
        }
        plates
    }

    /// The plate a number on a street or locality reads as, and whether it is the
    /// replacement of a retired plate: the issued plate of that number, else the first
    /// replacement that is an issued plate on a street or locality of the index.
    pub fn at(&self, index: &Index, place: &str, number: i32, sub: Option<i32>) -> Option<(&PlateNode, bool)> {
        let slot = self.slots.get(&SlotKey { place: place.to_string(), number, sub })?;
        if let Some(id) = &slot.issued {
            return self.nodes.get(id).map(|n| (n.as_ref(), false));
        }
        slot.replacements
            .iter()
            .filter_map(|id| self.nodes.get(id))
            .find(|n| index.place_id(&n.place).is_some())
            .map(|n| (n.as_ref(), true))
    }
}
