//! The register as it stood on a date: what an old deed or contract meant by its address.
//!
//! Built from the register as it stands now, going back: records not yet approved or
//! issued on that date, or already retired, drop out; the others carry the name (and
//! parent) they had then, from their former names, and the status they had then. What
//! the register does not know the dates of (records imported from before it began) is
//! taken to have stood as it stands now.

use super::model::*;
use super::register::Register;

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

impl Register {
    /// The register as it stood at the end of `date` (`YYYY-MM-DD`).
    pub fn as_of(&self, date: &str) -> Register {
        let covers = |id: &str, current: bool| match self.lifespans.get(id) {
            Some(span) => span.covers(date, current),
            None => current,
        };
        let mut out = Register { lifespans: self.lifespans.clone(), ..Register::default() };
        for d in self.divisions.values() {
            if !covers(&d.code, d.status == NameStatus::Active) {
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
            out.divisions.insert(
                d.code.clone(),
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
            out.thoroughfares.insert(t.id.clone(), then);
        }
        for l in self.localities.values() {
            if !covers(&l.id, l.status == NameStatus::Active) {
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
            out.localities.insert(l.id.clone(), then);
        }
        for p in self.plates.values() {
            if !out.thoroughfares.contains_key(p.parent.id()) && !out.localities.contains_key(p.parent.id()) {
                continue;
            }
            if !covers(&p.id, p.status == PlateStatus::Issued) {
                continue;
            }
            // A township given a new code since: the plate stood in the one it replaced.
            let township = p.township_code.as_ref().map(|code| out.stood_for(self, code));
            let then = Plate { status: PlateStatus::Issued, replaced_by: None, township_code: township, ..p.clone() };
            out.plates.insert(p.id.clone(), then);
        }
        for b in self.buildings.values() {
            if out.plates.contains_key(&b.plate_id) && covers(&b.id, b.status == NameStatus::Active) {
                out.buildings.insert(b.id.clone(), Building { status: NameStatus::Active, ..b.clone() });
            }
        }
        for u in self.units.values() {
            if out.buildings.contains_key(&u.building_id) && covers(&u.id, u.status == NameStatus::Active) {
                out.units.insert(u.id.clone(), Unit { status: NameStatus::Active, ..u.clone() });
            }
        }
        for r in self.rooms.values() {
            if out.units.contains_key(&r.unit_id) && covers(&r.id, r.status == NameStatus::Active) {
                out.rooms.insert(r.id.clone(), Room { status: NameStatus::Active, ..r.clone() });
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
            if let Some(t) = out.thoroughfares.get_mut(&id) {
                t.county_code = then;
            } else if let Some(l) = out.localities.get_mut(&id) {
                l.village_code = then;
            }
        }
        out
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
        let t = r.thoroughfares.get_mut("thr_1").unwrap();
        t.name = "航空大道".into();
        t.former_names = vec![
            FormerName { name: "机场路".into(), until: "2015-03-01".into(), document: None, parent_code: None },
            FormerName { name: "航空路".into(), until: "2024-05-01".into(), document: None, parent_code: None },
        ];
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
        let gone = r.divisions.get_mut("422801207201").unwrap();
        gone.status = NameStatus::Retired;
        gone.replaced_by = Some("422801207202".into());
        r.lifespans.insert("422801207201".into(), span(None, Some("2025-01-01")));
        r.lifespans.insert("422801207202".into(), span(Some("2025-01-01"), None));
        let l = r.localities.get_mut("loc_1").unwrap();
        l.village_code = "422801207202".into();
        l.name = "七组".into();
        l.former_names = vec![FormerName {
            name: "三组".into(),
            until: "2025-01-01".into(),
            document: Some("恩施市民〔2024〕9号".into()),
            parent_code: Some("422801207201".into()),
        }];
        assert_eq!(r.address("plt_2").unwrap().canonical, "湖北省恩施土家族苗族自治州恩施市芭蕉侗族乡新村七组5号");
        let then = r.as_of("2024-12-31");
        assert!(!then.divisions.contains_key("422801207202"));
        assert_eq!(
            then.address("plt_2").unwrap().canonical,
            "湖北省恩施土家族苗族自治州恩施市芭蕉侗族乡高拱桥村三组5号"
        );
    }

    #[test]
    fn a_renamed_township_answers_to_its_old_name_only_before() {
        let mut r = sample();
        let d = r.divisions.get_mut("422801207").unwrap();
        d.former_names =
            vec![FormerName {
                name: "芭蕉乡".into(), until: "2020-01-01".into(), document: None, parent_code: None
            }];
        d.aliases = vec!["芭蕉乡".into()];
        let then = r.as_of("2019-06-01");
        assert_eq!(then.divisions["422801207"].name, "芭蕉乡");
        assert!(then.divisions["422801207"].aliases.is_empty());
        assert_eq!(then.address("plt_2").unwrap().canonical, "湖北省恩施土家族苗族自治州恩施市芭蕉乡高拱桥村三组5号");
    }
}
