//! Romanisation and sound comparison of place names.
//!
//! Two uses, two kinds of reading:
//! - signs and the official romanisation need one reading per character, the one the place
//!   is actually called by: the dictionary default (`pinyin` crate), corrected by a small
//!   place-name override table, written as on place-name signs (GB 17733, 汉语拼音正词法):
//!   `Hangkong Dadao`, `Enshi Tujiazu Miaozu Zizhizhou`;
//! - the homophone rule needs every reading a character has, because a name that can be read
//!   like an existing one is a clash (长乐路 and 常乐路 both read `changlelu`).
//!
//! The dictionary has no phrase knowledge: it gives 银行 `yin xing` and 长乐 `zhang le`.
//! Where a default is wrong for place names the tables below correct it; anything the tables
//! do not know is settled by an authority override of the whole romanisation.
//!
//! Every function here accepts any string: characters that are neither Han, digits nor
//! letters (punctuation, spaces, emoji) are skipped.

use ::pinyin::{ToPinyin, ToPinyinMulti};

use super::generic;

/// Readings of phrases in place names where the dictionary's per-character default is
/// wrong; one toneless syllable per character, separated by single spaces. Matched longest
/// first, before [`CHAR_READINGS`].
///
/// Kept to readings that are certain; a name this table does not cover gets an authority
/// override instead.
const PHRASE_READINGS: &[(&str, &str)] = &[
    // Enshi: 革勒车镇 (来凤) is Gélèchē; the dictionary defaults 勒 to lei.
    ("革勒车", "ge le che"),
    // Exceptions to the character table below.
    ("长子", "zhang zi"), // 长子县, Shanxi
    ("萝卜", "luo bo"),
    // Surnames in 某家湾/某家坪 hamlet names: the surname reading, not the word's.
    ("单家", "shan jia"),
    ("解家", "xie jia"),
    ("查家", "zha jia"),
    ("仇家", "qiu jia"),
    ("缪家", "miao jia"),
    ("翟家", "zhai jia"),
    // Words often found in street and place names.
    ("银行", "yin hang"),
    ("重庆", "chong qing"),
    ("重阳", "chong yang"),
    ("西藏", "xi zang"),
    ("藏族", "zang zu"),
    // Well-known place names the dictionary misreads, so a name after them
    // (厦门路, 黄陂路) romanises correctly.
    ("黄陂", "huang pi"), // Wuhan
    ("厦门", "xia men"),
    ("六安", "lu an"),
    ("蚌埠", "beng bu"),
    ("乐清", "yue qing"),
    ("乐亭", "lao ting"),
    ("番禺", "pan yu"),
    ("铅山", "yan shan"),
    ("会稽", "kuai ji"),
    ("浒墅关", "xu shu guan"),
    ("单县", "shan xian"),
    ("尉氏", "yu shi"),
    ("大埔", "da bu"),
    ("洪洞", "hong tong"),
    ("牟平", "mu ping"),
    ("涡阳", "guo yang"),
];

/// Per-character readings for place names where the dictionary default is the wrong one
/// nearly everywhere a place is named.
const CHAR_READINGS: &[(char, &str)] = &[
    // cháng "long": 长江, 长沙, 长乐, 长梁, 长潭河, 长岭; zhǎng only in 长子 (phrase table).
    ('长', "chang"),
    // dū: 成都, 都江堰, 都亭, 都司界; dōu "all" never names a place.
    ('都', "du"),
    // fó: 佛山, 佛宝山, 仙佛寺; the default fu is the literary 彷佛.
    ('佛', "fo"),
    // The surname zēng (曾家岭); céng "once" does not name places.
    ('曾', "zeng"),
    // The surname and 占卜 bǔ (卜家, 倒卜龙); bo only in 萝卜 (phrase table).
    ('卜', "bu"),
    // The Tujia surname 覃 is read qín in Enshi and western Hubei and Hunan (覃家坪); the
    // dictionary default is tán.
    ('覃', "qin"),
];

/// What a token came from; only Han syllables take part in the apostrophe rule and the
/// ü spelling rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A Han character with a known reading.
    Syllable,
    /// A Han character the dictionary has no reading for: carried as itself.
    UnknownHan,
    Digits,
    Letters,
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    /// The character, for Han tokens.
    ch: Option<char>,
    /// Default reading (override applied), lowercase; for digits and letters the run itself.
    default: String,
    /// The run as written (letters keep their case for signs).
    original: String,
    /// Every toneless reading, default first, deduplicated.
    readings: Vec<String>,
}

fn is_han(c: char) -> bool {
    matches!(u32::from(c),
        0x3400..=0x4DBF      // Extension A
        | 0x4E00..=0x9FFF    // Unified Ideographs
        | 0xF900..=0xFAFF    // Compatibility Ideographs
        | 0x20000..=0x323AF  // Extensions B to H
        | 0x3007             // 〇
    )
}

/// Folds full-width ASCII (１２Ａ) to ASCII, as typed by Chinese input methods.
fn narrow(c: char) -> char {
    match u32::from(c) {
        code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

fn char_override(c: char) -> Option<&'static str> {
    CHAR_READINGS.iter().find(|(k, _)| *k == c).map(|(_, r)| *r)
}

/// The longest phrase override starting at `chars[0]`, as (length in chars, syllables).
fn phrase_at(chars: &[char]) -> Option<(usize, std::str::Split<'static, char>)> {
    PHRASE_READINGS
        .iter()
        .filter(|(phrase, reading)| {
            let n = phrase.chars().count();
            n <= chars.len()
                && phrase.chars().zip(chars).all(|(a, b)| a == *b)
                // A malformed entry is ignored rather than misaligning the readings.
                && reading.split(' ').count() == n
        })
        .max_by_key(|(phrase, _)| phrase.chars().count())
        .map(|(phrase, reading)| (phrase.chars().count(), reading.split(' ')))
}

fn han_token(c: char, default: Option<&str>) -> Token {
    let dictionary = c.to_pinyin().map(|p| p.plain());
    let Some(default) = default.or_else(|| char_override(c)).or(dictionary) else {
        let s = c.to_string();
        return Token {
            kind: Kind::UnknownHan,
            ch: Some(c),
            default: s.clone(),
            original: s.clone(),
            readings: vec![s],
        };
    };
    let mut readings = vec![default.to_string()];
    if let Some(multi) = c.to_pinyin_multi() {
        for p in multi {
            let r = p.plain();
            if !readings.iter().any(|x| x == r) {
                readings.push(r.to_string());
            }
        }
    }
    Token { kind: Kind::Syllable, ch: Some(c), default: default.to_string(), original: c.to_string(), readings }
}

/// Splits text into reading positions: one per Han character, one per run of digits, one
/// per run of letters; everything else is skipped.
fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().map(narrow).collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let run = |pred: fn(char) -> bool| chars[i..].iter().take_while(|c| pred(**c)).count();
        if c.is_ascii_digit() {
            let n = run(|c| c.is_ascii_digit());
            let s: String = chars[i..i + n].iter().collect();
            out.push(Token {
                kind: Kind::Digits,
                ch: None,
                default: s.clone(),
                original: s.clone(),
                readings: vec![s],
            });
            i += n;
        } else if is_han(c) || c.to_pinyin().is_some() {
            if let Some((n, syllables)) = phrase_at(&chars[i..]) {
                for (k, syllable) in syllables.enumerate() {
                    out.push(han_token(chars[i + k], Some(syllable)));
                }
                i += n;
            } else {
                out.push(han_token(c, None));
                i += 1;
            }
        } else if c.is_alphabetic() {
            let n = run(|c| c.is_alphabetic() && !is_han(c) && c.to_pinyin().is_none());
            // n >= 1: c itself passed the same test.
            let original: String = chars[i..i + n.max(1)].iter().collect();
            let lower = original.to_lowercase();
            out.push(Token { kind: Kind::Letters, ch: None, default: lower.clone(), original, readings: vec![lower] });
            i += n.max(1);
        } else {
            i += 1;
        }
    }
    out
}

/// Default toneless reading of each position, lowercase: one syllable per Han character
/// (place-name overrides applied), one token per run of digits or letters. ü is kept
/// (`绿水` → `["lü", "shui"]`).
pub fn syllables(text: &str) -> Vec<String> {
    tokens(text).into_iter().map(|t| t.default).collect()
}

/// Every toneless reading of each position, the default first, for homophone checks.
pub fn readings(text: &str) -> Vec<Vec<String>> {
    tokens(text).into_iter().map(|t| t.readings).collect()
}

/// Whether two names can sound the same: the same number of positions, and at every
/// position some reading in common. A clash under any reading is a clash, so 长乐路
/// (chang/zhang le/yue lu) sounds like 常乐路. Two names with nothing to read (empty,
/// punctuation only) are not reported as alike.
pub fn sound_alike(a: &str, b: &str) -> bool {
    let (a, b) = (tokens(a), tokens(b));
    !a.is_empty()
        && a.len() == b.len()
        && a.iter().zip(&b).all(|(x, y)| x.readings.iter().any(|r| y.readings.contains(r)))
}

/// Characters with more than one toneless reading, each once, in order of first
/// appearance, with the reading used for the romanisation first: a clerk confirms these.
pub fn polyphonic(text: &str) -> Vec<(char, Vec<String>)> {
    let mut out: Vec<(char, Vec<String>)> = Vec::new();
    for t in tokens(text) {
        if let (Some(c), true) = (t.ch, t.readings.len() > 1) {
            if !out.iter().any(|(seen, _)| *seen == c) {
                out.push((c, t.readings));
            }
        }
    }
    out
}

/// ASCII spelling of a syllable for search keys: ü is typed v on every pinyin keyboard.
fn ascii_key(s: &str) -> String {
    s.replace('ü', "v")
}

/// The default syllables joined, ASCII (`航空大道` → `hangkongdadao`, `绿水` → `lvshui`),
/// for an autocomplete and resolution index.
pub fn key(text: &str) -> String {
    tokens(text).iter().map(|t| ascii_key(&t.default)).collect()
}

/// First letter of each syllable (`航空大道` → `hkdd`); digit and letter runs are kept
/// whole (`3组` → `3z`), since their first character alone says little.
pub fn initials(text: &str) -> String {
    let mut out = String::new();
    for t in tokens(text) {
        match t.kind {
            Kind::Syllable | Kind::UnknownHan => {
                if let Some(c) = t.default.chars().next() {
                    out.push(if c == 'ü' { 'v' } else { c });
                }
            }
            Kind::Digits | Kind::Letters => out.push_str(&t.default),
        }
    }
    out
}

/// Upper-cases the first character (ü → Ü) and leaves the rest.
fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Capitalises every space-separated word of a generic's spelling (`jiedao banshichu` →
/// `Jiedao Banshichu`).
fn capitalise_words(s: &str) -> String {
    s.split_whitespace().map(|w| capitalise(&w.to_lowercase())).collect::<Vec<_>>().join(" ")
}

/// Joins tokens into one word, capitalised, with the apostrophe before a syllable starting
/// with a, o or e that follows another syllable (西安 → `Xi'an`, 天峨 → `Tian'e`).
fn word(tokens: &[Token]) -> String {
    let mut s = String::new();
    let mut prev_syllable = false;
    for t in tokens {
        let is_syllable = t.kind == Kind::Syllable;
        if is_syllable && prev_syllable && t.default.starts_with(['a', 'o', 'e']) {
            s.push('\'');
        }
        match t.kind {
            Kind::Letters => s.push_str(&t.original),
            _ => s.push_str(&t.default),
        }
        prev_syllable = is_syllable;
    }
    capitalise(&s)
}

/// Sign romanisation of a thoroughfare or locality name: the specific part as one
/// capitalised word, then the generic capitalised, separated by a space (航空 + `Dadao` →
/// `Hangkong Dadao`). An override the authority has set wins when given and not blank.
pub fn romanise_name(specific: &str, generic_pinyin: &str, override_: Option<&str>) -> String {
    if let Some(o) = override_.map(str::trim).filter(|o| !o.is_empty()) {
        return o.to_string();
    }
    join_words([word(&tokens(specific)), capitalise_words(generic_pinyin)])
}

fn join_words(words: impl IntoIterator<Item = String>) -> String {
    words.into_iter().filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Sign romanisation of a division name: specific part, then each ethnic or descriptive
/// qualifier as its own word, then the generic (恩施土家族苗族自治州 →
/// `Enshi Tujiazu Miaozu Zizhizhou`, 芭蕉侗族乡 → `Bajiao Dongzu Xiang`).
pub fn romanise_division(name: &str) -> String {
    let (specific, generic_pinyin) = generic::split_division(name);
    let (rest, qualifiers) = generic::split_qualifiers(specific);
    let mut words = vec![word(&tokens(rest))];
    words.extend(qualifiers.iter().map(|q| word(&tokens(q))));
    words.push(generic_pinyin.map(capitalise_words).unwrap_or_default());
    join_words(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_thoroughfare(name: &str) -> String {
        match generic::split(name, generic::GenericKind::Thoroughfare) {
            Some((specific, g)) => romanise_name(specific, g.pinyin, None),
            None => romanise_name(name, "", None),
        }
    }

    #[test]
    fn sign_romanisation_of_thoroughfares() {
        assert_eq!(romanise_name("航空", "Dadao", None), "Hangkong Dadao");
        assert_eq!(romanise_name("青滩", "Lu", None), "Qingtan Lu");
        assert_eq!(split_thoroughfare("航空大道"), "Hangkong Dadao");
        assert_eq!(split_thoroughfare("新华巷"), "Xinhua Xiang");
        assert_eq!(split_thoroughfare("舞阳大街"), "Wuyang Dajie");
        assert_eq!(split_thoroughfare("长乐路"), "Changle Lu");
        assert_eq!(romanise_name("绿水", "lu", None), "Lüshui Lu");
    }

    #[test]
    fn override_wins_unless_blank() {
        assert_eq!(romanise_name("长乐", "Lu", Some("Changle Lu")), "Changle Lu");
        assert_eq!(romanise_name("金龙北", "Lu", Some(" Jinlong Beilu ")), "Jinlong Beilu");
        assert_eq!(romanise_name("航空", "Dadao", Some("  ")), "Hangkong Dadao");
    }

    #[test]
    fn apostrophe_before_a_o_e() {
        assert_eq!(romanise_name("西安", "Lu", None), "Xi'an Lu");
        assert_eq!(romanise_name("天峨", "Lu", None), "Tian'e Lu");
        assert_eq!(romanise_name("十二", "Lu", None), "Shi'er Lu");
        // At the start of a word no apostrophe.
        assert_eq!(romanise_name("恩施", "Dadao", None), "Enshi Dadao");
        assert_eq!(romanise_division("宣恩县"), "Xuan'en Xian");
    }

    #[test]
    fn division_romanisations() {
        assert_eq!(romanise_division("湖北省"), "Hubei Sheng");
        assert_eq!(romanise_division("恩施土家族苗族自治州"), "Enshi Tujiazu Miaozu Zizhizhou");
        assert_eq!(romanise_division("恩施市"), "Enshi Shi");
        assert_eq!(romanise_division("舞阳坝街道"), "Wuyangba Jiedao");
        assert_eq!(romanise_division("芭蕉侗族乡"), "Bajiao Dongzu Xiang");
        assert_eq!(romanise_division("六角亭街道"), "Liujiaoting Jiedao");
        assert_eq!(romanise_division("都亭街道"), "Duting Jiedao");
        assert_eq!(romanise_division("高拱桥村"), "Gaogongqiao Cun");
        assert_eq!(romanise_division("长潭河侗族乡"), "Changtanhe Dongzu Xiang");
        assert_eq!(romanise_division("长梁镇"), "Changliang Zhen");
        assert_eq!(romanise_division("革勒车镇"), "Geleche Zhen");
        assert_eq!(romanise_division("佛宝山生态综合开发区"), "Fobaoshan Shengtai Zonghe Kaifaqu");
        assert_eq!(romanise_division("三家台蒙古族村"), "Sanjiatai Mengguzu Cun");
        assert_eq!(romanise_division("高铁新区"), "Gaotie Xinqu");
        assert_eq!(romanise_division("绿水镇"), "Lüshui Zhen");
        assert_eq!(romanise_division("恩施"), "Enshi");
        assert_eq!(romanise_division("市"), "Shi");
    }

    #[test]
    fn place_name_readings() {
        assert_eq!(syllables("重庆"), ["chong", "qing"]);
        assert_eq!(syllables("银行"), ["yin", "hang"]);
        assert_eq!(syllables("长江"), ["chang", "jiang"]);
        assert_eq!(syllables("长寿"), ["chang", "shou"]);
        assert_eq!(syllables("长子"), ["zhang", "zi"]);
        assert_eq!(syllables("朝阳"), ["chao", "yang"]);
        assert_eq!(syllables("六角亭"), ["liu", "jiao", "ting"]);
        assert_eq!(syllables("曾家岭"), ["zeng", "jia", "ling"]);
        assert_eq!(syllables("覃家坪"), ["qin", "jia", "ping"]);
        assert_eq!(syllables("成都"), ["cheng", "du"]);
        // Outside the phrase the character's own default applies: 银行 hang, 行政 xing.
        assert_eq!(syllables("行政"), ["xing", "zheng"]);
    }

    #[test]
    fn override_tables_are_well_formed() {
        // Phrase readings may go beyond the dictionary (乐亭 lào is not in it), so only
        // their shape is checked; in context they join the position's readings.
        for (phrase, reading) in PHRASE_READINGS {
            assert_eq!(phrase.chars().count(), reading.split(' ').count(), "{phrase}");
            assert!(
                reading.split(' ').all(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_lowercase() || c == 'ü')),
                "{phrase}"
            );
            assert_eq!(syllables(phrase).join(" "), *reading);
        }
        assert!(readings("乐亭")[0].contains(&"lao".to_string()));
        for (c, r) in CHAR_READINGS {
            let multi: Vec<String> =
                c.to_pinyin_multi().map(|m| m.into_iter().map(|p| p.plain().to_string()).collect()).unwrap_or_default();
            assert!(multi.iter().any(|x| x == r), "{c} {r} not among {multi:?}");
        }
    }

    #[test]
    fn heteronym_readings() {
        let r = readings("长");
        assert_eq!(r.len(), 1);
        assert!(r[0].contains(&"chang".to_string()));
        assert!(r[0].contains(&"zhang".to_string()));
        // Deduplicated.
        let mut sorted = r[0].clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), r[0].len());
    }

    #[test]
    fn homophones() {
        assert!(sound_alike("胜利路", "胜梨路"));
        assert!(!sound_alike("胜利路", "胜利街"));
        assert!(sound_alike("长乐路", "常乐路"));
        assert!(sound_alike("航空大道", "航空大道"));
        assert!(!sound_alike("航空大道", "航空道"));
        assert!(!sound_alike("", ""));
        assert!(!sound_alike("🙂", "🙂"));
    }

    #[test]
    fn polyphonic_characters() {
        let p = polyphonic("长乐路");
        let chars: Vec<char> = p.iter().map(|(c, _)| *c).collect();
        assert!(chars.contains(&'长'));
        assert!(chars.contains(&'乐'));
        let chang = &p[0];
        assert_eq!(chang.0, '长');
        assert_eq!(chang.1[0], "chang");
        assert!(chang.1.contains(&"zhang".to_string()));
        // Each character once.
        assert_eq!(polyphonic("长长").len(), 1);
        assert!(polyphonic("123abc").is_empty());
    }

    #[test]
    fn keys_and_initials() {
        assert_eq!(key("航空大道"), "hangkongdadao");
        assert_eq!(initials("航空大道"), "hkdd");
        assert_eq!(key("绿水"), "lvshui");
        assert_eq!(initials("绿水"), "ls");
        assert_eq!(initials("3组"), "3z");
        assert_eq!(key(""), "");
        assert_eq!(initials(""), "");
    }

    #[test]
    fn digits_and_latin_pass_through() {
        assert_eq!(syllables("123号"), ["123", "hao"]);
        assert_eq!(syllables("A栋12"), ["a", "dong", "12"]);
        assert_eq!(syllables("CBD路"), ["cbd", "lu"]);
        assert_eq!(syllables("１２Ａ"), ["12", "a"]);
        assert_eq!(syllables("3组"), ["3", "zu"]);
        assert_eq!(romanise_name("3", "Zu", None), "3 Zu");
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in ["", " ", "🙂", "🙂航空🙂", "·", "\u{301}", "a\u{301}", "𠀀", "〇", "ﬀ", "ß路", "١٢٣"]
        {
            let _ = syllables(s);
            let _ = readings(s);
            let _ = polyphonic(s);
            let _ = key(s);
            let _ = initials(s);
            let _ = romanise_name(s, s, None);
            let _ = romanise_division(s);
            let _ = sound_alike(s, s);
        }
        assert_eq!(syllables("🙂航空🙂"), ["hang", "kong"]);
    }
}
