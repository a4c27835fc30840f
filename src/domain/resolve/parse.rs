//! Reading a normalised text against the index: which divisions it names, which street or
//! locality (the anchor), what follows the anchor (the tail), and what is left over.
//!
//! The text is cut left to right into the longest names the index knows. At each position
//! a street or locality name wins over a division name no longer than itself (`龙凤大道`
//! over the township short form `龙凤`), a division name over filler words (`城区`). The
//! first street or locality found is the anchor; everything after its tail is scanned
//! again for divisions written after it (`Hangkong Dadao 123 Hao, Enshi Shi`), a second
//! street (an intersection) and left-over text.
//!
//! A name glued to one or two unknown characters before it is not taken (`东莲花路` is not
//! 莲花路, `十三组` is not 三组): the unknown characters belong to a name the register does
//! not have. Unknown text before the anchor that reads as a division or place (`某某村`)
//! blocks the reading: the text is about somewhere the register does not know.
//!
//! When no exact name is found, a second pass looks for a one-character homophone slip
//! (Chinese). Pinyin initials are never read: they serve autocomplete only.

use super::index::{DivId, Index, PlaceForm, PlaceId, Target};
use super::informal::DivisionForm;
use super::normalise::Text;
use super::tail::{self, Tail};

/// A division named in the text, with every division the name can mean.
#[derive(Debug, Clone)]
pub(super) struct Mention {
    pub text: String,
    pub readings: Vec<(DivId, DivisionForm, bool)>,
}

/// How the anchor's name was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum How {
    Exact,
    Homophone,
    Pinyin,
}

#[derive(Debug, Clone)]
pub(super) struct Anchor {
    pub text: String,
    pub how: How,
    pub places: Vec<(PlaceId, PlaceForm)>,
}

/// Which names the anchor may be found by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pass {
    Exact,
    /// One-character homophone slips (Chinese only).
    Loose,
}

#[derive(Debug, Clone, Default)]
pub(super) struct Reading {
    pub mentions: Vec<Mention>,
    pub anchor: Option<Anchor>,
    pub tail: Tail,
    /// The other street of an intersection (`X与Y交叉口`), when the text names one.
    pub intersection: Option<Vec<(PlaceId, PlaceForm)>>,
    /// Unknown text before the anchor that reads as a place: the text names somewhere
    /// the register does not know.
    pub blocked: Option<String>,
    /// An unknown residents' community before the anchor (`金桂社区航空大道`): no matter
    /// for a street, which belongs to the whole county, but a locality cannot be placed.
    pub community: Option<String>,
    /// Unknown text stands right before the anchor: a locality's village may be that
    /// text, so no locality is read (a street belongs to the whole county and still is).
    pub after_unknown: bool,
    /// Unknown text after the address that reads as a place below it.
    pub place_like: Vec<String>,
    /// Text read as noise (labels aside): landmarks, chatter.
    pub noise: Vec<String>,
    /// Unknown text when there is no anchor, as written.
    pub unknown: Vec<String>,
}

/// Words that fill a prefix without naming anything (`恩施市城区`).
pub(super) const FILLERS: &[&str] =
    &["中华人民共和国", "中国", "城区", "市区", "县城", "城关", "境内", "辖区", "市辖区", "区", "城"];

/// Endings of unknown text that names a place (`某某路`, `某某村`, `某某小区`).
const PLACE_ENDINGS: &[&str] = &[
    "路",
    "街",
    "巷",
    "大道",
    "大街",
    "胡同",
    "弄",
    "村",
    "组",
    "湾",
    "塆",
    "社区",
    "小区",
    "花园",
    "苑",
    "庄",
    "寨",
    "坪",
    "坝",
    "镇",
    "乡",
    "县",
    "市",
    "区",
    "州",
    "省",
    "街道",
    "办事处",
    "居委会",
    "村委会",
    "栋",
    "幢",
    "单元",
    "室",
];

/// Endings that make a place a landmark to go by (`幸福小区对面`): noise.
const RELATIONAL_ENDINGS: &[&str] = &[
    "对面",
    "旁边",
    "旁",
    "隔壁",
    "附近",
    "楼上",
    "楼下",
    "后面",
    "前面",
    "背后",
    "门口",
    "里面",
    "斜对面",
    "侧",
    "边",
    "内",
    "处",
];

/// Words that make two streets an intersection, not an address on either.
const CROSSING_WORDS: &[&str] = &["交叉口", "交汇处", "交界处", "交叉路口", "十字路口", "交口", "路口", "交叉", "交汇"];

fn ends_with_any(s: &str, list: &[&str]) -> bool {
    list.iter().any(|e| s.ends_with(e))
}

/// Endings of a residents' community, the level between a township and its streets.
const COMMUNITY_ENDINGS: &[&str] = &["社区", "居委会", "社区居委会"];

/// Words that may stand right before a name without being part of it (`恩施市的航空大道`).
const PARTICLES: &[char] = &['的', '在'];

/// Endings of shops and rooms that end like places (`华联超市` is no 市).
const SHOP_ENDINGS: &[&str] =
    &["超市", "门市", "菜市", "集市", "夜市", "工作室", "办公室", "活动室", "诊室", "校区", "营业区", "饭庄", "农庄"];

/// Whether unknown text names a place rather than a landmark or chatter.
pub(super) fn looks_like_place(s: &str) -> bool {
    ends_with_any(s, PLACE_ENDINGS) && !ends_with_any(s, RELATIONAL_ENDINGS) && !ends_with_any(s, SHOP_ENDINGS)
}

/// Courier and caller chatter.
const CHATTER: &[&str] =
    &["打电话", "电话", "联系", "谢谢", "快递", "放门口", "代收", "转交", "送货", "门卫", "收件", "签收"];

/// Whether unknown text is recognisably no part of an address: chatter, a phone number, a
/// landmark to go by (`邮政储蓄隔壁`).
fn is_chatter(s: &str) -> bool {
    let longest_digits = s.split(|c: char| !c.is_ascii_digit()).map(str::len).max().unwrap_or(0);
    longest_digits >= 7 || CHATTER.iter().any(|w| s.contains(w)) || ends_with_any(s, RELATIONAL_ENDINGS)
}

/// Whether text left after an address is more of the address that could not be read
/// (`二号门`, `B座`, `12栋`) rather than a landmark or chatter. A phone number is chatter.
fn looks_like_detail(s: &str) -> bool {
    if is_chatter(s) {
        return false;
    }
    looks_like_place(s)
        || s.chars().any(|c| c.is_ascii_digit())
        || s.chars().any(|c| matches!(c, '号' | '栋' | '幢' | '单' | '室' | '座'))
}

#[derive(Debug, Clone, Copy)]
enum Item {
    Mention(usize, usize, u32),
    Place(usize, usize, u32),
    Filler,
    Unknown(usize, usize),
}

/// A name found in the text: where it ends, and its trie slot.
type Hit = (usize, u32);

struct Scanner<'a> {
    index: &'a Index,
    text: &'a Text,
    /// Whether filler words are skipped: before the address, not after it (`莲花路小区` is
    /// a compound, not 莲花路 + 区).
    fillers: bool,
}

impl<'a> Scanner<'a> {
    fn targets(&self, slot: u32) -> &'a [Target] {
        let list = if self.text.latin { &self.index.latin_targets } else { &self.index.han_targets };
        list.get(slot as usize).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The longest division name and the longest street or locality name at `p`, each as
    /// (end, slot).
    fn longest(&self, p: usize, to: usize) -> (Option<Hit>, Option<Hit>) {
        let (mut div, mut place) = (None, None);
        let trie = if self.text.latin { &self.index.latin } else { &self.index.han };
        // Pinyin names start and end at word boundaries.
        if self.text.latin && !self.text.is_break(p) {
            return (None, None);
        }
        trie.walk(&self.text.chars, p, to, |end, slot| {
            if self.text.latin && !self.text.is_break(end) {
                return;
            }
            for t in self.targets(slot) {
                match t {
                    Target::Division { .. } => div = Some((end, slot)),
                    Target::Place { .. } => place = Some((end, slot)),
                }
            }
        });
        (div, place)
    }

    /// A filler word at `p`; a one-character filler only right after a division name
    /// (`恩施市区`, not the 区 of `开发区`).
    fn filler(&self, p: usize, to: usize, after_division: bool) -> Option<usize> {
        if self.text.latin || !self.fillers {
            return None;
        }
        let written = self.text.chars.get(p..to)?;
        FILLERS
            .iter()
            .filter_map(|f| {
                // The filler's length if the text starts with it here.
                let mut n = 0;
                for c in f.chars() {
                    if written.get(n) != Some(&c) {
                        return None;
                    }
                    n += 1;
                }
                (n > 1 || after_division).then_some(p + n)
            })
            .max()
    }

    /// The end of the unknown stretch starting at `p`: one character, or one word of Pinyin.
    fn unknown_end(&self, p: usize, to: usize) -> usize {
        let mut end = p + 1;
        if self.text.latin {
            while end < to && !self.text.is_break(end) {
                end += 1;
            }
        }
        end.min(to)
    }

    /// Cuts `from..to` into items. With `anchor` set, stops at the first street or
    /// locality name that is not glued to unknown characters and returns it.
    fn scan(&self, from: usize, to: usize, anchor: bool) -> (Vec<Item>, Option<(usize, usize, u32)>) {
        let mut items: Vec<Item> = Vec::new();
        let mut p = from;
        while p < to {
            let (div, place) = self.longest(p, to);
            let filler = self.filler(p, to, matches!(items.last(), Some(Item::Mention(_, e, _)) if *e == p));
            let dl = div.map_or(0, |d| d.0 - p);
            let fl = filler.map_or(0, |f| f - p);
            if let Some((end, slot)) = place.filter(|pl| pl.0 - p >= dl.max(fl)) {
                if !anchor {
                    items.push(Item::Place(p, end, slot));
                    p = end;
                    continue;
                }
                if !self.glued(&items, p) {
                    return (items, Some((p, end, slot)));
                }
            } else if let Some((end, slot)) = div.filter(|_| dl >= fl) {
                items.push(Item::Mention(p, end, slot));
                p = end;
                continue;
            } else if let Some(end) = filler {
                items.push(Item::Filler);
                p = end;
                continue;
            }
            let end = self.unknown_end(p, to);
            match items.last_mut() {
                Some(Item::Unknown(_, e)) if *e == p && !self.text.is_break(p) => *e = end,
                _ => items.push(Item::Unknown(p, end)),
            }
            p = end;
        }
        (items, None)
    }

    /// Whether a name at `p` continues one or two unknown characters written right before
    /// it, making a longer name the register does not have.
    fn glued(&self, items: &[Item], p: usize) -> bool {
        if self.text.latin || self.text.is_break(p) {
            return false;
        }
        let particle = |k: usize| self.text.chars.get(k).is_some_and(|c| PARTICLES.contains(c));
        matches!(items.last(), Some(Item::Unknown(s, e)) if *e == p && e - s <= 2 && !(e - s == 1 && particle(*s)))
    }

    fn mention(&self, start: usize, end: usize, slot: u32) -> Mention {
        let readings = self
            .targets(slot)
            .iter()
            .filter_map(|t| match t {
                Target::Division { div, form, secondary } => Some((*div, *form, *secondary)),
                Target::Place { .. } => None,
            })
            .collect();
        Mention { text: self.text.spaced(start, end), readings }
    }

    fn places(&self, slot: u32) -> Vec<(PlaceId, PlaceForm)> {
        self.targets(slot)
            .iter()
            .filter_map(|t| match t {
                Target::Place { place, form } => Some((*place, *form)),
                Target::Division { .. } => None,
            })
            .collect()
    }
}

/// Reads `text`; `pass` says which names may make the anchor.
pub(super) fn read(index: &Index, text: &Text, pass: Pass) -> Reading {
    let s = Scanner { index, text, fillers: true };
    let mut reading = Reading::default();
    read_asides(&s, text, &mut reading);
    let found = match pass {
        Pass::Exact => {
            let (items, anchor) = s.scan(0, text.len(), true);
            anchor.map(|(start, end, slot)| {
                let how = if text.latin { How::Pinyin } else { How::Exact };
                (items, end, Anchor { text: text.spaced(start, end), how, places: s.places(slot) })
            })
        }
        // Pinyin initials (`hkdd`) are an autocomplete key only: too short to say which
        // street a text means, and any garbage of letters spells some (`cZl`).
        Pass::Loose if text.latin => None,
        Pass::Loose => homophone_anchor(&s),
    };
    let Some((items, end, anchor)) = found else {
        let (items, _) = s.scan(0, text.len(), false);
        // Unknown stretches and names glued to them are reported as one text (`东莲花路`).
        let mut span: Option<(usize, usize)> = None;
        for item in items {
            match item {
                Item::Mention(a, b, slot) => reading.mentions.push(s.mention(a, b, slot)),
                Item::Unknown(a, b) | Item::Place(a, b, _) => match &mut span {
                    Some((_, e)) if *e == a && !text.is_break(a) => *e = b,
                    _ => {
                        if let Some((x, y)) = span.replace((a, b)) {
                            reading.unknown.push(text.spaced(x, y));
                        }
                    }
                },
                Item::Filler => {}
            }
        }
        reading.unknown.extend(span.map(|(x, y)| text.spaced(x, y)));
        // Chatter does not stop a text naming divisions from matching them.
        let (chatter, unknown): (Vec<String>, Vec<String>) = reading.unknown.drain(..).partition(|u| is_chatter(u));
        reading.noise.extend(chatter);
        reading.unknown = unknown;
        return reading;
    };
    reading.after_unknown = matches!(items.last(), Some(Item::Unknown(..) | Item::Place(..)));
    for item in items {
        match item {
            Item::Mention(a, b, slot) => reading.mentions.push(s.mention(a, b, slot)),
            Item::Unknown(a, b) | Item::Place(a, b, _) => {
                let u = text.spaced(a, b);
                if ends_with_any(&u, COMMUNITY_ENDINGS) {
                    reading.community.get_or_insert(u.clone());
                    reading.noise.push(u);
                } else if looks_like_place(&u) {
                    reading.blocked.get_or_insert(u);
                } else {
                    reading.noise.push(u);
                }
            }
            Item::Filler => {}
        }
    }
    reading.tail = tail::read(text, end);
    read_leftover(&s, text, &mut reading);
    reading.anchor = Some(anchor);
    reading
}

/// Asides that name only divisions (`建始（业州镇）`) are read as mentions; others are
/// landmarks (`（近华联超市）`).
fn read_asides(s: &Scanner, text: &Text, reading: &mut Reading) {
    for aside in &text.asides {
        let inner = Scanner { index: s.index, text: aside, fillers: true };
        let (items, _) = inner.scan(0, aside.len(), false);
        let only_divisions = items.iter().all(|i| matches!(i, Item::Mention(..) | Item::Filler))
            && items.iter().any(|i| matches!(i, Item::Mention(..)));
        if only_divisions {
            for item in items {
                if let Item::Mention(a, b, slot) = item {
                    reading.mentions.push(inner.mention(a, b, slot));
                }
            }
        } else {
            reading.noise.push(aside.spaced(0, aside.len()));
        }
    }
}

/// What follows the tail: divisions written after the address, the other street of an
/// intersection, text that reads as a place below the address, noise.
fn read_leftover(s: &Scanner, text: &Text, reading: &mut Reading) {
    let from = reading.tail.end;
    if from >= text.len() {
        return;
    }
    let rest = text.slice(from, text.len());
    let crossing = reading.tail.alts.iter().all(|a| a.is_empty()) && CROSSING_WORDS.iter().any(|w| rest.contains(w));
    let s = Scanner { fillers: false, ..*s };
    let (items, _) = s.scan(from, text.len(), false);
    let mut others = Vec::new();
    for item in items {
        match item {
            Item::Mention(a, b, slot) => reading.mentions.push(s.mention(a, b, slot)),
            Item::Place(a, b, slot) => {
                if crossing {
                    others.extend(s.places(slot));
                } else {
                    reading.place_like.push(text.spaced(a, b));
                }
            }
            Item::Unknown(a, b) => {
                let u = text.spaced(a, b);
                if !crossing && looks_like_detail(&u) {
                    reading.place_like.push(u);
                } else {
                    reading.noise.push(u);
                }
            }
            Item::Filler => {}
        }
    }
    if crossing {
        reading.intersection = Some(others);
    }
}

type Places = Vec<(PlaceId, PlaceForm)>;

/// The items before an anchor, the anchor's end, the anchor.
type Found<'a> = Option<(Vec<Item>, usize, Anchor)>;

/// The first one-character homophone slip of a street or locality name: same length, the
/// generic written exactly, one character of the specific part different but sounding
/// the same (`胜梨路` for 胜利路).
fn homophone_anchor<'a>(s: &Scanner<'a>) -> Found<'a> {
    let chars = &s.text.chars;
    // (start, end, places) of the leftmost, then longest, slip.
    let mut best: Option<(usize, usize, Places)> = None;
    for e in 1..=chars.len() {
        let Some(bucket) = chars.get(e - 1).and_then(|c| s.index.sounds.get(c)) else { continue };
        for name in bucket {
            let n = name.chars.len();
            let Some(start) = e.checked_sub(n) else { continue };
            let Some(written) = chars.get(start..e) else { continue };
            if !one_slip(written, &name.chars, name.generic_len) {
                continue;
            }
            match &mut best {
                Some((bs, be, places)) if *bs == start && *be == e => places.push((name.place, name.form)),
                Some((bs, be, _)) if (*bs, usize::MAX - *be) <= (start, usize::MAX - e) => {}
                _ => {
                    // Only where the name is not glued to unknown characters.
                    let (items, _) = s.scan(0, start, false);
                    if !s.glued(&items, start) {
                        best = Some((start, e, vec![(name.place, name.form)]));
                    }
                }
            }
        }
    }
    let (start, end, places) = best?;
    let (items, _) = s.scan(0, start, false);
    Some((items, end, Anchor { text: s.text.spaced(start, end), how: How::Homophone, places }))
}

/// Exactly one character of the specific part differs, and it can sound the same.
fn one_slip(written: &[char], name: &[char], generic_len: usize) -> bool {
    if written.len() != name.len() || generic_len >= name.len() {
        return false;
    }
    let specific = name.len() - generic_len;
    if written.get(specific..) != name.get(specific..) {
        return false;
    }
    let mut slip = None;
    for (k, (a, b)) in written.iter().zip(name).take(specific).enumerate() {
        if a != b {
            if slip.is_some() {
                return false;
            }
            slip = Some(k);
        }
    }
    match slip.and_then(|k| Some((written.get(k)?, name.get(k)?))) {
        Some((a, b)) => super::super::pinyin::sound_alike(&a.to_string(), &b.to_string()),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_or_landmark() {
        assert!(looks_like_place("幸福小区"));
        assert!(looks_like_place("玲珑路"));
        assert!(looks_like_place("某某村"));
        assert!(!looks_like_place("幸福小区对面"));
        assert!(!looks_like_place("华联超市"));
        assert!(!looks_like_place("邮政储蓄隔壁"));
        assert!(looks_like_detail("二百零七号"));
        assert!(looks_like_detail("2号门"));
        assert!(!looks_like_detail("13812345678"));
        assert!(!looks_like_detail("门面"));
    }

    #[test]
    fn slips() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert!(one_slip(&c("胜梨路"), &c("胜利路"), 1));
        assert!(!one_slip(&c("胜利路"), &c("胜利路"), 1));
        assert!(!one_slip(&c("胜梨街"), &c("胜利路"), 1));
        assert!(!one_slip(&c("生梨路"), &c("胜利路"), 1));
        assert!(!one_slip(&c("胜天路"), &c("胜利路"), 1));
        assert!(!one_slip(&c("胜利"), &c("胜利路"), 1));
    }
}
