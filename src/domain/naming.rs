//! Naming rules (SPEC §7, 地名管理条例 and its 2024 implementing measures): what a proposed
//! thoroughfare or locality name is checked against, and the case file a name carries.
//!
//! Three groups of rules, each with a machine-readable code and a message a clerk of 民政
//! understands:
//! - structure: a specific part and a known generic part, no repeated generic, no digits or
//!   Latin letters in a street name, a length a sign can carry;
//! - content: reserved words, names of persons, foreign place names, from the lists here
//!   plus the words an administrator adds ([`WordList`]);
//! - clashes: the same name or the same sound as an active name of the same county
//!   (thoroughfares) or village (localities), or a name given up there within the grace
//!   period ([`FORMER_NAME_GRACE_YEARS`]).
//!
//! Warnings are what a clerk should look at without being refused: a pending proposal with
//! the same name or sound, a name one character away from an active one, an older former
//! or retired name, the same street name in another county of the prefecture.

use chrono::{Months, NaiveDate};
use geojson::GeometryValue;
use serde::{Deserialize, Serialize};

use super::canonical;
use super::generic::{self, GenericKind};
use super::geometry;
use super::model::{DivisionLevel, LocalityGeometry, NameStatus, StreetGeometry};
use super::pinyin;
use super::register::Register;
use super::shape::Area;
use super::spatial::{self, SpatialIndex};

/// Longest name (in characters) a sign can carry legibly.
pub const MAX_NAME_CHARS: usize = 12;

/// A name given up (renamed away) less than this long ago still counts as taken in its
/// county or village: people and old records keep using it, and the resolver still reads it
/// as the renamed place.
pub const FORMER_NAME_GRACE_YEARS: u32 = 5;

/// How far (metres) a new street or locality may lie from the existing streets, localities
/// and plates of its county, when the register has no polygon of the county: a misplaced
/// or swapped coordinate lands much further away.
pub const MAX_DISTANCE_FROM_COUNTY_M: f64 = 50_000.0;

/// Without a county polygon, a point this close to another county's registered streets or
/// plates, and more than twice as far from its own county's, lies in that other county (in
/// its town, most likely): neighbouring seats are nearer each other than 50 km.
pub const NEAR_OTHER_COUNTY_M: f64 = 2_000.0;

/// A point this close to its own county's registered records is never taken for another
/// county's, however near that one's records are (two towns can meet at a boundary).
pub const OWN_COUNTY_NEAR_M: f64 = 1_000.0;

/// Days after approval within which the name must be announced (公告).
pub const ANNOUNCE_WITHIN_DAYS: u64 = 15;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    Duplicate,
    Homophone,
    NoGeneric,
    NoSpecific,
    DigitOrLatin,
    TooLong,
    RepeatedGeneric,
    ReservedWord,
    PersonalName,
    ForeignName,
    /// The geometry lies outside the county (its polygon, or too far from its streets).
    OutsideCounty,
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
            Rule::ReservedWord => "reserved_word",
            Rule::PersonalName => "personal_name",
            Rule::ForeignName => "foreign_name",
            Rule::OutsideCounty => "outside_county",
        }
    }

    /// The rules decided by a word list, which an administrator may extend.
    pub fn is_word_rule(self) -> bool {
        matches!(self, Rule::ReservedWord | Rule::PersonalName | Rule::ForeignName)
    }

    pub fn parse(s: &str) -> Option<Rule> {
        [
            Rule::Duplicate,
            Rule::Homophone,
            Rule::NoGeneric,
            Rule::NoSpecific,
            Rule::DigitOrLatin,
            Rule::TooLong,
            Rule::RepeatedGeneric,
            Rule::ReservedWord,
            Rule::PersonalName,
            Rule::ForeignName,
            Rule::OutsideCounty,
        ]
        .into_iter()
        .find(|r| r.code() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    pub rule: Rule,
    pub message: String,
    pub conflict_id: Option<String>,
}

/// What a clerk should look at before going on, without being refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Caution {
    /// A proposal not yet approved has the same name or sound.
    Pending,
    /// An active name differs by one character.
    Similar,
    /// A name given up long ago (past the grace period), or a retired name.
    FormerName,
    /// Another county of the same prefecture has a street of that name: an address written
    /// without its county (恩施州航空大道) becomes ambiguous.
    NeighbouringCounty,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    pub rule: Caution,
    pub message: String,
    pub conflict_id: Option<String>,
}

/// A name in use that a new name must not clash with.
#[derive(Debug, Clone, Copy)]
pub struct NameInUse<'a> {
    pub id: &'a str,
    pub name: &'a str,
}

/// Words that a place name must not contain, by rule. Kept here, in one place; an
/// administrator extends them through the register (the `naming_words` table).
///
/// Reserved words: names of the state and words claiming a scope a county street cannot
/// have (地名管理条例实施办法: 不得使用"中国""中华""全国""国际"等字样).
pub const RESERVED_WORDS: &[&str] = &["中国", "中华", "全国", "国际", "国家", "中央", "世界", "环球", "亚洲", "宇宙"];

/// Person names are not listed by name in the code (who is living changes; the authority
/// adds the names it refuses). What is listed are the words that make a name about a
/// person whatever the name: titles and forms of address.
pub const PERSONAL_NAME_WORDS: &[&str] = &["先生", "女士", "小姐", "主席", "总统", "总理", "元帅"];

/// Foreign place names and their fashionable transliterations (the 洋地名 the clean-up
/// campaigns of 2019 removed). Only names that cannot occur inside a Chinese word are
/// listed: 柏林 is left out because 松柏林 is a real Enshi name. The longer lists of
/// countries, cities and persons are data (`NAMING_WORDS`).
pub const FOREIGN_NAMES: &[&str] = &[
    "纽约",
    "曼哈顿",
    "华尔街",
    "巴黎",
    "凡尔赛",
    "香榭丽舍",
    "伦敦",
    "威尼斯",
    "维也纳",
    "罗马",
    "米兰",
    "佛罗伦萨",
    "莫斯科",
    "首尔",
    "悉尼",
    "温哥华",
    "多伦多",
    "夏威夷",
    "好莱坞",
    "拉斯维加斯",
    "迪拜",
    "普罗旺斯",
    "托斯卡纳",
    "地中海",
    "阿尔卑斯",
    "塞纳",
    "莱茵",
    "加州",
    "洛杉矶",
    "旧金山",
    "曼彻斯特",
    "爱丁堡",
    "哈佛",
    "剑桥郡",
];

/// Foreign countries, capitals and major cities, and the names of state leaders and
/// well-known persons: `data/naming-words.tsv`, derived from the sourced list beside it
/// with every word that occurs in a real Enshi name left out (data/build_naming_words.py).
const NAMING_WORDS: &str = include_str!("../../data/naming-words.tsv");

fn bundled_words() -> impl Iterator<Item = (Rule, String)> {
    NAMING_WORDS.lines().filter(|l| !l.starts_with('#')).filter_map(|line| {
        let (rule, word) = line.split_once('\t')?;
        let rule = match rule {
            "foreign_name" => Rule::ForeignName,
            "personal_name" => Rule::PersonalName,
            _ => return None,
        };
        Some((rule, word.trim().to_string()))
    })
}

/// The words the content rules look for: the lists above and those an administrator
/// added.
#[derive(Debug, Clone, PartialEq)]
pub struct WordList {
    entries: Vec<(Rule, String)>,
}

impl WordList {
    /// The lists kept in the code.
    pub fn builtin() -> WordList {
        let mut entries = Vec::new();
        for (rule, words) in [
            (Rule::ReservedWord, RESERVED_WORDS),
            (Rule::PersonalName, PERSONAL_NAME_WORDS),
            (Rule::ForeignName, FOREIGN_NAMES),
        ] {
            entries.extend(words.iter().map(|w| (rule, w.to_string())));
        }
        for (rule, word) in bundled_words() {
            if !entries.iter().any(|(r, w)| *r == rule && *w == word) {
                entries.push((rule, word));
            }
        }
        WordList { entries }
    }

    /// The built-in lists plus `extra` (word rules only; blank words and repeats ignored).
    pub fn with(extra: impl IntoIterator<Item = (Rule, String)>) -> WordList {
        let mut list = WordList::builtin();
        for (rule, word) in extra {
            let word = word.trim().to_string();
            if rule.is_word_rule() && !word.is_empty() && !list.entries.iter().any(|(r, w)| *r == rule && *w == word) {
                list.entries.push((rule, word));
            }
        }
        list
    }

    pub fn entries(&self) -> &[(Rule, String)] {
        &self.entries
    }
}

/// Every rule the name breaks, given the names in use in its county or village, with the
/// built-in word lists (the importer's check of legacy names).
pub fn check(name: &str, kind: GenericKind, in_use: &[NameInUse<'_>]) -> Vec<Violation> {
    let mut out = structure(name, kind);
    out.extend(content(name, &WordList::builtin()));
    out.extend(clashes(name, kind, in_use));
    out
}

fn violation(rule: Rule, message: String, conflict_id: Option<&str>) -> Violation {
    Violation { rule, message, conflict_id: conflict_id.map(str::to_string) }
}

fn warning(rule: Caution, message: String, conflict_id: &str) -> Warning {
    Warning { rule, message, conflict_id: Some(conflict_id.to_string()) }
}

/// The structure rules: generic, specific, digits and letters, length.
fn structure(name: &str, kind: GenericKind) -> Vec<Violation> {
    let mut out = Vec::new();
    match generic::split(name, kind) {
        None => {
            let examples = match kind {
                GenericKind::Thoroughfare => "街、路、巷、大道",
                GenericKind::Locality => "组、湾、坪、院子",
            };
            out.push(violation(Rule::NoGeneric, format!("“{name}”缺少通名（如{examples}）"), None))
        }
        Some((specific, g)) => {
            if specific.is_empty() {
                out.push(violation(Rule::NoSpecific, format!("“{name}”只有通名“{}”，缺少专名", g.text), None));
            } else if kind == GenericKind::Thoroughfare
                && generic::split(specific, kind).is_some_and(|(s, _)| !s.is_empty())
            {
                // Hamlet names end in land forms (水井湾, 河坝组), so only streets are checked.
                out.push(violation(
                    Rule::RepeatedGeneric,
                    format!("“{name}”的专名“{specific}”又以通名结尾，通名重复"),
                    None,
                ));
            }
        }
    }
    // Village groups are numbered by custom (三组), so only thoroughfares refuse digits;
    // full-width and non-Latin letters count as letters too.
    if let Some(c) = name.chars().find(|c| !is_name_char(*c)) {
        let what = if c.is_whitespace() { "空格".to_string() } else { format!("符号“{c}”") };
        out.push(violation(Rule::DigitOrLatin, format!("“{name}”含有{what}，地名只能由文字组成"), None));
    } else if kind == GenericKind::Thoroughfare && name.chars().any(|c| c.is_alphanumeric() && !is_han(c)) {
        out.push(violation(Rule::DigitOrLatin, format!("道路名称“{name}”不得含有数字或拉丁字母"), None));
    }
    let n = name.chars().count();
    if n > MAX_NAME_CHARS {
        out.push(violation(Rule::TooLong, format!("“{name}”有{n}个字，超过{MAX_NAME_CHARS}个字的上限"), None));
    }
    out
}

/// The content rules: one violation per listed word the name contains.
fn content(name: &str, words: &WordList) -> Vec<Violation> {
    words
        .entries
        .iter()
        .filter(|(_, w)| name.contains(w.as_str()))
        .map(|(rule, w)| {
            let message = match rule {
                Rule::ReservedWord => format!("名称含有“{w}”：县级地名不得使用“中国、中华、全国、国际”等字样"),
                Rule::PersonalName => format!("名称含有人名或称谓“{w}”：一般不以人名命名地名，禁止使用在世人物的姓名"),
                _ => format!("名称含有外国地名“{w}”：不得使用外国地名或外语译名命名"),
            };
            violation(*rule, message, None)
        })
        .collect()
}

/// Same name or same sound as a name in use, each with the conflicting record's ID.
fn clashes(name: &str, kind: GenericKind, in_use: &[NameInUse<'_>]) -> Vec<Violation> {
    let scope = scope_label(kind);
    let mut out = Vec::new();
    for other in in_use {
        if other.name == name {
            out.push(violation(Rule::Duplicate, format!("与{scope}已启用的名称“{}”重名", other.name), Some(other.id)));
        } else if pinyin::sound_alike(other.name, name) {
            out.push(violation(
                Rule::Homophone,
                format!("与{scope}已启用的名称“{}”同音（{}），容易混淆", other.name, pinyin::key(other.name)),
                Some(other.id),
            ));
        }
    }
    out
}

fn scope_label(kind: GenericKind) -> &'static str {
    match kind {
        GenericKind::Thoroughfare => "本县（市）",
        GenericKind::Locality => "本村（社区）",
    }
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF | 0x3007)
}

/// A character that may stand in a place name: Han characters, and digits and letters
/// (which the rules then judge). Spaces, punctuation and symbols never belong in a name.
pub fn is_name_char(c: char) -> bool {
    is_han(c) || c.is_alphanumeric()
}

/// A name given up in the same county or village.
#[derive(Debug, Clone, Copy)]
pub struct FormerInUse<'a> {
    pub id: &'a str,
    pub name: &'a str,
    /// `YYYY-MM-DD`
    pub until: &'a str,
}

/// What a name is checked against: the register around the county (thoroughfares) or
/// village (localities) it is for.
#[derive(Debug, Clone, Default)]
pub struct Surroundings<'a> {
    /// Active names.
    pub active: Vec<NameInUse<'a>>,
    /// Proposals not yet approved.
    pub pending: Vec<NameInUse<'a>>,
    /// Former names of any thoroughfare or locality there.
    pub former: Vec<FormerInUse<'a>>,
    /// Names retired there.
    pub retired: Vec<NameInUse<'a>>,
    /// Active streets of the other counties of the prefecture, with the county's name.
    pub neighbours: Vec<(NameInUse<'a>, &'a str)>,
}

/// The surroundings of a name of `kind` in the division `code` (a county for
/// thoroughfares, a village for localities), leaving out the record `except` (the one being
/// renamed, corrected or approved).
pub fn surroundings<'a>(reg: &'a Register, kind: GenericKind, code: &str, except: Option<&str>) -> Surroundings<'a> {
    let mut s = Surroundings::default();
    let mut add = |id: &'a str, name: &'a str, status: NameStatus, former: &'a [super::model::FormerName]| {
        if Some(id) == except {
            return;
        }
        let n = NameInUse { id, name };
        match status {
            NameStatus::Active => s.active.push(n),
            NameStatus::Proposed => s.pending.push(n),
            NameStatus::Retired => s.retired.push(n),
        }
        s.former.extend(former.iter().map(|f| FormerInUse { id, name: &f.name, until: &f.until }));
    };
    match kind {
        GenericKind::Thoroughfare => {
            for t in reg.thoroughfares.values().filter(|t| t.county_code == code) {
                add(&t.id, &t.name, t.status, &t.former_names);
            }
            let prefecture = reg.divisions.get(code).and_then(|d| d.parent_code.as_deref());
            for t in reg.thoroughfares.values() {
                if t.county_code == code || t.status != NameStatus::Active || Some(t.id.as_str()) == except {
                    continue;
                }
                let Some(county) = reg.divisions.get(&t.county_code) else { continue };
                if county.level == DivisionLevel::County
                    && county.parent_code.as_deref() == prefecture
                    && prefecture.is_some()
                {
                    s.neighbours.push((NameInUse { id: &t.id, name: &t.name }, &county.name));
                }
            }
        }
        GenericKind::Locality => {
            // Numbered groups (三组) repeat in every village by design, so localities have
            // no neighbour warning.
            for l in reg.localities.values().filter(|l| l.village_code == code) {
                add(&l.id, &l.name, l.status, &l.former_names);
            }
        }
    }
    s
}

/// Longest division name in characters (佛宝山生态综合开发区 has ten).
pub const MAX_DIVISION_NAME_CHARS: usize = 20;

/// Every rule a new division name breaks (乡改镇, a merged village's name): a known
/// division generic (乡, 镇, 街道, 村, 社区 …) after a specific part, no digits or Latin
/// letters, the content words, and no sibling under the same parent with the same name or
/// sound.
pub fn check_division_name(name: &str, siblings: &[NameInUse<'_>], words: &WordList) -> Vec<Violation> {
    let mut out = Vec::new();
    match generic::split_division(name) {
        (_, None) => {
            out.push(violation(Rule::NoGeneric, format!("“{name}”缺少区划通名（如乡、镇、街道、村、社区）"), None))
        }
        (specific, Some(_)) if generic::split_qualifiers(specific).0.is_empty() => {
            out.push(violation(Rule::NoSpecific, format!("“{name}”缺少专名"), None))
        }
        _ => {}
    }
    if name.chars().any(|c| c.is_alphanumeric() && !is_han(c)) {
        out.push(violation(Rule::DigitOrLatin, format!("区划名称“{name}”不得含有数字或拉丁字母"), None));
    }
    let n = name.chars().count();
    if n > MAX_DIVISION_NAME_CHARS {
        out.push(violation(Rule::TooLong, format!("“{name}”有{n}个字，超过{MAX_DIVISION_NAME_CHARS}个字的上限"), None));
    }
    out.extend(content(name, words));
    for s in siblings {
        if s.name == name {
            out.push(violation(Rule::Duplicate, format!("与同一上级区划下的“{}”重名", s.name), Some(s.id)));
        } else if pinyin::sound_alike(s.name, name) {
            out.push(violation(Rule::Homophone, format!("与同一上级区划下的“{}”同音，容易混淆", s.name), Some(s.id)));
        }
    }
    out
}

/// A character of the specific part with more than one reading: the clerk confirms the
/// one the place is called by (or sets the romanisation).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reading {
    pub char: String,
    /// The reading the romanisation uses.
    pub used: String,
    pub readings: Vec<String>,
}

/// The full result of checking a name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub ok: bool,
    pub name: String,
    pub specific: String,
    pub generic: Option<String>,
    /// Sign romanisation (`Qingtan Lu`); the override when one was given.
    pub pinyin: String,
    pub violations: Vec<Violation>,
    pub warnings: Vec<Warning>,
    pub readings: Vec<Reading>,
}

/// Checks `name` against every rule: structure, content (`words`), clashes with its
/// surroundings; `today` decides which former names are still within their grace period.
pub fn evaluate(
    name: &str,
    kind: GenericKind,
    pinyin_override: Option<&str>,
    around: &Surroundings<'_>,
    words: &WordList,
    today: NaiveDate,
) -> Evaluation {
    let mut violations = structure(name, kind);
    violations.extend(content(name, words));
    violations.extend(clashes(name, kind, &around.active));
    let scope = scope_label(kind);
    let grace_start = today.checked_sub_months(Months::new(12 * FORMER_NAME_GRACE_YEARS)).unwrap_or(today);
    let mut warnings = Vec::new();
    for f in &around.former {
        if f.name != name {
            continue;
        }
        let recent = NaiveDate::parse_from_str(f.until, "%Y-%m-%d").map_or(true, |d| d >= grace_start);
        if recent {
            violations.push(violation(
                Rule::Duplicate,
                format!(
                    "“{name}”是{scope}一处地名的曾用名（至{}停用），停用未满{FORMER_NAME_GRACE_YEARS}年，不得重新使用",
                    f.until
                ),
                Some(f.id),
            ));
        } else {
            warnings.push(warning(
                Caution::FormerName,
                format!("“{name}”是{scope}一处地名的曾用名（至{}停用）", f.until),
                f.id,
            ));
        }
    }
    for r in around.retired.iter().filter(|r| r.name == name) {
        warnings.push(warning(Caution::FormerName, format!("“{name}”是{scope}已废止的地名，重新使用前请核实"), r.id));
    }
    for p in &around.pending {
        if p.name == name {
            warnings.push(warning(Caution::Pending, format!("{scope}已有同名的拟用名称“{}”正在审批", p.name), p.id));
        } else if pinyin::sound_alike(p.name, name) {
            warnings.push(warning(Caution::Pending, format!("{scope}已有同音的拟用名称“{}”正在审批", p.name), p.id));
        }
    }
    for a in &around.active {
        if a.name != name && !pinyin::sound_alike(a.name, name) && one_character_apart(a.name, name) {
            warnings.push(warning(
                Caution::Similar,
                format!("与{scope}已启用的名称“{}”只差一个字，容易混淆", a.name),
                a.id,
            ));
        }
    }
    for (n, county) in around.neighbours.iter().filter(|(n, _)| n.name == name) {
        warnings.push(warning(Caution::NeighbouringCounty, format!("{county}已有同名道路“{}”", n.name), n.id));
    }
    let (specific, generic) = match generic::split(name, kind) {
        Some((s, g)) => (s.to_string(), Some(g.text.to_string())),
        None => (name.to_string(), None),
    };
    let readings = pinyin::polyphonic(&specific)
        .into_iter()
        .map(|(c, r)| Reading { char: c.to_string(), used: r[0].clone(), readings: r })
        .collect();
    Evaluation {
        ok: violations.is_empty(),
        name: name.to_string(),
        pinyin: canonical::romanise_place(name, kind, pinyin_override),
        specific,
        generic,
        violations,
        warnings,
        readings,
    }
}

/// Levenshtein distance of exactly one, by characters.
fn one_character_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    match long.len() - short.len() {
        0 => short.iter().zip(long.iter()).filter(|(x, y)| x != y).count() == 1,
        1 => {
            let first_diff = short.iter().zip(long.iter()).take_while(|(x, y)| x == y).count();
            short[first_diff..] == long[first_diff + 1..]
        }
        _ => false,
    }
}

/// The case file of a name proposed through civil affairs: why and for whom it was
/// proposed, the reports the 2024 implementing measures require, the approval, the
/// announcement (公告) and, in time, the retirement.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NameCase {
    /// 命名理由及含义.
    pub reason: Option<String>,
    pub applicant: Option<String>,
    pub documents: Vec<CaseDocument>,
    pub proposed_at: Option<String>,
    pub proposed_by: Option<String>,
    pub approved_at: Option<String>,
    pub approval_document: Option<String>,
    /// `YYYY-MM-DD`
    pub announced_on: Option<String>,
    pub announcement_document: Option<String>,
    pub retired_at: Option<String>,
    pub retire_document: Option<String>,
    pub retire_reason: Option<String>,
    /// A proposal returned (退回, 不予批准): when, and why.
    pub returned_at: Option<String>,
    pub return_reason: Option<String>,
}

/// The reports of a naming case, by reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// 地名命名评估报告
    Evaluation,
    /// 专家论证意见
    ExpertReview,
    /// 征求社会公众意见报告
    PublicConsultation,
    Other,
}

/// One report of a case: a reference (`恩施市民政〔2026〕3号`) and what it is. A bare
/// string is read as a reference of kind `other`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "DocumentIn")]
pub struct CaseDocument {
    pub kind: DocumentKind,
    pub reference: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum DocumentIn {
    Reference(String),
    Typed { kind: DocumentKind, reference: String },
}

impl From<DocumentIn> for CaseDocument {
    fn from(d: DocumentIn) -> Self {
        match d {
            DocumentIn::Reference(reference) => CaseDocument { kind: DocumentKind::Other, reference },
            DocumentIn::Typed { kind, reference } => CaseDocument { kind, reference },
        }
    }
}

/// Parses a GeoJSON geometry object: valid lon/lat positions, and a geometry value.
fn parse_geometry(v: &serde_json::Value) -> Result<geojson::Geometry, String> {
    let g: geojson::Geometry =
        serde_json::from_value(v.clone()).map_err(|e| format!("geometry 不是有效的 GeoJSON 几何：{e}"))?;
    if !geometry::all_lon_lat(&g.value) {
        return Err("坐标必须是经纬度（CGCS2000，经度 -180…180，纬度 -90…90，先经度后纬度）".into());
    }
    Ok(g)
}

/// A thoroughfare's line from GeoJSON: a LineString or MultiLineString in lon/lat, every
/// part with a length (its direction is the numbering direction).
pub fn street_geometry(v: &serde_json::Value) -> Result<StreetGeometry, String> {
    let g = parse_geometry(v)?;
    let street = match &g.value {
        GeometryValue::LineString { .. } => {
            StreetGeometry::Line(geo::LineString::try_from(&g.value).map_err(|e| e.to_string())?)
        }
        GeometryValue::MultiLineString { .. } => {
            StreetGeometry::Multi(geo::MultiLineString::try_from(&g.value).map_err(|e| e.to_string())?)
        }
        other => return Err(format!("道路的几何必须是 LineString 或 MultiLineString，而不是 {}", other.type_name())),
    };
    if street.parts().is_empty() || street.parts().iter().any(|l| l.0.len() < 2 || geometry::length_m(l) <= 0.0) {
        return Err("道路的每条线至少需要两个不同的点".into());
    }
    Ok(street)
}

/// A locality's place from GeoJSON: a Point, or a Polygon with closed rings.
pub fn locality_geometry(v: &serde_json::Value) -> Result<LocalityGeometry, String> {
    let g = parse_geometry(v)?;
    match &g.value {
        GeometryValue::Point { .. } => {
            Ok(LocalityGeometry::Point(geo::Point::try_from(&g.value).map_err(|e| e.to_string())?))
        }
        GeometryValue::Polygon { coordinates } => {
            if coordinates.is_empty() || coordinates.iter().any(|ring| ring.len() < 4 || ring.first() != ring.last()) {
                return Err("多边形的每个环至少四个点，且首尾相同".into());
            }
            let polygon = geo::Polygon::try_from(&g.value).map_err(|e| e.to_string())?;
            super::shape::check_simple(&polygon)?;
            Ok(LocalityGeometry::Polygon(polygon))
        }
        other => Err(format!("村组的几何必须是 Point 或 Polygon，而不是 {}", other.type_name())),
    }
}

/// The vertices of a street or locality geometry.
pub fn vertices_of_street(g: &StreetGeometry) -> Vec<geo::Point<f64>> {
    g.parts().into_iter().flat_map(|l| l.points()).collect()
}

pub fn vertices_of_locality(g: &LocalityGeometry) -> Vec<geo::Point<f64>> {
    match g {
        LocalityGeometry::Point(p) => vec![*p],
        LocalityGeometry::Polygon(p) => p.exterior().points().collect(),
    }
}

/// Whether a new geometry lies in the county `county_code`: inside its polygon where the
/// register has one; otherwise within [`MAX_DISTANCE_FROM_COUNTY_M`] of the county's
/// streets, localities and plates (other than `except`), and not in the midst of another
/// county's ([`NEAR_OTHER_COUNTY_M`]): without outlines, a county reaches as far as its own
/// records and no further into its neighbour's town. A county the register knows nothing
/// of has no test. `around` indexes the whole register (active streets, issued plates).
///
/// Every vertex is looked up in R-trees: O((n + m) log m) for n new vertices against m of
/// the county's, where comparing each with each froze a node for minutes.
pub fn placement(
    reg: &Register,
    around: &SpatialIndex,
    county_code: &str,
    except: Option<&str>,
    vertices: &[geo::Point<f64>],
) -> Option<Violation> {
    let county = reg.divisions.get(county_code)?;
    let county_name = &county.name;
    if let Some(area) = county.geometry.as_ref().and_then(Area::of) {
        let outside = vertices.iter().filter(|p| !area.contains(p.x(), p.y())).count();
        return (outside > 0).then(|| {
            violation(
                Rule::OutsideCounty,
                format!("几何有 {outside} 个点不在{county_name}的行政区域内，请核对坐标"),
                None,
            )
        });
    }
    let own = CountyFeatures::of(reg, county_code, except)?;
    let mut farthest = 0.0_f64;
    // Bounds carried from one vertex to the next (a distance changes by at most the step
    // between them), so that a line's thousands of close vertices need few lookups: an
    // upper bound of the distance to the county's own records, a lower one to others'.
    let (mut own_at_most, mut other_at_least) = (f64::INFINITY, 0.0_f64);
    let mut previous: Option<&geo::Point<f64>> = None;
    for v in vertices {
        let step = previous.map_or(f64::INFINITY, |p| own.ground_m(p, v) * 1.01);
        previous = Some(v);
        own_at_most += step;
        other_at_least -= step;
        // Whether another county's records could be near enough to claim the point.
        let claimable = |own_m: f64, other_m: f64| {
            own_m > OWN_COUNTY_NEAR_M && other_m < NEAR_OTHER_COUNTY_M && own_m > 2.0 * other_m
        };
        if own_at_most <= MAX_DISTANCE_FROM_COUNTY_M && !claimable(own_at_most, other_at_least) {
            continue;
        }
        let own_m = own.distance_m(v);
        (own_at_most, farthest) = (own_m, farthest.max(own_m));
        if !claimable(own_m, other_at_least) {
            continue;
        }
        let Some(other) = around.nearest_feature(v.x(), v.y()) else {
            other_at_least = f64::INFINITY;
            continue;
        };
        other_at_least = other.distance_m;
        let elsewhere = reg.county_of(&other.id).filter(|c| c != county_code);
        // Else the nearest record is the county's own, and no other county's is nearer.
        let Some(code) = elsewhere else { continue };
        if other.distance_m < NEAR_OTHER_COUNTY_M && own_m > 2.0 * other.distance_m {
            let other_name = reg.divisions.get(&code).map_or(code.as_str(), |d| d.name.as_str());
            return Some(violation(
                Rule::OutsideCounty,
                format!(
                    "几何有点（经度 {:.5}、纬度 {:.5}）距{other_name}已登记的道路或门牌仅 {:.0} 米，而距{county_name}的最近 {:.1} 公里，应在{other_name}境内，请核对坐标和县市",
                    v.x(),
                    v.y(),
                    other.distance_m,
                    own_m / 1000.0
                ),
                Some(other.id.as_str()),
            ));
        }
    }
    (farthest > MAX_DISTANCE_FROM_COUNTY_M).then(|| {
        violation(
            Rule::OutsideCounty,
            format!(
                "几何距{county_name}已登记的道路和门牌最远 {:.0} 公里，超过 {:.0} 公里，请核对坐标（须为 CGCS2000 经纬度，先经度后纬度）",
                farthest / 1000.0,
                MAX_DISTANCE_FROM_COUNTY_M / 1000.0
            ),
            None,
        )
    })
}

/// A county's streets (as segments), localities' vertices and plates, in one R-tree in a
/// plane where a degree of longitude is shrunk by the cosine of the latitude.
struct CountyFeatures {
    k: f64,
    tree: rstar::RTree<rstar::primitives::Line<[f64; 2]>>,
}

impl CountyFeatures {
    /// None when the county has nothing registered (no test can be made).
    fn of(reg: &Register, county_code: &str, except: Option<&str>) -> Option<CountyFeatures> {
        use rstar::primitives::Line;
        let in_county = |code: &str| reg.ancestor(code, DivisionLevel::County).is_some_and(|c| c.code == county_code);
        let mut segments: Vec<([f64; 2], [f64; 2])> = Vec::new();
        for t in reg.thoroughfares.values().filter(|t| t.county_code == county_code && Some(t.id.as_str()) != except) {
            for part in t.geometry.parts() {
                segments.extend(part.0.windows(2).map(|w| ([w[0].x, w[0].y], [w[1].x, w[1].y])));
            }
        }
        for l in reg.localities.values().filter(|l| Some(l.id.as_str()) != except && in_county(&l.village_code)) {
            segments.extend(vertices_of_locality(&l.geometry).into_iter().map(|p| ([p.x(), p.y()], [p.x(), p.y()])));
        }
        for p in reg.plates.values() {
            if p.parent.id() != except.unwrap_or_default() && reg.county_of(&p.id).as_deref() == Some(county_code) {
                segments.push(([p.location.x(), p.location.y()], [p.location.x(), p.location.y()]));
            }
        }
        if segments.is_empty() {
            return None;
        }
        let mean = segments.iter().map(|(a, _)| a[1]).sum::<f64>() / segments.len() as f64;
        let k = mean.to_radians().cos().max(0.01);
        let lines = segments.into_iter().map(|(a, b)| Line::new([a[0] * k, a[1]], [b[0] * k, b[1]])).collect();
        Some(CountyFeatures { k, tree: rstar::RTree::bulk_load(lines) })
    }

    /// Metres between two points, as this index measures them.
    fn ground_m(&self, a: &geo::Point<f64>, b: &geo::Point<f64>) -> f64 {
        ((a.x() - b.x()) * self.k).hypot(a.y() - b.y()) * spatial::METRES_PER_DEGREE
    }

    /// Metres from `v` to the nearest of the county's features.
    fn distance_m(&self, v: &geo::Point<f64>) -> f64 {
        use rstar::PointDistance;
        let q = [v.x() * self.k, v.y()];
        self.tree.nearest_neighbor(&q).map_or(f64::INFINITY, |l| l.distance_2(&q).sqrt() * spatial::METRES_PER_DEGREE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(name: &str, in_use: &[NameInUse<'_>]) -> Vec<&'static str> {
        check(name, GenericKind::Thoroughfare, in_use).iter().map(|v| v.rule.code()).collect()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).expect("a date")
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
        assert_eq!(rules("ＡＢ路", &[]), ["digit_or_latin"]);
        assert_eq!(rules("一二三四五六七八九十一二路", &[]), ["too_long"]);
        assert!(rules("解放路街", &[]).contains(&"repeated_generic"));
    }

    #[test]
    fn content_rules() {
        assert_eq!(rules("中华大道", &[]), ["reserved_word"]);
        assert_eq!(rules("国际路", &[]), ["reserved_word"]);
        assert_eq!(rules("曼哈顿大街", &[]), ["foreign_name"]);
        assert_eq!(rules("中山先生路", &[]), ["personal_name"]);
        // 松柏林 is a Chinese name, not Berlin.
        assert!(rules("松柏林路", &[]).is_empty());
        let extended =
            WordList::with([(Rule::PersonalName, "张三丰".to_string()), (Rule::Duplicate, "路".to_string())]);
        let v = content("张三丰路", &extended);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].rule, Rule::PersonalName);
        assert!(content("青滩路", &extended).is_empty(), "only word rules can be extended");
    }

    #[test]
    fn clashes_name_the_conflicting_record() {
        let in_use = [NameInUse { id: "thr_a", name: "胜利路" }];
        let dup = check("胜利路", GenericKind::Thoroughfare, &in_use);
        assert_eq!(dup[0].rule, Rule::Duplicate);
        assert_eq!(dup[0].conflict_id.as_deref(), Some("thr_a"));
        assert_eq!(rules("胜梨路", &in_use), ["homophone"]);
        // Any reading of a polyphonic character clashes: 长 chang/zhang.
        let in_use = [NameInUse { id: "thr_b", name: "常乐路" }];
        assert_eq!(rules("长乐路", &in_use), ["homophone"]);
    }

    #[test]
    fn warnings_and_former_names() {
        let around = Surroundings {
            active: vec![NameInUse { id: "thr_a", name: "胜利路" }],
            pending: vec![NameInUse { id: "thr_p", name: "常乐路" }],
            former: vec![
                FormerInUse { id: "thr_a", name: "机场路", until: "2024-01-01" },
                FormerInUse { id: "thr_a", name: "红旗路", until: "2001-01-01" },
            ],
            retired: vec![],
            neighbours: vec![(NameInUse { id: "thr_n", name: "青滩路" }, "利川市")],
        };
        let words = WordList::builtin();
        let e = evaluate("长乐路", GenericKind::Thoroughfare, None, &around, &words, today());
        assert!(e.ok);
        assert_eq!(e.warnings[0].rule, Caution::Pending);
        assert_eq!(e.warnings[0].conflict_id.as_deref(), Some("thr_p"));
        assert_eq!(e.pinyin, "Changle Lu");
        assert_eq!(e.readings[0].char, "长");
        assert!(e.readings[0].readings.contains(&"zhang".to_string()));

        let e = evaluate("胜利街", GenericKind::Thoroughfare, None, &around, &words, today());
        assert!(e.ok);
        assert_eq!(e.warnings.iter().map(|w| w.rule).collect::<Vec<_>>(), [Caution::Similar]);

        let e = evaluate("机场路", GenericKind::Thoroughfare, None, &around, &words, today());
        assert_eq!(e.violations[0].rule, Rule::Duplicate, "a name given up two years ago is still taken");
        assert_eq!(e.violations[0].conflict_id.as_deref(), Some("thr_a"));
        let e = evaluate("红旗路", GenericKind::Thoroughfare, None, &around, &words, today());
        assert!(e.ok);
        assert_eq!(e.warnings[0].rule, Caution::FormerName);

        let e = evaluate("青滩路", GenericKind::Thoroughfare, Some("Qingtan Road"), &around, &words, today());
        assert_eq!(e.warnings[0].rule, Caution::NeighbouringCounty);
        assert_eq!(e.pinyin, "Qingtan Road");
        assert_eq!((e.specific.as_str(), e.generic.as_deref()), ("青滩", Some("路")));
    }

    #[test]
    fn division_names() {
        let words = WordList::builtin();
        let siblings =
            [NameInUse { id: "422801207", name: "芭蕉侗族乡" }, NameInUse { id: "422801100", name: "白杨坪镇" }];
        assert!(check_division_name("芭蕉镇", &siblings, &words).is_empty());
        let codes = |n: &str| check_division_name(n, &siblings, &words).iter().map(|v| v.rule).collect::<Vec<_>>();
        assert_eq!(codes("白杨坪镇"), [Rule::Duplicate]);
        assert_eq!(codes("白洋坪镇"), [Rule::Homophone]);
        assert_eq!(codes("芭蕉"), [Rule::NoGeneric]);
        assert_eq!(codes("侗族乡"), [Rule::NoSpecific]);
        assert_eq!(codes("国际镇"), [Rule::ReservedWord]);
    }

    #[test]
    fn one_character() {
        assert!(one_character_apart("胜利路", "胜利街"));
        assert!(one_character_apart("胜利路", "胜利大路"));
        assert!(!one_character_apart("胜利路", "胜利路"));
        assert!(!one_character_apart("胜利路", "解放街"));
    }

    #[test]
    fn geometry_parsing() {
        let line = serde_json::json!({"type": "LineString", "coordinates": [[109.47, 30.29], [109.48, 30.29]]});
        assert!(street_geometry(&line).is_ok());
        assert!(locality_geometry(&line).is_err());
        let swapped = serde_json::json!({"type": "LineString", "coordinates": [[30.29, 109.47], [30.29, 109.48]]});
        assert!(street_geometry(&swapped).is_err());
        let stub = serde_json::json!({"type": "LineString", "coordinates": [[109.47, 30.29], [109.47, 30.29]]});
        assert!(street_geometry(&stub).is_err());
        let open = serde_json::json!({"type": "Polygon", "coordinates": [[[109.47, 30.29], [109.48, 30.29], [109.48, 30.30]]]});
        assert!(locality_geometry(&open).is_err());
        assert!(street_geometry(&serde_json::json!({"type": "Nope"})).is_err());
        assert!(locality_geometry(&serde_json::json!({"type": "Point", "coordinates": [109.5, 30.2]})).is_ok());
    }

    #[test]
    fn documents_read_bare_references_and_typed_ones() {
        let docs: Vec<CaseDocument> = serde_json::from_value(
            serde_json::json!(["恩施市民政〔2026〕3号", {"kind": "expert_review", "reference": "专家意见 2026-1"}]),
        )
        .expect("documents parse");
        assert_eq!(docs[0].kind, DocumentKind::Other);
        assert_eq!(docs[1].kind, DocumentKind::ExpertReview);
    }
}
