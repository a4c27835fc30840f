//! Texts about a place outside the register (SPEC §5 "Outside the register").
//!
//! The register knows its own area only, but a text naming another province, prefecture,
//! county or township of China is about that place, even when the register happens to
//! have a street or group of the same name. This stage reads the text against the
//! national division list ([`Nation`]) before the register's own reading and says
//! whether, and where, the text lies outside.
//!
//! The text is cut left to right into the longest names either the register or the
//! national list knows, up to the first street or locality the register has (what
//! follows is below the address, not where it lies). A national name longer than any
//! register name at its position is read as the national division; one exactly as long as
//! a register division's name (`东城街道`, `珠山`) is shared and decides nothing alone.
//! The first name that is decisive wins: a division outside, or a division of the register
//! below the province (湖北省 holds both). A short form (`宛城`, `南阳`) glued to
//! unknown characters before it, or followed by a street's generic (`南阳路`), is part
//! of another name, not a division. Of the outside readings, the finest one that the
//! most decisive names fit is the answer.

use std::sync::OnceLock;

use super::super::china::{Nation, NationalForm};
use super::super::model::DivisionLevel;
use super::index::{Index, Target};
use super::normalise::Text;
use super::parse::FILLERS;
use super::trie::{FrozenTrie, Trie};

/// The national names in a trie, each slot with the divisions it may mean.
struct NationalNames {
    trie: FrozenTrie,
    targets: Vec<Vec<(u32, NationalForm)>>,
}

/// Built once per process: the national list does not change with the register.
fn names() -> &'static NationalNames {
    static NAMES: OnceLock<NationalNames> = OnceLock::new();
    NAMES.get_or_init(|| {
        let nation = Nation::get();
        let mut trie = Trie::default();
        let mut targets: Vec<Vec<(u32, NationalForm)>> = Vec::new();
        for (form_text, id, form) in nation.forms() {
            // A text with a character the register does not know is converted from
            // traditional characters; a national name must still be found after that.
            let converted = simplet2s::convert(&form_text);
            let mut keys = vec![form_text.clone()];
            if converted != form_text {
                keys.push(converted);
            }
            // The normaliser drops 第 before a number (`第三街道` is read `三街道`).
            if let Some(rest) = form_text.strip_prefix('第') {
                if rest.chars().next().is_some_and(super::normalise::is_numeral) {
                    keys.push(rest.to_string());
                }
            }
            for key in keys {
                let Some(slot) = trie.slot(&key) else { continue };
                let slot = slot as usize;
                if targets.len() <= slot {
                    targets.resize_with(slot + 1, Vec::new);
                }
                if let Some(list) = targets.get_mut(slot) {
                    if !list.iter().any(|(x, _)| *x == id) {
                        list.push((id, form));
                    }
                }
            }
        }
        for list in &mut targets {
            list.shrink_to_fit();
        }
        NationalNames { trie: FrozenTrie::from(trie), targets }
    })
}

/// Makes sure the national names are built (at startup, not on the first query).
pub(super) fn prepare() {
    names();
}

/// Every character of the national names, for the normaliser's known set.
pub(super) fn name_chars() -> impl Iterator<Item = char> {
    Nation::get().divisions.iter().flat_map(|d| d.name.chars())
}

/// Where the text lies, when outside: the national division and the end of its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Outside {
    pub division: u32,
    pub end: usize,
}

/// What one cut of the text says about where it lies.
#[derive(Debug)]
enum Cut {
    /// A name of divisions outside; `decisive` unless shared with the register or weak.
    Outside { readings: Vec<u32>, decisive: bool, end: usize },
    /// The register's province (`湖北省`): it places a name elsewhere in Hubei, no more.
    Context { readings: Vec<u32> },
    /// A division of the register below the province.
    Inside,
}

/// Endings that make a short form the start of a street or locality name.
const STREET_STARTS: &[&str] = &["路", "街", "巷", "大道", "道", "弄", "胡同", "村", "组", "湾", "小区", "社区"];

/// One word that may stand between such a name and its street's generic: a direction or
/// a qualifier (滨江北路, 舞阳大街, 兴隆老街, 中山南街).
const STREET_QUALIFIERS: &[char] = &['东', '西', '南', '北', '中', '大', '老', '新', '正', '横', '前', '后', '上', '下'];

/// Whether a street's generic follows at `at`, directly or after one qualifier.
fn street_follows(chars: &[char], at: usize) -> bool {
    let generic = |k: usize| ["路", "街", "巷", "大道", "道", "弄"].iter().any(|s| starts_with(chars, k, s));
    STREET_STARTS.iter().any(|s| starts_with(chars, at, s))
        || (chars.get(at).is_some_and(|c| STREET_QUALIFIERS.contains(c)) && generic(at + 1))
}

/// Whether a national division lies in the register's area: itself, or an ancestor below
/// the province, is a division of the register (the province holds places outside too).
fn inside(index: &Index, nation: &Nation, id: u32) -> bool {
    let held = |x: u32| nation.division(x).is_some_and(|d| index.by_code.contains_key(&d.code));
    if held(id) {
        return true;
    }
    let mut at = nation.division(id).and_then(|d| d.parent);
    while let Some(x) = at {
        let Some(d) = nation.division(x) else { break };
        if d.level != DivisionLevel::Province && held(x) {
            return true;
        }
        at = d.parent;
    }
    false
}

/// Reads where `text` lies: `Some` when it names a division outside the register first.
pub(super) fn read(index: &Index, text: &Text) -> Option<Outside> {
    if text.latin {
        return None;
    }
    let national = names();
    let nation = Nation::get();
    let chars = &text.chars;
    let n = chars.len();
    let mut cuts: Vec<Cut> = Vec::new();
    // Whether a name outside came first: the text is then read to its street for the
    // finer divisions; a division of the register first ends the reading at once.
    let mut outside_first = false;
    // End of the last name cut, to tell a name glued to unknown text.
    let mut last_end = 0usize;
    let mut p = 0usize;
    while p < n {
        // Every national name here (no name has more than a few shorter names as
        // prefixes: held without allocating).
        let mut found = [(0usize, 0u32); 8];
        let mut count = 0;
        national.trie.walk(chars, p, n, |end, slot| {
            if let Some(f) = found.get_mut(count) {
                *f = (end, slot);
                count += 1;
            }
        });
        let hits = found.get(..count).unwrap_or(&[]);
        // The register's longest name here, and whether a street or locality has it.
        let mut reg_hit: Option<(usize, u32)> = None;
        index.han.walk(chars, p, n, |end, slot| reg_hit = Some((end, slot)));
        let reg = reg_hit.map(|(end, slot)| {
            let targets = index.han_targets.get(slot as usize).map(Vec::as_slice).unwrap_or(&[]);
            let place = targets.iter().any(|t| matches!(t, Target::Place { .. }));
            let below_province = targets.iter().any(|t| match t {
                Target::Division { div, .. } => index.level(*div).is_some_and(|l| l != DivisionLevel::Province),
                Target::Place { .. } => false,
            });
            (end, place, below_province)
        });
        let reg_end = reg.map_or(p, |x| x.0);
        // Several national names here, longer than the register's: the choice below. (Most
        // texts name the register's own divisions, which end the reading; they need none.)
        let nat = if hits.len() < 2 || hits.last().is_none_or(|(end, _)| *end <= reg_end) {
            hits.last().copied()
        } else {
            choose_hit(index, text, &cuts, hits)
        };
        let nat_end = nat.map_or(p, |x| x.0);
        if let (Some((end, slot)), true) = (nat, nat_end > reg_end) {
            let targets = national.targets.get(slot as usize).map(Vec::as_slice).unwrap_or(&[]);
            let readings: Vec<u32> =
                targets.iter().map(|(id, _)| *id).filter(|id| !inside(index, nation, *id)).collect();
            if readings.is_empty() {
                if targets
                    .iter()
                    .any(|(id, _)| nation.division(*id).is_some_and(|d| d.level != DivisionLevel::Province))
                {
                    if !outside_first {
                        return None;
                    }
                    cuts.push(Cut::Inside);
                }
            } else {
                let weak_form = targets.iter().all(|(_, f)| *f == NationalForm::Short) || end - p <= 2;
                let glued = p > 0 && !text.is_break(p) && last_end != p && !after_filler(text, last_end, p);
                let street = street_follows(chars, end);
                let word = targets.iter().any(|(_, f)| *f == NationalForm::Word);
                let decisive = !word && !(weak_form && (glued || street));
                outside_first |= decisive;
                cuts.push(Cut::Outside { readings, decisive, end });
            }
            last_end = end;
            p = end;
        } else if let Some((end, place, below_province)) = reg {
            if place {
                break;
            }
            let shared: Vec<u32> = match nat {
                Some((e, slot)) if e == end => national
                    .targets
                    .get(slot as usize)
                    .map(Vec::as_slice)
                    .unwrap_or(&[])
                    .iter()
                    .map(|(id, _)| *id)
                    .filter(|id| !inside(index, nation, *id))
                    .collect(),
                _ => Vec::new(),
            };
            if !shared.is_empty() {
                cuts.push(Cut::Outside { readings: shared, decisive: false, end });
            } else if below_province {
                if !outside_first {
                    return None;
                }
                cuts.push(Cut::Inside);
            } else if let Some((_, slot)) = nat.filter(|(e, _)| *e == end) {
                // The register's province, as the national list knows it.
                let readings = national
                    .targets
                    .get(slot as usize)
                    .map(|ts| ts.iter().map(|(id, _)| *id).collect())
                    .unwrap_or_default();
                cuts.push(Cut::Context { readings });
            }
            last_end = end;
            p = end;
        } else {
            p += 1;
        }
    }
    // The first decisive name says whether the text is about somewhere else.
    if !outside_first {
        return None;
    }
    choose(nation, &cuts)
}

/// Of several national names at one place, the longest that leads on to the next name
/// and fits the divisions named before it (`河南南阳镇平县` is 南阳 + 镇平县, not the 南阳镇
/// of 江苏; `云南普洱镇沅…县` is 普洱 + 镇沅…县).
fn choose_hit(index: &Index, text: &Text, cuts: &[Cut], hits: &[(usize, u32)]) -> Option<(usize, u32)> {
    let national = names();
    let nation = Nation::get();
    let (chars, n) = (&text.chars, text.len());
    let before: Vec<u32> = cuts
        .iter()
        .flat_map(|c| match c {
            Cut::Outside { readings, .. } | Cut::Context { readings } => readings.as_slice(),
            Cut::Inside => &[],
        })
        .copied()
        .collect();
    let fits_before = |slot: u32| {
        national
            .targets
            .get(slot as usize)
            .is_some_and(|ts| ts.iter().any(|(id, _)| before.iter().any(|b| nation.contains(*b, *id) && *b != *id)))
    };
    // Followed by another name, a break or the end, rather than by unknown text.
    let continues = |end: usize| {
        if end >= n || text.is_break(end) {
            return true;
        }
        let mut any = false;
        national.trie.walk(chars, end, n, |_, _| any = true);
        if !any {
            index.han.walk(chars, end, n, |_, _| any = true);
        }
        any
    };
    hits.iter().max_by_key(|(end, slot)| (continues(*end), fits_before(*slot), *end)).copied()
}

/// Whether the unknown text between `from` and `to` is a filler (`中国`).
fn after_filler(text: &Text, from: usize, to: usize) -> bool {
    let between = text.slice(from, to);
    FILLERS.iter().any(|f| f.chars().count() > 1 && between.ends_with(f))
}

fn starts_with(chars: &[char], at: usize, word: &str) -> bool {
    (at..).zip(word.chars()).all(|(k, c)| chars.get(k) == Some(&c))
}

/// The outside reading that the most decisive names fit, then the most names; of those,
/// the coarsest (a name that is a county's and a township's, `东城区`, is the county);
/// several equally good: what they have in common, else the first by code.
fn choose(nation: &Nation, cuts: &[Cut]) -> Option<Outside> {
    let named: Vec<(&Vec<u32>, bool, usize)> = cuts
        .iter()
        .filter_map(|c| match c {
            Cut::Outside { readings, decisive, end } => Some((readings, *decisive, *end)),
            Cut::Context { readings } => Some((readings, false, 0)),
            Cut::Inside => None,
        })
        .collect();
    let outside: Vec<(&Vec<u32>, bool, usize)> = cuts
        .iter()
        .filter_map(|c| match c {
            Cut::Outside { readings, decisive, end } => Some((readings, *decisive, *end)),
            Cut::Context { .. } | Cut::Inside => None,
        })
        .collect();
    let mut best: Vec<u32> = Vec::new();
    let mut best_key = (0usize, 0usize, std::cmp::Reverse(usize::MAX));
    for (readings, _, _) in &outside {
        for &r in readings.iter() {
            let fits = |rs: &Vec<u32>| rs.iter().any(|a| nation.contains(*a, r));
            let decisive = outside.iter().filter(|(rs, d, _)| *d && fits(rs)).count();
            let all = named.iter().filter(|(rs, _, _)| fits(rs)).count();
            let depth = std::cmp::Reverse(nation.chain(r).len());
            let key = (decisive, all, depth);
            if key > best_key {
                best_key = key;
                best = vec![r];
            } else if key == best_key && !best.contains(&r) {
                best.push(r);
            }
        }
    }
    if best_key.0 == 0 {
        return None;
    }
    best.sort_unstable();
    let division = match best.as_slice() {
        [one] => *one,
        many => {
            let first = nation.chain(*many.first()?);
            first
                .iter()
                .rev()
                .find(|a| many.iter().all(|m| nation.contains(**a, *m)))
                .copied()
                .unwrap_or(*many.first()?)
        }
    };
    // The text after the names that placed it is what the register cannot say.
    let end = outside
        .iter()
        .filter(|(rs, _, _)| rs.iter().any(|a| nation.contains(*a, division) || nation.contains(division, *a)))
        .map(|(_, _, e)| *e)
        .max()
        .unwrap_or(0);
    Some(Outside { division, end })
}
