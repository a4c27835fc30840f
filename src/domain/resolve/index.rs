//! The in-memory index the parser reads against, built once per register state.
//!
//! - Divisions with their chains, and every name a text may call them by (official name,
//!   aliases, derived short and informal forms, [`informal::KNOWN_NAMES`]).
//! - Streets and localities (current and former names; `3组` for 三组). Their plates are
//!   the other part of the index ([`super::plates`]), which changes without this one.
//! - Two tries: one over the Chinese names, one over their toneless Pinyin written
//!   together (`hangkongdadao`, `enshishi`). Initials (`hkdd`) are autocomplete's, not
//!   the resolver's.
//! - The street and locality names grouped by their last character, for the one-character
//!   homophone search.
//!
//! It reads only the divisions, streets and localities of the register, so it is built
//! again only when one of those changes. Only what is an address today is indexed:
//! proposed names are not; a retired street with a replacement reads as its replacement.

use std::collections::HashMap;

use super::super::canonical;
use super::super::generic::{self, GenericKind};
use super::super::model::{AddressLevel, DivisionLevel, NameStatus};
use super::super::pinyin;
use super::super::register::Register;
use super::informal::{self, DivisionForm};
use super::plates::PlateNode;
use super::tail::chinese_number;
use super::trie::Trie;
use super::ResolvedAddress;

pub(super) type DivId = u32;
pub(super) type PlaceId = u32;

#[derive(Debug)]
pub(super) struct DivisionInfo {
    pub code: String,
    pub name: String,
    pub level: DivisionLevel,
    /// Province down to this division.
    pub chain: Vec<DivId>,
    /// Canonical text and romanisation, as the register gives them.
    pub text: String,
    pub pinyin: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PlaceKind {
    Thoroughfare,
    Locality,
}

/// A building, unit or room: its number as the register writes it, and its ID.
#[derive(Debug)]
pub(super) struct Node {
    pub number: String,
    pub id: String,
    pub children: Vec<Node>,
}

#[derive(Debug)]
pub(super) struct Place {
    pub id: String,
    pub kind: PlaceKind,
    pub name: String,
    pub county: DivId,
    /// The division the place belongs to: its county (street) or village (locality).
    pub home: DivId,
    /// Canonical text and romanisation, as the register gives them.
    pub text: String,
    pub pinyin: String,
}

/// A way down from a street or locality, as far as it goes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Path<'a> {
    pub place: &'a Place,
    pub plate: Option<&'a PlateNode>,
    pub building: Option<&'a Node>,
    pub unit: Option<&'a Node>,
    pub room: Option<&'a Node>,
}

impl<'a> Path<'a> {
    pub fn new(place: &'a Place) -> Self {
        Path { place, plate: None, building: None, unit: None, room: None }
    }

    /// The ID of the finest address on the path.
    pub fn id(&self) -> &'a str {
        self.room
            .or(self.unit)
            .or(self.building)
            .map(|n| n.id.as_str())
            .or(self.plate.map(|p| p.id.as_str()))
            .unwrap_or(&self.place.id)
    }
}

/// How a name reaches a street or locality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum PlaceForm {
    Current,
    /// `三组` written `3组`.
    Numeral,
    Former,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    Division { div: DivId, form: DivisionForm, secondary: bool },
    Place { place: PlaceId, form: PlaceForm },
}

/// A street or locality name for the homophone search.
#[derive(Debug)]
pub(super) struct SoundName {
    pub chars: Vec<char>,
    /// Characters of the generic at the end, which must be written exactly.
    pub generic_len: usize,
    pub place: PlaceId,
    pub form: PlaceForm,
}

#[derive(Debug)]
pub(super) struct Index {
    pub divisions: Vec<DivisionInfo>,
    pub by_code: HashMap<String, DivId>,
    pub places: Vec<Place>,
    /// Streets and localities by ID.
    place_of: HashMap<String, PlaceId>,
    /// Chinese names → slot in `targets`.
    pub han: Trie,
    pub han_targets: Vec<Vec<Target>>,
    /// Pinyin written together → slot in `latin_targets`.
    pub latin: Trie,
    pub latin_targets: Vec<Vec<Target>>,
    /// Street and locality names by their last character.
    pub sounds: HashMap<char, Vec<SoundName>>,
    /// The CJK characters of every name and tail word, as a bitmap: a text made only of
    /// these needs no traditional → simplified pass.
    known: Vec<u64>,
}

/// The CJK Unified Ideographs block the bitmap covers.
const CJK: std::ops::RangeInclusive<u32> = 0x4E00..=0x9FFF;

/// Characters of the words the parser itself reads, beyond the names.
const WORD_CHARS: &str = "号附之栋幢座楼单元室房户层第零〇一二两三四五六七八九十百千中华人民共和国城区市县境内辖";

/// One trie with what its slots mean.
struct Names<'a> {
    trie: &'a mut Trie,
    targets: &'a mut Vec<Vec<Target>>,
}

impl Names<'_> {
    fn add(&mut self, key: &str, target: Target) {
        let Some(slot) = self.trie.slot(key) else { return };
        let slot = slot as usize;
        if self.targets.len() <= slot {
            self.targets.resize_with(slot + 1, Vec::new);
        }
        if let Some(list) = self.targets.get_mut(slot) {
            if !list.contains(&target) {
                list.push(target);
            }
        }
    }
}

/// ASCII Pinyin of a name written together (`航空大道` → `hangkongdadao`), and the same
/// with ü typed as u (`lüshui` is typed `lvshui` or `lushui`).
fn latin_keys(name: &str) -> Vec<String> {
    let key = pinyin::key(name);
    let mut keys = vec![key.clone()];
    if key.contains('v') {
        keys.push(key.replace('v', "u"));
    }
    keys
}

/// An authority's romanisation as a key (`Jinlong Beilu` → `jinlongbeilu`).
fn override_key(o: &str) -> String {
    o.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}

/// `三组` → `3组`: a locality numbered in Chinese numerals is also written in digits.
fn numeral_variant(name: &str) -> Option<String> {
    let chars: Vec<char> = name.chars().collect();
    let n = chars.iter().take_while(|c| super::normalise::is_numeral(**c)).count();
    if n == 0 || n == chars.len() {
        return None;
    }
    let digits = chinese_number(chars.get(..n)?)?;
    Some(digits + &chars.get(n..)?.iter().collect::<String>())
}

/// Sets the bit of a CJK character.
fn mark(bits: &mut [u64], c: char) {
    let code = u32::from(c);
    if CJK.contains(&code) {
        let bit = (code - CJK.start()) as usize;
        if let Some(word) = bits.get_mut(bit / 64) {
            *word |= 1 << (bit % 64);
        }
    }
}

/// The characters of the national division names, as a bitmap, computed once.
fn national_chars() -> &'static [u64] {
    static BITS: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
    BITS.get_or_init(|| {
        let mut bits = vec![0; CJK.clone().count().div_ceil(64)];
        for c in super::outside::name_chars() {
            mark(&mut bits, c);
        }
        bits
    })
}

impl Index {
    pub fn build(register: &Register) -> Index {
        let mut index = Index {
            divisions: Vec::new(),
            by_code: HashMap::new(),
            places: Vec::new(),
            place_of: HashMap::new(),
            han: Trie::default(),
            han_targets: Vec::new(),
            latin: Trie::default(),
            latin_targets: Vec::new(),
            sounds: HashMap::new(),
            known: vec![0; CJK.clone().count().div_ceil(64)],
        };
        let by_code = index.add_divisions(register);
        index.add_places(register, &by_code);
        index.prefer_official_division_names();
        index.by_code = by_code;
        index.learn_chars(register);
        index
    }

    fn add_divisions(&mut self, r: &Register) -> HashMap<String, DivId> {
        let by_code: HashMap<String, DivId> =
            r.divisions.keys().enumerate().map(|(i, code)| (code.clone(), i as DivId)).collect();
        for d in r.divisions.values() {
            let chain = r.chain(&d.code).iter().filter_map(|x| by_code.get(&x.code).copied()).collect();
            let (text, pinyin) = r.address(&d.code).map(|a| (a.canonical, a.pinyin)).unwrap_or_default();
            self.divisions.push(DivisionInfo {
                code: d.code.clone(),
                name: d.name.clone(),
                level: d.level,
                chain,
                text,
                pinyin,
            });
        }
        let mut han = Names { trie: &mut self.han, targets: &mut self.han_targets };
        let mut latin = Names { trie: &mut self.latin, targets: &mut self.latin_targets };
        // A division merged away or given a new code is read through its successor, which
        // answers to its names.
        for (i, d) in r.divisions.values().enumerate().filter(|(_, d)| d.status != NameStatus::Retired) {
            for (form_text, form, secondary) in informal::forms(&d.name, &d.aliases, d.level) {
                let target = Target::Division { div: i as DivId, form, secondary };
                han.add(&form_text, target);
                for k in latin_keys(&form_text) {
                    latin.add(&k, target);
                }
            }
        }
        for (name, code) in informal::KNOWN_NAMES {
            if let Some(&div) = by_code.get(*code) {
                let target = Target::Division { div, form: DivisionForm::Informal, secondary: false };
                han.add(name, target);
                for k in latin_keys(name) {
                    latin.add(&k, target);
                }
            }
        }
        by_code
    }

    /// A form that is one division's official name or short form is not also read as
    /// another's informal name (a `X乡` that exists beside `X镇`), and a second-choice form
    /// gives way to a first choice of the same division.
    fn prefer_official_division_names(&mut self) {
        for list in self.han_targets.iter_mut().chain(self.latin_targets.iter_mut()) {
            let formal = list.iter().any(|t| {
                matches!(
                    t,
                    Target::Division { form: DivisionForm::Official | DivisionForm::Short, secondary: false, .. }
                )
            });
            if formal {
                list.retain(|t| !matches!(t, Target::Division { form: DivisionForm::Informal, .. }));
            }
        }
    }

    fn add_places(&mut self, r: &Register, by_code: &HashMap<String, DivId>) {
        // (id, kind, name, home code, county code, former names, override, status, replaced_by)
        struct Raw<'a> {
            id: &'a str,
            kind: PlaceKind,
            name: &'a str,
            home: &'a str,
            formers: Vec<&'a str>,
            pinyin_override: Option<&'a str>,
            status: NameStatus,
            replaced_by: Option<&'a str>,
        }
        let raws: Vec<Raw> = r
            .thoroughfares
            .values()
            .map(|t| Raw {
                id: &t.id,
                kind: PlaceKind::Thoroughfare,
                name: &t.name,
                home: &t.county_code,
                formers: t.former_names.iter().map(|f| f.name.as_str()).collect(),
                pinyin_override: t.pinyin_override.as_deref(),
                status: t.status,
                replaced_by: t.replaced_by.as_deref(),
            })
            .chain(r.localities.values().map(|l| Raw {
                id: &l.id,
                kind: PlaceKind::Locality,
                name: &l.name,
                home: &l.village_code,
                formers: l.former_names.iter().map(|f| f.name.as_str()).collect(),
                pinyin_override: l.pinyin_override.as_deref(),
                status: l.status,
                replaced_by: l.replaced_by.as_deref(),
            }))
            .collect();
        // Only active places are addresses; their IDs first, so a retired place's names can
        // point at its replacement.
        let mut place_of: HashMap<&str, PlaceId> = HashMap::new();
        for raw in raws.iter().filter(|p| p.status == NameStatus::Active) {
            let Some(&home) = by_code.get(raw.home) else { continue };
            let county = self
                .divisions
                .get(home as usize)
                .and_then(|d| d.chain.iter().copied().find(|c| self.level(*c) == Some(DivisionLevel::County)))
                .unwrap_or(home);
            place_of.insert(raw.id, self.places.len() as PlaceId);
            self.place_of.insert(raw.id.to_string(), self.places.len() as PlaceId);
            let (text, pinyin) = r.address(raw.id).map(|a| (a.canonical, a.pinyin)).unwrap_or_default();
            self.places.push(Place {
                id: raw.id.to_string(),
                kind: raw.kind,
                name: raw.name.to_string(),
                county,
                home,
                text,
                pinyin,
            });
        }
        let mut han = Names { trie: &mut self.han, targets: &mut self.han_targets };
        let mut latin = Names { trie: &mut self.latin, targets: &mut self.latin_targets };
        for raw in &raws {
            let (place, current) = match (raw.status, place_of.get(raw.id)) {
                (NameStatus::Active, Some(&p)) => (p, true),
                // A retired place's names read as its replacement's former names.
                (NameStatus::Retired, _) => match raw.replaced_by.and_then(|id| place_of.get(id)) {
                    Some(&p) => (p, false),
                    None => continue,
                },
                _ => continue,
            };
            let kind = match raw.kind {
                PlaceKind::Thoroughfare => GenericKind::Thoroughfare,
                PlaceKind::Locality => GenericKind::Locality,
            };
            let names = std::iter::once((raw.name, if current { PlaceForm::Current } else { PlaceForm::Former }))
                .chain(raw.formers.iter().map(|f| (*f, PlaceForm::Former)));
            for (name, form) in names {
                let target = Target::Place { place, form };
                han.add(name, target);
                if let Some(v) = numeral_variant(name) {
                    let form = if form == PlaceForm::Current { PlaceForm::Numeral } else { form };
                    han.add(&v, Target::Place { place, form });
                }
                for k in latin_keys(name) {
                    latin.add(&k, target);
                }
                if let Some((specific, g)) = generic::split(name, kind) {
                    let generic_len = g.text.chars().count();
                    let chars: Vec<char> = name.chars().collect();
                    if specific.chars().count() >= 2 {
                        if let Some(last) = chars.last().copied() {
                            self.sounds.entry(last).or_default().push(SoundName { chars, generic_len, place, form });
                        }
                    }
                }
            }
            if let (Some(o), true) = (raw.pinyin_override, current) {
                latin.add(&override_key(o), Target::Place { place, form: PlaceForm::Current });
            }
        }
    }

    fn learn_chars(&mut self, r: &Register) {
        let names = r
            .divisions
            .values()
            .flat_map(|d| std::iter::once(&d.name).chain(&d.aliases))
            .chain(
                r.thoroughfares
                    .values()
                    .flat_map(|t| std::iter::once(&t.name).chain(t.former_names.iter().map(|f| &f.name))),
            )
            .chain(
                r.localities
                    .values()
                    .flat_map(|l| std::iter::once(&l.name).chain(l.former_names.iter().map(|f| &f.name))),
            );
        let chars: Vec<char> = names
            .flat_map(|n| n.chars())
            .chain(WORD_CHARS.chars())
            .chain(informal::KNOWN_NAMES.iter().flat_map(|(n, _)| n.chars()))
            .collect();
        for c in chars {
            mark(&mut self.known, c);
        }
        // Names of places outside the register are read too (`乾县` is no traditional 干).
        for (word, national) in self.known.iter_mut().zip(national_chars()) {
            *word |= national;
        }
    }

    /// Whether `c` is not a CJK ideograph, or one the index has seen.
    pub fn knows(&self, c: char) -> bool {
        let code = u32::from(c);
        if !CJK.contains(&code) {
            return !super::normalise::is_han(c);
        }
        let bit = (code - CJK.start()) as usize;
        self.known.get(bit / 64).is_some_and(|w| w & (1 << (bit % 64)) != 0)
    }

    pub fn level(&self, div: DivId) -> Option<DivisionLevel> {
        self.divisions.get(div as usize).map(|d| d.level)
    }

    pub fn division(&self, div: DivId) -> Option<&DivisionInfo> {
        self.divisions.get(div as usize)
    }

    pub fn place(&self, place: PlaceId) -> Option<&Place> {
        self.places.get(place as usize)
    }

    /// The street or locality with this ID, if it is an address today.
    pub fn place_id(&self, id: &str) -> Option<PlaceId> {
        self.place_of.get(id).copied()
    }

    /// A plate's township as a division of the index.
    pub fn township(&self, plate: &PlateNode) -> Option<DivId> {
        plate.township.as_deref().and_then(|c| self.by_code.get(c).copied())
    }

    /// Whether `a` is `b` or one of its ancestors.
    pub fn contains(&self, a: DivId, b: DivId) -> bool {
        self.division(b).is_some_and(|d| d.chain.contains(&a))
    }

    /// Whether a division named in the text is consistent with a street or locality: it
    /// holds the place, or (for a street, which belongs to a whole county) lies inside the
    /// street's county.
    pub fn division_fits_place(&self, div: DivId, place: &Place) -> bool {
        self.contains(div, place.home) || (place.kind == PlaceKind::Thoroughfare && self.contains(place.county, div))
    }

    /// Canonical text, level and romanisation of the finest address on a path: the same
    /// as [`Register::address`] gives, built from texts kept per division and place so a
    /// query does no walk of the register.
    pub fn address(&self, path: &Path) -> ResolvedAddress {
        let place = path.place;
        let Some(plate) = path.plate else {
            let level = match place.kind {
                PlaceKind::Thoroughfare => AddressLevel::Thoroughfare,
                PlaceKind::Locality => AddressLevel::Locality,
            };
            return ResolvedAddress {
                id: place.id.clone(),
                canonical: place.text.clone(),
                level,
                pinyin: place.pinyin.clone(),
            };
        };
        // A plate on a street runs down to its township; one on a locality to the locality.
        let mut canonical = match (place.kind, self.township(plate).and_then(|t| self.division(t))) {
            (PlaceKind::Thoroughfare, Some(t)) => format!("{}{}", t.text, place.name),
            (PlaceKind::Thoroughfare, None) => {
                format!("{}{}", self.division(place.county).map_or("", |d| d.text.as_str()), place.name)
            }
            (PlaceKind::Locality, _) => place.text.clone(),
        };
        canonical += &canonical::plate_suffix(plate.number, plate.sub);
        let mut pinyin = format!("{} {}", place.pinyin, canonical::plate_pinyin(plate.number, plate.sub));
        let mut level = AddressLevel::Plate;
        if let Some(b) = path.building {
            canonical += &canonical::building_suffix(&b.number);
            pinyin = format!("{pinyin} {}", canonical::building_pinyin(&b.number));
            level = AddressLevel::Building;
        }
        if let Some(u) = path.unit {
            canonical += &canonical::unit_suffix(&u.number);
            pinyin = format!("{pinyin} {}", canonical::unit_pinyin(&u.number));
            level = AddressLevel::Unit;
        }
        if let Some(r) = path.room {
            canonical += &canonical::room_suffix(&r.number);
            pinyin = format!("{pinyin} {}", canonical::room_pinyin(&r.number));
            level = AddressLevel::Room;
        }
        ResolvedAddress { id: path.id().to_string(), canonical, level, pinyin }
    }

    /// A division as an address (its ID is its code).
    pub fn division_address(&self, div: DivId) -> Option<ResolvedAddress> {
        let d = self.division(div)?;
        Some(ResolvedAddress {
            id: d.code.clone(),
            canonical: d.text.clone(),
            level: AddressLevel::Division,
            pinyin: d.pinyin.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeral_variants() {
        assert_eq!(numeral_variant("三组").as_deref(), Some("3组"));
        assert_eq!(numeral_variant("十二组").as_deref(), Some("12组"));
        assert_eq!(numeral_variant("张家湾"), None);
        assert_eq!(numeral_variant("三"), None);
    }

    #[test]
    fn keys() {
        assert_eq!(latin_keys("航空大道"), ["hangkongdadao"]);
        assert_eq!(latin_keys("绿水镇"), ["lvshuizhen", "lushuizhen"]);
        assert_eq!(override_key("Jinlong Beilu"), "jinlongbeilu");
    }
}
