//! Index build at scale: a synthetic register of about 1,000,000 addresses (2,000 streets,
//! 100,000 plates, each with a building of 2 units of 3 rooms) on the bundled divisions;
//! the time to build the resolver's index and the memory the process holds (peak RSS).
//! Target (issue 5): under 20 s and 1.5 GB. Run with `cargo bench --bench index_scale`.

use std::sync::Arc;
use std::time::Instant;

use menpai::domain::resolve::Resolver;
use menpai::domain::*;

fn rss_mb(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with(field)).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

fn main() {
    let mut reg =
        import::plan(&Register::default(), interchange::parse(menpai::app::BUNDLED_ENSHI).expect("bundled data"))
            .additions;
    reg.thoroughfares.clear();
    reg.localities.clear();
    reg.plates.clear();
    reg.buildings.clear();
    reg.units.clear();
    reg.rooms.clear();
    let townships: Vec<(String, String)> = reg
        .divisions
        .values()
        .filter(|d| d.level == DivisionLevel::Township)
        .filter_map(|d| Some((d.parent_code.clone()?, d.code.clone())))
        .collect();
    let digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let mut n = 0usize;
    for s in 0..2000usize {
        let (county, township) = &townships[s % townships.len()];
        // Distinct names without digits: 测 + the street number spelt in Chinese digits.
        let name: String =
            format!("测{}路", s.to_string().chars().map(|c| digits[c as usize - '0' as usize]).collect::<String>());
        let id = format!("thr_{s:026}");
        let (x, y) = (109.0 + (s % 50) as f64 * 0.01, 30.0 + (s / 50) as f64 * 0.01);
        reg.thoroughfares.insert(
            id.clone(),
            Thoroughfare {
                id: id.clone(),
                county_code: county.clone(),
                name,
                pinyin_override: None,
                geometry: StreetGeometry::Line(geo::LineString::from(vec![(x, y), (x + 0.008, y)])),
                status: NameStatus::Active,
                replaced_by: None,
                former_names: vec![],
                numbering: NumberingScheme::Sequential,
            },
        );
        for p in 1..=50i32 {
            let pid = format!("plt_{n:026}");
            reg.plates.insert(
                pid.clone(),
                Plate {
                    id: pid.clone(),
                    parent: PlateParent::Thoroughfare(id.clone()),
                    number: p,
                    sub: None,
                    township_code: Some(township.clone()),
                    location: geo::Point::new(x + 0.0001 * p as f64, y),
                    side: None,
                    measure_m: None,
                    status: PlateStatus::Issued,
                    replaced_by: None,
                },
            );
            let bid = format!("bld_{n:026}");
            reg.buildings.insert(
                bid.clone(),
                Building { id: bid.clone(), plate_id: pid, number: "1".into(), status: NameStatus::Active },
            );
            for u in 1..=2 {
                let uid = format!("unt_{n:024}{u:02}");
                reg.units.insert(
                    uid.clone(),
                    Unit {
                        id: uid.clone(),
                        building_id: bid.clone(),
                        number: u.to_string(),
                        status: NameStatus::Active,
                    },
                );
                for r in [101, 102, 201] {
                    let rid = format!("rom_{n:022}{u:02}{r:03}0");
                    reg.rooms.insert(
                        rid.clone(),
                        Room { id: rid, unit_id: uid.clone(), number: r.to_string(), status: NameStatus::Active },
                    );
                }
            }
            n += 1;
        }
    }
    let addresses = reg.divisions.len()
        + reg.thoroughfares.len()
        + reg.plates.len()
        + reg.buildings.len()
        + reg.units.len()
        + reg.rooms.len();
    let before = rss_mb("VmRSS:");
    let reg = Arc::new(reg);
    let t = Instant::now();
    let resolver = Resolver::build(reg.clone());
    let secs = t.elapsed().as_secs_f64();
    let after = rss_mb("VmRSS:");
    let probe = resolver.resolve("测一二三路12号1栋2单元201室");
    println!(
        "{addresses} addresses: index built in {secs:.2} s; RSS {before:.0} MB with the register, {after:.0} MB with the index (+{:.0} MB), peak {:.0} MB; probe: {:?}",
        after - before,
        rss_mb("VmHWM:"),
        probe.status
    );
}
