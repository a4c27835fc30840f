//! Canonical text (SPEC §3): the one official spelling of an address, and its sign
//! romanisation, built from current official names.

use super::generic::{self, GenericKind};
use super::model::Division;
use super::pinyin;

/// The full official names from the province down, concatenated.
pub fn division_chain(chain: &[&Division]) -> String {
    chain.iter().map(|d| d.name.as_str()).collect()
}

/// `123号` or `123号附1号`.
pub fn plate_suffix(number: i32, sub: Option<i32>) -> String {
    match sub {
        Some(k) => format!("{number}号附{k}号"),
        None => format!("{number}号"),
    }
}

pub fn building_suffix(number: &str) -> String {
    format!("{number}栋")
}

pub fn unit_suffix(number: &str) -> String {
    format!("{number}单元")
}

pub fn room_suffix(number: &str) -> String {
    format!("{number}室")
}

/// Sign romanisation of a thoroughfare or locality name (`Hangkong Dadao`); a name without
/// a known generic part (legacy data) is romanised as one word.
pub fn romanise_place(name: &str, kind: GenericKind, pinyin_override: Option<&str>) -> String {
    if let Some(o) = pinyin_override.filter(|o| !o.trim().is_empty()) {
        return o.trim().to_string();
    }
    match generic::split(name, kind) {
        Some((specific, g)) if !specific.is_empty() => pinyin::romanise_name(specific, g.pinyin, None),
        _ => pinyin::romanise_name(name, "", None).trim().to_string(),
    }
}

pub fn plate_pinyin(number: i32, sub: Option<i32>) -> String {
    match sub {
        Some(k) => format!("{number} Hao Fu {k} Hao"),
        None => format!("{number} Hao"),
    }
}

pub fn building_pinyin(number: &str) -> String {
    format!("{number} Dong")
}

pub fn unit_pinyin(number: &str) -> String {
    format!("{number} Danyuan")
}

pub fn room_pinyin(number: &str) -> String {
    format!("{number} Shi")
}
