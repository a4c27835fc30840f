//! Other names people write for a division: short forms, informal and outdated names.
//!
//! Most are derived from the official name by rule, so every division the register holds
//! gets them without a table entry:
//! - the name without its generic (`巴东`, `野三关`, `舞阳坝`) and without ethnic qualifiers
//!   (`芭蕉侗族乡` → `芭蕉乡`, `芭蕉`; `恩施土家族苗族自治州` → `恩施州`, `恩施自治州`);
//! - a county under another county-level generic (`恩施县`, `恩施区` for 恩施市);
//! - a township under the other township generic (`高罗乡` for 高罗镇, `芭蕉镇`);
//! - a subdistrict's office (`舞阳坝办事处`, `舞阳坝街道办事处`, `舞阳坝街道办`);
//! - a village's committee (`X村委会`, `X村民委员会`, `X社区居委会`).
//!
//! What no rule derives is listed in [`KNOWN_NAMES`], one line per name: the place for an
//! administrator to add a name the office keeps meeting (a village since merged away, a
//! name from before a renaming). An entry whose code the register does not hold is ignored.

use super::super::generic;
use super::super::model::DivisionLevel;

/// How a form relates to the official name; it decides the correction reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum DivisionForm {
    Official,
    /// A register alias or the name shortened (`巴东`, `恩施州`): `short_form`.
    Short,
    /// Informal or outdated (`恩施县`, `高罗乡`, `舞阳街道`): `informal_name`.
    Informal,
}

/// Names no rule derives: (name as written, division code).
pub(super) const KNOWN_NAMES: &[(&str, &str)] = &[
    // 恩施市 was 恩施县 until 1981 (derived), and the seat is still called 恩施城区.
    ("恩施城区", "422801"),
    // 舞阳坝街道 is commonly shortened to 舞阳.
    ("舞阳街道", "422801001"),
    ("舞阳街道办事处", "422801001"),
    ("舞阳办事处", "422801001"),
    // The prefecture's name from 1983 to 1993.
    ("鄂西土家族苗族自治州", "422800"),
    ("鄂西自治州", "422800"),
    ("鄂西州", "422800"),
];

/// The official name and every derived form of a division, each once, with whether the
/// form is only a second choice (the prefecture's bare `恩施`, which first means 恩施市).
pub(super) fn forms(name: &str, aliases: &[String], level: DivisionLevel) -> Vec<(String, DivisionForm, bool)> {
    let mut out: Vec<(String, DivisionForm, bool)> = Vec::new();
    let mut add = |s: String, form: DivisionForm, secondary: bool| {
        if s.chars().count() >= 2 && !out.iter().any(|(x, _, _)| *x == s) {
            out.push((s, form, secondary));
        }
    };
    add(name.to_string(), DivisionForm::Official, false);
    for a in aliases {
        add(a.clone(), DivisionForm::Short, false);
    }
    let (specific, _) = generic::split_division(name);
    let generic_text = name.get(specific.len()..).unwrap_or("");
    let (stem, qualifiers) = generic::split_qualifiers(specific);
    let stems: Vec<&str> = if qualifiers.is_empty() { vec![specific] } else { vec![stem, specific] };
    use DivisionForm::{Informal, Short};
    for s in &stems {
        match level {
            DivisionLevel::Province => add(s.to_string(), Short, false),
            DivisionLevel::Prefecture => {
                add(format!("{s}州"), Short, false);
                add(format!("{s}自治州"), Informal, false);
                add(s.to_string(), Short, true);
            }
            DivisionLevel::County => {
                add(s.to_string(), Short, false);
                for g in ["县", "市", "区"] {
                    if g != generic_text {
                        add(format!("{s}{g}"), Informal, false);
                    }
                }
            }
            DivisionLevel::Township => {
                add(s.to_string(), Short, false);
                match generic_text {
                    "镇" | "乡" => {
                        add(format!("{s}{generic_text}"), Short, false);
                        let other = if generic_text == "镇" { "乡" } else { "镇" };
                        add(format!("{s}{other}"), Informal, false);
                    }
                    "街道" => {
                        for g in ["办事处", "街道办事处", "街道办", "街办"] {
                            add(format!("{s}{g}"), Informal, false);
                        }
                    }
                    _ => {}
                }
            }
            DivisionLevel::Village => match generic_text {
                "村" => {
                    add(format!("{s}村委会"), Informal, false);
                    add(format!("{s}村民委员会"), Informal, false);
                }
                "社区" => {
                    add(format!("{s}社区居委会"), Informal, false);
                    add(format!("{s}居委会"), Informal, false);
                }
                _ => {}
            },
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(name: &str, level: DivisionLevel) -> Vec<String> {
        forms(name, &[], level).into_iter().map(|(s, _, _)| s).collect()
    }

    #[test]
    fn county_forms() {
        let f = names("恩施市", DivisionLevel::County);
        assert_eq!(f, ["恩施市", "恩施", "恩施县", "恩施区"]);
    }

    #[test]
    fn prefecture_forms() {
        let f = forms("恩施土家族苗族自治州", &[], DivisionLevel::Prefecture);
        let find = |s: &str| f.iter().find(|(x, _, _)| x == s).map(|(_, k, sec)| (*k, *sec));
        assert_eq!(find("恩施州"), Some((DivisionForm::Short, false)));
        assert_eq!(find("恩施自治州"), Some((DivisionForm::Informal, false)));
        assert_eq!(find("恩施"), Some((DivisionForm::Short, true)));
        assert_eq!(find("恩施土家族苗族自治州"), Some((DivisionForm::Official, false)));
    }

    #[test]
    fn township_forms() {
        let f = names("芭蕉侗族乡", DivisionLevel::Township);
        for s in ["芭蕉", "芭蕉乡", "芭蕉镇", "芭蕉侗族", "芭蕉侗族镇"] {
            assert!(f.contains(&s.to_string()), "{s} in {f:?}");
        }
        let f = names("舞阳坝街道", DivisionLevel::Township);
        for s in ["舞阳坝", "舞阳坝办事处", "舞阳坝街道办事处", "舞阳坝街道办"] {
            assert!(f.contains(&s.to_string()), "{s} in {f:?}");
        }
        assert!(names("野三关镇", DivisionLevel::Township).contains(&"野三关".to_string()));
        assert!(names("高罗镇", DivisionLevel::Township).contains(&"高罗乡".to_string()));
    }

    #[test]
    fn village_forms() {
        let f = names("茶山溪村", DivisionLevel::Village);
        assert_eq!(f, ["茶山溪村", "茶山溪村委会", "茶山溪村民委员会"]);
    }

    #[test]
    fn one_character_forms_are_left_out() {
        assert!(!names("北市", DivisionLevel::County).contains(&"北".to_string()));
    }
}
