//! The decision of SPEC §5: from a reading to matched / partial / ambiguous / not_found.
//!
//! 1. Candidates: the anchor's streets or localities that every division named fits, each
//!    division name read the way that fits (恩施 first as 恩施市, then as the prefecture).
//!    Exact names first; a homophone slip only where no exact name fits.
//! 2. Each candidate is walked down with each reading of the tail: plate (number and
//!    sub-number), building, unit, room. A walk that finds every part written is a full
//!    match; otherwise it stops at the deepest part that exists.
//! 3. Exactly one full match: matched (partial when text that reads as a place is left
//!    after it). Several: ambiguous. None and one candidate: partial at the deepest part
//!    found. None and several candidates: ambiguous, the candidates as far as they go.
//! 4. No street or locality: a text naming only divisions matches the finest one; any
//!    other unknown text makes it not_found.

use super::index::{DivId, Index, Node, Path, Place, PlaceForm, PlaceId, PlaceKind};
use super::informal::DivisionForm;
use super::normalise::{normalise, Text};
use super::outside::{self, Outside};
use super::parse::{self, How, Mention, Pass, Reading};
use super::plates::Plates;
use super::tail::{Part, Spec};
use super::{Candidate, Correction, OutsideDivision, RecognisedDivision, Resolution, Status};
use crate::domain::china::{Nation, NationalDivision};

/// A street or locality that fits the divisions named, with the reading of each.
struct Cand {
    place: PlaceId,
    form: PlaceForm,
    /// Second-choice readings used.
    penalty: u32,
    /// Per mention, the division it was read as.
    readings: Vec<(DivId, DivisionForm)>,
}

/// How far one candidate goes with one reading of the tail.
struct Walk<'a> {
    cand: usize,
    alt: usize,
    path: Path<'a>,
    /// 0 street or locality, 1 plate, 2 building, 3 unit, 4 room.
    depth: u8,
    /// The first part written that does not exist.
    missing: Option<Part>,
    /// The plate read is a retired one's replacement.
    replaced: bool,
    /// Levels not written but found by a unique search (a room under a building).
    completed: Vec<String>,
}

impl<'a> Walk<'a> {
    fn full(&self) -> bool {
        self.missing.is_none()
    }
    fn id(&self) -> &'a str {
        self.path.id()
    }
}

pub(super) fn resolve(index: &Index, plates: &Plates, input: &str) -> Resolution {
    let text = normalise(input, |c| index.knows(c));
    // A text about somewhere else is never placed inside, whatever street it names.
    if let Some(o) = outside::read(index, &text) {
        return elsewhere(index, &text, o);
    }
    let exact = parse::read(index, &text, Pass::Exact);
    if let Some(r) = try_anchor(index, plates, &text, &exact) {
        return r;
    }
    // No exact name fits the area: a homophone slip, never overriding one.
    let loose = parse::read(index, &text, Pass::Loose);
    if let Some(r) = try_anchor(index, plates, &text, &loose) {
        return r;
    }
    without_street(index, &text, &exact)
}

/// Candidates of the reading's anchor that fit every division named, keeping those that
/// need the fewest second-choice readings.
fn candidates(index: &Index, reading: &Reading, places: &[(PlaceId, PlaceForm)]) -> Vec<Cand> {
    let mut out: Vec<Cand> = Vec::new();
    'places: for &(place_id, form) in places {
        let Some(place) = index.place(place_id) else { continue };
        // A locality is placed by its village; behind unknown text it cannot be.
        if (reading.community.is_some() || reading.after_unknown) && place.kind == PlaceKind::Locality {
            continue;
        }
        if let Some(existing) = out.iter_mut().find(|c| c.place == place_id) {
            existing.form = existing.form.min(form);
            continue;
        }
        let mut penalty = 0;
        let mut readings = Vec::with_capacity(reading.mentions.len());
        for m in &reading.mentions {
            let best = m
                .readings
                .iter()
                .filter(|(div, _, _)| index.division_fits_place(*div, place))
                .min_by_key(|(_, form, secondary)| (*secondary, *form));
            let Some(&(div, form, secondary)) = best else { continue 'places };
            penalty += u32::from(secondary);
            readings.push((div, form));
        }
        out.push(Cand { place: place_id, form, penalty, readings });
    }
    if let Some(min) = out.iter().map(|c| c.penalty).min() {
        out.retain(|c| c.penalty == min);
    }
    out
}

fn try_anchor(index: &Index, plates: &Plates, text: &Text, reading: &Reading) -> Option<Resolution> {
    let anchor = reading.anchor.as_ref()?;
    if reading.blocked.is_some() {
        return None;
    }
    let cands = candidates(index, reading, &anchor.places);
    if cands.is_empty() {
        return None;
    }
    Some(Decider { index, plates, text, reading, cands }.decide())
}

struct Decider<'a> {
    index: &'a Index,
    plates: &'a Plates,
    text: &'a Text,
    reading: &'a Reading,
    cands: Vec<Cand>,
}

impl<'a> Decider<'a> {
    fn place(&self, cand: usize) -> Option<&'a Place> {
        self.cands.get(cand).and_then(|c| self.index.place(c.place))
    }

    fn decide(&self) -> Resolution {
        if let Some(others) = &self.reading.intersection {
            return self.intersection(others);
        }
        let mut walks = Vec::new();
        for c in 0..self.cands.len() {
            for (a, spec) in self.reading.tail.alts.iter().enumerate() {
                if let Some(place) = self.place(c) {
                    walks.push(walk(self.index, self.plates, place, spec, c, a));
                }
            }
        }
        let mut full: Vec<&Walk> = walks.iter().filter(|w| w.full()).collect();
        dedup_ids(&mut full);
        match full.as_slice() {
            [w] if self.reading.place_like.is_empty() => self.answer(Status::Matched, w, None),
            // Text that reads as a place below the address: as far as the register goes.
            [w] => self.answer(Status::Partial, w, Some(self.reading.place_like.join(" "))),
            [] => {
                // Each candidate as far as it goes.
                let mut deepest: Vec<&Walk> = Vec::new();
                for c in 0..self.cands.len() {
                    if let Some(best) = walks.iter().filter(|w| w.cand == c).map(|w| w.depth).max() {
                        deepest.extend(walks.iter().filter(|w| w.cand == c && w.depth == best));
                    }
                }
                dedup_ids(&mut deepest);
                match deepest.as_slice() {
                    [] => not_found(self.index, self.text, self.reading),
                    [w] => {
                        let mut rest = self.missing_text(w);
                        rest.extend(self.reading.place_like.iter().cloned());
                        self.answer(Status::Partial, w, Some(rest.join(" ")))
                    }
                    _ => self.ambiguous(deepest.iter().map(|w| w.path).collect()),
                }
            }
            _ => self.ambiguous(full.iter().map(|w| w.path).collect()),
        }
    }

    /// `X与Y交叉口`: a point on two streets is no plate. Both known: ambiguous between
    /// them; only one: partial at it.
    fn intersection(&self, others: &[(PlaceId, PlaceForm)]) -> Resolution {
        let crossing = candidates(self.index, self.reading, others);
        let mut places: Vec<&Place> =
            self.cands.iter().chain(&crossing).filter_map(|c| self.index.place(c.place)).collect();
        places.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        places.dedup_by(|a, b| a.id == b.id);
        if let [place] = places.as_slice() {
            let w = Walk {
                cand: 0,
                alt: 0,
                path: Path::new(place),
                depth: 0,
                missing: None,
                replaced: false,
                completed: vec![],
            };
            // The rest of the text is already the reading's noise.
            return self.answer(Status::Partial, &w, None);
        }
        self.ambiguous(places.into_iter().map(Path::new).collect())
    }

    /// The written parts from the first one that does not exist, to the end of the tail.
    fn missing_text(&self, w: &Walk) -> Vec<String> {
        let spec = self.reading.tail.alts.get(w.alt);
        let from = w.missing.and_then(|part| {
            let spec = spec?;
            // A part not written (a unit searched for) reports from the next written one.
            [Part::Number, Part::Sub, Part::Building, Part::Unit, Part::Room]
                .into_iter()
                .filter(|p| *p >= part)
                .find_map(|p| spec.start(p))
        });
        match from {
            Some(start) if start < self.reading.tail.end => vec![self.text.spaced(start, self.reading.tail.end)],
            _ => vec![],
        }
    }

    fn ambiguous(&self, paths: Vec<Path>) -> Resolution {
        let share = 1.0 / paths.len().max(1) as f64;
        let mut candidates: Vec<Candidate> = paths
            .iter()
            .map(|p| self.index.address(p))
            .map(|a| Candidate { id: a.id, canonical: a.canonical, confidence: round(share) })
            .collect();
        candidates.sort_by(|a, b| a.canonical.cmp(&b.canonical));
        let mut corrections = self.base_corrections(None);
        corrections.extend(self.anchor_corrections(None));
        Resolution {
            status: Status::Ambiguous,
            address: None,
            confidence: round(share * factor(&corrections)),
            corrections,
            unmatched: self.noise(),
            recognised: recognised_of_mentions(self.index, &self.reading.mentions),
            candidates,
            outside: None,
        }
    }

    fn noise(&self) -> Option<String> {
        let n = self.reading.noise.join(" ");
        (!n.trim().is_empty()).then_some(n)
    }

    /// Corrections that hold for any answer: the text's own spelling and the divisions.
    fn base_corrections(&self, cand: Option<&Cand>) -> Vec<Correction> {
        let mut out: Vec<Correction> = self.text.traditional.iter().cloned().collect();
        let mentions = &self.reading.mentions;
        for (k, m) in mentions.iter().enumerate() {
            // The reading used for this candidate, or the mention's first reading.
            let reading = match cand {
                Some(c) => c.readings.get(k).copied(),
                None => m.readings.first().map(|(d, f, _)| (*d, *f)),
            };
            let Some((div, form)) = reading else { continue };
            let kind = match form {
                DivisionForm::Official => continue,
                DivisionForm::Short => "short_form",
                DivisionForm::Informal => "informal_name",
            };
            if let Some(d) = self.index.division(div) {
                let c = Correction { kind, from: m.text.clone(), to: d.name.clone() };
                if !out.contains(&c) {
                    out.push(c);
                }
            }
        }
        out
    }

    /// How the street or locality was named.
    fn anchor_corrections(&self, cand: Option<&Cand>) -> Vec<Correction> {
        let Some(anchor) = &self.reading.anchor else { return vec![] };
        let mut out = Vec::new();
        let place = cand.and_then(|c| self.index.place(c.place));
        let to = place.map(|p| p.name.clone()).unwrap_or_default();
        match anchor.how {
            How::Exact => {}
            How::Homophone => out.push(Correction { kind: "homophone", from: anchor.text.clone(), to: to.clone() }),
            How::Pinyin => out.push(Correction { kind: "pinyin", from: anchor.text.clone(), to: to.clone() }),
        }
        match cand.map(|c| c.form) {
            Some(PlaceForm::Former) => out.push(Correction { kind: "former_name", from: anchor.text.clone(), to }),
            Some(PlaceForm::Numeral) => out.push(Correction { kind: "numeral", from: anchor.text.clone(), to }),
            _ => {}
        }
        out
    }

    fn answer(&self, status: Status, w: &Walk, unmatched: Option<String>) -> Resolution {
        let cand = self.cands.get(w.cand);
        let address = self.index.address(&w.path);
        let mut corrections = self.base_corrections(cand);
        corrections.extend(self.anchor_corrections(cand));
        corrections.extend(self.reading.tail.corrections.iter().cloned());
        if let (Some(from), Some(spec)) = (&self.reading.tail.split_from, self.reading.tail.alts.get(w.alt)) {
            corrections.push(Correction { kind: "split", from: from.clone(), to: split_text(spec) });
        }
        if w.replaced {
            corrections.push(Correction { kind: "replaced", from: String::new(), to: address.canonical.clone() });
        }
        for c in &w.completed {
            corrections.push(Correction { kind: "completed_level", from: String::new(), to: c.clone() });
        }
        let recognised_div = self.recognised_division(w, cand);
        if let Some(c) = cand {
            self.township_correction(w, c, &mut corrections);
        }
        let chain = recognised_chain(self.index, recognised_div);
        let omitted: String = chain
            .iter()
            .filter(|d| {
                !cand.is_some_and(|c| {
                    c.readings.iter().any(|(r, _)| self.index.division(*r).is_some_and(|x| x.code == d.code))
                })
            })
            .map(|d| d.name.as_str())
            .collect();
        if !omitted.is_empty() {
            corrections.push(Correction { kind: "completed_level", from: String::new(), to: omitted });
        }
        let base = match status {
            Status::Matched => 0.99,
            _ => 0.6,
        };
        // Several streets fitted and the plate chose one of them.
        let chosen = if self.cands.len() > 1 { 0.9 } else { 1.0 };
        let noisy = if self.reading.noise.is_empty() { 1.0 } else { 0.98 };
        let unmatched = match (unmatched, self.noise()) {
            (Some(u), Some(n)) if !u.is_empty() => Some(format!("{u} {n}")),
            (Some(u), None) if !u.is_empty() => Some(u),
            (_, n) => n,
        };
        Resolution {
            status,
            address: Some(address),
            confidence: round(base * chosen * noisy * factor(&corrections)),
            corrections,
            unmatched,
            recognised: chain,
            candidates: vec![],
            outside: None,
        }
    }

    /// The division the answer is read to lie in: the plate's township, the locality's
    /// village, or for a street its county, or a township of it the text named.
    fn recognised_division(&self, w: &Walk, cand: Option<&Cand>) -> Option<DivId> {
        let place = cand.and_then(|c| self.index.place(c.place))?;
        let own = if place.kind == PlaceKind::Thoroughfare {
            w.path.plate.and_then(|p| self.index.township(p)).unwrap_or(place.home)
        } else {
            place.home
        };
        let finer = cand?
            .readings
            .iter()
            .map(|(d, _)| *d)
            .filter(|d| self.index.contains(own, *d) && *d != own)
            .max_by_key(|d| self.index.division(*d).map_or(0, |x| x.chain.len()));
        Some(finer.unwrap_or(own))
    }

    /// The text named a township other than the plate's own.
    fn township_correction(&self, w: &Walk, cand: &Cand, corrections: &mut Vec<Correction>) {
        let Some(own) = w.path.plate.and_then(|p| self.index.township(p)) else { return };
        for (k, (div, _)) in cand.readings.iter().enumerate() {
            let Some(d) = self.index.division(*div) else { continue };
            if d.level == super::super::model::DivisionLevel::Township && *div != own {
                let to = self.index.division(own).map(|x| x.name.clone()).unwrap_or_default();
                let from = self.reading.mentions.get(k).map(|m| m.text.clone()).unwrap_or_default();
                corrections.push(Correction { kind: "township", from, to });
            }
        }
    }
}

/// `附1号1栋`: how run-on digits were cut.
fn split_text(spec: &Spec) -> String {
    let mut s = spec.sub.map(|k| format!("附{k}号")).unwrap_or_default();
    if let Some(b) = &spec.building {
        s += &format!("{b}栋");
    } else if let Some(u) = &spec.unit {
        s += &format!("{u}单元");
    }
    s
}

/// Drops repeated addresses, keeping the first of each.
fn dedup_ids(walks: &mut Vec<&Walk>) {
    let mut seen: Vec<&str> = Vec::new();
    walks.retain(|w| {
        if seen.contains(&w.id()) {
            false
        } else {
            seen.push(w.id());
            true
        }
    });
}

/// The node numbered `number`; letters in either case (`b8` is B8).
fn find<'n>(nodes: &'n [Node], number: &str) -> Option<&'n Node> {
    nodes.iter().find(|n| n.number.eq_ignore_ascii_case(number))
}

/// A level the text left out (`101号3单元`, no building): only where there is just one
/// node at that level, so leaving it out names nothing else; then the child numbered
/// `number` under it.
fn only_child<'n>(nodes: &'n [Node], number: &str) -> Option<(&'n Node, &'n Node)> {
    let [only] = nodes else { return None };
    find(&only.children, number).map(|c| (only, c))
}

fn walk<'a>(index: &'a Index, plates: &'a Plates, place: &'a Place, spec: &Spec, cand: usize, alt: usize) -> Walk<'a> {
    let mut w = Walk { cand, alt, path: Path::new(place), depth: 0, missing: None, replaced: false, completed: vec![] };
    if spec.is_empty() {
        return w;
    }
    let Some(number) = spec.number else {
        w.missing = Some(Part::Building);
        return w;
    };
    let Some((plate, replaced)) = plates.at(index, &place.id, number, spec.sub) else {
        // A sub-number never issued on an issued base: the base plate.
        match spec.sub.and_then(|_| plates.at(index, &place.id, number, None)) {
            Some((plate, replaced)) => {
                w.path.plate = Some(plate);
                w.depth = 1;
                w.replaced = replaced;
                w.missing = Some(Part::Sub);
            }
            None => w.missing = Some(Part::Number),
        }
        return w;
    };
    w.path.plate = Some(plate);
    w.depth = 1;
    w.replaced = replaced;
    // Building: as written, or the only building, holding the unit written.
    let building = match (&spec.building, &spec.unit) {
        (Some(b), _) => match find(&plate.buildings, b) {
            Some(n) => n,
            None => {
                w.missing = Some(Part::Building);
                return w;
            }
        },
        (None, Some(u)) => match only_child(&plate.buildings, u) {
            Some((b, _)) => {
                w.completed.push(format!("{}栋", b.number));
                b
            }
            None => {
                w.missing = Some(Part::Building);
                return w;
            }
        },
        (None, None) => {
            if let Some(r) = &spec.room {
                // A room with building and unit left out: only under a plate with one
                // building of one unit.
                let only = match plate.buildings.as_slice() {
                    [b] => only_child(&b.children, r).map(|(u, room)| (b, u, room)),
                    _ => None,
                };
                match only {
                    Some((b, u, room)) => {
                        w.completed.push(format!("{}栋{}单元", b.number, u.number));
                        (w.path.building, w.path.unit, w.path.room) = (Some(b), Some(u), Some(room));
                        w.depth = 4;
                    }
                    None => w.missing = Some(Part::Building),
                }
            }
            return w;
        }
    };
    w.path.building = Some(building);
    w.depth = 2;
    let unit = match (&spec.unit, &spec.room) {
        (Some(u), _) => match find(&building.children, u) {
            Some(n) => n,
            None => {
                w.missing = Some(Part::Unit);
                return w;
            }
        },
        (None, Some(r)) => match only_child(&building.children, r) {
            Some((u, _)) => {
                w.completed.push(format!("{}单元", u.number));
                u
            }
            None => {
                w.missing = Some(Part::Unit);
                return w;
            }
        },
        (None, None) => return w,
    };
    w.path.unit = Some(unit);
    w.depth = 3;
    if let Some(r) = &spec.room {
        match find(&unit.children, r) {
            Some(room) => {
                w.path.room = Some(room);
                w.depth = 4;
            }
            None => w.missing = Some(Part::Room),
        }
    }
    w
}

/// No street or locality fits: a text naming only divisions matches the finest one;
/// otherwise not_found.
fn without_street(index: &Index, text: &Text, reading: &Reading) -> Resolution {
    let only_divisions = reading.anchor.is_none()
        && reading.blocked.is_none()
        && reading.unknown.is_empty()
        && !reading.mentions.is_empty();
    if !only_divisions {
        return not_found(index, text, reading);
    }
    let (best, penalty) = finest_divisions(index, &reading.mentions);
    let mut corrections: Vec<Correction> = text.traditional.iter().cloned().collect();
    match best.as_slice() {
        [div] => {
            let Some(address) = index.division_address(*div) else { return not_found(index, text, reading) };
            for m in &reading.mentions {
                let used =
                    m.readings.iter().filter(|(r, _, _)| index.contains(*r, *div)).min_by_key(|(_, f, s)| (*s, *f));
                let kind = match used.map(|(_, f, _)| *f) {
                    Some(DivisionForm::Short) => "short_form",
                    Some(DivisionForm::Informal) => "informal_name",
                    _ => continue,
                };
                let to = used.and_then(|(r, _, _)| index.division(*r)).map(|x| x.name.clone()).unwrap_or_default();
                corrections.push(Correction { kind, from: m.text.clone(), to });
            }
            let confidence = round(0.99 * 0.95f64.powi(penalty as i32) * factor(&corrections));
            let noise = reading.noise.join(" ");
            Resolution {
                status: Status::Matched,
                address: Some(address),
                confidence,
                corrections,
                unmatched: (!noise.is_empty()).then_some(noise),
                recognised: recognised_chain(index, Some(*div)),
                candidates: vec![],
                outside: None,
            }
        }
        [] => not_found(index, text, reading),
        many => {
            let share = 1.0 / many.len() as f64;
            let candidates = many
                .iter()
                .filter_map(|d| index.division_address(*d))
                .map(|a| Candidate { id: a.id, canonical: a.canonical, confidence: round(share) })
                .collect();
            Resolution {
                status: Status::Ambiguous,
                address: None,
                confidence: round(share),
                corrections,
                unmatched: None,
                recognised: recognised_of_mentions(index, &reading.mentions),
                candidates,
                outside: None,
            }
        }
    }
}

fn not_found(index: &Index, text: &Text, reading: &Reading) -> Resolution {
    // What the register does not have: the street as written, or the unknown text.
    let unmatched: Vec<String> = match &reading.anchor {
        Some(a) => vec![a.text.clone() + &text.spaced(reading.tail.end.min(text.len()), text.len())],
        None => reading.blocked.iter().chain(&reading.unknown).cloned().collect(),
    };
    let u = unmatched.join(" ");
    Resolution {
        status: Status::NotFound,
        address: None,
        confidence: 0.0,
        corrections: text.traditional.iter().cloned().collect(),
        unmatched: (!u.is_empty()).then_some(u),
        recognised: recognised_of_mentions(index, &reading.mentions),
        candidates: vec![],
        outside: None,
    }
}

/// The finest divisions every mention fits (each mention read as an ancestor of it),
/// preferring first-choice readings; with the second-choice readings used.
fn finest_divisions(index: &Index, mentions: &[Mention]) -> (Vec<DivId>, u32) {
    let mut best: Vec<DivId> = Vec::new();
    let mut best_key = (u32::MAX, 0usize);
    for m in mentions {
        for &(r, _, _) in &m.readings {
            let mut penalty = 0;
            let fits = mentions.iter().all(|other| {
                match other
                    .readings
                    .iter()
                    .filter(|(a, _, _)| index.contains(*a, r))
                    .map(|(_, _, s)| u32::from(*s))
                    .min()
                {
                    Some(p) => {
                        penalty += p;
                        true
                    }
                    None => false,
                }
            });
            if !fits {
                continue;
            }
            let depth = index.division(r).map_or(0, |d| d.chain.len());
            let key = (penalty, depth);
            if key.0 < best_key.0 || (key.0 == best_key.0 && key.1 > best_key.1) {
                best_key = key;
                best = vec![r];
            } else if key == best_key && !best.contains(&r) {
                best.push(r);
            }
        }
    }
    (best, if best_key.0 == u32::MAX { 0 } else { best_key.0 })
}

/// The divisions the mentions were read to name, province down: the finest division
/// they fit, or what several such have in common.
fn recognised_of_mentions(index: &Index, mentions: &[Mention]) -> Vec<RecognisedDivision> {
    let (best, _) = finest_divisions(index, mentions);
    let chains: Vec<&Vec<DivId>> = best.iter().filter_map(|d| index.division(*d)).map(|d| &d.chain).collect();
    let Some(first) = chains.first() else {
        // Mentions that fit no one chain: the first one's own reading.
        let first = mentions.first().and_then(|m| m.readings.first()).map(|r| r.0);
        return recognised_chain(index, first);
    };
    let common = first.iter().take_while(|d| chains.iter().all(|c| c.contains(d))).last().copied();
    recognised_chain(index, common)
}

fn recognised_chain(index: &Index, div: Option<DivId>) -> Vec<RecognisedDivision> {
    let Some(d) = div.and_then(|d| index.division(d)) else { return vec![] };
    d.chain
        .iter()
        .filter_map(|x| index.division(*x))
        .map(|x| RecognisedDivision { code: x.code.clone(), name: x.name.clone(), level: x.level })
        .collect()
}

/// A text naming a place outside the register: not_found, with that place; of the
/// register, only the province where the place lies in it (湖北省 for 武汉).
fn elsewhere(index: &Index, text: &Text, o: Outside) -> Resolution {
    let nation = Nation::get();
    let chain: Vec<&NationalDivision> = nation.chain(o.division).iter().filter_map(|x| nation.division(*x)).collect();
    let recognised = chain
        .first()
        .and_then(|province| index.by_code.get(&province.code))
        .map(|div| recognised_chain(index, Some(*div)))
        .unwrap_or_default();
    let rest = text.spaced(o.end, text.len());
    let outside = chain.last().map(|d| OutsideDivision {
        code: d.code.clone(),
        name: d.name.clone(),
        level: d.level,
        chain: chain.iter().map(|x| x.name.clone()).collect(),
    });
    Resolution {
        status: Status::NotFound,
        address: None,
        confidence: 0.0,
        corrections: text.traditional.iter().cloned().collect(),
        unmatched: (!rest.trim().is_empty()).then_some(rest),
        recognised,
        candidates: vec![],
        outside,
    }
}

/// How much the corrections lower the confidence.
fn factor(corrections: &[Correction]) -> f64 {
    corrections
        .iter()
        .map(|c| match c.kind {
            "homophone" => 0.85,
            "pinyin" => 0.93,
            "former_name" | "informal_name" => 0.97,
            "split" | "replaced" | "township" => 0.9,
            "traditional" => 0.99,
            "completed_level" => 0.99,
            _ => 1.0,
        })
        .product()
}

fn round(x: f64) -> f64 {
    (x.clamp(0.0, 1.0) * 1000.0).round() / 1000.0
}
