//! Every current address of the bundled Enshi register read back from its own canonical
//! text and from the ways people shorten or dress it: the resolver finds each one, and
//! never matches a text to another address (SPEC §5: never confidently wrong).

use std::sync::Arc;

use menpai::domain::resolve::{Resolution, Resolver, Status};
use menpai::domain::{import, interchange, NameStatus, PlateStatus, Register};

fn bundled() -> Arc<Register> {
    let features = interchange::parse(menpai::app::BUNDLED_ENSHI).expect("the bundled register parses");
    Arc::new(import::plan(&Register::default(), features).additions)
}

/// IDs of every current street, locality, plate, building, unit and room.
fn current_addresses(reg: &Register) -> Vec<String> {
    let active = |s: NameStatus| s == NameStatus::Active;
    let mut ids: Vec<String> = Vec::new();
    ids.extend(reg.thoroughfares.values().filter(|t| active(t.status)).map(|t| t.id.clone()));
    ids.extend(reg.localities.values().filter(|l| active(l.status)).map(|l| l.id.clone()));
    ids.extend(reg.plates.values().filter(|p| p.status == PlateStatus::Issued).map(|p| p.id.clone()));
    ids.extend(reg.buildings.values().filter(|b| active(b.status)).map(|b| b.id.clone()));
    ids.extend(reg.units.values().filter(|u| active(u.status)).map(|u| u.id.clone()));
    ids.extend(reg.rooms.values().filter(|r| active(r.status)).map(|r| r.id.clone()));
    ids.sort();
    ids
}

fn matched_id(r: &Resolution) -> Option<&str> {
    (r.status == Status::Matched).then(|| r.address.as_ref().map(|a| a.id.as_str())).flatten()
}

const PROVINCE_PREFECTURE: &str = "湖北省恩施土家族苗族自治州";

/// The same address as people write it: without province and prefecture, with the
/// prefecture's short form, in full-width digits, and with a label and a landmark around it.
fn spellings(canonical: &str) -> Vec<String> {
    let bare = canonical.strip_prefix(PROVINCE_PREFECTURE).unwrap_or(canonical);
    let full_width: String = canonical
        .chars()
        .map(|c| if c.is_ascii_digit() { char::from_u32(c as u32 + 0xFEE0).unwrap() } else { c })
        .collect();
    vec![
        canonical.to_string(),
        bare.to_string(),
        format!("恩施州{bare}"),
        full_width,
        format!("地址：{bare}（人民医院附近）"),
    ]
}

#[test]
fn every_current_address_is_found_from_its_own_text_however_it_is_dressed() {
    let reg = bundled();
    let resolver = Resolver::build(reg.clone());
    let ids = current_addresses(&reg);
    assert!(ids.len() > 1_000, "the bundled register has {} current addresses", ids.len());
    let mut misses = Vec::new();
    for id in &ids {
        let canonical = reg.address(id).unwrap().canonical;
        for text in spellings(&canonical) {
            let r = resolver.resolve(&text);
            if matched_id(&r) != Some(id.as_str()) {
                misses.push(format!("{text} → {:?} {:?}", r.status, r.address.map(|a| a.canonical)));
            }
        }
    }
    assert!(
        misses.is_empty(),
        "{} of {} texts not matched to their own address:\n{}",
        misses.len(),
        ids.len() * 5,
        misses.join("\n")
    );
}

#[test]
fn without_its_township_an_address_is_found_or_left_open_but_never_mistaken() {
    let reg = bundled();
    let resolver = Resolver::build(reg.clone());
    let (mut found, mut open, mut wrong) = (0, 0, Vec::new());
    for id in current_addresses(&reg) {
        let Some(plate_township) = township_of(&reg, &id) else { continue };
        let canonical = reg.address(&id).unwrap().canonical;
        let text = canonical.replacen(&plate_township, "", 1);
        let r = resolver.resolve(&text);
        match matched_id(&r) {
            Some(got) if got == id => found += 1,
            Some(_) => wrong.push(format!("{text} → {}", r.address.unwrap().canonical)),
            None => open += 1,
        }
    }
    assert!(wrong.is_empty(), "matched to another address:\n{}", wrong.join("\n"));
    assert!(found > 0 && found >= 9 * open, "found {found}, left open {open}");
}

/// The full name of the township in a plate-level address's text, if it has one.
fn township_of(reg: &Register, id: &str) -> Option<String> {
    let code = reg.plate_of(id)?.township_code.as_deref()?;
    Some(reg.divisions.get(code)?.name.clone())
}
