//! Naming rules (SPEC §7) that a name is checked against: structure, and clashes with the
//! names already in use in the same county (thoroughfares) or village (localities).

use serde::Serialize;

use super::generic::{self, GenericKind};
use super::pinyin;

/// Longest name (in characters) a sign can carry legibly.
pub const MAX_NAME_CHARS: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    Duplicate,
    Homophone,
    NoGeneric,
    NoSpecific,
    DigitOrLatin,
    TooLong,
    RepeatedGeneric,
}

impl Rule {
    pub fn code(self) -> &'static str {
        match self {
            Rule::Duplicate => "duplicate",
            Rule::Homophone => "homophone",
            Rule::NoGeneric => "no_generic",
            Rule::NoSpecific => "no_specific",
            Rule::DigitOrLatin => "digit_or_latin",
            Rule::TooLong => "too_long",
            Rule::RepeatedGeneric => "repeated_generic",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    pub rule: Rule,
    pub message: String,
    pub conflict_id: Option<String>,
}

/// A name in use that a new name must not clash with.
#[derive(Debug, Clone, Copy)]
pub struct NameInUse<'a> {
    pub id: &'a str,
    pub name: &'a str,
}

/// Every rule the name breaks, given the names in use in its county or village.
pub fn check(name: &str, kind: GenericKind, in_use: &[NameInUse<'_>]) -> Vec<Violation> {
    let mut out = Vec::new();
    let v = |rule, message: String, conflict_id: Option<&str>| Violation {
        rule,
        message,
        conflict_id: conflict_id.map(str::to_string),
    };
    match generic::split(name, kind) {
        None => out.push(v(Rule::NoGeneric, format!("“{name}”缺少通名（如街、路、巷、组、湾）"), None)),
        Some((specific, g)) => {
            if specific.is_empty() {
                out.push(v(Rule::NoSpecific, format!("“{name}”只有通名“{}”，缺少专名", g.text), None));
            } else if kind == GenericKind::Thoroughfare && generic::split(specific, kind).is_some_and(|(s, _)| !s.is_empty()) {
                // Hamlet names end in land forms (水井湾, 河坝组), so only streets are checked.
                out.push(v(Rule::RepeatedGeneric, format!("“{name}”的专名“{specific}”又以通名结尾"), None));
            }
        }
    }
    // Groups are numbered by custom (三组), so only thoroughfares refuse digits.
    if kind == GenericKind::Thoroughfare && name.chars().any(|c| c.is_ascii_alphanumeric() || c.is_numeric() && !is_han(c)) {
        out.push(v(Rule::DigitOrLatin, format!("道路名称“{name}”不得含有数字或拉丁字母"), None));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        out.push(v(Rule::TooLong, format!("“{name}”超过{MAX_NAME_CHARS}个字"), None));
    }
    for other in in_use {
        if other.name == name {
            out.push(v(Rule::Duplicate, format!("与已有名称“{}”重名", other.name), Some(other.id)));
        } else if pinyin::sound_alike(other.name, name) {
            out.push(v(Rule::Homophone, format!("与已有名称“{}”同音", other.name), Some(other.id)));
        }
    }
    out
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(name: &str, in_use: &[NameInUse<'_>]) -> Vec<&'static str> {
        check(name, GenericKind::Thoroughfare, in_use).iter().map(|v| v.rule.code()).collect()
    }

    #[test]
    fn a_good_name_passes() {
        assert!(rules("青滩路", &[NameInUse { id: "thr_a", name: "航空大道" }]).is_empty());
    }

    #[test]
    fn structure_rules() {
        assert_eq!(rules("青滩", &[]), ["no_generic"]);
        assert_eq!(rules("路", &[]), ["no_specific"]);
        assert_eq!(rules("3号路", &[]), ["digit_or_latin"]);
        assert_eq!(rules("CBD路", &[]), ["digit_or_latin"]);
        assert_eq!(rules("一二三四五六七八九十一二路", &[]), ["too_long"]);
        assert!(rules("解放路街", &[]).contains(&"repeated_generic"));
    }

    #[test]
    fn clashes_name_the_conflicting_record() {
        let in_use = [NameInUse { id: "thr_a", name: "胜利路" }];
        let dup = check("胜利路", GenericKind::Thoroughfare, &in_use);
        assert_eq!(dup[0].rule, Rule::Duplicate);
        assert_eq!(dup[0].conflict_id.as_deref(), Some("thr_a"));
        assert_eq!(rules("胜梨路", &in_use), ["homophone"]);
    }
}
