//! One kind of record of the register, keyed by ID, with the records listed under each
//! parent (a street's plates, a plate's buildings, a county's streets …).
//!
//! Both maps are persistent (`imbl`): a copy of the register shares everything with the
//! original and costs nothing, and a change to the copy costs the logarithm of its size.
//! That is what lets a node apply a change to the register it serves instead of loading
//! the register again, while readers keep the state they took. The parent index is kept
//! by every write ([`Table::insert`], [`Table::remove`], [`Table::get_mut`]), so it can
//! never disagree with the records.

use std::fmt;
use std::ops::{Deref, DerefMut};

use imbl::{OrdMap, OrdSet};

use super::model::{Building, Division, Locality, Plate, Room, Thoroughfare, Unit};

/// A record listed under other records: the keys of the parents it belongs to.
pub trait Linked: Clone {
    /// The IDs or codes this record is listed under (its parent; a plate also under its
    /// township).
    fn parents(&self) -> Vec<&str>;
}

/// Records of one kind by ID, with the IDs listed under each parent.
#[derive(Clone)]
pub struct Table<T: Linked> {
    rows: OrdMap<String, T>,
    under: OrdMap<String, OrdSet<String>>,
}

impl<T: Linked> Default for Table<T> {
    fn default() -> Self {
        Table { rows: OrdMap::new(), under: OrdMap::new() }
    }
}

impl<T: Linked + fmt::Debug> fmt::Debug for Table<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.rows.fmt(f)
    }
}

impl<T: Linked + PartialEq> PartialEq for Table<T> {
    fn eq(&self, other: &Self) -> bool {
        self.rows == other.rows
    }
}

/// Reading is the map's own API (`get`, `values`, `contains_key` …); writing goes through
/// the table so that the parent index follows.
impl<T: Linked> Deref for Table<T> {
    type Target = OrdMap<String, T>;
    fn deref(&self) -> &Self::Target {
        &self.rows
    }
}

impl<T: Linked> Table<T> {
    /// Adds or replaces a record; returns the one it replaced.
    pub fn insert(&mut self, id: String, record: T) -> Option<T> {
        let old = self.remove(&id);
        for parent in record.parents() {
            let mut set = self.under.get(parent).cloned().unwrap_or_default();
            set.insert(id.clone());
            self.under.insert(parent.to_string(), set);
        }
        self.rows.insert(id, record);
        old
    }

    pub fn remove(&mut self, id: &str) -> Option<T> {
        let old = self.rows.remove(id)?;
        for parent in old.parents() {
            if let Some(set) = self.under.get(parent) {
                let mut set = set.clone();
                set.remove(id);
                if set.is_empty() {
                    self.under.remove(parent);
                } else {
                    self.under.insert(parent.to_string(), set);
                }
            }
        }
        Some(old)
    }

    /// A record to change in place; the parent index is brought up to date when the
    /// guard is dropped.
    pub fn get_mut(&mut self, id: &str) -> Option<RecordMut<'_, T>> {
        let record = self.rows.get(id)?.clone();
        Some(RecordMut { table: self, id: id.to_string(), record: Some(record) })
    }

    /// The IDs listed under a parent, in ID order.
    pub fn under(&self, parent: &str) -> impl Iterator<Item = &String> + '_ {
        self.under.get(parent).into_iter().flat_map(|set| set.iter())
    }

    /// The records listed under a parent, in ID order.
    pub fn records_under(&self, parent: &str) -> impl Iterator<Item = &T> + '_ {
        self.under(parent).filter_map(|id| self.rows.get(id))
    }
}

impl<T: Linked> FromIterator<(String, T)> for Table<T> {
    fn from_iter<I: IntoIterator<Item = (String, T)>>(iter: I) -> Self {
        let mut table = Table::default();
        table.extend(iter);
        table
    }
}

impl<T: Linked> Extend<(String, T)> for Table<T> {
    fn extend<I: IntoIterator<Item = (String, T)>>(&mut self, iter: I) {
        for (id, record) in iter {
            self.insert(id, record);
        }
    }
}

impl<T: Linked> IntoIterator for Table<T> {
    type Item = (String, T);
    type IntoIter = <OrdMap<String, T> as IntoIterator>::IntoIter;
    fn into_iter(self) -> Self::IntoIter {
        self.rows.into_iter()
    }
}

impl<'a, T: Linked> IntoIterator for &'a Table<T> {
    type Item = (&'a String, &'a T);
    type IntoIter = <&'a OrdMap<String, T> as IntoIterator>::IntoIter;
    fn into_iter(self) -> Self::IntoIter {
        self.rows.iter()
    }
}

impl<T: Linked> Table<T> {
    /// Moves every record of `other` into this table.
    pub fn append(&mut self, other: &mut Table<T>) {
        self.extend(std::mem::take(other));
    }
}

/// A record being changed in place (see [`Table::get_mut`]).
pub struct RecordMut<'a, T: Linked> {
    table: &'a mut Table<T>,
    id: String,
    record: Option<T>,
}

impl<T: Linked> Deref for RecordMut<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.record.as_ref().expect("the record is held until the guard drops")
    }
}

impl<T: Linked> DerefMut for RecordMut<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.record.as_mut().expect("the record is held until the guard drops")
    }
}

impl<T: Linked> Drop for RecordMut<'_, T> {
    fn drop(&mut self) {
        if let Some(record) = self.record.take() {
            self.table.insert(std::mem::take(&mut self.id), record);
        }
    }
}

impl Linked for Division {
    fn parents(&self) -> Vec<&str> {
        self.parent_code.as_deref().into_iter().collect()
    }
}

impl Linked for Thoroughfare {
    fn parents(&self) -> Vec<&str> {
        vec![&self.county_code]
    }
}

impl Linked for Locality {
    fn parents(&self) -> Vec<&str> {
        vec![&self.village_code]
    }
}

impl Linked for Plate {
    /// Its street or locality, and the township it lies in (which may be another
    /// division's than its street's county).
    fn parents(&self) -> Vec<&str> {
        let mut p = vec![self.parent.id()];
        p.extend(self.township_code.as_deref());
        p
    }
}

impl Linked for Building {
    fn parents(&self) -> Vec<&str> {
        vec![&self.plate_id]
    }
}

impl Linked for Unit {
    fn parents(&self) -> Vec<&str> {
        vec![&self.building_id]
    }
}

impl Linked for Room {
    fn parents(&self) -> Vec<&str> {
        vec![&self.unit_id]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::NameStatus;

    fn building(id: &str, plate: &str) -> Building {
        Building { id: id.into(), plate_id: plate.into(), number: "1".into(), status: NameStatus::Active }
    }

    #[test]
    fn the_parent_index_follows_every_write() {
        let mut t: Table<Building> = Table::default();
        t.insert("b1".into(), building("b1", "p1"));
        t.insert("b2".into(), building("b2", "p1"));
        let copy = t.clone();
        t.get_mut("b2").unwrap().plate_id = "p2".into();
        t.remove("b1");
        assert_eq!(t.under("p1").count(), 0);
        assert_eq!(t.under("p2").collect::<Vec<_>>(), vec!["b2"]);
        // The copy taken before is untouched.
        assert_eq!(copy.under("p1").collect::<Vec<_>>(), vec!["b1", "b2"]);
    }
}
