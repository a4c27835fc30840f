//! A node applies each change to the register it serves instead of loading the register
//! again (app::snapshot). For random runs of changes (issue, plan, retire, move, buildings,
//! units and rooms, rename, propose and approve, retire a name, a division change, import), the applied
//! snapshot must answer exactly as a fresh load of the store: the same records, and the
//! same resolution, autocomplete, reverse lookup and address pages. On both stores.

mod common;

use common::*;
use menpai::app::naming::{Approval, DivisionChangeRequest, Proposal, Renaming, Retirement};
use menpai::app::plates::{PlanRequest, PlateRequest};
use menpai::app::{App, Role};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;

fn street(app: &App, name: &str) -> String {
    let reg = app.register();
    let t = reg.thoroughfares.values().find(|t| t.name == name || t.former_names.iter().any(|f| f.name == name));
    t.expect("the street, by its name or a former one").id.clone()
}

fn issued(app: &App) -> Vec<String> {
    let reg = app.register();
    reg.plates.values().filter(|p| p.status == menpai::domain::PlateStatus::Issued).map(|p| p.id.clone()).collect()
}

fn pick<'a>(rng: &mut StdRng, ids: &'a [String]) -> Option<&'a String> {
    (!ids.is_empty()).then(|| &ids[rng.random_range(0..ids.len())])
}

/// One random change; errors (a refused number, a name in use …) change nothing and are
/// part of the run too.
fn change(app: &App, rng: &mut StdRng, step: usize) -> String {
    let police = actor(Role::Police);
    let civil = actor(Role::CivilAffairs);
    let hk = street(app, "航空大道");
    let x = 109.4705 + rng.random_range(0.0..0.009);
    let y = if rng.random_bool(0.5) { 30.2901 } else { 30.2899 };
    let parts = |level: &str| -> Vec<String> {
        let reg = app.register();
        match level {
            "building" => {
                reg.buildings.values().filter(|b| b.status.as_str() == "active").map(|b| b.id.clone()).collect()
            }
            _ => reg.units.values().filter(|u| u.status.as_str() == "active").map(|u| u.id.clone()).collect(),
        }
    };
    match rng.random_range(0..13) {
        12 => {
            // A division change reaches everything under the township: a full load.
            let name = ["舞阳街道", "舞阳坝街道", "航空街道"][rng.random_range(0..3)];
            let req = DivisionChangeRequest {
                code: "422801001".into(),
                name: Some(name.into()),
                aliases: None,
                merge_into: None,
                parent_code: None,
                new_code: None,
                reason: Some("区划调整".into()),
            };
            let proposed = app.propose_division_change(&civil, &req);
            let approved = proposed
                .as_ref()
                .ok()
                .map(|p| app.approve_division_change(&civil, &p.id, &format!("鄂政函〔2026〕{step}号")).is_ok());
            format!("township {name} {:?} {approved:?}", proposed.is_ok())
        }
        0..=2 => {
            let req = PlateRequest {
                thoroughfare_id: Some(hk),
                locality_id: None,
                location: Some([x, y]),
                township_code: Some("422801001".into()),
                number: None,
                sub: None,
            };
            format!("issue {:?}", app.issue_plate(&police, &req, None).map(|r| r.0))
        }
        3 => {
            let plates = issued(app);
            let Some(id) = pick(rng, &plates) else { return "no plate to retire".into() };
            let with = if rng.random_bool(0.5) { pick(rng, &plates).cloned() } else { None };
            format!("retire {:?}", app.retire_plate(&police, id, "拆除", with.as_deref()).is_ok())
        }
        4 => {
            let plates = issued(app);
            let Some(id) = pick(rng, &plates) else { return "no plate to move".into() };
            format!("move {:?}", app.move_plate(&police, id, [x, y], "位置更正").is_ok())
        }
        5 => {
            let plates = issued(app);
            let Some(id) = pick(rng, &plates) else { return "no plate to build on".into() };
            format!("building {:?}", app.add_building(&police, id, &format!("{}", rng.random_range(1..9))).is_ok())
        }
        6 => {
            let b = parts("building");
            let Some(id) = pick(rng, &b) else { return "no building".into() };
            let unit = app.add_unit(&police, id, &format!("{}", rng.random_range(1..4)));
            if let Ok(u) = &unit {
                let _ = app.add_room(&police, u["id"].as_str().unwrap_or_default(), "501");
            }
            format!("unit {:?}", unit.is_ok())
        }
        7 => {
            let b = parts("building");
            let Some(id) = pick(rng, &b) else { return "no building to retire".into() };
            format!("retire building {:?}", app.retire_part(&police, id, "拆除").is_ok())
        }
        8 => {
            let name = ["航空大道", "机场大道", "飞机场路"][rng.random_range(0..3)];
            let req = Renaming {
                name: name.into(),
                document: format!("恩施市政〔2026〕{step}号"),
                pinyin: None,
                reason: None,
            };
            format!("rename {:?}", app.rename(&civil, &hk, &req).is_ok())
        }
        9 => {
            let names = ["金桂路", "银杏路", "丹桂路", "红枫路"];
            let name = names[rng.random_range(0..names.len())];
            let req: Proposal = serde_json::from_value(json!({
                "kind": "thoroughfare", "name": name, "county_code": "422801",
                "geometry": {"type": "LineString", "coordinates": [[109.47, 30.295], [109.48, 30.295]]},
                "reason": "新建道路"
            }))
            .unwrap();
            let proposed = app.propose_name(&civil, &req);
            let approved = proposed.as_ref().ok().map(|p| {
                let approval = Approval { document: format!("恩施市政〔2026〕{step}号"), announced_on: None };
                app.approve_name(&civil, &p.record.id, &approval).is_ok()
            });
            format!("propose {name} {:?} {approved:?}", proposed.is_ok())
        }
        10 => {
            let reg = app.register();
            let bare: Vec<String> = reg
                .thoroughfares
                .values()
                .filter(|t| t.status.as_str() == "active" && reg.plates.under(&t.id).next().is_none())
                .map(|t| t.id.clone())
                .collect();
            let Some(id) = pick(rng, &bare) else { return "no bare street".into() };
            let req = Retirement {
                document: format!("恩施市政〔2026〕{step}号"),
                reason: "道路拆除".into(),
                replaced_by: None,
            };
            format!("retire name {:?}", app.retire_name(&civil, id, &req).is_ok())
        }
        _ => {
            let entrances = vec![[x, y], [x + 0.0003, y]];
            let req = PlanRequest {
                thoroughfare_id: Some(hk),
                locality_id: None,
                township_code: Some("422801001".into()),
                entrances,
                dry_run: Some(false),
                reserve_minutes: None,
            };
            let plan = app.plan_plates(&police, &req);
            let issued = plan.as_ref().ok().and_then(|p| p["plan_id"].as_str().map(str::to_string)).map(|id| {
                if rng.random_bool(0.5) {
                    app.issue_plan(&police, &id).is_ok()
                } else {
                    false
                }
            });
            format!("plan {:?} {issued:?}", plan.is_ok())
        }
    }
}

/// The applied snapshot answers as a fresh load does.
fn same_answers(db: &TestDb, app: &App, what: &str) {
    let applied = app.snapshot();
    let loaded = db.app();
    let fresh = loaded.snapshot();
    assert_eq!(applied.seq, fresh.seq, "after {what}");
    let (a, f) = (&applied.register, &fresh.register);
    assert!(**a == **f, "after {what}: the applied register differs from a fresh load");
    let reader = actor(Role::Reader);
    let ids: Vec<String> = a
        .plates
        .keys()
        .chain(a.buildings.keys())
        .chain(a.units.keys())
        .chain(a.rooms.keys())
        .chain(a.thoroughfares.keys())
        .cloned()
        .collect();
    for id in &ids {
        let text = a.address(id).map(|t| t.canonical).unwrap_or_default();
        let ra = serde_json::to_value(applied.resolver.resolve(&text)).unwrap();
        let rf = serde_json::to_value(fresh.resolver.resolve(&text)).unwrap();
        assert_eq!(ra, rf, "after {what}: resolving {text}");
        assert_eq!(
            serde_json::to_value(app.address(id, None).ok()).unwrap(),
            serde_json::to_value(loaded.address(id, None).ok()).unwrap(),
            "after {what}: the address page of {id}"
        );
    }
    // As of a date: before the register began, and today.
    let today = menpai::domain::china_time::today().to_string();
    for date in ["2020-01-01", today.as_str()] {
        let (da, df) = (app.dated(date).unwrap(), loaded.dated(date).unwrap());
        assert!(*da.register == *df.register, "after {what}: the register as of {date}");
        for id in &ids {
            let text = df.register.address(id).map(|t| t.canonical).unwrap_or_default();
            let ra = serde_json::to_value(da.resolver.resolve(&text)).unwrap();
            let rf = serde_json::to_value(df.resolver.resolve(&text)).unwrap();
            assert_eq!(ra, rf, "after {what}: resolving {text} as of {date}");
        }
    }
    for t in a.thoroughfares.values() {
        for prefix in [t.name.chars().take(2).collect::<String>(), menpai::domain::pinyin::initials(&t.name)] {
            assert_eq!(
                applied.autocomplete.suggest(&prefix, 10),
                fresh.autocomplete.suggest(&prefix, 10),
                "after {what}: {prefix}"
            );
        }
    }
    for p in a.plates.values() {
        let (lon, lat) = (p.location.x() + 0.00001, p.location.y());
        assert_eq!(
            applied.spatial.nearest_plate(a, lon, lat),
            fresh.spatial.nearest_plate(f, lon, lat),
            "after {what}"
        );
        assert_eq!(applied.spatial.nearest_feature(lon, lat), fresh.spatial.nearest_feature(lon, lat), "after {what}");
    }
    let _ = app.reverse(&reader, 109.475, 30.29, None);
}

fn run(seed: u64, steps: usize) -> Vec<String> {
    let db = TestDb::new();
    let app = db.app();
    let plates: Vec<String> = (0..6).map(|i| hk_plate(2 * i + 1, None, 109.471 + 0.001 * i as f64, true)).collect();
    app.import(&admin(), &small_file(&plates), false).unwrap();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut log = Vec::new();
    for step in 0..steps {
        log.push(change(&app, &mut rng, step));
        same_answers(&db, &app, &format!("seed {seed}: {}", log.join(" → ")));
    }
    // An import reaches anywhere: the node loads afresh, and answers the same.
    let other = r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","geometry":null,"properties":{"kind":"division","code":"422802","name":"利川市","level":"county","parent_code":"422800","aliases":["利川"]}},
        {"type":"Feature","geometry":{"type":"LineString","coordinates":[[108.93,30.29],[108.94,30.29]]},"properties":{"kind":"thoroughfare","ref":"ls","name":"清江大道","county_code":"422802","former_names":[]}}
    ]}"#;
    let imported = app.import(&admin(), other, false);
    same_answers(&db, &app, &format!("seed {seed}: import {:?}", imported.is_ok()));
    assert!(log.iter().filter(|l| l.contains("true") || l.contains("Ok(")).count() > steps / 4, "{log:?}");
    log
}

#[test]
fn applied_changes_answer_as_a_fresh_load() {
    let mut all = Vec::new();
    for seed in 1..=4 {
        all.extend(run(seed, 40));
    }
    // Every kind of change was made, not only tried.
    let made = [
        "issue Ok(201)",
        "retire true",
        "move true",
        "building true",
        "unit true",
        "retire building true",
        "rename true",
        "retire name true",
        "plan true Some(true)",
    ];
    for kind in made {
        assert!(all.iter().any(|l| l == kind), "{kind}: {all:?}");
    }
    assert!(all.iter().any(|l| l.starts_with("propose") && l.ends_with("Some(true)")), "{all:?}");
    assert!(all.iter().any(|l| l.starts_with("township") && l.ends_with("Some(true)")), "a division change approved: {all:?}");
}

#[test]
fn a_second_node_applies_what_the_first_committed() {
    let db = TestDb::new();
    let first = db.app();
    let plates: Vec<String> = (0..3).map(|i| hk_plate(2 * i + 1, None, 109.471 + 0.001 * i as f64, true)).collect();
    first.import(&admin(), &small_file(&plates), false).unwrap();
    let second = db.app();
    let mut rng = StdRng::seed_from_u64(99);
    for step in 0..30 {
        let what = change(&first, &mut rng, step);
        second.catch_up().unwrap();
        same_answers(&db, &second, &what);
        assert_eq!(second.snapshot().seq, first.snapshot().seq, "{what}");
    }
    assert!(second.self_check().unwrap().is_empty());
}
