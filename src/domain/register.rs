//! The register held in memory: every record keyed by ID, with the walks that give an
//! address its division chain, canonical text and romanisation. The store loads it; the
//! importer, the exporter and the resolver read it.

use std::collections::BTreeSet;

use imbl::OrdMap;

use super::canonical;
use super::generic::GenericKind;
use super::model::*;
use super::pinyin;
use super::table::Table;

/// Cloning a register is cheap (its maps are persistent, see [`Table`]); the records
/// under a parent are found without a scan.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Register {
    pub divisions: Table<Division>,
    pub thoroughfares: Table<Thoroughfare>,
    pub localities: Table<Locality>,
    pub plates: Table<Plate>,
    pub buildings: Table<Building>,
    pub units: Table<Unit>,
    pub rooms: Table<Room>,
    /// When each record was in effect, by ID or division code; absent where the register
    /// does not know (see [`Lifespan`]).
    pub lifespans: OrdMap<String, Lifespan>,
}

/// What [`Register::apply`] changed: the IDs and codes of the records that differ (added,
/// changed, removed or newly dated), and whether any of them is a name (a division,
/// thoroughfare or locality).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Applied {
    pub ids: BTreeSet<String>,
    pub names: bool,
}

/// What the API shows of any address.
#[derive(Debug, Clone, PartialEq)]
pub struct AddressText {
    pub id: String,
    pub level: AddressLevel,
    pub canonical: String,
    pub pinyin: String,
}

impl Register {
    /// The divisions from the province down to `code` (empty when `code` is unknown).
    /// A broken parent link ends the walk rather than looping.
    pub fn chain(&self, code: &str) -> Vec<&Division> {
        let mut chain = Vec::new();
        let mut next = self.divisions.get(code);
        while let Some(d) = next {
            if chain.len() > 8 {
                break;
            }
            chain.push(d);
            next = d.parent_code.as_deref().and_then(|p| self.divisions.get(p));
        }
        chain.reverse();
        chain
    }

    pub fn division_text(&self, code: &str) -> String {
        canonical::division_chain(&self.chain(code))
    }

    /// The division of the given level above (or at) `code`.
    pub fn ancestor(&self, code: &str, level: DivisionLevel) -> Option<&Division> {
        self.chain(code).into_iter().find(|d| d.level == level)
    }

    pub fn children(&self, code: &str) -> Vec<&Division> {
        self.divisions.records_under(code).collect()
    }

    /// Canonical text, level and romanisation of any address or division.
    pub fn address(&self, id: &str) -> Option<AddressText> {
        let (level, canonical, pinyin) = if let Some(d) = self.divisions.get(id) {
            let chain = self.chain(&d.code);
            let py = chain.iter().map(|d| pinyin::romanise_division(&d.name)).collect::<Vec<_>>().join(" ");
            (AddressLevel::Division, canonical::division_chain(&chain), py)
        } else if let Some(t) = self.thoroughfares.get(id) {
            (AddressLevel::Thoroughfare, self.thoroughfare_text(t), self.thoroughfare_pinyin(t))
        } else if let Some(l) = self.localities.get(id) {
            (AddressLevel::Locality, self.locality_text(l), self.locality_pinyin(l))
        } else if let Some(p) = self.plates.get(id) {
            let (text, py) = self.plate_texts(p)?;
            (AddressLevel::Plate, text, py)
        } else if let Some(b) = self.buildings.get(id) {
            let (text, py) = self.plate_texts(self.plates.get(&b.plate_id)?)?;
            (
                AddressLevel::Building,
                text + &canonical::building_suffix(&b.number),
                py + " " + &canonical::building_pinyin(&b.number),
            )
        } else if let Some(u) = self.units.get(id) {
            let b = self.buildings.get(&u.building_id)?;
            let (text, py) = self.plate_texts(self.plates.get(&b.plate_id)?)?;
            (
                AddressLevel::Unit,
                text + &canonical::building_suffix(&b.number) + &canonical::unit_suffix(&u.number),
                format!("{py} {} {}", canonical::building_pinyin(&b.number), canonical::unit_pinyin(&u.number)),
            )
        } else if let Some(r) = self.rooms.get(id) {
            let u = self.units.get(&r.unit_id)?;
            let b = self.buildings.get(&u.building_id)?;
            let (text, py) = self.plate_texts(self.plates.get(&b.plate_id)?)?;
            (
                AddressLevel::Room,
                text + &canonical::building_suffix(&b.number)
                    + &canonical::unit_suffix(&u.number)
                    + &canonical::room_suffix(&r.number),
                format!(
                    "{py} {} {} {}",
                    canonical::building_pinyin(&b.number),
                    canonical::unit_pinyin(&u.number),
                    canonical::room_pinyin(&r.number)
                ),
            )
        } else {
            return None;
        };
        Some(AddressText { id: id.to_string(), level, canonical, pinyin })
    }

    /// The plate an address stands behind: itself for a plate, the plate of its building,
    /// unit or room; None for anything else.
    pub fn plate_of(&self, id: &str) -> Option<&Plate> {
        let plate_id = if self.plates.contains_key(id) {
            id
        } else if let Some(b) = self.buildings.get(id) {
            &b.plate_id
        } else if let Some(u) = self.units.get(id) {
            &self.buildings.get(&u.building_id)?.plate_id
        } else {
            let r = self.rooms.get(id)?;
            &self.buildings.get(&self.units.get(&r.unit_id)?.building_id)?.plate_id
        };
        self.plates.get(plate_id)
    }

    pub fn thoroughfare_text(&self, t: &Thoroughfare) -> String {
        self.division_text(&t.county_code) + &t.name
    }

    pub fn thoroughfare_pinyin(&self, t: &Thoroughfare) -> String {
        canonical::romanise_place(&t.name, GenericKind::Thoroughfare, t.pinyin_override.as_deref())
    }

    pub fn locality_text(&self, l: &Locality) -> String {
        self.division_text(&l.village_code) + &l.name
    }

    pub fn locality_pinyin(&self, l: &Locality) -> String {
        canonical::romanise_place(&l.name, GenericKind::Locality, l.pinyin_override.as_deref())
    }

    /// Canonical text and romanisation of a plate (one in the register or one about to be):
    /// the chain down to the plate's township (on a thoroughfare) or village (on a
    /// locality), the name, the number.
    pub fn plate_texts(&self, p: &Plate) -> Option<(String, String)> {
        let suffix = canonical::plate_suffix(p.number, p.sub);
        let py_suffix = canonical::plate_pinyin(p.number, p.sub);
        match &p.parent {
            PlateParent::Thoroughfare(tid) => {
                let t = self.thoroughfares.get(tid)?;
                let chain_code = p.township_code.as_deref().unwrap_or(&t.county_code);
                Some((
                    self.division_text(chain_code) + &t.name + &suffix,
                    format!("{} {py_suffix}", self.thoroughfare_pinyin(t)),
                ))
            }
            PlateParent::Locality(lid) => {
                let l = self.localities.get(lid)?;
                Some((self.locality_text(l) + &suffix, format!("{} {py_suffix}", self.locality_pinyin(l))))
            }
        }
    }

    /// Every address under `id` (a division, thoroughfare, locality, plate, building or
    /// unit), `id` itself first, parents before children: what a rename touches.
    pub fn descendants(&self, id: &str) -> Vec<String> {
        let mut out = vec![id.to_string()];
        if self.divisions.contains_key(id) {
            let mut codes = vec![id.to_string()];
            let mut i = 0;
            while let Some(code) = codes.get(i).cloned() {
                codes.extend(self.divisions.under(&code).cloned());
                i += 1;
            }
            out = codes.clone();
            for code in &codes {
                let streets: Vec<String> =
                    self.thoroughfares.under(code).chain(self.localities.under(code)).cloned().collect();
                for s in streets {
                    out.extend(self.descendants(&s));
                }
            }
            // Plates on a street of another division but in a township under this one.
            let seen: std::collections::HashSet<String> = out.iter().cloned().collect();
            let extra: Vec<String> =
                codes.iter().flat_map(|c| self.plates.under(c)).filter(|p| !seen.contains(*p)).cloned().collect();
            for p in extra {
                out.extend(self.descendants(&p));
            }
            return out;
        }
        let mut frontier = vec![id.to_string()];
        while let Some(parent) = frontier.pop() {
            let kids: Vec<String> = if self.thoroughfares.contains_key(&parent) || self.localities.contains_key(&parent)
            {
                self.plates.records_under(&parent).filter(|p| p.parent.id() == parent).map(|p| p.id.clone()).collect()
            } else if self.plates.contains_key(&parent) {
                self.buildings.under(&parent).cloned().collect()
            } else if self.buildings.contains_key(&parent) {
                self.units.under(&parent).cloned().collect()
            } else if self.units.contains_key(&parent) {
                self.rooms.under(&parent).cloned().collect()
            } else {
                vec![]
            };
            out.extend(kids.iter().cloned());
            frontier.extend(kids);
        }
        out
    }

    /// Applies records read back after a change: every record of `present` replaces the
    /// one of its ID (with its lifespan), every ID of `gone` leaves the register. Returns
    /// what differs, for the indexes built over the register to follow.
    pub fn apply(&mut self, present: &Register, gone: &BTreeSet<String>) -> Applied {
        let mut applied = Applied::default();
        macro_rules! upsert {
            ($table:ident, $names:expr) => {
                for (id, record) in present.$table.iter() {
                    if self.$table.get(id) != Some(record) {
                        self.$table.insert(id.clone(), record.clone());
                        applied.ids.insert(id.clone());
                        applied.names |= $names;
                    }
                }
            };
        }
        upsert!(divisions, true);
        upsert!(thoroughfares, true);
        upsert!(localities, true);
        upsert!(plates, false);
        upsert!(buildings, false);
        upsert!(units, false);
        upsert!(rooms, false);
        for id in gone {
            let names = self.divisions.remove(id).is_some()
                || self.thoroughfares.remove(id).is_some()
                || self.localities.remove(id).is_some();
            let other = self.plates.remove(id).is_some()
                || self.buildings.remove(id).is_some()
                || self.units.remove(id).is_some()
                || self.rooms.remove(id).is_some();
            if names || other {
                applied.ids.insert(id.clone());
                applied.names |= names;
            }
        }
        let read = present
            .divisions
            .keys()
            .chain(present.thoroughfares.keys())
            .chain(present.localities.keys())
            .chain(present.plates.keys())
            .chain(present.buildings.keys())
            .chain(present.units.keys())
            .chain(present.rooms.keys())
            .chain(gone.iter());
        for id in read {
            let now = present.lifespans.get(id);
            if self.lifespans.get(id) != now {
                match now {
                    Some(span) => self.lifespans.insert(id.clone(), span.clone()),
                    None => self.lifespans.remove(id),
                };
                applied.ids.insert(id.clone());
            }
        }
        applied
    }

    /// The county an address lies in, for scoping and the feed.
    pub fn county_of(&self, id: &str) -> Option<String> {
        let division_code = if self.divisions.contains_key(id) {
            id.to_string()
        } else if let Some(t) = self.thoroughfares.get(id) {
            t.county_code.clone()
        } else if let Some(l) = self.localities.get(id) {
            l.village_code.clone()
        } else if let Some(p) = self.plates.get(id) {
            return self.county_of(p.parent.id());
        } else if let Some(b) = self.buildings.get(id) {
            return self.county_of(&b.plate_id);
        } else if let Some(u) = self.units.get(id) {
            return self.county_of(&u.building_id);
        } else if let Some(r) = self.rooms.get(id) {
            return self.county_of(&r.unit_id);
        } else {
            return None;
        };
        self.ancestor(&division_code, DivisionLevel::County).map(|d| d.code.clone())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn division(code: &str, name: &str, level: DivisionLevel, parent: Option<&str>) -> Division {
        Division {
            code: code.into(),
            name: name.into(),
            level,
            parent_code: parent.map(Into::into),
            aliases: vec![],
            geometry: None,
            status: NameStatus::Active,
            replaced_by: None,
            former_names: vec![],
        }
    }

    /// A small register: 航空大道 123号附1号 3栋 2单元 501室 and 高拱桥村 三组 5号.
    pub(crate) fn sample() -> Register {
        let mut r = Register::default();
        for d in [
            division("420000", "湖北省", DivisionLevel::Province, None),
            division("422800", "恩施土家族苗族自治州", DivisionLevel::Prefecture, Some("420000")),
            division("422801", "恩施市", DivisionLevel::County, Some("422800")),
            division("422801001", "舞阳坝街道", DivisionLevel::Township, Some("422801")),
            division("422801207", "芭蕉侗族乡", DivisionLevel::Township, Some("422801")),
            division("422801207201", "高拱桥村", DivisionLevel::Village, Some("422801207")),
        ] {
            r.divisions.insert(d.code.clone(), d);
        }
        let line = geo::LineString::from(vec![(109.47, 30.29), (109.48, 30.29)]);
        r.thoroughfares.insert(
            "thr_1".into(),
            Thoroughfare {
                id: "thr_1".into(),
                county_code: "422801".into(),
                name: "航空大道".into(),
                pinyin_override: None,
                geometry: StreetGeometry::Line(line),
                status: NameStatus::Active,
                replaced_by: None,
                former_names: vec![],
                numbering: NumberingScheme::Sequential,
            },
        );
        r.localities.insert(
            "loc_1".into(),
            Locality {
                id: "loc_1".into(),
                village_code: "422801207201".into(),
                name: "三组".into(),
                pinyin_override: None,
                geometry: LocalityGeometry::Point(geo::Point::new(109.5, 30.2)),
                status: NameStatus::Active,
                replaced_by: None,
                former_names: vec![],
            },
        );
        let plate = |id: &str, parent: PlateParent, number, sub, township: Option<&str>| Plate {
            id: id.into(),
            parent,
            number,
            sub,
            township_code: township.map(Into::into),
            location: geo::Point::new(109.475, 30.2901),
            side: None,
            measure_m: None,
            status: PlateStatus::Issued,
            replaced_by: None,
        };
        r.plates.insert(
            "plt_1".into(),
            plate("plt_1", PlateParent::Thoroughfare("thr_1".into()), 123, Some(1), Some("422801001")),
        );
        r.plates.insert("plt_2".into(), plate("plt_2", PlateParent::Locality("loc_1".into()), 5, None, None));
        r.buildings.insert(
            "bld_1".into(),
            Building { id: "bld_1".into(), plate_id: "plt_1".into(), number: "3".into(), status: NameStatus::Active },
        );
        r.units.insert(
            "unt_1".into(),
            Unit { id: "unt_1".into(), building_id: "bld_1".into(), number: "2".into(), status: NameStatus::Active },
        );
        r.rooms.insert(
            "rom_1".into(),
            Room { id: "rom_1".into(), unit_id: "unt_1".into(), number: "501".into(), status: NameStatus::Active },
        );
        r
    }

    fn text(r: &Register, id: &str) -> String {
        r.address(id).expect("address exists").canonical
    }

    #[test]
    fn canonical_text_of_every_level() {
        let r = sample();
        assert_eq!(text(&r, "422801001"), "湖北省恩施土家族苗族自治州恩施市舞阳坝街道");
        assert_eq!(text(&r, "thr_1"), "湖北省恩施土家族苗族自治州恩施市航空大道");
        assert_eq!(text(&r, "plt_1"), "湖北省恩施土家族苗族自治州恩施市舞阳坝街道航空大道123号附1号");
        assert_eq!(text(&r, "bld_1"), "湖北省恩施土家族苗族自治州恩施市舞阳坝街道航空大道123号附1号3栋");
        assert_eq!(text(&r, "unt_1"), "湖北省恩施土家族苗族自治州恩施市舞阳坝街道航空大道123号附1号3栋2单元");
        assert_eq!(text(&r, "rom_1"), "湖北省恩施土家族苗族自治州恩施市舞阳坝街道航空大道123号附1号3栋2单元501室");
        assert_eq!(text(&r, "loc_1"), "湖北省恩施土家族苗族自治州恩施市芭蕉侗族乡高拱桥村三组");
        assert_eq!(text(&r, "plt_2"), "湖北省恩施土家族苗族自治州恩施市芭蕉侗族乡高拱桥村三组5号");
        assert!(r.address("thr_unknown").is_none());
    }

    #[test]
    fn levels_and_romanisation() {
        let r = sample();
        let room = r.address("rom_1").unwrap();
        assert_eq!(room.level, AddressLevel::Room);
        assert_eq!(room.pinyin, "Hangkong Dadao 123 Hao Fu 1 Hao 3 Dong 2 Danyuan 501 Shi");
        assert_eq!(r.address("thr_1").unwrap().pinyin, "Hangkong Dadao");
        assert_eq!(r.address("loc_1").unwrap().pinyin, "San Zu");
        assert_eq!(r.county_of("rom_1").as_deref(), Some("422801"));
        assert_eq!(r.county_of("plt_2").as_deref(), Some("422801"));
    }

    #[test]
    fn a_pinyin_override_wins() {
        let mut r = sample();
        r.thoroughfares.get_mut("thr_1").unwrap().pinyin_override = Some("Hangkong Avenue".into());
        assert_eq!(r.address("plt_1").unwrap().pinyin, "Hangkong Avenue 123 Hao Fu 1 Hao");
    }
}
