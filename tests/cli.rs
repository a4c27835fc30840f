//! The command line as an operator uses it: exit codes, standard output, clear errors.

mod common;

use std::process::{Command, Output};

use common::*;

fn menpai(db: &TestDb, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_menpai"))
        .args(args)
        .env("DATABASE_URL", &db.url)
        .env_remove("RUST_LOG")
        .output()
        .expect("run menpai")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn token_create_prints_the_token_alone() {
    let db = TestDb::new();
    let out = menpai(&db, &["token", "create", "--role", "admin"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1);
    assert!(text.starts_with("mp_") && text.trim().len() > 30, "{text:?}");
    let app = db.app();
    assert!(app.authenticate(text.trim(), None).is_ok(), "the printed token works");

    let bad = menpai(&db, &["token", "create", "--role", "mayor"]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("未知的角色"));
    assert!(stdout(&bad).is_empty());
}

#[test]
fn import_and_export_through_the_command_line() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("small.geojson");
    std::fs::write(&file, small_file(&[hk_plate(1, None, 109.471, true)])).unwrap();
    let out = menpai(&db, &["import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("the report is JSON on stdout");
    assert_eq!(report["ok"], true);

    let exported = dir.path().join("out.geojson");
    let out = menpai(&db, &["export", "--out", exported.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&exported).unwrap();
    let to_stdout = menpai(&db, &["export"]);
    assert_eq!(stdout(&to_stdout), text, "export is deterministic, to a file or to stdout");
}

#[test]
fn a_missing_file_or_a_bad_reference_fails_clearly_and_changes_nothing() {
    let db = TestDb::new();
    let out = menpai(&db, &["import", "/nonexistent/register.geojson"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("无法读取文件"), "{}", stderr(&out));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.geojson");
    let bad = r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[109.47,30.29]},"properties":{"kind":"plate","thoroughfare_ref":"nowhere","number":3,"township_code":"422801001"}}"#;
    std::fs::write(&file, small_file(&[bad.to_string()])).unwrap();
    let out = menpai(&db, &["import", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("导入被拒绝"), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("the refusal report is JSON");
    assert_eq!(report["ok"], false);
    assert!(db.app().register().divisions.is_empty(), "nothing changed");
}

#[test]
fn migrate_only_migrates() {
    let db = TestDb::new();
    let out = menpai(&db, &["migrate"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    assert!(db.app().register().divisions.is_empty(), "migrate loads nothing");
}

#[test]
fn a_mistyped_database_url_is_an_error_not_a_new_file() {
    let out = Command::new(env!("CARGO_BIN_EXE_menpai"))
        .args(["migrate"])
        .env("DATABASE_URL", "postgress://nowhere/db")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("不支持的数据库地址"), "{}", stderr(&out));
}

#[test]
fn a_backup_taken_while_serving_restores_every_address_event_and_audit_row() {
    let db = TestDb::new();
    if db.is_postgres() {
        // PostgreSQL is backed up with pg_dump (README); the command says so.
        let out = menpai(&db, &["backup", "--out", "/tmp/never-written.db"]);
        assert!(!out.status.success());
        assert!(stderr(&out).contains("pg_dump"));
        return;
    }
    let app = db.app();
    app.load_bundled_if_empty().unwrap();
    app.create_token(&admin(), menpai::app::Role::Reader, None, None).unwrap();
    // Writers keep going while the backup runs.
    let writer = {
        let app = app.clone();
        std::thread::spawn(move || {
            for i in 0..20 {
                let _ =
                    app.create_token(&admin(), menpai::app::Role::Reader, Some("422801".into()), Some(format!("w{i}")));
            }
        })
    };
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.db");
    let out = menpai(&db, &["backup", "--out", copy.to_str().unwrap()]);
    writer.join().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let restored = menpai::app::App::open(copy.to_str().unwrap()).unwrap();
    let (a, b) = (app.register(), restored.register());
    assert_eq!(a.divisions.len(), b.divisions.len());
    assert_eq!(a.plates.keys().collect::<Vec<_>>(), b.plates.keys().collect::<Vec<_>>());
    assert_eq!(a.rooms.len(), b.rooms.len());
    assert_eq!(restored.events(&admin(), 0, 10).unwrap().last_seq, 1);
    let audit = restored.audit(&admin(), 0, 1000).unwrap();
    assert!(audit.iter().any(|r| r.action == "import") && audit.iter().any(|r| r.action == "token.create"));
    let again = menpai(&db, &["backup", "--out", copy.to_str().unwrap()]);
    assert!(!again.status.success(), "an existing file is never overwritten");
}

#[test]
fn an_expired_token_is_refused_and_use_is_recorded() {
    let db = TestDb::new();
    let past = menpai(&db, &["token", "create", "--role", "reader", "--expires", "2020-01-01"]);
    assert!(!past.status.success(), "a token that has already expired is not made");
    assert!(stderr(&past).contains("已经过去"), "{}", stderr(&past));
    let soon = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
    let brief = menpai(&db, &["token", "create", "--role", "reader", "--expires", &soon]);
    assert!(brief.status.success(), "{}", stderr(&brief));
    let app = db.app();
    assert!(app.authenticate(stdout(&brief).trim(), None).is_ok(), "valid until it expires");
    std::thread::sleep(std::time::Duration::from_millis(2500));
    assert!(app.authenticate(stdout(&brief).trim(), None).is_err(), "refused once expired");
    let future = menpai(&db, &["token", "create", "--role", "reader", "--expires", "2999-12-31"]);
    let secret = stdout(&future);
    assert!(app.authenticate(secret.trim(), None).is_ok());
    let listed = app.list_tokens(&admin()).unwrap();
    assert!(listed.iter().any(|t| t.last_used_at.is_some()), "last use is recorded");
    assert!(listed.iter().all(|t| t.expires_at.is_some()));
    let bad = menpai(&db, &["token", "create", "--role", "reader", "--expires", "tomorrow"]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("有效期"));
}

#[test]
fn resolve_answers_as_of_a_date_and_refuses_a_bad_one() {
    let db = TestDb::new();
    db.app().import(&admin(), &small_file(&[hk_plate(123, None, 109.471, true)]), false).unwrap();
    // 航空大道 was 机场路 until 2015-06-30.
    let deed = "恩施市舞阳坝街道机场路123号";
    let then = menpai(&db, &["resolve", "--at", "2015-06-01", deed]);
    assert!(then.status.success(), "{}", stderr(&then));
    let v: serde_json::Value = serde_json::from_str(stdout(&then).trim()).unwrap();
    assert_eq!(v["status"], "matched");
    assert!(v["address"]["canonical"].as_str().unwrap().ends_with("机场路123号"), "{v}");
    let now: serde_json::Value = serde_json::from_str(stdout(&menpai(&db, &["resolve", deed])).trim()).unwrap();
    assert!(now["address"]["canonical"].as_str().unwrap().ends_with("航空大道123号"), "{now}");
    let bad = menpai(&db, &["resolve", "--at", "2015-13-01", deed]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("YYYY-MM-DD"), "{}", stderr(&bad));
    assert!(stdout(&bad).is_empty());
}

#[test]
fn every_command_s_help_is_in_chinese() {
    let db = TestDb::new();
    let commands: &[&[&str]] = &[
        &[],
        &["serve"],
        &["migrate"],
        &["import"],
        &["export"],
        &["resolve"],
        &["wash"],
        &["backup"],
        &["follow"],
        &["token"],
        &["token", "create"],
        &["token", "list"],
        &["token", "revoke"],
    ];
    for args in commands {
        let mut with_help = args.to_vec();
        with_help.push("--help");
        let o = menpai(&db, &with_help);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        let help = stdout(&o);
        assert!(help.contains("用法："), "{args:?}: {help}");
        for english in ["Usage", "Options", "Arguments", "Commands", "Print help", "[OPTIONS]", "[default", "[env"] {
            assert!(!help.contains(english), "{args:?} says “{english}”: {help}");
        }
    }
    // The roles a token may have, with what each is.
    let help = stdout(&menpai(&db, &["token", "create", "--help"]));
    for role in ["civil_affairs（民政）", "police（公安）", "commerce（工商）", "housing（住建）", "reader（查询）", "admin（管理员）"] {
        assert!(help.contains(role), "{role}: {help}");
    }
}
