//! Resolution end to end on a small register built here: every normalisation, each
//! status, each correction kind, and inputs that must not panic.

use std::sync::Arc;

use super::*;
use crate::domain::model::*;

fn division(code: &str, name: &str, level: DivisionLevel, parent: Option<&str>, aliases: &[&str]) -> Division {
    Division {
        code: code.into(),
        name: name.into(),
        level,
        parent_code: parent.map(Into::into),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        geometry: None,
        status: NameStatus::Active,
        replaced_by: None,
        former_names: vec![],
    }
}

fn street(r: &mut Register, id: &str, county: &str, name: &str, former: &[&str]) {
    let line = geo::LineString::from(vec![(109.47, 30.29), (109.48, 30.29)]);
    r.thoroughfares.insert(
        id.into(),
        Thoroughfare {
            id: id.into(),
            county_code: county.into(),
            name: name.into(),
            pinyin_override: None,
            geometry: StreetGeometry::Line(line),
            status: NameStatus::Active,
            replaced_by: None,
            former_names: former
                .iter()
                .map(|n| FormerName {
                    name: n.to_string(),
                    until: "2010-01-01".into(),
                    document: None,
                    parent_code: None,
                })
                .collect(),
            numbering: NumberingScheme::Sequential,
        },
    );
}

fn locality(r: &mut Register, id: &str, village: &str, name: &str, former: &[&str]) {
    r.localities.insert(
        id.into(),
        Locality {
            id: id.into(),
            village_code: village.into(),
            name: name.into(),
            pinyin_override: None,
            geometry: LocalityGeometry::Point(geo::Point::new(109.5, 30.2)),
            status: NameStatus::Active,
            replaced_by: None,
            former_names: former
                .iter()
                .map(|n| FormerName {
                    name: n.to_string(),
                    until: "2010-01-01".into(),
                    document: None,
                    parent_code: None,
                })
                .collect(),
        },
    );
}

fn plate(r: &mut Register, id: &str, parent: PlateParent, number: i32, sub: Option<i32>, township: Option<&str>) {
    r.plates.insert(
        id.into(),
        Plate {
            id: id.into(),
            parent,
            number,
            sub,
            township_code: township.map(Into::into),
            location: geo::Point::new(109.475, 30.2901),
            side: None,
            measure_m: None,
            status: PlateStatus::Issued,
            replaced_by: None,
        },
    );
}

/// A building under a plate with units and their rooms: `[(unit, [rooms])]`.
fn building(r: &mut Register, plate_id: &str, number: &str, units: &[(&str, &[&str])]) {
    let bid = format!("bld_{plate_id}_{number}");
    r.buildings.insert(
        bid.clone(),
        Building { id: bid.clone(), plate_id: plate_id.into(), number: number.into(), status: NameStatus::Active },
    );
    for (u, rooms) in units {
        let uid = format!("{bid}_{u}");
        r.units.insert(
            uid.clone(),
            Unit { id: uid.clone(), building_id: bid.clone(), number: u.to_string(), status: NameStatus::Active },
        );
        for room in *rooms {
            let rid = format!("{uid}_{room}");
            r.rooms.insert(
                rid.clone(),
                Room { id: rid, unit_id: uid.clone(), number: room.to_string(), status: NameStatus::Active },
            );
        }
    }
}

fn thr(id: &str) -> PlateParent {
    PlateParent::Thoroughfare(id.into())
}

fn loc(id: &str) -> PlateParent {
    PlateParent::Locality(id.into())
}

const WUYANGBA: &str = "422801001";
const XIAODUCHUAN: &str = "422801003";

/// 恩施市 and 来凤县 with a few streets and villages:
/// - 航空大道 (恩施市, formerly 机场路): 123号 and 125号 in two townships, 123号附1号 with
///   3栋2单元501室, 350号附1号 1栋3单元, 350号附12号 3栋 and 350号附1号 23栋;
/// - 莲花路 in 恩施市 (1号, 2号) and in 来凤县 (2号, 3号);
/// - 胜利路 (恩施市, 8号), 星光街 (恩施市, formerly 白杨巷, 9号);
/// - 高拱桥村 三组 (formerly 九组, 5号); 大树口村 in 芭蕉侗族乡 and in 翔凤镇, each with a
///   张家湾 1号.
fn register() -> Register {
    let mut r = Register::default();
    for d in [
        division("420000", "湖北省", DivisionLevel::Province, None, &["湖北"]),
        division("422800", "恩施土家族苗族自治州", DivisionLevel::Prefecture, Some("420000"), &["恩施州"]),
        division("422801", "恩施市", DivisionLevel::County, Some("422800"), &["恩施"]),
        division("422827", "来凤县", DivisionLevel::County, Some("422800"), &["来凤"]),
        division(WUYANGBA, "舞阳坝街道", DivisionLevel::Township, Some("422801"), &[]),
        division(XIAODUCHUAN, "小渡船街道", DivisionLevel::Township, Some("422801"), &[]),
        division("422801100", "龙凤镇", DivisionLevel::Township, Some("422801"), &[]),
        division("422801207", "芭蕉侗族乡", DivisionLevel::Township, Some("422801"), &["芭蕉乡"]),
        division("422827100", "翔凤镇", DivisionLevel::Township, Some("422827"), &[]),
        division("422801207201", "高拱桥村", DivisionLevel::Village, Some("422801207"), &[]),
        division("422801207202", "大树口村", DivisionLevel::Village, Some("422801207"), &[]),
        division("422827100201", "大树口村", DivisionLevel::Village, Some("422827100"), &[]),
    ] {
        r.divisions.insert(d.code.clone(), d);
    }
    street(&mut r, "thr_hk", "422801", "航空大道", &["机场路"]);
    street(&mut r, "thr_lh1", "422801", "莲花路", &[]);
    street(&mut r, "thr_lh2", "422827", "莲花路", &[]);
    street(&mut r, "thr_sl", "422801", "胜利路", &[]);
    street(&mut r, "thr_xg", "422801", "星光街", &["白杨巷"]);
    plate(&mut r, "plt_123", thr("thr_hk"), 123, None, Some(WUYANGBA));
    plate(&mut r, "plt_123_1", thr("thr_hk"), 123, Some(1), Some(WUYANGBA));
    plate(&mut r, "plt_125", thr("thr_hk"), 125, None, Some(XIAODUCHUAN));
    plate(&mut r, "plt_350_1", thr("thr_hk"), 350, Some(1), Some(WUYANGBA));
    plate(&mut r, "plt_350_12", thr("thr_hk"), 350, Some(12), Some(WUYANGBA));
    building(&mut r, "plt_123_1", "3", &[("2", &["501"])]);
    building(&mut r, "plt_350_1", "1", &[("3", &["101"])]);
    building(&mut r, "plt_350_1", "23", &[]);
    building(&mut r, "plt_350_12", "3", &[]);
    plate(&mut r, "plt_lh1_1", thr("thr_lh1"), 1, None, Some(XIAODUCHUAN));
    plate(&mut r, "plt_lh1_2", thr("thr_lh1"), 2, None, Some(XIAODUCHUAN));
    plate(&mut r, "plt_lh2_2", thr("thr_lh2"), 2, None, Some("422827100"));
    plate(&mut r, "plt_lh2_3", thr("thr_lh2"), 3, None, Some("422827100"));
    plate(&mut r, "plt_sl_8", thr("thr_sl"), 8, None, Some(WUYANGBA));
    plate(&mut r, "plt_xg_9", thr("thr_xg"), 9, None, Some(XIAODUCHUAN));
    locality(&mut r, "loc_3", "422801207201", "三组", &["九组"]);
    locality(&mut r, "loc_zj1", "422801207202", "张家湾", &[]);
    locality(&mut r, "loc_zj2", "422827100201", "张家湾", &[]);
    plate(&mut r, "plt_loc3_5", loc("loc_3"), 5, None, None);
    plate(&mut r, "plt_zj1_1", loc("loc_zj1"), 1, None, None);
    plate(&mut r, "plt_zj2_1", loc("loc_zj2"), 1, None, None);
    r
}

fn resolver() -> Resolver {
    Resolver::build(Arc::new(register()))
}

const P: &str = "湖北省恩施土家族苗族自治州";

#[track_caller]
fn matched(r: &Resolver, q: &str, canonical: &str) -> Resolution {
    let res = r.resolve(q);
    assert_eq!(res.status, Status::Matched, "{q}: {res:#?}");
    assert_eq!(res.address.as_ref().map(|a| a.canonical.as_str()), Some(canonical), "{q}");
    res
}

#[track_caller]
fn partial(r: &Resolver, q: &str, canonical: &str) -> Resolution {
    let res = r.resolve(q);
    assert_eq!(res.status, Status::Partial, "{q}: {res:#?}");
    assert_eq!(res.address.as_ref().map(|a| a.canonical.as_str()), Some(canonical), "{q}");
    res
}

#[track_caller]
fn status(r: &Resolver, q: &str, s: Status) -> Resolution {
    let res = r.resolve(q);
    assert_eq!(res.status, s, "{q}: {res:#?}");
    res
}

#[track_caller]
fn has(res: &Resolution, kind: &str, from: &str, to: &str) {
    assert!(
        res.corrections.iter().any(|c| c.kind == kind && c.from == from && c.to == to),
        "no {kind} {from} → {to} in {:#?}",
        res.corrections
    );
}

fn plate_123_1() -> String {
    format!("{P}恩施市舞阳坝街道航空大道123号附1号")
}

#[test]
fn the_canonical_text_itself() {
    let r = resolver();
    let res = matched(&r, &plate_123_1(), &plate_123_1());
    let a = res.address.as_ref().unwrap();
    assert_eq!((a.id.as_str(), a.level), ("plt_123_1", AddressLevel::Plate));
    assert_eq!(a.pinyin, "Hangkong Dadao 123 Hao Fu 1 Hao");
    assert!(res.confidence > 0.9);
    let room = matched(&r, &format!("{}3栋2单元501室", plate_123_1()), &format!("{}3栋2单元501室", plate_123_1()));
    assert_eq!(room.address.unwrap().level, AddressLevel::Room);
    let street = matched(&r, &format!("{P}恩施市航空大道"), &format!("{P}恩施市航空大道"));
    assert_eq!(street.address.unwrap().level, AddressLevel::Thoroughfare);
    let l = format!("{P}恩施市芭蕉侗族乡高拱桥村三组");
    assert_eq!(matched(&r, &l, &l).address.unwrap().level, AddressLevel::Locality);
    matched(&r, &format!("{l}5号"), &format!("{l}5号"));
}

#[test]
fn a_text_naming_only_divisions_matches_the_division() {
    let r = resolver();
    let res = matched(&r, "湖北省恩施州恩施市舞阳坝街道", &format!("{P}恩施市舞阳坝街道"));
    let a = res.address.as_ref().unwrap();
    assert_eq!((a.id.as_str(), a.level), (WUYANGBA, AddressLevel::Division));
    has(&res, "short_form", "恩施州", "恩施土家族苗族自治州");
    matched(&r, "湖北省", "湖北省");
    // 大树口村 is in two townships.
    status(&r, "大树口村", Status::Ambiguous);
}

#[test]
fn missing_levels_are_completed() {
    let r = resolver();
    let res = matched(&r, "航空大道123号附1号", &plate_123_1());
    assert!(res.corrections.iter().any(|c| c.kind == "completed_level"));
    let names: Vec<_> = res.recognised.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["湖北省", "恩施土家族苗族自治州", "恩施市", "舞阳坝街道"]);
    // The plate's own township, not the one written.
    let res = matched(&r, "恩施市舞阳坝街道航空大道125号", &format!("{P}恩施市小渡船街道航空大道125号"));
    has(&res, "township", "舞阳坝街道", "小渡船街道");
}

#[test]
fn short_and_informal_division_names() {
    let r = resolver();
    let res = matched(&r, "湖北恩施航空大道123号附1号", &plate_123_1());
    has(&res, "short_form", "恩施", "恩施市");
    for (q, from, to) in [
        ("恩施县航空大道123号附1号", "恩施县", "恩施市"),
        ("恩施区航空大道123号附1号", "恩施区", "恩施市"),
        ("恩施自治州恩施市航空大道123号附1号", "恩施自治州", "恩施土家族苗族自治州"),
        ("恩施市舞阳街道航空大道123号附1号", "舞阳街道", "舞阳坝街道"),
        ("恩施市舞阳坝办事处航空大道123号附1号", "舞阳坝办事处", "舞阳坝街道"),
    ] {
        let res = matched(&r, q, &plate_123_1());
        has(&res, "informal_name", from, to);
    }
    let l = format!("{P}恩施市芭蕉侗族乡高拱桥村三组5号");
    has(&matched(&r, "芭蕉乡高拱桥村三组5号", &l), "short_form", "芭蕉乡", "芭蕉侗族乡");
    has(&matched(&r, "芭蕉镇高拱桥村三组5号", &l), "informal_name", "芭蕉镇", "芭蕉侗族乡");
    has(&matched(&r, "芭蕉高拱桥村三组5号", &l), "short_form", "芭蕉", "芭蕉侗族乡");
    matched(&r, "恩施市龙凤乡", &format!("{P}恩施市龙凤镇"));
    // Written twice, or with the seat in brackets.
    matched(&r, "恩施市恩施市航空大道123号附1号", &plate_123_1());
    matched(&r, "恩施（舞阳坝街道）航空大道123号附1号", &plate_123_1());
}

#[test]
fn full_width_traditional_and_numerals() {
    let r = resolver();
    matched(&r, "恩施市航空大道１２３号附１号", &plate_123_1());
    let res = matched(&r, "恩施市航空大道123號附1號", &plate_123_1());
    has(&res, "traditional", "號", "号");
    let res = matched(&r, "恩施市航空大道一百二十三号附一号", &plate_123_1());
    has(&res, "numeral", "一百二十三号", "123号");
    let room = format!("{}3栋2单元501室", plate_123_1());
    let res = matched(&r, "航空大道123号附1号三栋二单元501室", &room);
    has(&res, "numeral", "三栋", "3栋");
    has(&res, "numeral", "二单元", "2单元");
    // A group numbered in digits.
    let res = matched(&r, "高拱桥村3组5号", &format!("{P}恩施市芭蕉侗族乡高拱桥村三组5号"));
    has(&res, "numeral", "3组", "三组");
}

#[test]
fn every_sub_number_spelling() {
    let r = resolver();
    for q in ["航空大道123-1号", "航空大道123号之1", "航空大道123附1号", "航空大道123号附1号", "航空大道123之1"]
    {
        matched(&r, q, &plate_123_1());
    }
    has(&r.resolve("航空大道123-1号"), "sub_number", "123-1号", "123号附1号");
}

#[test]
fn buildings_units_rooms() {
    let r = resolver();
    let room = format!("{}3栋2单元501室", plate_123_1());
    for q in [
        "航空大道123号附1号3幢2单元501",
        "航空大道123号附1号3号楼2单元501室",
        "航空大道123号附1号 3栋 2单元 501",
        "航空大道123号附1号3-2-501",
    ] {
        matched(&r, q, &room);
    }
    let res = r.resolve("航空大道123号附1号3幢2单元501");
    has(&res, "building", "3幢", "3栋");
    has(&res, "room", "501", "501室");
    // A level left out where there is only one to leave out.
    let res = matched(&r, "航空大道123号附1号2单元501室", &room);
    has(&res, "completed_level", "", "3栋");
    matched(&r, "航空大道123号附1号501室", &room);
}

#[test]
fn run_on_digits_are_split_so_every_part_exists() {
    let r = resolver();
    let res = matched(&r, "航空大道350号之11栋3单元", &format!("{P}恩施市舞阳坝街道航空大道350号附1号1栋3单元"));
    has(&res, "split", "之11栋", "附1号1栋");
    // 之123栋: 附1号23栋 and 附12号3栋 both exist.
    let res = status(&r, "航空大道350号之123栋", Status::Ambiguous);
    assert_eq!(res.candidates.len(), 2);
}

#[test]
fn former_names_resolve_to_the_current_text() {
    let r = resolver();
    let res = matched(&r, "恩施市机场路123号附1号", &plate_123_1());
    has(&res, "former_name", "机场路", "航空大道");
    matched(&r, "白杨巷9号", &format!("{P}恩施市小渡船街道星光街9号"));
    let res = matched(&r, "高拱桥村九组5号", &format!("{P}恩施市芭蕉侗族乡高拱桥村三组5号"));
    has(&res, "former_name", "九组", "三组");
}

#[test]
fn homophone_slips_only_where_no_exact_name_fits() {
    let r = resolver();
    let res = matched(&r, "恩施市胜梨路8号", &format!("{P}恩施市舞阳坝街道胜利路8号"));
    has(&res, "homophone", "胜梨路", "胜利路");
    assert!(res.confidence < 0.9);
    // Two characters wrong is another street.
    status(&r, "恩施市生梨路8号", Status::NotFound);
}

#[test]
fn pinyin_in_either_order_and_any_case() {
    let r = resolver();
    let want = format!("{P}恩施市舞阳坝街道航空大道123号");
    for q in [
        "Hangkong Dadao 123 Hao, Enshi Shi, Hubei",
        "Hubei Enshi Shi Hangkong Dadao 123 Hao",
        "hangkong dadao 123 hao enshi",
        "HANGKONG DADAO 123 HAO",
    ] {
        let res = matched(&r, q, &want);
        has(&res, "pinyin", "hangkong dadao", "航空大道");
    }
    status(&r, "Lianhua Lu 2 Hao", Status::Ambiguous);
    // Initials are an autocomplete key, never a resolution.
    status(&r, "hkdd 123 hao", Status::NotFound);
}

#[test]
fn letters_that_spell_initials_are_no_address() {
    let r = resolver();
    for q in ["#c$z%l&", "password: cZl", "hkdd", "HKDD", "cz l", "x-y-z"] {
        let res = r.resolve(q);
        assert_ne!(res.status, Status::Matched, "{q}: {res:?}");
        assert_ne!(res.status, Status::Partial, "{q}: {res:?}");
        assert!(res.address.is_none(), "{q}: {res:?}");
    }
}

#[test]
fn noise_around_the_address() {
    let r = resolver();
    for q in [
        "地址：恩施市航空大道123号附1号",
        "注册地址:恩施市航空大道123号附1号（近华联超市）",
        "恩施市，航空大道，123号附1号 附近",
        "恩施市、航空大道、123号附1号，到了打电话",
        "湖北省·恩施市-航空大道 123号附1号",
        "恩施市航空大道123号附1号 13812345678",
        "恩施市航空大道123号附1号(",
    ] {
        matched(&r, q, &plate_123_1());
    }
    // An unknown community before a street is no matter; before a locality it is.
    matched(&r, "恩施市舞阳坝街道金桂社区航空大道123号附1号", &plate_123_1());
    status(&r, "芭蕉乡金桂社区三组5号", Status::NotFound);
    status(&r, "芭蕉乡黑土坡三组5号", Status::NotFound);
    matched(&r, "恩施市的航空大道123号附1号", &plate_123_1());
    let res = r.resolve("恩施市航空大道123号附1号（近华联超市）");
    assert_eq!(res.unmatched.as_deref(), Some("近华联超市"));
}

#[test]
fn partial_when_a_finer_part_is_missing() {
    let r = resolver();
    let res = partial(&r, "恩施市航空大道999号", &format!("{P}恩施市航空大道"));
    assert_eq!(res.unmatched.as_deref(), Some("999号"));
    assert_eq!(res.address.unwrap().level, AddressLevel::Thoroughfare);
    // A sub-number never issued on an issued base: the base plate.
    partial(&r, "恩施市航空大道123号附7号", &format!("{P}恩施市舞阳坝街道航空大道123号"));
    // A building, unit or room that does not exist: the finest level that does.
    partial(&r, "航空大道123号附1号4栋", &plate_123_1());
    partial(&r, "航空大道123号附1号3栋9单元", &format!("{}3栋", plate_123_1()));
    let res = partial(&r, "航空大道123号附1号3栋2单元999室", &format!("{}3栋2单元", plate_123_1()));
    assert_eq!(res.unmatched.as_deref(), Some("999室"));
    partial(&r, "高拱桥村三组99号", &format!("{P}恩施市芭蕉侗族乡高拱桥村三组"));
    // Unknown text that reads as a place below a known street.
    partial(&r, "恩施市航空大道幸福小区", &format!("{P}恩施市航空大道"));
}

#[test]
fn ambiguous_and_the_plate_deciding() {
    let r = resolver();
    // 莲花路 is in 恩施市 and in 来凤县; only 恩施市's has 1号, both have 2号, neither 9号.
    matched(&r, "恩施州莲花路1号", &format!("{P}恩施市小渡船街道莲花路1号"));
    let two = status(&r, "恩施州莲花路2号", Status::Ambiguous);
    assert_eq!(two.candidates.len(), 2);
    assert!(two.address.is_none());
    let nine = status(&r, "莲花路9号", Status::Ambiguous);
    let streets: Vec<_> = nine.candidates.iter().map(|c| c.canonical.as_str()).collect();
    assert_eq!(streets, [format!("{P}恩施市莲花路"), format!("{P}来凤县莲花路")]);
    status(&r, "莲花路", Status::Ambiguous);
    // The county decides.
    matched(&r, "来凤县莲花路2号", &format!("{P}来凤县翔凤镇莲花路2号"));
    partial(&r, "来凤县莲花路1号", &format!("{P}来凤县莲花路"));
    // Two villages of one name.
    status(&r, "大树口村张家湾1号", Status::Ambiguous);
    matched(&r, "芭蕉乡大树口村张家湾1号", &format!("{P}恩施市芭蕉侗族乡大树口村张家湾1号"));
}

#[test]
fn intersections_are_no_plate() {
    let r = resolver();
    status(&r, "恩施市航空大道与胜利路交叉口", Status::Ambiguous);
    partial(&r, "恩施市航空大道与玲珑路交叉口", &format!("{P}恩施市航空大道"));
}

#[test]
fn not_found_says_how_far_it_got() {
    let r = resolver();
    let res = status(&r, "湖北省恩施市玲珑路12号", Status::NotFound);
    let names: Vec<_> = res.recognised.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["湖北省", "恩施土家族苗族自治州", "恩施市"]);
    assert!(res.address.is_none());
    // A street of another county.
    status(&r, "来凤县航空大道123号", Status::NotFound);
    // A name glued to unknown characters is another name.
    status(&r, "恩施市东莲花路1号", Status::NotFound);
    // An unknown village or township before a known name.
    status(&r, "恩施市黑土村三组5号", Status::NotFound);
    status(&r, "恩施市玲珑路", Status::NotFound);
    status(&r, "华联超市", Status::NotFound);
    status(&r, "恩施市华联超市", Status::NotFound);
    matched(&r, "恩施市芭蕉乡高拱桥村，到了打电话", &format!("{P}恩施市芭蕉侗族乡高拱桥村"));
}

#[test]
fn odd_input_never_panics() {
    let r = resolver();
    let emoji = "🙂".repeat(512);
    let digits = "1".repeat(512);
    let han = "航".repeat(512);
    let mixed = "航空大道123号附".repeat(60);
    for q in [
        "",
        " ",
        "(",
        ")",
        "（（（",
        "号",
        "附",
        "之",
        "-",
        "--1",
        "1-",
        "栋",
        "单元",
        "第",
        "#",
        "123",
        "一",
        "十百千",
        "航空大道之",
        "航空大道123号之",
        "航空大道-",
        "航空大道123号附1号3栋楼楼",
        "a",
        "'",
        "Hubei'",
        "\u{301}",
        "ﬀ",
        "𠀀",
        emoji.as_str(),
        digits.as_str(),
        han.as_str(),
        mixed.as_str(),
        "航空大道99999999999999999999号",
        "航空大道一百二十三亿号",
        "恩施（",
        "恩施)",
        "航空大道123号之123456789栋",
    ] {
        let res = r.resolve(q);
        assert!((0.0..=1.0).contains(&res.confidence), "{q}");
    }
}

#[test]
fn addresses_read_as_the_register_writes_them() {
    let reg = register();
    let index = super::index::Index::build(&reg);
    let plates = super::plates::Plates::build(&reg);
    let mut seen = 0;
    for place in &index.places {
        let path = super::index::Path::new(place);
        let want = reg.address(&place.id).unwrap();
        let got = index.address(&path);
        assert_eq!(
            (got.canonical.as_str(), got.pinyin.as_str(), got.level),
            (want.canonical.as_str(), want.pinyin.as_str(), want.level)
        );
        let keys = plates.slots.keys().filter(|k| k.place == place.id);
        for plate in keys.filter_map(|k| plates.at(&index, &k.place, k.number, k.sub)).map(|(p, _)| p) {
            let mut path = super::index::Path { plate: Some(plate), ..path };
            let check = |path: &super::index::Path| {
                let want = reg.address(path.id()).unwrap();
                let got = index.address(path);
                assert_eq!(
                    (got.id, got.canonical, got.pinyin, got.level),
                    (want.id, want.canonical, want.pinyin, want.level)
                );
            };
            check(&path);
            seen += 1;
            for b in &plate.buildings {
                path.building = Some(b);
                path.unit = None;
                path.room = None;
                check(&path);
                for u in &b.children {
                    path.unit = Some(u);
                    path.room = None;
                    check(&path);
                    for room in &u.children {
                        path.room = Some(room);
                        check(&path);
                    }
                }
            }
        }
    }
    assert_eq!(seen, reg.plates.len());
}

#[test]
fn a_new_index_sees_renames_and_new_plates() {
    let mut reg = register();
    if let Some(mut t) = reg.thoroughfares.get_mut("thr_sl") {
        let name = t.name.clone();
        t.former_names.push(FormerName { name, until: "2025-01-01".into(), document: None, parent_code: None });
        t.name = "凯旋路".into();
    }
    plate(&mut reg, "plt_sl_10", thr("thr_sl"), 10, None, Some(WUYANGBA));
    let r = Resolver::build(Arc::new(reg));
    let res = matched(&r, "恩施市胜利路10号", &format!("{P}恩施市舞阳坝街道凯旋路10号"));
    has(&res, "former_name", "胜利路", "凯旋路");
}

/// Random changes to the register, a few at a time: the resolver updated with each answers
/// every text of every address, current or gone, as one built afresh.
#[test]
fn an_updated_resolver_answers_as_one_built_afresh() {
    use rand::SeedableRng;
    for seed in 0..4 {
        changes(rand::rngs::StdRng::seed_from_u64(20250611 + seed));
    }
}

/// One sequence of random changes (see [`an_updated_resolver_answers_as_one_built_afresh`]).
fn changes(mut rng: rand::rngs::StdRng) {
    use rand::rngs::StdRng;
    use rand::Rng;
    use std::collections::BTreeSet;

    fn pick<'a>(rng: &mut StdRng, ids: &'a [String]) -> Option<&'a String> {
        (!ids.is_empty()).then(|| &ids[rng.random_range(0..ids.len())])
    }
    fn ids<T: crate::domain::table::Linked>(t: &crate::domain::table::Table<T>) -> Vec<String> {
        t.keys().cloned().collect()
    }
    /// The plate a building, unit or room stands behind.
    fn plate_of(r: &Register, id: &str) -> Option<String> {
        r.plate_of(id).map(|p| p.id.clone())
    }

    let mut reg = register();
    // A retired plate read as its replacement, to start from.
    plate(&mut reg, "plt_hk_7", thr("thr_hk"), 7, None, Some(WUYANGBA));
    if let Some(mut p) = reg.plates.get_mut("plt_hk_7") {
        p.status = PlateStatus::Retired;
        p.replaced_by = Some("plt_125".into());
    }
    let numbers = [1, 2, 3, 5, 7, 8, 9, 123, 125, 350];
    let subs = [None, None, Some(1), Some(12)];
    let townships = [WUYANGBA, XIAODUCHUAN, "422827100"];
    let mut texts: BTreeSet<String> = BTreeSet::new();
    let mut resolver = Resolver::build(Arc::new(reg.clone()));
    let mut next = 0;
    for step in 0..100 {
        let mut changed = Changed::default();
        for _ in 0..rng.random_range(1..=3) {
            next += 1;
            // Random IDs, so new plates fall anywhere in ID order among the old.
            let new_id = format!("plt_{:03}_{next}", rng.random_range(0..1000));
            let plates = ids(&reg.plates);
            let issued: Vec<String> =
                reg.plates.values().filter(|p| p.status == PlateStatus::Issued).map(|p| p.id.clone()).collect();
            let retired: Vec<String> =
                reg.plates.values().filter(|p| p.status == PlateStatus::Retired).map(|p| p.id.clone()).collect();
            match rng.random_range(0..13) {
                // Issue a plate.
                0 | 1 => {
                    let places: Vec<PlateParent> = reg
                        .thoroughfares
                        .keys()
                        .map(|id| thr(id))
                        .chain(reg.localities.keys().map(|id| loc(id)))
                        .collect();
                    let parent = places[rng.random_range(0..places.len())].clone();
                    let township = match parent {
                        PlateParent::Thoroughfare(_) => Some(townships[rng.random_range(0..townships.len())]),
                        PlateParent::Locality(_) => None,
                    };
                    let number = numbers[rng.random_range(0..numbers.len())];
                    let sub = subs[rng.random_range(0..subs.len())];
                    plate(&mut reg, &new_id, parent, number, sub, township);
                    changed.plates.insert(new_id);
                }
                // Retire a plate, replaced by a new plate beside it, by any other plate, or by none.
                2 | 3 => {
                    let Some(id) = pick(&mut rng, &issued).cloned() else { continue };
                    let to = match rng.random_range(0..3) {
                        0 => {
                            let old = reg.plates.get(&id).cloned().expect("picked from the register");
                            let number = old.number + 1000;
                            plate(&mut reg, &new_id, old.parent, number, None, old.township_code.as_deref());
                            changed.plates.insert(new_id.clone());
                            Some(new_id)
                        }
                        1 => pick(&mut rng, &plates).cloned(),
                        _ => None,
                    };
                    if let Some(mut p) = reg.plates.get_mut(&id) {
                        p.status = PlateStatus::Retired;
                        p.replaced_by = to;
                    }
                    changed.plates.insert(id);
                }
                // Issue a retired number again.
                4 => {
                    let Some(id) = pick(&mut rng, &retired) else { continue };
                    let old = reg.plates.get(id).cloned().expect("picked from the register");
                    plate(&mut reg, &new_id, old.parent, old.number, old.sub, old.township_code.as_deref());
                    changed.plates.insert(new_id);
                }
                // A plate gone from the register.
                5 => {
                    let Some(id) = pick(&mut rng, &plates) else { continue };
                    reg.plates.remove(id);
                    changed.plates.insert(id.clone());
                }
                // A new building, unit or room.
                6 | 7 => {
                    let number = rng.random_range(1..4).to_string();
                    match rng.random_range(0..3) {
                        0 => {
                            let Some(p) = pick(&mut rng, &plates) else { continue };
                            let id = format!("bld_{next}");
                            reg.buildings.insert(
                                id.clone(),
                                Building { id, plate_id: p.clone(), number, status: NameStatus::Active },
                            );
                            changed.plates.insert(p.clone());
                        }
                        1 => {
                            let Some(b) = pick(&mut rng, &ids(&reg.buildings)).cloned() else { continue };
                            let id = format!("unt_{next}");
                            reg.units.insert(
                                id.clone(),
                                Unit { id, building_id: b.clone(), number, status: NameStatus::Active },
                            );
                            changed.plates.extend(plate_of(&reg, &b));
                        }
                        _ => {
                            let Some(u) = pick(&mut rng, &ids(&reg.units)).cloned() else { continue };
                            let id = format!("rm_{next}");
                            reg.rooms.insert(
                                id.clone(),
                                Room { id, unit_id: u.clone(), number, status: NameStatus::Active },
                            );
                            changed.plates.extend(plate_of(&reg, &u));
                        }
                    }
                }
                // A building, unit or room retired.
                8 => {
                    let all: Vec<String> =
                        ids(&reg.buildings).into_iter().chain(ids(&reg.units)).chain(ids(&reg.rooms)).collect();
                    let Some(id) = pick(&mut rng, &all).cloned() else { continue };
                    changed.plates.extend(plate_of(&reg, &id));
                    if let Some(mut b) = reg.buildings.get_mut(&id) {
                        b.status = NameStatus::Retired;
                    } else if let Some(mut u) = reg.units.get_mut(&id) {
                        u.status = NameStatus::Retired;
                    } else if let Some(mut r) = reg.rooms.get_mut(&id) {
                        r.status = NameStatus::Retired;
                    }
                }
                // A street renamed, its old name kept as a former name.
                9 | 10 => {
                    let Some(id) = pick(&mut rng, &ids(&reg.thoroughfares)).cloned() else { continue };
                    let names = ["凯旋路", "建设路", "解放路", "莲花路", "胜利路"];
                    if let Some(mut t) = reg.thoroughfares.get_mut(&id) {
                        let name = t.name.clone();
                        t.former_names.push(FormerName {
                            name,
                            until: "2025-01-01".into(),
                            document: None,
                            parent_code: None,
                        });
                        t.name = names[rng.random_range(0..names.len())].into();
                    }
                    changed.names = true;
                }
                // A retired street or locality back in use.
                11 => {
                    let all: Vec<String> = ids(&reg.thoroughfares).into_iter().chain(ids(&reg.localities)).collect();
                    let Some(id) = pick(&mut rng, &all).cloned() else { continue };
                    if let Some(mut t) = reg.thoroughfares.get_mut(&id) {
                        t.status = NameStatus::Active;
                        t.replaced_by = None;
                    } else if let Some(mut l) = reg.localities.get_mut(&id) {
                        l.status = NameStatus::Active;
                        l.replaced_by = None;
                    }
                    changed.names = true;
                }
                // A street or locality retired, sometimes into another.
                _ => {
                    let all: Vec<String> = ids(&reg.thoroughfares).into_iter().chain(ids(&reg.localities)).collect();
                    let Some(id) = pick(&mut rng, &all).cloned() else { continue };
                    let to = pick(&mut rng, &all).filter(|_| rng.random_bool(0.5)).cloned();
                    if let Some(mut t) = reg.thoroughfares.get_mut(&id) {
                        t.status = NameStatus::Retired;
                        t.replaced_by = to;
                    } else if let Some(mut l) = reg.localities.get_mut(&id) {
                        l.status = NameStatus::Retired;
                        l.replaced_by = to;
                    }
                    changed.names = true;
                }
            }
        }
        let new = Arc::new(reg.clone());
        // Every address as the register writes it, and as a street name and number alone.
        let all: Vec<String> = new
            .divisions
            .keys()
            .chain(new.thoroughfares.keys())
            .chain(new.localities.keys())
            .chain(new.plates.keys())
            .chain(new.buildings.keys())
            .chain(new.units.keys())
            .chain(new.rooms.keys())
            .cloned()
            .collect();
        for id in &all {
            if let Some(a) = new.address(id) {
                texts.insert(a.canonical);
            }
            if let Some(p) = new.plates.get(id) {
                let name = match &p.parent {
                    PlateParent::Thoroughfare(t) => new.thoroughfares.get(t).map(|t| t.name.clone()),
                    PlateParent::Locality(l) => new.localities.get(l).map(|l| l.name.clone()),
                };
                if let Some(name) = name {
                    texts.insert(format!("{name}{}", crate::domain::canonical::plate_suffix(p.number, p.sub)));
                    texts.insert(format!("{name}{}号附7号", p.number));
                }
            }
        }
        resolver = resolver.updated(Arc::clone(&new), &changed);
        // What each number reads as, by the rules the index had when it kept one answer per
        // number: issued plates in ID order, the last winning; then retired ones in ID order,
        // the first whose replacement is an issued plate of an indexed street.
        let index = super::index::Index::build(&new);
        let mut want = std::collections::HashMap::new();
        let indexed = |p: &Plate| index.place_id(p.parent.id()).is_some();
        let issued = |id: &str| new.plates.get(id).filter(|p| p.status == PlateStatus::Issued && indexed(p));
        for p in new.plates.values().filter(|p| p.status == PlateStatus::Issued && indexed(p)) {
            want.insert((p.parent.id().to_string(), p.number, p.sub), (p.id.clone(), false));
        }
        for p in new.plates.values().filter(|p| p.status == PlateStatus::Retired && indexed(p)) {
            if let Some(to) = p.replaced_by.as_deref().and_then(issued) {
                want.entry((p.parent.id().to_string(), p.number, p.sub)).or_insert((to.id.clone(), true));
            }
        }
        let mut got = std::collections::HashMap::new();
        for k in resolver.plates.slots.keys().filter(|k| index.place_id(&k.place).is_some()) {
            if let Some((node, replaced)) = resolver.plates.at(&index, &k.place, k.number, k.sub) {
                got.insert((k.place.clone(), k.number, k.sub), (node.id.clone(), replaced));
            }
        }
        assert_eq!(got, want, "step {step}");
        let fresh = Resolver::build(new);
        for t in &texts {
            assert_eq!(resolver.resolve(t), fresh.resolve(t), "step {step}, {changed:?}: {t}");
        }
    }
}

#[test]
fn the_resolver_is_shared_across_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Resolver>();
}

/// Places elsewhere in China whose names meet the register's (SPEC §5 "Outside the
/// register"): each kind of collision, and each kind of short form.
mod outside {
    use super::*;

    /// The small register with 利川市 东城街道, 宣恩县 珠山镇, 建始县 and a 双河村 beside
    /// their streets and group.
    fn resolver() -> Resolver {
        let mut r = register();
        for d in [
            division("422802", "利川市", DivisionLevel::County, Some("422800"), &["利川"]),
            division("422802002", "东城街道", DivisionLevel::Township, Some("422802"), &[]),
            division("422825", "宣恩县", DivisionLevel::County, Some("422800"), &["宣恩"]),
            division("422825100", "珠山镇", DivisionLevel::Township, Some("422825"), &[]),
            division("422822", "建始县", DivisionLevel::County, Some("422800"), &["建始"]),
            division("422801207203", "双河村", DivisionLevel::Village, Some("422801207"), &[]),
        ] {
            r.divisions.insert(d.code.clone(), d);
        }
        street(&mut r, "thr_dc", "422802", "东城路", &[]);
        plate(&mut r, "plt_dc_1", thr("thr_dc"), 1, None, Some("422802002"));
        street(&mut r, "thr_rm", "422825", "人民路", &[]);
        plate(&mut r, "plt_rm_8", thr("thr_rm"), 8, None, Some("422825100"));
        locality(&mut r, "loc_sh", "422801207203", "一组", &[]);
        plate(&mut r, "plt_sh_1", loc("loc_sh"), 1, None, None);
        Resolver::build(Arc::new(r))
    }

    #[track_caller]
    fn outside(r: &Resolver, q: &str, code: &str) -> Resolution {
        let res = r.resolve(q);
        assert_eq!(res.status, Status::NotFound, "{q}: {res:#?}");
        assert_eq!(res.outside.as_ref().map(|o| o.code.as_str()), Some(code), "{q}: {res:#?}");
        assert!(res.address.is_none());
        let hubei_only = res.recognised.iter().all(|d| d.code == "420000");
        assert!(hubei_only && (code.starts_with("42") || res.recognised.is_empty()), "{q}: {:?}", res.recognised);
        res
    }

    #[track_caller]
    fn inside(r: &Resolver, q: &str, id: &str) {
        let res = r.resolve(q);
        assert_eq!(res.status, Status::Matched, "{q}: {res:#?}");
        assert_eq!(res.address.as_ref().map(|a| a.id.as_str()), Some(id), "{q}");
        assert!(res.outside.is_none(), "{q}");
    }

    #[test]
    fn a_county_elsewhere_named_like_a_township_of_the_register() {
        let r = resolver();
        let res = outside(&r, "龙凤区胜利路8号", "230603");
        let chain = res.outside.map(|o| o.chain).unwrap_or_default();
        assert_eq!(chain, ["黑龙江省", "大庆市", "龙凤区"]);
        outside(&r, "黑龙江大庆龙凤区胜利路8号", "230603");
        // 龙凤 alone, and 龙凤镇, are the register's.
        inside(&r, "龙凤镇胜利路8号", "plt_sl_8");
        inside(&r, "恩施市龙凤胜利路8号", "plt_sl_8");
        // 珠山区 of 景德镇 beside 宣恩县's 珠山镇.
        outside(&r, "珠山区人民路8号", "360203");
        outside(&r, "江西省景德镇市珠山区人民路8号", "360203");
        inside(&r, "宣恩县珠山镇人民路8号", "plt_rm_8");
        inside(&r, "珠山镇人民路8号", "plt_rm_8");
    }

    #[test]
    fn a_county_elsewhere_named_like_a_village_of_the_register() {
        let r = resolver();
        outside(&r, "双河市胜利路8号", "659007");
        outside(&r, "新疆双河市双河村一组1号", "659007");
        inside(&r, "双河村一组1号", "plt_sh_1");
    }

    #[test]
    fn a_township_elsewhere_named_like_a_township_of_the_register() {
        let r = resolver();
        // 高平市 (山西) has a 东城街道 too: the county named decides.
        let res = outside(&r, "高平市东城街道东城路1号", "140581002");
        assert_eq!(res.outside.map(|o| o.level), Some(DivisionLevel::Township));
        outside(&r, "山西晋城高平市东城街道东城路1号", "140581002");
        inside(&r, "利川市东城街道东城路1号", "plt_dc_1");
        // Named alone, a township of both is the register's.
        inside(&r, "东城街道东城路1号", "plt_dc_1");
        // A township found nowhere in the register: elsewhere, wherever that is.
        let res = r.resolve("城关镇胜利路8号");
        assert_eq!(res.status, Status::NotFound);
        assert!(res.outside.is_some(), "{res:?}");
    }

    #[test]
    fn a_name_elsewhere_that_holds_a_county_short_form_of_the_register() {
        let r = resolver();
        outside(&r, "恩平市胜利路8号", "440785");
        outside(&r, "广东省江门市恩平市胜利路8号", "440785");
        // A street called 建始路 in 建湖县 (江苏) names no 建始县.
        outside(&r, "建湖县建始路12号", "320925");
        outside(&r, "江苏盐城建湖县建始路", "320925");
    }

    #[test]
    fn elsewhere_in_hubei_recognises_the_province_only() {
        let r = resolver();
        let res = outside(&r, "湖北武汉汉阳区胜利路8号", "420105");
        assert_eq!(res.recognised.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(), ["420000"]);
        outside(&r, "湖北省十堰市房县胜利路8号", "420325");
        // A county-level city under the province itself.
        outside(&r, "仙桃市胜利路8号", "429004");
    }

    #[test]
    fn short_forms_of_every_kind() {
        let r = resolver();
        outside(&r, "河南胜利路8号", "410000");
        outside(&r, "内蒙古胜利路8号", "150000");
        outside(&r, "广西胜利路8号", "450000");
        outside(&r, "南阳胜利路8号", "411300");
        outside(&r, "河南南阳宛城区胜利路8号", "411302");
        outside(&r, "宛城胜利路8号", "411302");
        outside(&r, "湘西州胜利路8号", "433100");
        outside(&r, "湘西泸溪县胜利路8号", "433122");
        outside(&r, "黔东南州胜利路8号", "522600");
        outside(&r, "墨江县胜利路8号", "530822");
        outside(&r, "云南墨江胜利路8号", "530822");
        outside(&r, "察右前旗胜利路8号", "150926");
        outside(&r, "内蒙古乌兰察布市察哈尔右翼前旗胜利路8号", "150926");
    }

    #[test]
    fn a_street_named_after_a_place_is_a_street() {
        let r = resolver();
        // 南阳路 and 河南街 are streets somewhere in the register's own area.
        for q in ["南阳路8号", "恩施市河南街3号", "胜利路8号"] {
            assert!(r.resolve(q).outside.is_none(), "{q}");
        }
        inside(&r, "胜利路8号", "plt_sl_8");
        // A landmark after the address is no place of its own.
        assert!(r.resolve("恩施市胜利路8号 河南大厦对面").outside.is_none());
    }

    #[test]
    fn a_street_named_after_a_county_elsewhere_does_not_move_the_text_there() {
        let r = resolver();
        // 滨江 (滨江区), 舞阳 (舞阳县), 兴隆 (兴隆县) begin these streets' names, with a
        // direction or a qualifier before the generic: the county named is the place.
        for (q, code) in [
            ("临潼区滨江北路102号", "610115"),
            ("秦州区舞阳大街257号", "620502"),
            ("东乌珠穆沁旗兴隆老街207号", "152525"),
            ("成武县滨江南路8号", "371723"),
        ] {
            let a = r.resolve(q);
            assert_eq!(a.outside.as_ref().map(|o| o.code.as_str()), Some(code), "{q}: {:?}", a.outside);
        }
    }
}
