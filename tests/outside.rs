//! Texts about places outside the register (SPEC §5 "Outside the register"), built for
//! every county-level unit of China from the bundled national list and the bundled
//! register's own street and group names: each is `not_found` with the place it names
//! and no division of the register recognised (湖北省 alone for the rest of Hubei); and
//! the register's own addresses, with and without province and prefecture, still resolve
//! to themselves.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use menpai::domain::china::{derived_short_forms, Nation, NationalDivision, WORD_NAMES};
use menpai::domain::resolve::{Resolution, Resolver, Status};
use menpai::domain::{import, interchange, DivisionLevel, NameStatus, PlateStatus, Register};

fn bundled() -> Arc<Register> {
    let features = interchange::parse(menpai::app::BUNDLED_ENSHI).expect("the bundled register parses");
    Arc::new(import::plan(&Register::default(), features).additions)
}

/// The register's own county-level units and what lies below them are inside.
fn inside(reg: &Register, nation: &Nation, id: u32) -> bool {
    nation
        .chain(id)
        .iter()
        .filter_map(|x| nation.division(*x))
        .any(|d| d.level != DivisionLevel::Province && reg.divisions.contains_key(&d.code))
}

/// How well a text was placed.
#[derive(Default)]
struct Tally {
    texts: usize,
    /// Placed outside, but above the division written (`青岛市南区`: 青岛市).
    coarser: Vec<String>,
    /// Not placed outside, placed in the wrong place, or an Enshi division recognised.
    misses: Vec<String>,
}

/// Whether the answer places the text outside, at one of `allowed` (the division written,
/// or for a name several share, one of them or what they share) or at worst above it,
/// and recognises no division of the register but 湖北省 for a place in Hubei.
fn check(nation: &Nation, r: &Resolution, text: &str, allowed: &[String], tally: &mut Tally) {
    tally.texts += 1;
    let province_only = allowed.iter().all(|c| c.starts_with("42"));
    let recognised: Vec<&str> = r.recognised.iter().map(|d| d.code.as_str()).collect();
    let recognised_ok = recognised.is_empty() || (province_only && recognised == ["420000"]);
    let code = r.outside.as_ref().map(|o| o.code.as_str());
    let exact = code.is_some_and(|c| allowed.iter().any(|a| a == c));
    // Above the division written: an ancestor of one of the allowed.
    let above = code
        .and_then(|c| nation.by_code(c))
        .is_some_and(|got| allowed.iter().filter_map(|a| nation.by_code(a)).any(|want| nation.contains(got, want)));
    if r.status == Status::NotFound && recognised_ok && !exact && above {
        tally.coarser.push(format!("{text} → {:?}", r.outside.as_ref().map(|o| o.chain.concat())));
    } else if r.status != Status::NotFound || !exact || !recognised_ok {
        tally.misses.push(format!(
            "{text} → {:?} {:?} outside {:?} recognised {:?} (want one of {allowed:?})",
            r.status,
            r.address.as_ref().map(|a| &a.canonical),
            r.outside.as_ref().map(|o| (&o.code, o.chain.concat())),
            recognised
        ));
    }
}

fn short(d: &NationalDivision) -> String {
    derived_short_forms(&d.name, d.level).into_iter().next().unwrap_or_else(|| d.name.clone())
}

/// Divisions by (name, level), to find the others of a name.
type ByName = HashMap<(String, DivisionLevel), Vec<u32>>;

fn by_name(nation: &Nation) -> ByName {
    let mut out: ByName = HashMap::new();
    for (i, d) in nation.divisions.iter().enumerate() {
        out.entry((d.name.clone(), d.level)).or_default().push(i as u32);
    }
    out
}

/// The codes a text naming `name` under `scope` may answer with: the one division of
/// that name, or, where several under `scope` share it, any of them or what they share.
fn allowed(
    nation: &Nation,
    names: &ByName,
    scope: Option<u32>,
    name: &str,
    level: DivisionLevel,
    itself: u32,
) -> Vec<String> {
    let same: Vec<u32> = names
        .get(&(name.to_string(), level))
        .map(|ids| ids.iter().copied().filter(|i| scope.is_none_or(|s| nation.contains(s, *i))).collect())
        .unwrap_or_default();
    if same.len() <= 1 {
        return vec![nation.division(itself).map(|d| d.code.clone()).unwrap_or_default()];
    }
    let mut out: HashSet<String> = HashSet::new();
    for s in same {
        for x in nation.chain(s) {
            if let Some(d) = nation.division(x) {
                out.insert(d.code.clone());
            }
        }
    }
    out.into_iter().collect()
}

#[test]
fn every_county_of_china_outside_the_register_is_read_as_outside() {
    let reg = bundled();
    let resolver = Resolver::build(reg.clone());
    let nation = Nation::get();
    let names = by_name(nation);
    let mut streets: Vec<&str> =
        reg.thoroughfares.values().filter(|t| t.status == NameStatus::Active).map(|t| t.name.as_str()).collect();
    streets.sort();
    let mut groups: Vec<&str> =
        reg.localities.values().filter(|l| l.status == NameStatus::Active).map(|l| l.name.as_str()).collect();
    groups.sort();
    let mut villages: Vec<&str> =
        reg.divisions.values().filter(|d| d.level == DivisionLevel::Village).map(|d| d.name.as_str()).collect();
    villages.sort();
    assert!(streets.len() > 50 && groups.len() > 10 && villages.len() > 100);

    let counties: Vec<u32> = (0..nation.divisions.len() as u32)
        .filter(|i| nation.division(*i).is_some_and(|d| d.level == DivisionLevel::County))
        .filter(|i| !inside(&reg, nation, *i))
        .collect();
    assert!(counties.len() > 2_900, "{} counties outside", counties.len());

    // Townships by county, for the third form.
    let mut first_township: HashMap<u32, u32> = HashMap::new();
    for (i, d) in nation.divisions.iter().enumerate() {
        if d.level == DivisionLevel::Township && d.name.chars().count() >= 3 {
            if let Some(p) = d.parent {
                first_township.entry(p).or_insert(i as u32);
            }
        }
    }

    let mut tally = Tally::default();
    for (k, &c) in counties.iter().enumerate() {
        let county = nation.division(c).unwrap();
        let chain: Vec<&NationalDivision> = nation.chain(c).iter().filter_map(|x| nation.division(*x)).collect();
        let province = chain[0];
        let prefecture = chain.iter().find(|d| d.level == DivisionLevel::Prefecture).copied();
        let street = streets[k % streets.len()];

        // 1. The county's full name and a street of the register (a county called 城区
        //    is only a word without its prefecture: `恩施市城区` is the register's).
        if !WORD_NAMES.contains(&county.name.as_str()) {
            let text = format!("{}{street}12号", county.name);
            let want = allowed(nation, &names, None, &county.name, DivisionLevel::County, c);
            check(nation, &resolver.resolve(&text), &text, &want, &mut tally);
        }

        // 2. Province and prefecture by their short forms, then the county.
        let text = format!(
            "{}{}{}{}",
            short(province),
            prefecture.map(short).unwrap_or_default(),
            county.name,
            streets[(k + 7) % streets.len()]
        );
        let want = allowed(nation, &names, Some(nation.chain(c)[0]), &county.name, DivisionLevel::County, c);
        check(nation, &resolver.resolve(&text), &text, &want, &mut tally);

        // 3. Prefecture (or province), a township of the county, a village and a group
        //    of the register.
        if let Some(&t) = first_township.get(&c) {
            let township = nation.division(t).unwrap();
            let above = prefecture.unwrap_or(province);
            let text =
                format!("{}{}{}{}", above.name, township.name, villages[k % villages.len()], groups[k % groups.len()]);
            let scope = nation.by_code(&above.code);
            let want = allowed(nation, &names, scope, &township.name, DivisionLevel::Township, t);
            check(nation, &resolver.resolve(&text), &text, &want, &mut tally);
        }
    }
    let Tally { texts, coarser, misses } = tally;
    assert!(misses.is_empty(), "{} of {texts} texts misread:\n{}", misses.len(), misses.join("\n"));
    // The division written is what is answered, but for the rare text whose names run
    // into each other (`青岛市南区` read 青岛市 + 南区): then a division above it.
    assert!(coarser.len() * 200 <= texts, "{} of {texts} placed too coarsely:\n{}", coarser.len(), coarser.join("\n"));
    eprintln!("{texts} texts; {} placed above the division written:\n{}", coarser.len(), coarser.join("\n"));
}

#[test]
fn the_registers_own_addresses_stay_inside() {
    let reg = bundled();
    let resolver = Resolver::build(reg.clone());
    let mut ids: Vec<&String> =
        reg.plates.values().filter(|p| p.status == PlateStatus::Issued).map(|p| &p.id).collect();
    ids.extend(reg.thoroughfares.values().filter(|t| t.status == NameStatus::Active).map(|t| &t.id));
    ids.extend(reg.localities.values().filter(|l| l.status == NameStatus::Active).map(|l| &l.id));
    let mut misses = Vec::new();
    for id in &ids {
        let canonical = reg.address(id).unwrap().canonical;
        let bare = canonical.strip_prefix("湖北省恩施土家族苗族自治州").unwrap_or(&canonical).to_string();
        for text in [canonical.clone(), format!("湖北省恩施州{bare}"), bare] {
            let r = resolver.resolve(&text);
            let got = r.address.as_ref().filter(|_| r.status == Status::Matched).map(|a| &a.id);
            if got != Some(*id) || r.outside.is_some() {
                misses.push(format!("{text} → {:?} {:?}", r.status, r.outside));
            }
        }
    }
    assert!(misses.is_empty(), "{} misread:\n{}", misses.len(), misses.join("\n"));
}
