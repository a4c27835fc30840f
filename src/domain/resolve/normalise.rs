//! Normalisation: the text as typed → the characters the parser reads.
//!
//! - NFKC folds full-width digits, letters and punctuation to ASCII (`１２３` → `123`,
//!   `－` → `-`, `（` → `(`), and circled digits to digits.
//! - Traditional characters become simplified (`珠山鎮人民路8號` → `珠山镇人民路8号`),
//!   reported as a `traditional` correction.
//! - Separators (spaces, commas, 、, middle dots, hyphens between words, emoji, any other
//!   symbol) are dropped but remembered as breaks: a break tells the parser that two parts
//!   were written apart (`350号之1 1栋` is not `350号之11栋`).
//! - A bracketed aside is taken out whole; the parser decides whether it names a division
//!   (`建始（业州镇）`) or is a landmark (`（近华联超市）`).
//! - A leading label (`地址：`, `注册地址`) is dropped; `第` before a number is dropped
//!   (`第3栋`); `#` means 号 (`3#楼`).
//! - Text with no Han character at all is read as Hanyu Pinyin: tone marks dropped,
//!   lowercased, with a break at every word (`Xuan'en` stays one word).

use unicode_normalization::UnicodeNormalization;

use super::Correction;

/// The normalised query.
#[derive(Debug, Clone, Default)]
pub(super) struct Text {
    pub chars: Vec<char>,
    /// `brk[i]`: a separator stood right before `chars[i]`; `brk[chars.len()]` is true.
    pub brk: Vec<bool>,
    /// Bracketed asides, normalised the same way, in order.
    pub asides: Vec<Text>,
    /// Text with no Han character, read as Hanyu Pinyin.
    pub latin: bool,
    /// A `traditional` correction when any character was converted.
    pub traditional: Option<Correction>,
}

impl Text {
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn is_break(&self, i: usize) -> bool {
        self.brk.get(i).copied().unwrap_or(true)
    }

    /// The characters of `start..end`, clamped to the text.
    pub fn slice(&self, start: usize, end: usize) -> String {
        let end = end.min(self.chars.len());
        self.chars.get(start.min(end)..end).map(|s| s.iter().collect()).unwrap_or_default()
    }

    /// The characters of `start..end` with a space wherever a separator stood.
    pub fn spaced(&self, start: usize, end: usize) -> String {
        let mut s = String::new();
        let end = end.min(self.chars.len());
        for i in start..end {
            if i > start && self.is_break(i) {
                s.push(' ');
            }
            if let Some(c) = self.chars.get(i) {
                s.push(*c);
            }
        }
        s
    }
}

/// Labels written before an address; dropped when they open the text.
const LABELS: &[&str] = &[
    "注册地址",
    "详细地址",
    "收货地址",
    "联系地址",
    "通讯地址",
    "通信地址",
    "家庭住址",
    "家庭地址",
    "户籍地址",
    "经营地址",
    "办公地址",
    "单位地址",
    "公司地址",
    "送货地址",
    "收件地址",
    "现住址",
    "居住地址",
    "住所地",
    "经营场所",
    "所在地",
    "住所",
    "住址",
    "地址",
];

/// A text before a colon ending in one of these is a label (`收货人地址：`).
const LABEL_ENDINGS: &[&str] = &["地址", "住址", "住所", "地点", "位置", "场所", "所在地", "详址", "门牌"];

pub(super) fn is_han(c: char) -> bool {
    matches!(u32::from(c),
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x323AF | 0x3007)
}

/// Characters of Chinese numerals as written in addresses.
pub(super) fn is_numeral(c: char) -> bool {
    matches!(c, '零' | '〇' | '一' | '二' | '两' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '百' | '千')
}

fn is_open(c: char) -> bool {
    matches!(c, '(' | '[' | '{' | '【' | '〔' | '〖' | '《' | '「' | '『' | '<' | '〈')
}

fn is_close(c: char) -> bool {
    matches!(c, ')' | ']' | '}' | '】' | '〕' | '〗' | '》' | '」' | '』' | '>' | '〉')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | '`')
}

/// Drops a leading label and its colon.
fn strip_label(s: &str) -> &str {
    let t = s.trim_start_matches(|c: char| !c.is_alphanumeric());
    // A colon within the first few characters ends a label when what stands before it
    // reads as one; an address before a colon (`来凤县:莲花路`) is kept.
    if let Some((before, after)) = t.split_once(':') {
        let b = before.trim();
        if b.chars().count() <= 12
            && !b.chars().any(|c| c.is_ascii_digit())
            && LABEL_ENDINGS.iter().any(|l| b.ends_with(l))
        {
            return after;
        }
    }
    for l in LABELS {
        if let Some(rest) = t.strip_prefix(l) {
            return rest;
        }
    }
    t
}

/// Normalises one query; never fails, whatever the input. `known` tells the characters
/// the index has seen: a text made only of those is taken as simplified already, which
/// spares the conversion for most texts.
pub(super) fn normalise(input: &str, known: impl Fn(char) -> bool) -> Text {
    let mut folded: String = input.nfkc().collect();
    if !folded.chars().any(is_han) && !folded.is_ascii() {
        // Pinyin with tone marks (Hángkōng Dàdào): the marks go, ü becomes u.
        folded = folded.nfd().filter(|c| !('\u{300}'..='\u{36f}').contains(c)).collect();
    }
    let simplified = if folded.chars().all(known) { folded.clone() } else { simplet2s::convert(&folded) };
    let traditional = traditional_correction(&folded, &simplified);
    let body = strip_label(&simplified);
    let mut text = read(body);
    text.traditional = traditional;
    text
}

/// The characters that changed, as one correction (`鎮號` → `镇号`).
fn traditional_correction(before: &str, after: &str) -> Option<Correction> {
    if before == after {
        return None;
    }
    let (mut from, mut to) = (String::new(), String::new());
    if before.chars().count() == after.chars().count() {
        for (a, b) in before.chars().zip(after.chars()) {
            if a != b && !from.contains(a) {
                from.push(a);
                to.push(b);
            }
        }
    } else {
        from = before.trim().to_string();
        to = after.trim().to_string();
    }
    Some(Correction { kind: "traditional", from, to })
}

/// Splits asides out and reads the main text.
fn read(s: &str) -> Text {
    let mut main = String::with_capacity(s.len());
    let mut asides = Vec::new();
    let mut aside = String::new();
    let mut depth = 0usize;
    for c in s.chars() {
        if is_open(c) {
            depth += 1;
            if depth == 1 {
                main.push(' ');
                continue;
            }
        } else if is_close(c) {
            if depth == 1 {
                asides.push(read_plain(&aside));
                aside.clear();
            }
            depth = depth.saturating_sub(1);
            if depth == 0 {
                main.push(' ');
                continue;
            }
        }
        if depth == 0 {
            main.push(c);
        } else {
            aside.push(c);
        }
    }
    // An aside left open runs to the end of the text.
    if depth > 0 && !aside.trim().is_empty() {
        asides.push(read_plain(&aside));
    }
    let mut text = read_plain(&main);
    text.asides = asides.into_iter().filter(|a| !a.chars.is_empty()).collect();
    text
}

/// Reads text without brackets into characters and breaks.
fn read_plain(s: &str) -> Text {
    let src: Vec<char> = s.chars().collect();
    let latin = !src.iter().any(|c| is_han(*c)) && src.iter().any(|c| c.is_ascii_alphabetic());
    let mut chars = Vec::with_capacity(src.len());
    let mut brk = Vec::with_capacity(src.len() + 1);
    let mut pending = true;
    for (i, &c) in src.iter().enumerate() {
        let next = src.get(i + 1).copied();
        let prev = chars.last().copied();
        let kept = if c.is_ascii_alphanumeric() {
            // In Pinyin a word ends where digits start or stop (`123hao`).
            if latin && prev.is_some_and(|p: char| p.is_ascii_digit() != c.is_ascii_digit()) {
                pending = true;
            }
            // Pinyin is matched in lowercase; elsewhere letters keep their case (`B8栋`).
            Some(if latin { c.to_ascii_lowercase() } else { c })
        } else if is_han(c) {
            // 第 before a number only says "number" (第3栋, 第三组).
            if c == '第' && next.is_some_and(|n| n.is_ascii_digit() || is_numeral(n)) {
                None
            } else {
                Some(c)
            }
        } else if c == '#' {
            Some('号')
        } else if matches!(c, '-' | '—' | '–' | '~' | '～' | '‐' | '‑') {
            // A hyphen between numbers belongs to them (123-1号, 3-2-501); elsewhere it
            // separates.
            let numeric = |x: Option<char>| x.is_some_and(|x| x.is_ascii_digit() || is_numeral(x));
            if (numeric(prev) || prev == Some('号')) && numeric(next) && !pending {
                Some('-')
            } else {
                pending = true;
                None
            }
        } else if is_apostrophe(c) && latin {
            // Xuan'en is one word.
            None
        } else {
            pending = true;
            None
        };
        if let Some(k) = kept {
            chars.push(k);
            brk.push(pending);
            pending = false;
        }
    }
    brk.push(true);
    Text { chars, brk, asides: Vec::new(), latin, traditional: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str) -> String {
        normalise(s, |_| false).chars.iter().collect()
    }

    #[test]
    fn full_width_folds_to_ascii() {
        assert_eq!(plain("航空大道１２３号"), "航空大道123号");
        assert_eq!(plain("白鹤街７３－１号"), "白鹤街73-1号");
        assert_eq!(plain("ＡＢ栋"), "AB栋");
    }

    #[test]
    fn traditional_becomes_simplified() {
        let t = normalise("珠山鎮人民路8號", |_| false);
        assert_eq!(t.chars.iter().collect::<String>(), "珠山镇人民路8号");
        let c = t.traditional.expect("a correction");
        assert_eq!((c.from.as_str(), c.to.as_str()), ("鎮號", "镇号"));
        assert!(normalise("珠山镇人民路8号", |_| false).traditional.is_none());
    }

    #[test]
    fn separators_become_breaks() {
        let t = normalise("湖北省、建始县 业州镇·凤台街,135号", |_| false);
        assert_eq!(t.chars.iter().collect::<String>(), "湖北省建始县业州镇凤台街135号");
        assert!(t.is_break(0) && t.is_break(3) && t.is_break(6) && t.is_break(9));
        assert!(!t.is_break(1));
        assert_eq!(t.spaced(0, 6), "湖北省 建始县");
    }

    #[test]
    fn hyphens_between_numbers_stay() {
        assert_eq!(plain("友谊路77-1号"), "友谊路77-1号");
        assert_eq!(plain("3-2-501"), "3-2-501");
        assert_eq!(plain("123号-1"), "123号-1");
        assert_eq!(plain("湖北-恩施"), "湖北恩施");
    }

    #[test]
    fn asides_are_taken_out() {
        let t = normalise("紫薇路（近华联超市）12号", |_| false);
        assert_eq!(t.chars.iter().collect::<String>(), "紫薇路12号");
        assert_eq!(t.asides.len(), 1);
        assert_eq!(t.asides[0].chars.iter().collect::<String>(), "近华联超市");
        // Unbalanced either way.
        let t = normalise("紫薇路(近华联", |_| false);
        assert_eq!(t.asides.len(), 1);
        assert_eq!(plain("紫薇路)12号"), "紫薇路12号");
    }

    #[test]
    fn labels_are_dropped() {
        assert_eq!(plain("注册地址：湖北省"), "湖北省");
        assert_eq!(plain("  地址:湖北省"), "湖北省");
        assert_eq!(plain("收货人地址：湖北省"), "湖北省");
        assert_eq!(plain("地址湖北省"), "湖北省");
        assert_eq!(plain("来凤县:莲花路"), "来凤县莲花路");
    }

    #[test]
    fn small_rewrites() {
        assert_eq!(plain("第3栋"), "3栋");
        assert_eq!(plain("第三组"), "三组");
        assert_eq!(plain("3#楼"), "3号楼");
    }

    #[test]
    fn pinyin_words() {
        let t = normalise("Hangkong Dadao 123Hao, Xuan'en Xian", |_| false);
        assert!(t.latin);
        assert_eq!(t.chars.iter().collect::<String>(), "hangkongdadao123haoxuanenxian");
        assert_eq!(t.spaced(0, t.len()), "hangkong dadao 123 hao xuanen xian");
        assert!(!normalise("航空大道 Hao", |_| false).latin);
        assert_eq!(plain("Hángkōng Dàdào, Lǜshuǐ"), "hangkongdadaolushui");
    }

    #[test]
    fn odd_input_never_panics() {
        let long = "🙂".repeat(512);
        for s in ["", " ", "((((", "))))", "123", "-", "第", "#", long.as_str(), "\u{301}", "ﬀ", "①②"] {
            let t = normalise(s, |_| false);
            assert_eq!(t.brk.len(), t.chars.len() + 1);
        }
        assert_eq!(plain("①号"), "1号");
    }
}
