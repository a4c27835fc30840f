//! What follows a street or locality name: number, sub-number, building, unit, room.
//!
//! The text after the name is cut into tokens (numbers in Arabic or Chinese numerals, and
//! the words 号 附 之 - 栋 楼 单元 室 …, or their Pinyin `hao fu dong danyuan shi` in Latin
//! text), then read by a small grammar that accepts every spelling of SPEC §5:
//! `123号`, `123-1号`, `123号之1`, `123附1号`, `123号附1号`, `3栋`, `3幢`, `3号楼`,
//! `三栋`, `2单元`, `501`, `501室`, `3-2-501`, floors (`5楼`, `5层`: read and ignored).
//! The tail ends at the first token the grammar cannot use; the parser decides what the
//! rest is.
//!
//! Digits that run on after a sub-number marker (`350号之11栋`) can be cut in more than one
//! place; every cut is returned as an alternative and the decision keeps the ones that
//! exist in the register.

use super::normalise::{is_numeral, Text};
use super::Correction;

/// One reading of the tail.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Spec {
    pub number: Option<i32>,
    pub sub: Option<i32>,
    pub building: Option<String>,
    pub unit: Option<String>,
    pub room: Option<String>,
    /// Where each part starts in the text (number, sub, building, unit, room), so what the
    /// register lacks can be reported as `unmatched`.
    pub starts: [Option<usize>; 5],
}

/// The parts of an address below the street, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Part {
    Number = 0,
    Sub = 1,
    Building = 2,
    Unit = 3,
    Room = 4,
}

impl Spec {
    pub fn is_empty(&self) -> bool {
        self.number.is_none() && self.building.is_none() && self.unit.is_none() && self.room.is_none()
    }
    pub fn start(&self, part: Part) -> Option<usize> {
        self.starts.get(part as usize).copied().flatten()
    }
}

/// The tail as read.
#[derive(Debug, Clone, Default)]
pub(super) struct Tail {
    /// At least one reading; several where run-on digits can be cut more than one way.
    pub alts: Vec<Spec>,
    /// Index just past the last character used.
    pub end: usize,
    /// Spellings read other than the canonical one (`numeral`, `sub_number`, …).
    pub corrections: Vec<Correction>,
    /// The written run-on text (`之11栋`) when its digits were cut.
    pub split_from: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word {
    Hao,
    Fu,
    Zhi,
    Dash,
    Dong,
    Lou,
    Unit,
    Room,
    Floor,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// Digits, possibly with letters (`B8`, `111A`), uppercased; `chinese` when written
    /// in Chinese numerals.
    Num {
        text: String,
        chinese: bool,
    },
    Word(Word),
}

#[derive(Debug, Clone, PartialEq)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
    /// A separator stood before it.
    brk: bool,
}

/// Phrases that start like a tail word but are not one (`附近` is not 附).
const NOT_WORDS: &[&str] = &["附近", "号码", "号院"];

/// Reads the tail starting at `start`.
pub(super) fn read(text: &Text, start: usize) -> Tail {
    let tokens = tokenise(text, start);
    Grammar { tokens: &tokens, at: 0 }.tail(text, start)
}

fn tokenise(text: &Text, start: usize) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = start;
    while i < text.len() {
        let Some(token) = (if text.latin { latin_token(text, i) } else { han_token(text, i) }) else { break };
        i = token.end;
        out.push(token);
    }
    out
}

fn han_token(text: &Text, i: usize) -> Option<Token> {
    let c = *text.chars.get(i)?;
    let brk = text.is_break(i);
    let make = |kind, end| Some(Token { kind, start: i, end, brk });
    let at = |k: usize| text.chars.get(k).copied();
    let starts_with = |s: &str| s.chars().enumerate().all(|(k, x)| at(i + k) == Some(x));
    if NOT_WORDS.iter().any(|w| starts_with(w)) {
        return None;
    }
    if c.is_ascii_alphanumeric() {
        let mut end = i;
        while at(end).is_some_and(|x| x.is_ascii_alphanumeric()) && (end == i || !text.is_break(end)) {
            end += 1;
        }
        let s = text.slice(i, end);
        // Letters alone are no number (a word of Latin text).
        if !s.chars().any(|x| x.is_ascii_digit()) {
            return None;
        }
        return make(Kind::Num { text: s.to_ascii_uppercase(), chinese: false }, end);
    }
    if is_numeral(c) {
        let mut end = i;
        while at(end).is_some_and(is_numeral) && (end == i || !text.is_break(end)) {
            end += 1;
        }
        let value = chinese_number(&text.chars[i..end])?;
        return make(Kind::Num { text: value, chinese: true }, end);
    }
    let word = match c {
        '号' => Word::Hao,
        '附' => Word::Fu,
        '之' => Word::Zhi,
        '-' => Word::Dash,
        '栋' | '幢' | '座' => Word::Dong,
        '楼' => Word::Lou,
        '室' | '房' | '户' => Word::Room,
        '层' => Word::Floor,
        '单' if at(i + 1) == Some('元') => return make(Kind::Word(Word::Unit), i + 2),
        _ => return None,
    };
    make(Kind::Word(word), i + 1)
}

fn latin_token(text: &Text, i: usize) -> Option<Token> {
    if !text.is_break(i) {
        return None;
    }
    let mut end = i + 1;
    while end < text.len() && !text.is_break(end) {
        end += 1;
    }
    let w = text.slice(i, end);
    let brk = true;
    if w.chars().all(|c| c.is_ascii_digit()) {
        return Some(Token { kind: Kind::Num { text: w, chinese: false }, start: i, end, brk });
    }
    let word = match w.as_str() {
        "hao" => Word::Hao,
        "fu" => Word::Fu,
        "zhi" => Word::Zhi,
        "dong" | "zhuang" | "zuo" => Word::Dong,
        "lou" => Word::Lou,
        "danyuan" => Word::Unit,
        "shi" | "fang" => Word::Room,
        "ceng" => Word::Floor,
        _ => return None,
    };
    Some(Token { kind: Kind::Word(word), start: i, end, brk })
}

/// The value of a Chinese numeral as digits: positional (`一百二十三` → `123`, `十二` →
/// `12`, `二百零七` → `207`) or digit by digit (`二〇八` → `208`, `五零一` → `501`).
pub(crate) fn chinese_number(chars: &[char]) -> Option<String> {
    let digit = |c: char| -> Option<u32> {
        Some(match c {
            '零' | '〇' => 0,
            '一' => 1,
            '二' | '两' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        })
    };
    if chars.is_empty() || chars.len() > 12 {
        return None;
    }
    if !chars.iter().any(|c| matches!(c, '十' | '百' | '千')) {
        return chars.iter().map(|c| digit(*c).and_then(|d| char::from_digit(d, 10))).collect();
    }
    let mut total: u32 = 0;
    let mut pending: Option<u32> = None;
    let mut last_unit = 10_000;
    for &c in chars {
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            // 零 only holds a place (二百零七).
            '零' | '〇' => continue,
            _ => {
                // Two digits in a row (一二十) is no numeral.
                if pending.is_some() {
                    return None;
                }
                pending = Some(digit(c)?);
                continue;
            }
        };
        // Units fall strictly (一百二十, not 十百).
        if unit >= last_unit {
            return None;
        }
        last_unit = unit;
        // 十二: a bare 十 is one ten.
        total += pending.take().unwrap_or(1) * unit;
    }
    total += pending.unwrap_or(0);
    Some(total.to_string())
}

struct Grammar<'a> {
    tokens: &'a [Token],
    at: usize,
}

impl Grammar<'_> {
    fn peek(&self, k: usize) -> Option<&Token> {
        self.tokens.get(self.at + k)
    }

    fn word(&self, k: usize) -> Option<Word> {
        match self.peek(k)?.kind {
            Kind::Word(w) => Some(w),
            Kind::Num { .. } => None,
        }
    }

    fn num(&self, k: usize) -> Option<(&str, bool)> {
        match &self.peek(k)?.kind {
            Kind::Num { text, chinese } => Some((text.as_str(), *chinese)),
            Kind::Word(_) => None,
        }
    }

    /// A plate number or sub-number: digits only, short enough to be one (a phone number
    /// is not).
    fn plate_value(&self, k: usize) -> Option<i32> {
        let (s, _) = self.num(k)?;
        if s.len() > 6 || !s.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    }

    /// Whether the token at `k` follows the previous one with no separator between.
    fn glued(&self, k: usize) -> bool {
        self.peek(k).is_some_and(|t| !t.brk)
    }

    fn end(&self) -> usize {
        self.at.checked_sub(1).and_then(|k| self.tokens.get(k)).map(|t| t.end).unwrap_or(0)
    }

    fn tail(mut self, text: &Text, start: usize) -> Tail {
        let mut spec = Spec::default();
        let mut corrections = Vec::new();
        // Run-on cuts of the sub-number and the next part's number: (sub, next).
        let mut cuts: Vec<(i32, String)> = Vec::new();
        let mut split_from = None;

        // Plate number; `3号楼`, `3栋` or `5楼` right after the name is no plate.
        let not_plate = matches!((self.word(1), self.word(2)), (Some(Word::Hao), Some(Word::Lou)))
            || matches!(self.word(1), Some(Word::Dong | Word::Lou | Word::Floor | Word::Unit | Word::Room));
        if let (Some(n), false) = (self.plate_value(0), not_plate) {
            let (first, chinese) = (self.peek(0).map_or(start, |t| t.start), self.num(0).is_some_and(|(_, c)| c));
            spec.number = Some(n);
            spec.starts[Part::Number as usize] = Some(first);
            self.at += 1;
            let hao = self.word(0) == Some(Word::Hao);
            if hao {
                self.at += 1;
            }
            self.note(text, first, chinese, format!("{n}号"), "number", &mut corrections);
            if let Some(written) = self.sub_number(text, &mut spec, &mut cuts, &mut corrections, hao) {
                split_from = Some(written);
            }
        }

        // Building, unit, room, in that order, each optional; floors are skipped.
        loop {
            if self.floor() {
                continue;
            }
            if spec.building.is_none() && spec.unit.is_none() && spec.room.is_none() {
                if let Some((b, at)) = self.building(text, &mut corrections) {
                    spec.starts[Part::Building as usize] = Some(at);
                    spec.building = Some(b);
                    continue;
                }
            }
            if spec.unit.is_none() && spec.room.is_none() {
                if let Some((u, at)) = self.unit(text, &mut corrections) {
                    spec.starts[Part::Unit as usize] = Some(at);
                    spec.unit = Some(u);
                    continue;
                }
            }
            if spec.room.is_none() && spec.number.is_some() {
                if let Some((r, at)) = self.room(text, &spec, &mut corrections) {
                    spec.starts[Part::Room as usize] = Some(at);
                    spec.room = Some(r);
                    continue;
                }
                if spec.building.is_none() {
                    if let Some((b, u, r, at)) = self.triple() {
                        spec.starts[Part::Building as usize] = Some(at);
                        corrections.push(Correction {
                            kind: "building",
                            from: text.slice(at, self.end()),
                            to: format!("{b}栋{u}单元{r}室"),
                        });
                        spec.building = Some(b);
                        spec.unit = Some(u);
                        spec.room = Some(r);
                        continue;
                    }
                }
            }
            break;
        }

        let end = if self.at == 0 { start } else { self.end() };
        let alts: Vec<Spec> = cuts
            .into_iter()
            .filter_map(|(sub, next)| {
                let mut alt = spec.clone();
                alt.sub = Some(sub);
                // The cut-off digits number the first part read after the sub-number.
                let slot = [&mut alt.building, &mut alt.unit, &mut alt.room].into_iter().find(|p| p.is_some())?;
                *slot = Some(next);
                Some(alt)
            })
            .collect();
        let alts = if alts.is_empty() { vec![spec] } else { alts };
        Tail { alts, end, corrections, split_from }
    }

    /// `-1号`, `号之1`, `附1号`, `号附1号`, `之1`. Digits glued to a level word (`之11栋`)
    /// run on: every cut goes to `cuts`, the digits are left in place as that level's
    /// number (replaced per cut), and the written text is returned.
    fn sub_number(
        &mut self,
        text: &Text,
        spec: &mut Spec,
        cuts: &mut Vec<(i32, String)>,
        corrections: &mut Vec<Correction>,
        had_hao: bool,
    ) -> Option<String> {
        let marker = self.word(0)?;
        if !matches!(marker, Word::Dash | Word::Fu | Word::Zhi) {
            return None;
        }
        let start = self.peek(0)?.start;
        let (digits, chinese) = self.num(1).map(|(s, c)| (s.to_string(), c))?;
        let k = self.plate_value(1)?;
        let level_follows = self.glued(2)
            && (matches!(self.word(2), Some(Word::Dong | Word::Unit))
                || (self.word(2) == Some(Word::Hao) && self.word(3) == Some(Word::Lou)));
        spec.starts[Part::Sub as usize] = Some(start);
        let run_on: Vec<(i32, String)> = if level_follows {
            (1..digits.len())
                .filter_map(|cut| {
                    let (a, b) = (digits.get(..cut)?, digits.get(cut..)?);
                    (!b.starts_with('0')).then_some((a.parse::<i32>().ok()?, b.to_string()))
                })
                .collect()
        } else {
            Vec::new()
        };
        if !run_on.is_empty() {
            cuts.extend(run_on);
            // Leave the digits for the level word that follows.
            self.at += 1;
            let level_end = self.peek(1).map_or(start, |t| t.end);
            return Some(text.slice(start, level_end));
        }
        self.at += 2;
        if self.word(0) == Some(Word::Hao) && self.word(1) != Some(Word::Lou) {
            self.at += 1;
        }
        spec.sub = Some(k);
        let written = text.slice(start, self.end());
        let number = spec.number.unwrap_or_default();
        let canonical = format!("{number}号附{k}号");
        if chinese {
            corrections.push(Correction { kind: "numeral", from: written, to: format!("附{k}号") });
        } else if !(text.latin || had_hao && marker == Word::Fu && written.ends_with('号')) {
            let hao = if had_hao { "号" } else { "" };
            corrections.push(Correction { kind: "sub_number", from: format!("{number}{hao}{written}"), to: canonical });
        }
        None
    }

    fn floor(&mut self) -> bool {
        // `5楼` or `5层`: a floor says nothing the register keeps.
        if self.num(0).is_some() && matches!(self.word(1), Some(Word::Floor | Word::Lou)) {
            self.at += 2;
            return true;
        }
        false
    }

    /// `3栋`, `3幢`, `3座`, `3号楼`, `3栋楼`, `B8栋`, `三栋`.
    fn building(&mut self, text: &Text, corrections: &mut Vec<Correction>) -> Option<(String, usize)> {
        let (n, chinese) = self.num(0).map(|(s, c)| (s.to_string(), c))?;
        let start = self.peek(0)?.start;
        let len = match (self.word(1), self.word(2)) {
            (Some(Word::Dong), Some(Word::Lou)) => 3,
            (Some(Word::Dong), _) => 2,
            (Some(Word::Hao), Some(Word::Lou)) => 3,
            _ => return None,
        };
        self.at += len;
        self.note(text, start, chinese, format!("{n}栋"), "building", corrections);
        Some((n, start))
    }

    /// `2单元`, `二单元`.
    fn unit(&mut self, text: &Text, corrections: &mut Vec<Correction>) -> Option<(String, usize)> {
        let (n, chinese) = self.num(0).map(|(s, c)| (s.to_string(), c))?;
        if self.word(1) != Some(Word::Unit) {
            return None;
        }
        let start = self.peek(0)?.start;
        self.at += 2;
        self.note(text, start, chinese, format!("{n}单元"), "unit", corrections);
        Some((n, start))
    }

    /// `501室`, `501号房`, or a bare number after a building or unit (`2单元401`).
    fn room(&mut self, text: &Text, spec: &Spec, corrections: &mut Vec<Correction>) -> Option<(String, usize)> {
        let (n, chinese) = self.num(0).map(|(s, c)| (s.to_string(), c))?;
        let start = self.peek(0)?.start;
        let len = match (self.word(1), self.word(2)) {
            (Some(Word::Room), _) => 2,
            (Some(Word::Hao), Some(Word::Room)) => 3,
            // `2单元501号`: after a unit, a number with 号 is the room.
            (Some(Word::Hao), w) if spec.unit.is_some() && w != Some(Word::Lou) => 2,
            // A bare number after a building or unit, not followed by another number.
            (None, _) if (spec.unit.is_some() || spec.building.is_some()) && self.num(1).is_none() => 1,
            _ => return None,
        };
        self.at += len;
        self.note(text, start, chinese, format!("{n}室"), "room", corrections);
        Some((n, start))
    }

    /// `3-2-501` after a plate: building, unit, room.
    fn triple(&mut self) -> Option<(String, String, String, usize)> {
        let (b, _) = self.num(0)?;
        let (u, _) = self.num(2)?;
        let (r, _) = self.num(4)?;
        if self.word(1) != Some(Word::Dash) || self.word(3) != Some(Word::Dash) {
            return None;
        }
        let out = (b.to_string(), u.to_string(), r.to_string(), self.peek(0)?.start);
        self.at += 5;
        if self.word(0) == Some(Word::Room) {
            self.at += 1;
        }
        Some(out)
    }

    /// Reports a spelling other than the canonical one: Chinese numerals as `numeral`,
    /// other spellings of a building, unit or room under their own kind. A plate number
    /// written without 号 is no spelling worth reporting; Pinyin is reported as a whole.
    fn note(
        &self,
        text: &Text,
        start: usize,
        chinese: bool,
        canonical: String,
        kind: &'static str,
        corrections: &mut Vec<Correction>,
    ) {
        let written = text.slice(start, self.end());
        if written == canonical || text.latin || (kind == "number" && !chinese) {
            return;
        }
        corrections.push(Correction { kind: if chinese { "numeral" } else { kind }, from: written, to: canonical });
    }
}

#[cfg(test)]
mod tests {

    use super::*;

    fn normalise(s: &str) -> Text {
        super::super::normalise::normalise(s, |_| false)
    }

    fn spec(s: &str) -> (Vec<Spec>, String) {
        let t = normalise(s);
        let tail = read(&t, 0);
        let rest = t.slice(tail.end, t.len());
        (
            tail.alts
                .into_iter()
                .map(|mut a| {
                    a.starts = [None; 5];
                    a
                })
                .collect(),
            rest,
        )
    }

    fn one(s: &str) -> Spec {
        let (alts, rest) = spec(s);
        assert_eq!(alts.len(), 1, "{s}");
        assert_eq!(rest, "", "{s}");
        alts.into_iter().next().unwrap_or_default()
    }

    fn plate(n: i32, sub: Option<i32>) -> Spec {
        Spec { number: Some(n), sub, ..Spec::default() }
    }

    #[test]
    fn chinese_numerals() {
        let v = |s: &str| chinese_number(&s.chars().collect::<Vec<_>>());
        assert_eq!(v("一百二十三").as_deref(), Some("123"));
        assert_eq!(v("二〇八").as_deref(), Some("208"));
        assert_eq!(v("十二").as_deref(), Some("12"));
        assert_eq!(v("十").as_deref(), Some("10"));
        assert_eq!(v("二百零七").as_deref(), Some("207"));
        assert_eq!(v("三十").as_deref(), Some("30"));
        assert_eq!(v("两千零五").as_deref(), Some("2005"));
        assert_eq!(v("五零一").as_deref(), Some("501"));
        assert_eq!(v("十百"), None);
        assert_eq!(v("一二十"), None);
        assert_eq!(v(""), None);
    }

    #[test]
    fn every_sub_number_spelling() {
        for s in ["123-1号", "123号之1", "123附1号", "123号附1号", "123之1", "123号-1", "一百二十三号附一号"]
        {
            assert_eq!(one(s), plate(123, Some(1)), "{s}");
        }
        assert_eq!(one("123号"), plate(123, None));
        assert_eq!(one("123"), plate(123, None));
    }

    #[test]
    fn buildings_units_rooms() {
        let full =
            Spec { building: Some("3".into()), unit: Some("2".into()), room: Some("501".into()), ..plate(123, None) };
        for s in [
            "123号3栋2单元501室",
            "123号3幢2单元501",
            "123号3号楼2单元501",
            "123号3栋2单元501号",
            "123号三栋二单元501室",
            "123号 3栋 2单元 501室",
            "123号3-2-501",
            "123号3栋楼2单元5楼501室",
        ] {
            assert_eq!(one(s), full, "{s}");
        }
        let b8 = one("12号B8栋111A");
        assert_eq!(b8.building.as_deref(), Some("B8"));
        assert_eq!(b8.room.as_deref(), Some("111A"));
        assert_eq!(one("3号楼").building.as_deref(), Some("3"));
        assert_eq!(one("3号楼").number, None);
    }

    #[test]
    fn run_on_digits_are_cut_every_way() {
        let (alts, rest) = spec("350号之11栋3单元");
        assert_eq!(rest, "");
        assert_eq!(alts.len(), 1);
        assert_eq!(
            (alts[0].sub, alts[0].building.as_deref(), alts[0].unit.as_deref()),
            (Some(1), Some("1"), Some("3"))
        );
        let (alts, _) = spec("350号之123栋");
        let cuts: Vec<_> = alts.iter().map(|a| (a.sub, a.building.clone())).collect();
        assert_eq!(cuts, vec![(Some(1), Some("23".to_string())), (Some(12), Some("3".to_string()))]);
        // A separator says where the sub-number ends.
        let s = one("350号之1 1栋");
        assert_eq!((s.sub, s.building.as_deref()), (Some(1), Some("1")));
    }

    #[test]
    fn the_tail_stops_at_what_it_cannot_read() {
        assert_eq!(spec("12号附近").1, "附近");
        assert_eq!(spec("12号华联超市").1, "华联超市");
        assert_eq!(spec("12号 13812345678").1, "13812345678");
        assert_eq!(spec("12号2号门").1, "2号门");
        assert_eq!(one("12号").number, Some(12));
    }

    #[test]
    fn pinyin_tail() {
        let t = normalise("123 Hao Fu 1 Hao 3 Dong 2 Danyuan 501 Shi");
        let tail = read(&t, 0);
        let s = &tail.alts[0];
        assert_eq!((s.number, s.sub), (Some(123), Some(1)));
        assert_eq!((s.building.as_deref(), s.unit.as_deref(), s.room.as_deref()), (Some("3"), Some("2"), Some("501")));
        assert_eq!(tail.end, t.len());
    }

    #[test]
    fn corrections_name_the_spelling() {
        let t = normalise("123-1号3幢二单元501");
        let kinds: Vec<_> = read(&t, 0).corrections.iter().map(|c| c.kind).collect();
        assert_eq!(kinds, ["sub_number", "building", "numeral", "room"]);
        let t = normalise("123号附1号3栋2单元501室");
        assert!(read(&t, 0).corrections.is_empty());
    }
}
