//! Generic parts (通名) of place names, kept in one place.
//!
//! A place name is a specific part (专名) followed by a generic part (通名): 航空 + 大道,
//! 张家 + 湾, 芭蕉侗族 + 乡. The naming rules need the generic to check a name (`no_generic`,
//! `repeated_generic`, `no_specific`), and sign romanisation writes the two parts as separate
//! words (`Hangkong Dadao`). Generics are matched as the longest known suffix, so 大道 wins
//! over 道 and 自治州 over 州.
//!
//! Every generic carries its fixed sign spelling here rather than going through the
//! dictionary, so a polyphonic generic (巷 xiang/hang, 堡 bao/bu/pu) always reads the same.

use serde::Serialize;

/// What kind of named place a generic belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GenericKind {
    /// Streets, roads, lanes: places that carry door plates along a line.
    Thoroughfare,
    /// Hamlets, village groups, residential compounds: places addressed inside a village
    /// or community.
    Locality,
}

/// One known generic part with its sign spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Generic {
    /// The characters, e.g. `大道`.
    pub text: &'static str,
    /// The sign spelling, capitalised, e.g. `Dadao`.
    pub pinyin: &'static str,
    pub kind: GenericKind,
}

const fn t(text: &'static str, pinyin: &'static str) -> Generic {
    Generic { text, pinyin, kind: GenericKind::Thoroughfare }
}

const fn l(text: &'static str, pinyin: &'static str) -> Generic {
    Generic { text, pinyin, kind: GenericKind::Locality }
}

/// Known generics of thoroughfares and localities. Each text occurs once, so a suffix
/// determines its kind.
///
/// Left out on purpose:
/// - 环路: signs write 北环路 as `Beihuan Lu` (the ring belongs to the specific part), so
///   路 alone is the generic.
/// - direction and age words before the generic (北路, 老街): 湖北路 is a road named after
///   湖北, not a 北路 of 湖, so the characters alone cannot tell; the authority sets an
///   override (`Jinlong Beilu`) where it wants the modifier joined to the generic.
pub const GENERICS: &[Generic] = &[
    // Thoroughfares.
    t("步行街", "Buxingjie"),
    t("大道", "Dadao"),
    t("大街", "Dajie"),
    t("胡同", "Hutong"),
    t("广场", "Guangchang"),
    t("街", "Jie"),
    t("路", "Lu"),
    // Dictionary default is xiang; hang is only the mining word 巷道.
    t("巷", "Xiang"),
    t("道", "Dao"),
    // Shanghai-style lanes (弄堂).
    t("弄", "Long"),
    t("里", "Li"),
    t("坊", "Fang"),
    // Localities. Village groups (三组), natural hamlets and residential compounds. The
    // list is wide on purpose: Enshi hamlets are named after the land form (the last
    // characters of the prefecture's 1,752 village names are mostly 坪, 坝, 山, 河, 沟,
    // 溪, 湾, 坡, 桥, 塘, 园, 岭, 垭, 洞, 口, 寨 …), and a real hamlet name must not be
    // refused as `no_generic`.
    l("组", "Zu"),
    l("湾", "Wan"),
    // Hubei form of 湾 for a hamlet (中大塆).
    l("塆", "Wan"),
    l("坪", "Ping"),
    l("坝", "Ba"),
    // Southwestern Mandarin 坝子: a flat valley floor (团坝子).
    l("坝子", "Bazi"),
    l("屯", "Tun"),
    l("寨", "Zhai"),
    l("院子", "Yuanzi"),
    // Hubei word for a hamlet of one lineage (张家屋场).
    l("屋场", "Wuchang"),
    l("梁子", "Liangzi"),
    l("岭", "Ling"),
    l("垭", "Ya"),
    // 冲 chōng: a small flat valley between hills in Hubei and Hunan.
    l("冲", "Chong"),
    l("坡", "Po"),
    l("沟", "Gou"),
    l("岗", "Gang"),
    l("庄", "Zhuang"),
    l("坳", "Ao"),
    l("槽", "Cao"),
    l("淌", "Tang"),
    // Enshi reads 堡 bǎo (团堡, 忠堡), not the northern bǔ/pù.
    l("堡", "Bao"),
    l("坨", "Tuo"),
    l("包", "Bao"),
    l("嘴", "Zui"),
    // Common written variant of 嘴 (白羊咀).
    l("咀", "Zui"),
    l("山", "Shan"),
    l("河", "He"),
    l("溪", "Xi"),
    l("桥", "Qiao"),
    l("塘", "Tang"),
    l("堰", "Yan"),
    l("井", "Jing"),
    l("岩", "Yan"),
    l("洞", "Dong"),
    l("口", "Kou"),
    l("台", "Tai"),
    l("营", "Ying"),
    l("场", "Chang"),
    l("铺", "Pu"),
    l("界", "Jie"),
    l("荒", "Huang"),
    l("田", "Tian"),
    l("园", "Yuan"),
    // Residential compounds are addressed like hamlets (地名管理条例 counts 居民区 names
    // as place names), so their generics belong here too.
    l("小区", "Xiaoqu"),
    l("花园", "Huayuan"),
    l("苑", "Yuan"),
];

/// The specific part of `name` and its longest generic suffix of `kind`; `None` when the
/// name ends in no known generic of that kind.
///
/// The specific part may be empty (`大道` alone gives `("", 大道)`): the caller reports that
/// as `no_specific` rather than mistaking `大` for a specific part.
pub fn split(name: &str, kind: GenericKind) -> Option<(&str, &'static Generic)> {
    longest_suffix(name, GENERICS.iter().filter(|g| g.kind == kind))
}

/// Like [`split`], over generics of every kind.
pub fn split_any(name: &str) -> Option<(&str, &'static Generic)> {
    longest_suffix(name, GENERICS.iter())
}

/// All generics of one kind, for listings and help texts.
pub fn of_kind(kind: GenericKind) -> impl Iterator<Item = &'static Generic> {
    GENERICS.iter().filter(move |g| g.kind == kind)
}

fn longest_suffix(name: &str, candidates: impl Iterator<Item = &'static Generic>) -> Option<(&str, &'static Generic)> {
    let best = candidates.filter(|g| name.ends_with(g.text)).max_by_key(|g| g.text.len())?;
    // ends_with guarantees the cut falls on a character boundary.
    let specific = name.get(..name.len() - best.text.len())?;
    Some((specific, best))
}

/// A generic part of an administrative division's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct DivisionGeneric {
    pub text: &'static str,
    /// Sign spelling; a generic of two words (`Jiedao Banshichu`) keeps its space.
    pub pinyin: &'static str,
}

const fn d(text: &'static str, pinyin: &'static str) -> DivisionGeneric {
    DivisionGeneric { text, pinyin }
}

/// Generics of division names, province down to village, matched as the longest suffix
/// (自治州 before 州, 社区 and 新区 before 区, 街道 before 道).
///
/// 民族乡 is not listed: 民族 is a qualifier written as its own word (see [`QUALIFIERS`]),
/// so `X民族乡` reads `X Minzu Xiang` just as 芭蕉侗族乡 reads `Bajiao Dongzu Xiang`.
pub const DIVISION_GENERICS: &[DivisionGeneric] = &[
    d("省", "Sheng"),
    d("自治区", "Zizhiqu"),
    d("特别行政区", "Tebie Xingzhengqu"),
    d("自治州", "Zizhizhou"),
    d("州", "Zhou"),
    d("地区", "Diqu"),
    d("盟", "Meng"),
    d("市", "Shi"),
    d("县", "Xian"),
    d("自治县", "Zizhixian"),
    d("旗", "Qi"),
    d("自治旗", "Zizhiqi"),
    d("区", "Qu"),
    d("新区", "Xinqu"),
    // 神农架林区, Hubei's forest district.
    d("林区", "Linqu"),
    d("开发区", "Kaifaqu"),
    d("管理区", "Guanliqu"),
    d("街道", "Jiedao"),
    d("街道办事处", "Jiedao Banshichu"),
    d("办事处", "Banshichu"),
    d("管理处", "Guanlichu"),
    d("镇", "Zhen"),
    d("乡", "Xiang"),
    d("苏木", "Sumu"),
    d("村", "Cun"),
    d("社区", "Shequ"),
    d("农场", "Nongchang"),
    d("林场", "Linchang"),
];

/// Words written apart between the specific part and the generic of a division name:
/// ethnic names (恩施 + 土家族 + 苗族 + 自治州 → `Enshi Tujiazu Miaozu Zizhizhou`) and the
/// descriptive words of development zones and management units (佛宝山 + 生态 + 综合 +
/// 开发区 → `Fobaoshan Shengtai Zonghe Kaifaqu`).
///
/// The 55 minority nationalities are all listed because village names carry them too
/// (三家台蒙古族村, 曲溪白族村).
#[rustfmt::skip]
pub const QUALIFIERS: &[&str] = &[
    "土家族", "苗族", "侗族", "白族", "蒙古族", "回族", "藏族", "维吾尔族", "彝族", "壮族",
    "布依族", "朝鲜族", "满族", "瑶族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
    "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族",
    "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族",
    "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族",
    "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族",
    "珞巴族", "基诺族", "民族", "生态", "综合", "风景", "风景区", "景区", "经济", "技术",
    "高新", "工业", "旅游",
];

/// The specific part of a division name and the sign spelling of its longest generic
/// suffix; `(name, None)` when no generic is known.
pub fn split_division(name: &str) -> (&str, Option<&'static str>) {
    let best = DIVISION_GENERICS.iter().filter(|g| name.ends_with(g.text)).max_by_key(|g| g.text.len());
    match best.and_then(|g| Some((name.get(..name.len() - g.text.len())?, g.pinyin))) {
        Some((specific, pinyin)) => (specific, Some(pinyin)),
        None => (name, None),
    }
}

/// Peels known qualifiers off the end of a division's specific part: `恩施土家族苗族`
/// gives `("恩施", ["土家族", "苗族"])`, in reading order.
pub fn split_qualifiers(specific: &str) -> (&str, Vec<&'static str>) {
    let mut rest = specific;
    let mut peeled = Vec::new();
    while let Some(q) = QUALIFIERS.iter().copied().filter(|q| rest.ends_with(q)).max_by_key(|q| q.len()) {
        // Each step removes a non-empty suffix, so the loop ends.
        rest = rest.get(..rest.len() - q.len()).unwrap_or("");
        peeled.push(q);
    }
    peeled.reverse();
    (rest, peeled)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thoroughfare(name: &str) -> Option<(&str, &'static str)> {
        split(name, GenericKind::Thoroughfare).map(|(s, g)| (s, g.text))
    }

    #[test]
    fn longest_thoroughfare_generic_wins() {
        assert_eq!(thoroughfare("航空大道"), Some(("航空", "大道")));
        assert_eq!(thoroughfare("舞阳大街"), Some(("舞阳", "大街")));
        assert_eq!(thoroughfare("胜利街"), Some(("胜利", "街")));
        assert_eq!(thoroughfare("青滩路"), Some(("青滩", "路")));
        assert_eq!(thoroughfare("北环路"), Some(("北环", "路")));
        assert_eq!(thoroughfare("商业步行街"), Some(("商业", "步行街")));
        assert_eq!(thoroughfare("新华巷"), Some(("新华", "巷")));
    }

    #[test]
    fn lane_reads_xiang() {
        let (_, g) = split("新华巷", GenericKind::Thoroughfare).expect("巷 is a generic");
        assert_eq!(g.pinyin, "Xiang");
        let (_, g) = split("舞阳大街", GenericKind::Thoroughfare).expect("大街 is a generic");
        assert_eq!(g.pinyin, "Dajie");
    }

    #[test]
    fn bare_generic_has_empty_specific() {
        assert_eq!(thoroughfare("大道"), Some(("", "大道")));
        assert_eq!(thoroughfare("路"), Some(("", "路")));
    }

    #[test]
    fn no_generic_of_that_kind() {
        assert_eq!(thoroughfare("张家湾"), None);
        assert_eq!(thoroughfare(""), None);
        assert_eq!(thoroughfare("🙂"), None);
        assert_eq!(split("航空大道", GenericKind::Locality), None);
    }

    #[test]
    fn localities() {
        let loc = |n| split(n, GenericKind::Locality).map(|(s, g)| (s, g.text));
        assert_eq!(loc("三组"), Some(("三", "组")));
        assert_eq!(loc("李家院子"), Some(("李家", "院子")));
        assert_eq!(loc("团坝子"), Some(("团", "坝子")));
        assert_eq!(loc("中大塆"), Some(("中大", "塆")));
        assert_eq!(loc("阳光小区"), Some(("阳光", "小区")));
    }

    #[test]
    fn split_any_covers_both_kinds() {
        assert_eq!(split_any("张家湾").map(|(s, g)| (s, g.kind)), Some(("张家", GenericKind::Locality)));
        assert_eq!(split_any("航空大道").map(|(s, g)| (s, g.kind)), Some(("航空", GenericKind::Thoroughfare)));
        assert_eq!(split_any("恩施"), None);
    }

    #[test]
    fn generic_texts_are_unique() {
        for (i, a) in GENERICS.iter().enumerate() {
            assert!(!a.text.is_empty());
            for b in &GENERICS[i + 1..] {
                assert_ne!(a.text, b.text);
            }
        }
        for (i, a) in DIVISION_GENERICS.iter().enumerate() {
            for b in &DIVISION_GENERICS[i + 1..] {
                assert_ne!(a.text, b.text);
            }
        }
        for (i, a) in QUALIFIERS.iter().enumerate() {
            assert!(!a.is_empty());
            assert!(!QUALIFIERS[i + 1..].contains(a), "{a} twice");
        }
    }

    #[test]
    fn divisions() {
        assert_eq!(split_division("湖北省"), ("湖北", Some("Sheng")));
        assert_eq!(split_division("恩施土家族苗族自治州"), ("恩施土家族苗族", Some("Zizhizhou")));
        assert_eq!(split_division("舞阳坝街道"), ("舞阳坝", Some("Jiedao")));
        assert_eq!(split_division("高铁新区"), ("高铁", Some("Xinqu")));
        assert_eq!(split_division("官坡社区"), ("官坡", Some("Shequ")));
        assert_eq!(split_division("齐跃桥村"), ("齐跃桥", Some("Cun")));
        assert_eq!(split_division("恩施"), ("恩施", None));
        assert_eq!(split_division(""), ("", None));
    }

    #[test]
    fn qualifiers_peel_in_reading_order() {
        assert_eq!(split_qualifiers("恩施土家族苗族"), ("恩施", vec!["土家族", "苗族"]));
        assert_eq!(split_qualifiers("芭蕉侗族"), ("芭蕉", vec!["侗族"]));
        assert_eq!(split_qualifiers("佛宝山生态综合"), ("佛宝山", vec!["生态", "综合"]));
        assert_eq!(split_qualifiers("舞阳坝"), ("舞阳坝", vec![]));
        assert_eq!(split_qualifiers(""), ("", vec![]));
    }
}
