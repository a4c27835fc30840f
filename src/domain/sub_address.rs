//! The numbers of buildings, units and rooms (楼栋号、单元号、户室号) as the register keeps
//! them: `5`, `B`, `501`, `5-01`. Clerks type them as they are written on the wall
//! (`5栋`, `三单元`, `５０１室`), so each is normalised on the way in: the level's own word
//! is stripped (the canonical text adds it back once), full-width characters and Chinese
//! numerals are read, and letters are upper-cased. Two numbers that read alike on a plate
//! (`5-01` and `501`, `0501` and `501`) are one number within their parent.

use super::resolve::chinese_number;

/// Which number: each level has its own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubLevel {
    Building,
    Unit,
    Room,
}

impl SubLevel {
    /// The words written after the number, longest first.
    fn words(self) -> &'static [&'static str] {
        match self {
            SubLevel::Building => &["号楼", "栋", "幢", "座", "楼"],
            SubLevel::Unit => &["单元"],
            SubLevel::Room => &["室", "房", "户", "号"],
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            SubLevel::Building => "楼栋",
            SubLevel::Unit => "单元",
            SubLevel::Room => "户室",
        }
    }
}

/// Why a number was refused, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadNumber(pub String);

/// Longest number kept (after normalising).
pub const MAX_CHARS: usize = 16;

/// The number as the register keeps it.
pub fn normalise(level: SubLevel, raw: &str) -> Result<String, BadNumber> {
    // Full-width digits, letters and hyphens as people type them in Chinese input modes.
    let mut s: String = raw
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '－' | '—' | '–' => '-',
            c => c,
        })
        .collect();
    // A trailing word of the level: 5栋 → 5, 二单元 → 二, 501室 → 501.
    if let Some(w) = level.words().iter().find(|w| s.ends_with(**w) && s.len() > w.len()) {
        s.truncate(s.len() - w.len());
    }
    let chars: Vec<char> = s.chars().collect();
    let numeral = |c: &char| matches!(c, '零' | '〇' | '一' | '二' | '两' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '百' | '千');
    if !chars.is_empty() && chars.iter().all(numeral) {
        s = chinese_number(&chars).ok_or_else(|| bad(level, raw))?;
    }
    let s = s.to_uppercase();
    let fits = |c: char| c.is_ascii_alphanumeric() || c == '-';
    // A unit or building named by its side (东单元, 西楼) is written with that one word.
    let side = level != SubLevel::Room && matches!(s.as_str(), "东" | "西" | "南" | "北" | "中" | "左" | "右");
    if !side
        && (s.is_empty() || s.chars().count() > MAX_CHARS || !s.chars().all(fits) || s.starts_with('-') || s.ends_with('-'))
    {
        return Err(bad(level, raw));
    }
    Ok(s)
}

fn bad(level: SubLevel, raw: &str) -> BadNumber {
    // Only what can be seen goes back into the message.
    let shown: String = raw.chars().filter(|c| !c.is_control() && !is_invisible(*c)).collect();
    BadNumber(format!(
        "{}编号“{shown}”无效：应为 1 到 {MAX_CHARS} 个字母、数字或连字符（如 5、B、501、5-01），可带“{}”，不含空白、标点和不可见字符",
        level.zh(),
        level.words()[0]
    ))
}

/// Zero-width and direction-formatting characters: they would hide in a number.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}')
}

/// What two numbers that read alike share: hyphens and leading zeros do not count.
pub fn lookalike_key(number: &str) -> String {
    let plain: String = number.chars().filter(|c| *c != '-').collect::<String>().to_uppercase();
    let trimmed = plain.trim_start_matches('0');
    if trimmed.is_empty() { "0".into() } else { trimmed.into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_levels_word_is_written_once() {
        assert_eq!(normalise(SubLevel::Building, "5栋").unwrap(), "5");
        assert_eq!(normalise(SubLevel::Building, "5号楼").unwrap(), "5");
        assert_eq!(normalise(SubLevel::Building, "5幢").unwrap(), "5");
        assert_eq!(normalise(SubLevel::Building, "三栋").unwrap(), "3");
        assert_eq!(normalise(SubLevel::Building, "b座").unwrap(), "B");
        assert_eq!(normalise(SubLevel::Building, "十二").unwrap(), "12");
        assert_eq!(normalise(SubLevel::Unit, "二单元").unwrap(), "2");
        assert_eq!(normalise(SubLevel::Room, "501室").unwrap(), "501");
        assert_eq!(normalise(SubLevel::Room, "５０１").unwrap(), "501");
        assert_eq!(normalise(SubLevel::Room, "5-01").unwrap(), "5-01");
        assert_eq!(normalise(SubLevel::Room, "五零一").unwrap(), "501");
        assert_eq!(normalise(SubLevel::Unit, "东单元").unwrap(), "东");
    }

    #[test]
    fn what_cannot_be_a_number_is_refused() {
        for bad in ["", "栋", "1\u{200b}", "\u{202e}1", "5 01", "5/01", "-5", "东单元楼", "一二十"] {
            assert!(normalise(SubLevel::Building, bad).is_err(), "{bad:?}");
        }
        let message = normalise(SubLevel::Room, "1\u{200b}").unwrap_err().0;
        assert!(!message.contains('\u{200b}'), "{message}");
    }

    #[test]
    fn numbers_that_read_alike_share_a_key() {
        assert_eq!(lookalike_key("5-01"), lookalike_key("501"));
        assert_eq!(lookalike_key("0501"), lookalike_key("501"));
        assert_eq!(lookalike_key("b2"), lookalike_key("B-2"));
        assert_ne!(lookalike_key("51"), lookalike_key("501"));
    }
}
