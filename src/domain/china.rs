//! Every division of China to the township, as bundled in `data/china-divisions.tsv`
//! (derived from the national statistical code list, see `data/README.md`), and the names
//! people write for them.
//!
//! The register holds addresses inside its own area only; this list is what lets the
//! resolver tell a text about somewhere else in China from a text about the register
//! (SPEC §5 "Outside the register"). It is parsed once per process.
//!
//! The names a division answers to, besides its official name, are derived by rule:
//! - a province without its generic and ethnic qualifiers (`河南`, `内蒙古`, `广西`);
//! - a prefecture without its generic (`南阳`, `大兴安岭`, `阿拉善`), an autonomous
//!   prefecture also as `X州` and `X自治州` (`湘西州`, `黔东南州`, `伊犁州`);
//! - an autonomous county or banner under the plain generic (`墨江县`, `鄂温克旗`);
//! - a county without its generic (`宛城`, `曲阜`) where no other county, prefecture or
//!   province would derive the same form, and at least two characters remain.
//!
//! A township answers to its official name only: bare township stems (`东城`, `太平`)
//! are ordinary words of street names. What no rule derives is in [`KNOWN_SHORT_FORMS`].

use std::collections::HashMap;
use std::sync::OnceLock;

use super::generic;
use super::model::DivisionLevel;

/// The bundled list: `code<TAB>name[<TAB>parent]`, parents before children.
const DATA: &str = include_str!("../../data/china-divisions.tsv");

/// Short forms in common use that no rule derives: (form, division code).
pub const KNOWN_SHORT_FORMS: &[(&str, &str)] = &[
    ("内蒙", "150000"),
    // Inner Mongolia's banners are written by the first character of each word.
    ("察右前旗", "150926"),
    ("察右中旗", "150927"),
    ("察右后旗", "150928"),
    ("达茂旗", "150223"),
    ("土左旗", "150121"),
    ("土右旗", "150221"),
    ("科左中旗", "150521"),
    ("科左后旗", "150522"),
    ("科右前旗", "152221"),
    ("科右中旗", "152222"),
    ("阿左旗", "152921"),
    ("阿右旗", "152922"),
    ("莫旗", "150722"),
    ("乌前旗", "150823"),
    // Xinjiang's autonomous prefectures by their first character.
    ("巴州", "652800"),
    ("博州", "652700"),
    ("克州", "653000"),
    ("版纳", "532800"),
];

/// Ethnic names written without 族 inside official names (`新疆维吾尔自治区`,
/// `巴音郭楞蒙古自治州`), beyond the register's own qualifiers.
const MORE_QUALIFIERS: &[&str] = &["维吾尔", "蒙古", "哈萨克", "柯尔克孜", "鄂伦春", "各族", "回族", "壮族"];

/// County-level names that are ordinary words of a city address (`恩施市城区`): such a
/// name places a text only beside its prefecture's name (`攀枝花东区`), never alone.
pub const WORD_NAMES: &[&str] = &["城区", "郊区", "矿区", "东区", "西区", "新区"];

/// County generics under which the bare name is a name people write (`宛城`, `曲阜`);
/// a development zone's or management area's is not (`河北邢台经济开发区` is no `河北邢台`).
const PLAIN_COUNTY_GENERICS: &[&str] = &["县", "市", "区", "旗", "自治县", "自治旗", "林区"];

/// One division of the national list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NationalDivision {
    /// GB/T 2260's 6 digits, or 9 for a township.
    pub code: String,
    pub name: String,
    pub level: DivisionLevel,
    /// Index of the parent in [`Nation::divisions`].
    pub parent: Option<u32>,
}

/// How a written name relates to the division's official name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NationalForm {
    Official,
    /// Derived or listed short form: `河南`, `湘西州`, `宛城`.
    Short,
    /// An official name that is also an ordinary word ([`WORD_NAMES`]).
    Word,
}

/// The national list with its names.
#[derive(Debug)]
pub struct Nation {
    pub divisions: Vec<NationalDivision>,
    by_code: HashMap<String, u32>,
}

/// The level a code stands for: 9 digits a township; of 6, `XX0000` a province,
/// `XXXX00` a prefecture, anything else a county.
fn level_of(code: &str) -> Option<DivisionLevel> {
    match code.len() {
        9 => Some(DivisionLevel::Township),
        6 if code.ends_with("0000") => Some(DivisionLevel::Province),
        6 if code.ends_with("00") => Some(DivisionLevel::Prefecture),
        6 => Some(DivisionLevel::County),
        _ => None,
    }
}

/// The parent a code has by the prefix rule, where the list writes none.
fn parent_by_prefix(code: &str) -> Option<String> {
    match level_of(code)? {
        DivisionLevel::Township => code.get(..6).map(str::to_string),
        DivisionLevel::County => code.get(..4).map(|p| format!("{p}00")),
        DivisionLevel::Prefecture => code.get(..2).map(|p| format!("{p}0000")),
        _ => None,
    }
}

impl Nation {
    /// The bundled list, parsed on first use.
    pub fn get() -> &'static Nation {
        static NATION: OnceLock<Nation> = OnceLock::new();
        NATION.get_or_init(|| Nation::parse(DATA))
    }

    /// Parses the TSV; lines that do not parse are skipped (the file is generated).
    pub fn parse(text: &str) -> Nation {
        let mut nation = Nation { divisions: Vec::new(), by_code: HashMap::new() };
        for line in text.lines() {
            let mut cols = line.split('\t');
            let (Some(code), Some(name)) = (cols.next(), cols.next()) else { continue };
            let Some(level) = level_of(code) else { continue };
            let parent_code = cols.next().map(str::to_string).or_else(|| parent_by_prefix(code));
            let parent = parent_code.and_then(|p| nation.by_code.get(&p).copied());
            nation.by_code.insert(code.to_string(), nation.divisions.len() as u32);
            nation.divisions.push(NationalDivision { code: code.to_string(), name: name.to_string(), level, parent });
        }
        nation
    }

    pub fn division(&self, id: u32) -> Option<&NationalDivision> {
        self.divisions.get(id as usize)
    }

    pub fn by_code(&self, code: &str) -> Option<u32> {
        self.by_code.get(code).copied()
    }

    /// The division and its ancestors, province first.
    pub fn chain(&self, id: u32) -> Vec<u32> {
        let mut out = vec![id];
        let mut at = id;
        while let Some(p) = self.division(at).and_then(|d| d.parent) {
            // The list is a tree: a parent comes before its child, so this ends.
            if out.len() > 4 {
                break;
            }
            out.push(p);
            at = p;
        }
        out.reverse();
        out
    }

    /// Whether `a` is `b` or one of its ancestors.
    pub fn contains(&self, a: u32, b: u32) -> bool {
        let mut at = Some(b);
        while let Some(x) = at {
            if x == a {
                return true;
            }
            at = self.division(x).and_then(|d| d.parent);
        }
        false
    }

    /// Every name a text may call a division by: (name, division, form). A name may
    /// appear for several divisions (`城关镇`, `鼓楼区`).
    pub fn forms(&self) -> Vec<(String, u32, NationalForm)> {
        let mut out: Vec<(String, u32, NationalForm)> = Vec::new();
        // Short forms by level, so a county's never shadows a prefecture's or a province's.
        let mut short: HashMap<String, Vec<(DivisionLevel, u32)>> = HashMap::new();
        for (i, d) in self.divisions.iter().enumerate() {
            let id = i as u32;
            let min = if d.level == DivisionLevel::Township { 3 } else { 2 };
            if WORD_NAMES.contains(&d.name.as_str()) {
                out.push((d.name.clone(), id, NationalForm::Word));
            } else if d.name.chars().count() >= min {
                out.push((d.name.clone(), id, NationalForm::Official));
            }
            for s in derived_short_forms(&d.name, d.level) {
                short.entry(s).or_default().push((d.level, id));
            }
        }
        let mut keys: Vec<&String> = short.keys().collect();
        keys.sort();
        for key in keys {
            let Some(list) = short.get(key) else { continue };
            let Some(top) = list.iter().map(|(l, _)| *l).min() else { continue };
            let at_top: Vec<u32> = list.iter().filter(|(l, _)| *l == top).map(|(_, id)| *id).collect();
            // A county's bare short form only where it names one county.
            if top == DivisionLevel::County && at_top.len() > 1 && !is_generic_variant(key) {
                continue;
            }
            for id in at_top {
                out.push((key.clone(), id, NationalForm::Short));
            }
        }
        for (form, code) in KNOWN_SHORT_FORMS {
            if let Some(id) = self.by_code(code) {
                out.push((form.to_string(), id, NationalForm::Short));
            }
        }
        out
    }
}

/// A short form that keeps a generic (`墨江县`, `湘西州`): like an official name, it may
/// be shared by several divisions and left to context.
fn is_generic_variant(form: &str) -> bool {
    ["县", "旗", "州", "市", "区"].iter().any(|g| form.ends_with(g))
}

/// The specific part without ethnic qualifiers: `巴音郭楞蒙古` → `巴音郭楞`; a name
/// that is all qualifier keeps it without 族 (`鄂温克族` → `鄂温克`).
fn stem(specific: &str) -> String {
    stem_and_kind(specific).0
}

/// The stem, and whether only ethnic qualifiers were peeled off to reach it (not
/// `经济`, `技术`, `高新` …, which make a zone's name, not a people's).
fn stem_and_kind(specific: &str) -> (String, bool) {
    let (_, peeled) = generic::split_qualifiers(specific);
    let ethnic = peeled.iter().all(|q| q.ends_with('族'));
    (stem_of(specific), ethnic)
}

fn stem_of(specific: &str) -> String {
    let (mut rest, _) = generic::split_qualifiers(specific);
    loop {
        let before = rest;
        for q in MORE_QUALIFIERS {
            // `内蒙古` is a name, not 内 + 蒙古.
            if let Some(r) = rest.strip_suffix(q).filter(|r| r.chars().count() >= 2) {
                rest = r;
            }
        }
        rest = generic::split_qualifiers(rest).0;
        if rest == before {
            break;
        }
    }
    if rest.is_empty() {
        return specific.strip_suffix('族').unwrap_or(specific).to_string();
    }
    rest.to_string()
}

/// The short forms a rule derives from an official name; [`Nation::forms`] keeps a county's
/// bare form only where it is unique.
pub fn derived_short_forms(name: &str, level: DivisionLevel) -> Vec<String> {
    let (specific, _) = generic::split_division(name);
    let generic_text = name.get(specific.len()..).unwrap_or("");
    let stem = stem(specific);
    let mut out = Vec::new();
    let long_enough = |s: &str| s.chars().count() >= 2;
    match level {
        DivisionLevel::Province => out.push(stem),
        DivisionLevel::Prefecture => {
            if generic_text == "自治州" || generic_text == "州" {
                out.push(format!("{stem}州"));
                out.push(format!("{stem}自治州"));
            }
            out.push(stem);
        }
        DivisionLevel::County => {
            if !PLAIN_COUNTY_GENERICS.contains(&generic_text) || !stem_and_kind(specific).1 {
                return Vec::new();
            }
            match generic_text {
                "自治县" => out.push(format!("{stem}县")),
                "自治旗" => out.push(format!("{stem}旗")),
                _ => {}
            }
            out.push(stem);
        }
        DivisionLevel::Township | DivisionLevel::Village => {}
    }
    out.retain(|s| long_enough(s.as_str()) && s.as_str() != name);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn short(name: &str, level: DivisionLevel) -> Vec<String> {
        derived_short_forms(name, level)
    }

    #[test]
    fn bundled_list_parses() {
        let n = Nation::get();
        assert!(n.divisions.len() > 40_000, "{}", n.divisions.len());
        let wancheng = n.by_code("411302").expect("宛城区");
        let names: Vec<&str> =
            n.chain(wancheng).iter().filter_map(|i| n.division(*i)).map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["河南省", "南阳市", "宛城区"]);
        // Counties under a placeholder prefecture hang from the province.
        let xiantao = n.by_code("429004").expect("仙桃市");
        assert_eq!(n.chain(xiantao).len(), 2);
        let dongcheng = n.by_code("110101").expect("东城区");
        assert_eq!(n.division(n.chain(dongcheng)[0]).map(|d| d.name.as_str()), Some("北京市"));
        let township = n.by_code("110101001").expect("a township");
        assert_eq!(n.division(township).map(|d| d.level), Some(DivisionLevel::Township));
        assert_eq!(n.chain(township).len(), 3);
    }

    #[test]
    fn province_short_forms() {
        assert_eq!(short("河南省", DivisionLevel::Province), ["河南"]);
        assert_eq!(short("内蒙古自治区", DivisionLevel::Province), ["内蒙古"]);
        assert_eq!(short("广西壮族自治区", DivisionLevel::Province), ["广西"]);
        assert_eq!(short("新疆维吾尔自治区", DivisionLevel::Province), ["新疆"]);
        assert_eq!(short("北京市", DivisionLevel::Province), ["北京"]);
    }

    #[test]
    fn prefecture_short_forms() {
        assert_eq!(short("南阳市", DivisionLevel::Prefecture), ["南阳"]);
        assert_eq!(short("湘西土家族苗族自治州", DivisionLevel::Prefecture), ["湘西州", "湘西自治州", "湘西"]);
        assert_eq!(short("黔东南苗族侗族自治州", DivisionLevel::Prefecture), ["黔东南州", "黔东南自治州", "黔东南"]);
        assert_eq!(
            short("巴音郭楞蒙古自治州", DivisionLevel::Prefecture),
            ["巴音郭楞州", "巴音郭楞自治州", "巴音郭楞"]
        );
        assert_eq!(short("大兴安岭地区", DivisionLevel::Prefecture), ["大兴安岭"]);
        assert_eq!(short("阿拉善盟", DivisionLevel::Prefecture), ["阿拉善"]);
    }

    #[test]
    fn county_short_forms() {
        assert_eq!(short("宛城区", DivisionLevel::County), ["宛城"]);
        assert_eq!(short("墨江哈尼族自治县", DivisionLevel::County), ["墨江县", "墨江"]);
        assert_eq!(short("鄂温克族自治旗", DivisionLevel::County), ["鄂温克旗", "鄂温克"]);
        // One character left is no name.
        assert!(short("渠县", DivisionLevel::County).is_empty());
        // A zone's name without its generic is its province and prefecture.
        assert!(short("河北邢台经济开发区", DivisionLevel::County).is_empty());
        assert!(short("回龙圩管理区", DivisionLevel::County).is_empty());
        assert!(short("沧州高新技术产业开发区", DivisionLevel::County).is_empty());
    }

    #[test]
    fn forms_keep_unique_county_short_forms_only() {
        let n = Nation::get();
        let forms = n.forms();
        let of = |s: &str| -> Vec<String> {
            forms
                .iter()
                .filter(|(f, _, _)| f == s)
                .filter_map(|(_, id, _)| n.division(*id))
                .map(|d| d.code.clone())
                .collect()
        };
        assert_eq!(of("宛城"), ["411302"]);
        assert_eq!(of("河南"), ["410000"]);
        assert_eq!(of("湘西州"), ["433100"]);
        assert_eq!(of("黔东南州"), ["522600"]);
        assert_eq!(of("内蒙古"), ["150000"]);
        assert_eq!(of("察右前旗"), ["150926"]);
        // 朝阳区 (Beijing, Changchun), 朝阳县, 朝阳市: the bare form goes to the prefecture.
        assert_eq!(of("朝阳"), ["211300"]);
        // 海南 is the province, not 海南藏族自治州 nor 乌海's 海南区.
        assert_eq!(of("海南"), ["460000"]);
        // 城区 is a word: indexed, but as such.
        assert!(forms.iter().filter(|(f, _, _)| f == "城区").all(|(_, _, k)| *k == NationalForm::Word));
        assert!(of("鼓楼区").len() > 1);
    }
}
