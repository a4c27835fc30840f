//! Changes that race: a change decides and texts what it writes from the register as
//! committed, not from the node's snapshot (issue #12, items 1 and 2). Two nodes are two
//! `App`s on one store: the second does not catch up, so its snapshot is as stale as a
//! node's is for the second before it does. Each test runs on SQLite and, with
//! `MENPAI_TEST_DATABASE_URL`, on PostgreSQL.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Barrier};

use common::*;
use menpai::app::naming::{DivisionChangeRequest, Renaming};
use menpai::app::plates::PlateRequest;
use menpai::app::{App, AppError, Role};

const NORTH: f64 = 30.2901;

fn setup() -> (TestDb, App) {
    let db = TestDb::new();
    let app = db.app();
    app.import(&admin(), &small_file(&[hk_plate(1, None, 109.471, true)]), false).unwrap();
    (db, app)
}

fn street(app: &App) -> String {
    app.register().thoroughfares.values().find(|t| t.name == "航空大道").unwrap().id.clone()
}

fn plate_one(app: &App) -> String {
    app.register().plates.values().find(|p| p.number == 1).unwrap().id.clone()
}

fn rename(app: &App, id: &str, name: &str) {
    let req = Renaming { name: name.into(), document: "恩施市政〔2026〕1号".into(), pinyin: None, reason: None };
    app.rename(&actor(Role::CivilAffairs), id, &req).unwrap();
}

fn issue(app: &App, street: &str, x: f64) -> Result<serde_json::Value, AppError> {
    let req = PlateRequest {
        thoroughfare_id: Some(street.into()),
        locality_id: None,
        location: Some([x, NORTH]),
        township_code: Some("422801001".into()),
        number: None,
        sub: None,
    };
    app.issue_plate(&actor(Role::Police), &req, None).map(|(_, body)| body)
}

/// What a consumer of the feed holds at the end: every address's last text.
fn feed_texts(app: &App) -> HashMap<String, Option<String>> {
    let mut texts = HashMap::new();
    let mut after = 0;
    loop {
        let page = app.events(&admin(), after, 500).unwrap();
        if page.events.is_empty() {
            return texts;
        }
        for e in &page.events {
            for ch in e.changes.as_array().into_iter().flatten() {
                texts.insert(ch["id"].as_str().unwrap().to_string(), ch["new"].as_str().map(str::to_string));
            }
            after = e.seq;
        }
    }
}

#[test]
fn a_plate_issued_on_a_node_that_has_not_seen_a_rename_carries_the_new_name() {
    let (db, a) = setup();
    let b = db.app();
    let hk = street(&a);
    rename(&a, &hk, "青滩大道");

    let body = issue(&b, &hk, 109.473).unwrap();
    let canonical = body["canonical"].as_str().unwrap();
    assert_eq!(canonical, "湖北省恩施土家族苗族自治州恩施市舞阳坝街道青滩大道3号", "{body}");
    let id = body["id"].as_str().unwrap();
    assert_eq!(feed_texts(&a)[id].as_deref(), Some(canonical), "the feed carries the same text");
    let fresh = db.app();
    assert_eq!(fresh.address(id, None).unwrap().canonical, canonical);
}

#[test]
fn a_plate_issued_on_a_node_that_has_not_seen_its_township_renamed_carries_the_new_name() {
    let (db, a) = setup();
    let b = db.app();
    let hk = street(&a);
    let clerk = actor(Role::CivilAffairs);
    let change = a
        .propose_division_change(
            &clerk,
            &DivisionChangeRequest {
                code: "422801001".into(),
                name: Some("舞阳街道".into()),
                aliases: None,
                merge_into: None,
                parent_code: None,
                new_code: None,
                reason: None,
            },
        )
        .unwrap();
    a.approve_division_change(&clerk, &change.id, "鄂政函〔2026〕8号").unwrap();

    let body = issue(&b, &hk, 109.473).unwrap();
    assert_eq!(body["canonical"], "湖北省恩施土家族苗族自治州恩施市舞阳街道航空大道3号", "{body}");
}

#[test]
fn no_plate_is_issued_on_a_street_another_node_retired() {
    let (db, a) = setup();
    let b = db.app();
    // A street with no plates, retired on node A.
    let g = a.register().localities.keys().next().unwrap().clone();
    a.retire_name(
        &actor(Role::CivilAffairs),
        &g,
        &menpai::app::naming::Retirement {
            document: "恩施市政〔2026〕2号".into(),
            reason: "撤销".into(),
            replaced_by: None,
        },
    )
    .unwrap();
    let req = PlateRequest {
        thoroughfare_id: None,
        locality_id: Some(g),
        location: Some([109.5, 30.2]),
        township_code: None,
        number: None,
        sub: None,
    };
    let err = b.issue_plate(&actor(Role::Police), &req, None).unwrap_err();
    assert!(matches!(err, AppError::Conflict(_)), "{err:?}");
}

#[test]
fn a_building_unit_or_room_is_not_added_under_a_plate_another_node_retired() {
    let (db, a) = setup();
    let b = db.app();
    let plate = plate_one(&a);
    let reg = b.register();
    let building = reg.buildings.values().find(|x| x.plate_id == plate).unwrap().id.clone();
    let unit = reg.units.values().find(|u| u.building_id == building).unwrap().id.clone();
    a.retire_plate(&actor(Role::Police), &plate, "拆除", None).unwrap();

    let police = actor(Role::Police);
    for (what, result) in [
        ("building", b.add_building(&police, &plate, "9")),
        ("unit", b.add_unit(&police, &building, "9")),
        ("room", b.add_room(&police, &unit, "909")),
    ] {
        let err = result.expect_err(what);
        assert!(matches!(err, AppError::Conflict(_)), "{what}: {err:?}");
    }
    let fresh = db.app();
    let reg = fresh.register();
    assert!(reg.buildings.values().filter(|x| x.plate_id == plate).all(|x| x.number != "9"));
}

#[test]
fn retiring_a_plate_retires_and_lists_a_building_added_on_another_node() {
    let (db, a) = setup();
    let b = db.app();
    let plate = plate_one(&a);
    let added = b.add_building(&actor(Role::Housing), &plate, "9").unwrap();
    let building = added["id"].as_str().unwrap().to_string();

    a.retire_plate(&actor(Role::Police), &plate, "拆除", None).unwrap();
    let texts = feed_texts(&a);
    assert_eq!(texts.get(&building), Some(&None), "the retirement's event lists the new building as ended");
    let fresh = db.app();
    let view = fresh.address(&building, None).unwrap();
    assert_eq!(view.status, "retired");
}

#[test]
fn a_building_under_a_street_renamed_on_another_node_carries_the_new_name() {
    let (db, a) = setup();
    let b = db.app();
    let plate = plate_one(&a);
    rename(&a, &street(&a), "青滩大道");
    let added = b.add_building(&actor(Role::Police), &plate, "9").unwrap();
    assert_eq!(added["canonical"], "湖北省恩施土家族苗族自治州恩施市舞阳坝街道青滩大道1号9栋");
}

/// Issuers and renames at once on one node: every address a consumer of the feed holds at
/// the end is the text the register gives it.
#[test]
fn issuers_racing_renames_leave_the_feed_agreeing_with_the_register() {
    let (db, app) = setup();
    let hk = street(&app);
    let issuers = 6;
    let per = 12;
    let start = Arc::new(Barrier::new(issuers + 1));
    let mut handles = Vec::new();
    for i in 0..issuers {
        let (app, hk, start) = (app.clone(), hk.clone(), start.clone());
        handles.push(std::thread::spawn(move || {
            start.wait();
            for k in 0..per {
                let x = 109.4715 + 0.0001 * (i * per + k) as f64;
                issue(&app, &hk, x).unwrap();
            }
        }));
    }
    let renamer = {
        let (app, hk, start) = (app.clone(), hk.clone(), start.clone());
        std::thread::spawn(move || {
            start.wait();
            for k in 0..8 {
                rename(&app, &hk, if k % 2 == 0 { "青滩大道" } else { "航空大道" });
            }
        })
    };
    for h in handles {
        h.join().unwrap();
    }
    renamer.join().unwrap();

    let fresh = db.app();
    let texts = feed_texts(&fresh);
    let reg = fresh.register();
    let mut checked = 0;
    for p in reg.plates.values() {
        let Some(held) = texts.get(&p.id) else { continue };
        assert_eq!(held.as_deref(), Some(reg.address(&p.id).unwrap().canonical.as_str()), "plate {}", p.id);
        checked += 1;
    }
    assert_eq!(checked, issuers * per + 1, "every issued plate, and the imported one, is in the feed");
}
