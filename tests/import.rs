//! Import and export (SPEC §4) against a real store: all-or-nothing, reports, round trips.

mod common;

use common::*;
use menpai::app::{AppError, Role};

fn counts(app: &menpai::app::App) -> (usize, usize, usize) {
    let r = app.register();
    (r.divisions.len(), r.thoroughfares.len(), r.plates.len())
}

#[test]
fn the_bundled_register_loads_into_an_empty_store_once() {
    let db = TestDb::new();
    let app = db.app();
    let first = app.load_bundled_if_empty().unwrap().expect("empty store gets the bundled data");
    assert!(first.ok);
    let reg = app.register();
    assert_eq!(reg.children("422800").len(), 8, "the prefecture has 8 county-level units");
    assert_eq!(reg.divisions.values().filter(|d| d.level == menpai::domain::DivisionLevel::Township).count(), 94);
    assert_eq!(reg.divisions.values().filter(|d| d.level == menpai::domain::DivisionLevel::Village).count(), 1752);
    assert_eq!(reg.divisions["422801"].name, "恩施市");
    assert!(app.load_bundled_if_empty().unwrap().is_none(), "a register with divisions is left alone");
}

#[test]
fn export_import_export_is_stable_and_keeps_ids() {
    let db = TestDb::new();
    let app = db.app();
    app.import(&admin(), bundled(), false).unwrap();
    let first = app.export(&admin(), None).unwrap();

    let other = TestDb::new();
    let app2 = other.app();
    let outcome = app2.import(&admin(), &first, false).unwrap();
    assert!(outcome.ok);
    assert_eq!(outcome.summary.created, first.lines().filter(|l| l.contains(r#""kind":"#)).count());
    let second = app2.export(&admin(), None).unwrap();
    assert_eq!(first, second, "two exports of one register are identical bytes");
    assert_eq!(counts(&app), counts(&app2));
    let (r1, r2) = (app.register(), app2.register());
    assert_eq!(r1.rooms.keys().collect::<Vec<_>>(), r2.rooms.keys().collect::<Vec<_>>(), "room IDs survive the move");
    for id in r1.plates.keys().take(50) {
        assert_eq!(r1.address(id), r2.address(id));
    }

    // Importing the same export again is a no-op.
    let again = app2.import(&admin(), &first, false).unwrap();
    assert_eq!(again.summary.created, 0);
    assert_eq!(again.seq, None);
}

#[test]
fn an_unknown_reference_refuses_the_whole_file_and_changes_nothing() {
    let db = TestDb::new();
    let app = db.app();
    let mut plates = vec![hk_plate(1, None, 109.471, true)];
    plates.push(r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[109.47,30.29]},"properties":{"kind":"plate","thoroughfare_ref":"nowhere","number":3,"township_code":"422801001"}}"#.into());
    let err = app.import(&admin(), &small_file(&plates), false).unwrap_err();
    let AppError::ImportRefused { report, .. } = err else { panic!("expected a refusal, got {err:?}") };
    let problems = report["features"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["problems"].as_array().cloned().unwrap_or_default());
    assert!(problems.clone().any(|p| p["code"] == "unknown_reference" && p["severity"] == "fatal"), "{report}");
    assert_eq!(counts(&app), (0, 0, 0), "nothing was imported");
    assert_eq!(app.events(&admin(), 0, 10).unwrap().last_seq, 0, "no event");
}

#[test]
fn duplicate_plates_bad_json_and_bad_geometry_are_refused() {
    let db = TestDb::new();
    let app = db.app();
    let dup = small_file(&[hk_plate(1, None, 109.471, true), hk_plate(1, None, 109.472, true)]);
    assert!(matches!(app.import(&admin(), &dup, false), Err(AppError::ImportRefused { .. })));
    assert!(matches!(app.import(&admin(), "{not json", false), Err(AppError::ImportRefused { .. })));
    let bad_geometry = small_file(&[]).replace("[[109.47,30.29],[109.48,30.29]]", "[[509.47,30.29],[109.48,30.29]]");
    assert!(matches!(app.import(&admin(), &bad_geometry, false), Err(AppError::ImportRefused { .. })));
    let unknown_county = small_file(&[]).replace(r#""county_code":"422801""#, r#""county_code":"429999""#);
    assert!(matches!(app.import(&admin(), &unknown_county, false), Err(AppError::ImportRefused { .. })));
    assert_eq!(counts(&app), (0, 0, 0));
}

#[test]
fn quality_problems_are_imported_and_reported_and_strict_refuses_them() {
    let plates = [
        hk_plate(1, None, 109.471, true), // odd on the left: fine
        hk_plate(2, None, 109.471, true), // even on the left: parity
        hk_plate(5, None, 109.473, true),
        hk_plate(3, None, 109.475, true), // 3 after 5 along the street: order
        hk_plate(7, None, 109.476, true).replace("30.2901", "30.2950"), // ~540 m off: distance
    ];
    let file = small_file(&plates);

    let db = TestDb::new();
    let app = db.app();
    let err = app.import(&admin(), &file, true).unwrap_err();
    assert!(matches!(err, AppError::ImportRefused { .. }), "strict refuses quality problems");
    assert_eq!(counts(&app), (0, 0, 0));

    let outcome = app.import(&admin(), &file, false).unwrap();
    let codes: Vec<String> = outcome.features.iter().flat_map(|f| f.problems.iter().map(|p| p.code.clone())).collect();
    assert!(codes.contains(&"parity".to_string()), "{codes:?}");
    assert!(codes.contains(&"order".to_string()), "{codes:?}");
    assert!(codes.contains(&"distance".to_string()), "{codes:?}");
    assert_eq!(app.register().plates.len(), 5, "legacy plates are imported, not silently fixed");
}

#[test]
fn legacy_names_that_break_todays_rules_are_reported() {
    let db = TestDb::new();
    let app = db.app();
    let file = small_file(&[]).replace(
        r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[109.5,30.2]}"#,
        r#"{"type":"Feature","geometry":{"type":"LineString","coordinates":[[109.47,30.30],[109.48,30.30]]},"properties":{"kind":"thoroughfare","ref":"hk2","name":"航空大道","county_code":"422801","former_names":[]}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[109.5,30.2]}"#,
    );
    let outcome = app.import(&admin(), &file, false).unwrap();
    let dup = outcome.features.iter().flat_map(|f| f.problems.iter()).find(|p| p.code == "name.duplicate");
    assert!(dup.is_some_and(|p| p.conflict_id.is_some()), "{:?}", outcome.features);
}

#[test]
fn canonical_text_history_and_events_after_an_import() {
    let db = TestDb::new();
    let app = db.app();
    let outcome = app.import(&admin(), &small_file(&[hk_plate(123, Some(1), 109.471, true)]), false).unwrap();
    let reg = app.register();
    let room = reg.rooms.values().find(|r| r.number == "501").unwrap();
    let view = app.address(&room.id, None).unwrap();
    assert_eq!(view.canonical, "湖北省恩施土家族苗族自治州恩施市舞阳坝街道航空大道123号附1号3栋2单元501室");
    assert_eq!(view.pinyin, "Hangkong Dadao 123 Hao Fu 1 Hao 3 Dong 2 Danyuan 501 Shi");
    assert_eq!(view.history.len(), 2);
    assert_eq!(view.history[0].canonical, "湖北省恩施土家族苗族自治州恩施市舞阳坝街道机场路123号附1号3栋2单元501室");
    assert_eq!(view.history[0].valid_to.as_deref(), Some("2015-06-30"));
    assert_eq!(view.history[1].document.as_deref(), Some("恩施市政〔2015〕12号"));

    let page = app.events(&admin(), 0, 10).unwrap();
    assert_eq!(page.last_seq, 1);
    assert_eq!(outcome.seq, Some(1));
    let changes = page.events[0].changes.as_array().unwrap();
    assert_eq!(
        changes.len(),
        outcome.summary.created + outcome.summary.nested_created,
        "one event lists every address created"
    );
    let audit = app.audit(&admin(), 0, 10).unwrap();
    assert_eq!(audit.iter().filter(|a| a.action == "import").count(), 1);
}

#[test]
fn only_the_administrator_imports_and_exports() {
    let db = TestDb::new();
    let app = db.app();
    for role in [Role::CivilAffairs, Role::Police, Role::Housing, Role::Commerce, Role::Reader] {
        assert!(matches!(app.import(&actor(role), &small_file(&[]), false), Err(AppError::Forbidden(_))));
        assert!(matches!(app.export(&actor(role), None), Err(AppError::Forbidden(_))));
    }
}

#[test]
fn dates_successions_and_former_parents_move_between_stores() {
    use menpai::app::naming::DivisionChangeRequest;
    use menpai::app::plates::PlateRequest;
    let db = TestDb::new();
    let app = db.app();
    let second_village = r#"{"type":"Feature","geometry":null,"properties":{"kind":"division","code":"422801001202","name":"小渡船村","level":"village","parent_code":"422801001","aliases":[]}}"#;
    app.import(&admin(), &small_file(&[hk_plate(1, None, 109.471, true), second_village.to_string()]), false).unwrap();
    // A plate issued today (so with a first day), and a village merged into another.
    let hk = app.register().thoroughfares.keys().next().unwrap().clone();
    let req = PlateRequest {
        thoroughfare_id: Some(hk),
        locality_id: None,
        location: Some([109.4712, 30.2901]),
        township_code: Some("422801001".into()),
        number: Some(3),
        sub: None,
    };
    app.issue_plate(&actor(Role::Police), &req, None).unwrap();
    let merge = DivisionChangeRequest {
        code: "422801001201".into(),
        name: None,
        aliases: None,
        merge_into: Some("422801001202".into()),
        parent_code: None,
        new_code: None,
        reason: Some("合村并组".into()),
    };
    let clerk = actor(Role::CivilAffairs);
    let change = app.propose_division_change(&clerk, &merge).unwrap();
    app.approve_division_change(&clerk, &change.id, "恩施市政〔2026〕31号").unwrap();
    let first = app.export(&admin(), None).unwrap();
    assert!(first.contains(r#""status":"retired""#) && first.contains(r#""valid_from":"#), "{first}");

    let other = TestDb::new();
    let app2 = other.app();
    let outcome = app2.import(&admin(), &first, false).unwrap();
    assert!(outcome.ok, "{:?}", outcome.features.iter().flat_map(|f| &f.problems).collect::<Vec<_>>());
    assert_eq!(app2.export(&admin(), None).unwrap(), first, "the moved register exports the same bytes");
    let (r1, r2) = (app.register(), app2.register());
    assert_eq!(r1.lifespans, r2.lifespans);
    assert_eq!(r1.divisions, r2.divisions);
    assert_eq!(r1.localities, r2.localities);
    // So the moved register answers as of a date as the first did.
    let group = r1.localities.keys().next().unwrap().clone();
    let yesterday =
        (chrono::Utc::now() + chrono::Duration::hours(8) - chrono::Duration::days(1)).date_naive().to_string();
    let then = |a: &menpai::app::App| a.address(&group, Some(&yesterday)).unwrap().canonical;
    assert_eq!(then(&app), then(&app2));
    assert!(then(&app2).ends_with("高拱桥村三组"));
}
