//! The register as it stood on a date: what an old deed or contract meant by its address.
//!
//! Built from the register as it stands now, going back: records not yet approved or
//! issued on that date, or already retired, drop out; the others carry the name (and
//! parent) they had then, from their former names, and the status they had then. What
//! the register does not know the dates of (records imported from before it began) is
//! taken to have stood as it stands now.

use super::model::*;
use super::register::Register;
use super::table::{Linked, Table};

/// One canonical text an address had, from when to when, and the document that gave it.
#[derive(Debug, Clone, PartialEq)]
pub struct TextSpan {
    pub canonical: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub document: Option<String>,
}

impl Lifespan {
    /// Whether a record with this lifespan was in effect on `date` (`YYYY-MM-DD`);
    /// `current` says whether it is in effect today, which decides when an end is unknown.
    pub fn covers(&self, date: &str, current: bool) -> bool {
        let begun = self.from.as_deref().is_none_or(|from| from <= date);
        let ended = match self.to.as_deref() {
            Some(to) => to <= date,
            None => !current,
        };
        begun && !ended
    }
}

/// The name and parent a record had on `date`, and the former names it had before.
/// A former name's `until` is the first day of the name that followed it.
fn as_named<'a>(
    name: &'a str,
    parent: Option<&'a str>,
    former: &'a [FormerName],
    date: &str,
) -> (&'a str, Option<&'a str>, Vec<FormerName>) {
    let mut sorted: Vec<&FormerName> = former.iter().collect();
    sorted.sort_by(|a, b| a.until.cmp(&b.until));
    let then = sorted.iter().position(|f| date < f.until.as_str());
    let before: Vec<FormerName> = sorted[..then.unwrap_or(sorted.len())].iter().map(|f| (*f).clone()).collect();
    let Some(i) = then else { return (name, parent, before) };
    // A former entry records the name, and the parent where a move changed it; a later
    // entry that only renamed says nothing of the parent, so look for the first that does.
    let parent_then = sorted[i..].iter().find_map(|f| f.parent_code.as_deref()).or(parent);
    (sorted[i].name.as_str(), parent_then, before)
}

/// Puts the dated version of a record in place of the current one where they differ.
fn keep<T: Linked + PartialEq + HasId>(
    table: &mut Table<T>,
    changed: &mut super::register::Applied,
    name: bool,
    now: &T,
    then: T,
) {
    if *now != then {
        changed.ids.insert(now.key().to_string());
        changed.names |= name;
        table.insert(now.key().to_string(), then);
    }
}

/// The key a record is kept under.
trait HasId {
    fn key(&self) -> &str;
}

impl HasId for Division {
    fn key(&self) -> &str {
        &self.code
    }
}

macro_rules! has_id {
    ($($t:ty),*) => {$(
        impl HasId for $t {
            fn key(&self) -> &str {
                &self.id
            }
        }
    )*};
}
has_id!(Thoroughfare, Locality, Plate, Building, Unit, Room);

impl Register {
    /// The register as it stood at the end of `date` (`YYYY-MM-DD`).
    pub fn as_of(&self, date: &str) -> Register {
        self.as_of_with_changes(date).0
    }

    /// [`Register::as_of`], and which records differ from the register as it stands: the
    /// dated register is this one with those records changed or taken out, and shares the
    /// rest with it (its tables are persistent), so that it costs what differs, not a copy
    /// of the register.
    pub fn as_of_with_changes(&self, date: &str) -> (Register, super::register::Applied) {
        let mut changed = super::register::Applied::default();
        let covers = |id: &str, current: bool| match self.lifespans.get(id) {
            Some(span) => span.covers(date, current),
            None => current,
        };
        let mut out = self.clone();
        for d in self.divisions.values() {
            if !covers(&d.code, d.status == NameStatus::Active) {
                out.divisions.remove(&d.code);
                changed.ids.insert(d.code.clone());
                changed.names = true;
                continue;
            }
            let (name, parent, before) = as_named(&d.name, d.parent_code.as_deref(), &d.former_names, date);
            // A renamed division keeps its old name among its short forms; on a date before
            // the renaming, neither that nor any later name was one it had yet.
            let later: Vec<&str> = d
                .former_names
                .iter()
                .filter(|f| date < f.until.as_str())
                .map(|f| f.name.as_str())
                .chain([d.name.as_str()])
                .collect();
            let aliases = d.aliases.iter().filter(|a| !later.contains(&a.as_str())).cloned().collect();
            keep(
                &mut out.divisions,
                &mut changed,
                true,
                d,
                Division {
                    name: name.to_string(),
                    parent_code: parent.map(str::to_string),
                    aliases,
                    status: NameStatus::Active,
                    replaced_by: None,
                    former_names: before,
                    ..d.clone()
                },
            );
        }
        for t in self.thoroughfares.values() {
            if !covers(&t.id, t.status == NameStatus::Active) {
                out.thoroughfares.remove(&t.id);
                changed.ids.insert(t.id.clone());
                changed.names = true;
                continue;
            }
            let (name, county, before) = as_named(&t.name, Some(&t.county_code), &t.former_names, date);
            let then = Thoroughfare {
                name: name.to_string(),
                county_code: county.unwrap_or(&t.county_code).to_string(),
                // The romanisation the authority set is for the current name.
                pinyin_override: if name == t.name { t.pinyin_override.clone() } else { None },
                status: NameStatus::Active,
                replaced_by: None,
                former_names: before,
                ..t.clone()
            };
            keep(&mut out.thoroughfares, &mut changed, true, t, then);
        }
        for l in self.localities.values() {
            if !covers(&l.id, l.status == NameStatus::Active) {
                out.localities.remove(&l.id);
                changed.ids.insert(l.id.clone());
                changed.names = true;
                continue;
            }
            let (name, village, before) = as_named(&l.name, Some(&l.village_code), &l.former_names, date);
            let then = Locality {
                name: name.to_string(),
                village_code: village.unwrap_or(&l.village_code).to_string(),
                pinyin_override: if name == l.name { l.pinyin_override.clone() } else { None },
                status: NameStatus::Active,
                replaced_by: None,
                former_names: before,
                ..l.clone()
            };
            keep(&mut out.localities, &mut changed, true, l, then);
        }
        for p in self.plates.values() {
            let stands = out.thoroughfares.contains_key(p.parent.id()) || out.localities.contains_key(p.parent.id());
            if !stands || !covers(&p.id, p.status == PlateStatus::Issued) {
                out.plates.remove(&p.id);
                changed.ids.insert(p.id.clone());
                continue;
            }
            // A township given a new code since: the plate stood in the one it replaced.
            let township = p.township_code.as_ref().map(|code| out.stood_for(self, code));
            let then = Plate { status: PlateStatus::Issued, replaced_by: None, township_code: township, ..p.clone() };
            keep(&mut out.plates, &mut changed, false, p, then);
        }
        for b in self.buildings.values() {
            if out.plates.contains_key(&b.plate_id) && covers(&b.id, b.status == NameStatus::Active) {
                keep(&mut out.buildings, &mut changed, false, b, Building { status: NameStatus::Active, ..b.clone() });
            } else {
                out.buildings.remove(&b.id);
                changed.ids.insert(b.id.clone());
            }
        }
        for u in self.units.values() {
            if out.buildings.contains_key(&u.building_id) && covers(&u.id, u.status == NameStatus::Active) {
                keep(&mut out.units, &mut changed, false, u, Unit { status: NameStatus::Active, ..u.clone() });
            } else {
                out.units.remove(&u.id);
                changed.ids.insert(u.id.clone());
            }
        }
        for r in self.rooms.values() {
            if out.units.contains_key(&r.unit_id) && covers(&r.id, r.status == NameStatus::Active) {
                keep(&mut out.rooms, &mut changed, false, r, Room { status: NameStatus::Active, ..r.clone() });
            } else {
                out.rooms.remove(&r.id);
                changed.ids.insert(r.id.clone());
            }
        }
        // Codes that did not exist yet stand for the divisions they replaced.
        let moved: Vec<(String, String)> = out
            .thoroughfares
            .values()
            .map(|t| (t.id.clone(), t.county_code.clone()))
            .chain(out.localities.values().map(|l| (l.id.clone(), l.village_code.clone())))
            .filter(|(_, code)| !out.divisions.contains_key(code))
            .collect();
        for (id, code) in moved {
            let then = out.stood_for(self, &code);
            if let Some(mut t) = out.thoroughfares.get_mut(&id) {
                t.county_code = then;
            } else if let Some(mut l) = out.localities.get_mut(&id) {
                l.village_code = then;
            }
            changed.ids.insert(id);
            changed.names = true;
        }
        // Lifespans as known on that date: of the records that stood, none had ended yet.
        for (id, span) in self.lifespans.iter() {
            let stood = out.divisions.contains_key(id)
                || out.thoroughfares.contains_key(id)
                || out.localities.contains_key(id)
                || out.plates.contains_key(id)
                || out.buildings.contains_key(id)
                || out.units.contains_key(id)
                || out.rooms.contains_key(id);
            if !stood || span.from.is_none() {
                out.lifespans.remove(id);
            } else if span.to.is_some() {
                out.lifespans.insert(id.clone(), Lifespan { from: span.from.clone(), to: None });
            }
        }
        (out, changed)
    }

    /// Each canonical text the address `id` has had, oldest first: the text, from and to
    /// (`YYYY-MM-DD`, None where unknown or still current), and the document of the change
    /// that gave it. Every name, parent and code change above the address counts: a renamed
    /// street, a township become a town, a merged village.
    pub fn history(&self, id: &str) -> Vec<TextSpan> {
        let line = self.lineage(id);
        let mut dates: Vec<&str> = line
            .divisions
            .values()
            .flat_map(|d| &d.former_names)
            .chain(line.thoroughfares.values().flat_map(|t| &t.former_names))
            .chain(line.localities.values().flat_map(|l| &l.former_names))
            .map(|f| f.until.as_str())
            .chain(line.lifespans.values().flat_map(|s| s.from.iter().chain(s.to.iter()).map(String::as_str)))
            .collect();
        dates.sort_unstable();
        dates.dedup();
        let mut out: Vec<TextSpan> = Vec::new();
        // Before the first known change, the text as the register knows it then.
        for date in std::iter::once("0000-01-01").chain(dates) {
            let then = line.as_of(date);
            let text = then.address(id).map(|a| a.canonical);
            let from = (date != "0000-01-01").then(|| date.to_string());
            match (text, out.last_mut()) {
                (Some(t), Some(last)) if last.canonical == t && last.to.is_none() => {}
                (Some(t), last) => {
                    if let Some(last) = last.filter(|l| l.to.is_none()) {
                        last.to = from.clone();
                    }
                    let document = from.as_deref().and_then(|d| line.document_of_change(&then, id, d));
                    out.push(TextSpan { canonical: t, from, to: None, document });
                }
                (None, Some(last)) if last.to.is_none() => last.to = from,
                (None, _) => {}
            }
        }
        // A record in effect for no whole day (issued and retired the same day) stood on no
        // date's end, yet it had its text: the history says so rather than nothing.
        if out.is_empty() {
            if let Some(text) = self.address(id) {
                let span = self.lifespans.get(id);
                out.push(TextSpan {
                    canonical: text.canonical,
                    from: span.and_then(|s| s.from.clone()),
                    to: span.and_then(|s| s.to.clone()),
                    document: None,
                });
            }
        }
        out
    }

    /// The records an address's text is made of, at any time: the room, unit, building and
    /// plate above it, its street or locality, and the divisions it has hung from (their
    /// parents, former parents, predecessors and successors), with their lifespans.
    fn lineage(&self, id: &str) -> Register {
        let mut line = Register::default();
        let mut ids: Vec<String> = Vec::new();
        let mut next = Some(id.to_string());
        while let Some(cur) = next.take() {
            if let Some(r) = self.rooms.get(&cur) {
                line.rooms.insert(cur.clone(), r.clone());
                next = Some(r.unit_id.clone());
            } else if let Some(u) = self.units.get(&cur) {
                line.units.insert(cur.clone(), u.clone());
                next = Some(u.building_id.clone());
            } else if let Some(b) = self.buildings.get(&cur) {
                line.buildings.insert(cur.clone(), b.clone());
                next = Some(b.plate_id.clone());
            } else if let Some(p) = self.plates.get(&cur) {
                line.plates.insert(cur.clone(), p.clone());
                next = Some(p.parent.id().to_string());
            } else if let Some(t) = self.thoroughfares.get(&cur) {
                line.thoroughfares.insert(cur.clone(), t.clone());
            } else if let Some(l) = self.localities.get(&cur) {
                line.localities.insert(cur.clone(), l.clone());
            }
            ids.push(cur);
        }
        let mut codes: Vec<String> = line
            .plates
            .values()
            .filter_map(|p| p.township_code.clone())
            .chain(line.thoroughfares.values().map(|t| t.county_code.clone()))
            .chain(line.localities.values().map(|l| l.village_code.clone()))
            .chain(self.divisions.contains_key(id).then(|| id.to_string()))
            .chain(
                line.thoroughfares
                    .values()
                    .flat_map(|t| &t.former_names)
                    .chain(line.localities.values().flat_map(|l| &l.former_names))
                    .filter_map(|f| f.parent_code.clone()),
            )
            .collect();
        while let Some(code) = codes.pop() {
            let Some(d) = self.divisions.get(&code) else { continue };
            if line.divisions.contains_key(&code) {
                continue;
            }
            line.divisions.insert(code.clone(), d.clone());
            codes.extend(d.parent_code.iter().cloned());
            codes.extend(d.replaced_by.iter().cloned());
            codes.extend(d.former_names.iter().filter_map(|f| f.parent_code.clone()));
            codes.extend(
                self.divisions.values().filter(|x| x.replaced_by.as_deref() == Some(&code)).map(|x| x.code.clone()),
            );
            ids.push(code);
        }
        line.lifespans = ids.into_iter().filter_map(|i| Some((i.clone(), self.lifespans.get(&i)?.clone()))).collect();
        line
    }

    /// The document of a change on `date` that gave `id` its text in `then`: a renaming of
    /// its street or locality, else of a division in its chain.
    fn document_of_change(&self, then: &Register, id: &str, date: &str) -> Option<String> {
        let changed_on = |former: &[FormerName]| {
            former.iter().find(|f| f.until == date).map(|f| f.document.clone().unwrap_or_default())
        };
        let street = self
            .thoroughfares
            .values()
            .map(|t| &t.former_names)
            .chain(self.localities.values().map(|l| &l.former_names))
            .find_map(|f| changed_on(f));
        let home = then.home_code(id);
        street
            .or_else(|| {
                let chain = home.map(|c| then.chain(&c)).unwrap_or_default();
                chain.iter().rev().filter_map(|d| self.divisions.get(&d.code)).find_map(|d| changed_on(&d.former_names))
            })
            .filter(|d| !d.is_empty())
    }

    /// The division an address's text hangs from: itself for a division, the township or
    /// county of a plate, the village of a locality.
    fn home_code(&self, id: &str) -> Option<String> {
        if self.divisions.contains_key(id) {
            return Some(id.to_string());
        }
        let plate = self.plates.values().next();
        if let Some(p) = plate {
            if let Some(t) = &p.township_code {
                return Some(t.clone());
            }
        }
        self.thoroughfares
            .values()
            .map(|t| t.county_code.clone())
            .chain(self.localities.values().map(|l| l.village_code.clone()))
            .next()
    }

    /// The division of this (dated) register that `code` of the current register `now`
    /// stood for: `code` itself when it was in effect, else the one it replaced.
    fn stood_for(&self, now: &Register, code: &str) -> String {
        if self.divisions.contains_key(code) {
            return code.to_string();
        }
        now.divisions
            .values()
            .find(|d| d.replaced_by.as_deref() == Some(code) && self.divisions.contains_key(&d.code))
            .map_or_else(|| code.to_string(), |d| d.code.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::super::register::tests::sample;
    use super::*;

    fn span(from: Option<&str>, to: Option<&str>) -> Lifespan {
        Lifespan { from: from.map(Into::into), to: to.map(Into::into) }
    }

    #[test]
    fn a_lifespan_includes_its_first_day_and_excludes_its_last() {
        let s = span(Some("2020-01-01"), Some("2024-06-01"));
        assert!(!s.covers("2019-12-31", false));
        assert!(s.covers("2020-01-01", false));
        assert!(s.covers("2024-05-31", false));
        assert!(!s.covers("2024-06-01", false));
        // An end the register does not know: in effect as long as it is now.
        assert!(span(None, None).covers("1990-01-01", true));
        assert!(!span(None, None).covers("1990-01-01", false));
    }

    #[test]
    fn a_renamed_street_has_its_old_name_before_the_renaming() {
        let mut r = sample();
        {
            let mut t = r.thoroughfares.get_mut("thr_1").unwrap();
            t.name = "航空大道".into();
            t.former_names = vec![
                FormerName { name: "机场路".into(), until: "2015-03-01".into(), document: None, parent_code: None },
                FormerName { name: "航空路".into(), until: "2024-05-01".into(), document: None, parent_code: None },
            ];
        }
        let old = r.as_of("2010-01-01");
        assert_eq!(
            old.address("plt_1").unwrap().canonical,
            "湖北省恩施土家族苗族自治州恩施市舞阳坝街道机场路123号附1号"
        );
        assert!(old.thoroughfares["thr_1"].former_names.is_empty());
        let mid = r.as_of("2024-04-30");
        assert_eq!(mid.thoroughfares["thr_1"].name, "航空路");
        assert_eq!(mid.thoroughfares["thr_1"].former_names.len(), 1);
        assert_eq!(r.as_of("2024-05-01").thoroughfares["thr_1"].name, "航空大道");
    }

    #[test]
    fn a_plate_issued_and_retired_on_one_day_keeps_its_history() {
        let mut r = sample();
        r.plates.get_mut("plt_2").unwrap().status = PlateStatus::Retired;
        r.lifespans.insert("plt_2".into(), span(Some("2026-12-04"), Some("2026-12-04")));
        let h = r.history("plt_2");
        assert_eq!(h.len(), 1, "{h:?}");
        assert_eq!(h[0].canonical, "湖北省恩施土家族苗族自治州恩施市芭蕉侗族乡高拱桥村三组5号");
        assert_eq!((h[0].from.as_deref(), h[0].to.as_deref()), (Some("2026-12-04"), Some("2026-12-04")));
    }

    #[test]
    fn records_come_and_go_with_their_lifespans() {
        let mut r = sample();
        r.lifespans.insert("plt_1".into(), span(Some("2021-01-01"), None));
        r.plates.get_mut("plt_2").unwrap().status = PlateStatus::Retired;
        r.lifespans.insert("plt_2".into(), span(None, Some("2023-01-01")));
        let before = r.as_of("2020-12-31");
        assert!(!before.plates.contains_key("plt_1"));
        // What stood behind a plate not yet issued did not stand either.
        assert!(!before.rooms.contains_key("rom_1"));
        assert_eq!(before.plates["plt_2"].status, PlateStatus::Issued);
        let after = r.as_of("2023-01-01");
        assert!(after.rooms.contains_key("rom_1"));
        assert!(!after.plates.contains_key("plt_2"));
        // A proposal was never in effect; a retirement with no date is not dated back.
        r.thoroughfares.get_mut("thr_1").unwrap().status = NameStatus::Proposed;
        assert!(!r.as_of("2030-01-01").thoroughfares.contains_key("thr_1"));
    }

    #[test]
    fn a_merged_village_holds_its_groups_before_the_merger() {
        let mut r = sample();
        let old = r.divisions["422801207201"].clone();
        r.divisions.insert(
            "422801207202".into(),
            Division { code: "422801207202".into(), name: "新村".into(), ..old.clone() },
        );
        {
            let mut gone = r.divisions.get_mut("422801207201").unwrap();
            gone.status = NameStatus::Retired;
            gone.replaced_by = Some("422801207202".into());
        }
        r.lifespans.insert("422801207201".into(), span(None, Some("2025-01-01")));
        r.lifespans.insert("422801207202".into(), span(Some("2025-01-01"), None));
        {
            let mut l = r.localities.get_mut("loc_1").unwrap();
            l.village_code = "422801207202".into();
            l.name = "七组".into();
            l.former_names = vec![FormerName {
                name: "三组".into(),
                until: "2025-01-01".into(),
                document: Some("恩施市民〔2024〕9号".into()),
                parent_code: Some("422801207201".into()),
            }];
        }
        assert_eq!(r.address("plt_2").unwrap().canonical, "湖北省恩施土家族苗族自治州恩施市芭蕉侗族乡新村七组5号");
        let then = r.as_of("2024-12-31");
        assert!(!then.divisions.contains_key("422801207202"));
        assert_eq!(
            then.address("plt_2").unwrap().canonical,
            "湖北省恩施土家族苗族自治州恩施市芭蕉侗族乡高拱桥村三组5号"
        );
    }

    #[test]
    fn a_history_has_every_change_above_the_address_within_its_lifespan() {
        let mut r = sample();
        r.thoroughfares.get_mut("thr_1").unwrap().former_names = vec![FormerName {
            name: "机场路".into(),
            until: "2015-06-30".into(),
            document: Some("恩施市政〔2015〕12号".into()),
            parent_code: None,
        }];
        r.divisions.get_mut("422801001").unwrap().name = "舞阳街道".into();
        r.divisions.get_mut("422801001").unwrap().former_names = vec![FormerName {
            name: "舞阳坝街道".into(),
            until: "2024-01-01".into(),
            document: Some("鄂政函〔2023〕8号".into()),
            parent_code: None,
        }];
        // The room was registered in 2020, after the street's renaming.
        r.lifespans.insert("rom_1".into(), span(Some("2020-03-01"), Some("2025-01-01")));
        r.rooms.get_mut("rom_1").unwrap().status = NameStatus::Retired;
        let h = r.history("rom_1");
        let spans: Vec<(Option<&str>, Option<&str>, Option<&str>)> =
            h.iter().map(|s| (s.from.as_deref(), s.to.as_deref(), s.document.as_deref())).collect();
        assert_eq!(
            spans,
            [
                (Some("2020-03-01"), Some("2024-01-01"), None),
                (Some("2024-01-01"), Some("2025-01-01"), Some("鄂政函〔2023〕8号"))
            ]
        );
        assert!(h[0].canonical.ends_with("舞阳坝街道航空大道123号附1号3栋2单元501室"));
        assert!(h[1].canonical.ends_with("舞阳街道航空大道123号附1号3栋2单元501室"));
        let street = r.history("plt_1");
        assert_eq!(street.len(), 3);
        assert_eq!((street[0].from.as_deref(), street[0].to.as_deref()), (None, Some("2015-06-30")));
        assert_eq!(street[1].document.as_deref(), Some("恩施市政〔2015〕12号"));
    }

    #[test]
    fn a_renamed_township_answers_to_its_old_name_only_before() {
        let mut r = sample();
        {
            let mut d = r.divisions.get_mut("422801207").unwrap();
            d.former_names = vec![FormerName {
                name: "芭蕉乡".into(),
                until: "2020-01-01".into(),
                document: None,
                parent_code: None,
            }];
            d.aliases = vec!["芭蕉乡".into()];
        }
        let then = r.as_of("2019-06-01");
        assert_eq!(then.divisions["422801207"].name, "芭蕉乡");
        assert!(then.divisions["422801207"].aliases.is_empty());
        assert_eq!(then.address("plt_2").unwrap().canonical, "湖北省恩施土家族苗族自治州恩施市芭蕉乡高拱桥村三组5号");
    }
}
