//! Index build time and memory: first the dev gazetteer (../shared/eval-dev, when present),
//! then a synthetic register of about 1,000,000 addresses (2,000 streets, 100,000 plates,
//! each with a building of 2 units of 3 rooms) on the bundled divisions; the time to build
//! the resolver's index, the heap it holds (counted by the allocator) and resident memory.
//! Target (issue 5): 1,000,000 addresses under 20 s and 1.5 GB.
//! Run with `cargo bench --bench index_scale`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// Counts the bytes the process holds on the heap, so the index's own size is measured
/// exactly rather than read off RSS (which keeps freed pages).
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        HELD.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn held_mb() -> f64 {
    HELD.load(Ordering::Relaxed) as f64 / (1024.0 * 1024.0)
}

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

/// Builds the index over `reg` and prints the time and the memory it took.
fn measure(label: &str, reg: Register) -> Resolver {
    let (rss_before, heap_before) = (rss_mb("VmRSS:"), held_mb());
    let reg = Arc::new(reg);
    let t = Instant::now();
    let resolver = Resolver::build(reg.clone());
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{label}: index built in {secs:.3} s; the index holds {:.1} MB of heap (register {heap_before:.1} MB); RSS {rss_before:.0} → {:.0} MB",
        held_mb() - heap_before,
        rss_mb("VmRSS:")
    );
    resolver
}

fn main() {
    if let Ok(text) =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/eval-dev/gazetteer.geojson"))
    {
        let dev = import::plan(&Register::default(), interchange::parse(&text).expect("dev gazetteer")).additions;
        let n = dev.divisions.len()
            + dev.thoroughfares.len()
            + dev.localities.len()
            + dev.plates.len()
            + dev.buildings.len()
            + dev.units.len()
            + dev.rooms.len();
        drop(measure(&format!("dev gazetteer, {n} addresses"), dev));
    }
    let reg = synthetic();
    let addresses = reg.divisions.len()
        + reg.thoroughfares.len()
        + reg.plates.len()
        + reg.buildings.len()
        + reg.units.len()
        + reg.rooms.len();
    let resolver = measure(&format!("synthetic, {addresses} addresses"), reg);
    let probe = resolver.resolve("测一二三路12号1栋2单元201室");
    println!("peak RSS {:.0} MB; probe: {:?}", rss_mb("VmHWM:"), probe.status);
    drop(resolver);
    change_at_scale(synthetic());
}

/// What one change costs on a register this size, stored in SQLite: the node reloads the
/// register and rebuilds its indexes before it answers (`App::refresh`), so this is the
/// latency floor of every change.
fn change_at_scale(reg: Register) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = dir.path().join("register.db").to_string_lossy().into_owned();
    let t = Instant::now();
    let app = menpai::app::App::open(&url).expect("open");
    app.store()
        .write(|c| menpai::store::insert_records(c, &reg, &menpai::app::now()))
        .expect("store the synthetic register");
    println!("synthetic register stored in SQLite in {:.1} s", t.elapsed().as_secs_f64());
    drop(reg);
    let t = Instant::now();
    let app = menpai::app::App::open(&url).expect("reopen");
    println!("loaded with its indexes (what every change reloads) in {:.2} s", t.elapsed().as_secs_f64());
    let police = menpai::app::Actor { role: Some(menpai::app::Role::Police), ..menpai::app::Actor::system("bench") };
    let street = app.register().thoroughfares.keys().next().expect("a street").clone();
    let township =
        app.register().plates.values().find(|p| p.parent.id() == street).and_then(|p| p.township_code.clone());
    for i in 0..3 {
        // Each past the last, on the left: 51, 53, 55.
        let req = menpai::app::plates::PlateRequest {
            thoroughfare_id: Some(street.clone()),
            locality_id: None,
            location: Some([109.0055 + 0.0005 * i as f64, 30.0001]),
            township_code: township.clone(),
            number: None,
            sub: None,
        };
        let t = Instant::now();
        let r = app.issue_plate(&police, &req, None);
        let took = t.elapsed().as_secs_f64();
        match r {
            Ok(_) => println!("plate issued and visible, change {i}: {took:.2} s"),
            Err(e) => println!("plate refused, change {i}: {e}"),
        }
    }
}

/// About 1,000,000 addresses on the bundled divisions.
fn synthetic() -> Register {
    let mut reg =
        import::plan(&Register::default(), interchange::parse(menpai::app::BUNDLED_ENSHI).expect("bundled data"))
            .additions;
    reg.thoroughfares = Default::default();
    reg.localities = Default::default();
    reg.plates = Default::default();
    reg.buildings = Default::default();
    reg.units = Default::default();
    reg.rooms = Default::default();
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
    reg
}
