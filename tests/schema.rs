//! The schema cannot drift unnoticed (issue #16 item 5): the SQLite and PostgreSQL
//! migration trees say the same thing up to a short list of spellings, `src/store/schema.rs`
//! declares exactly the tables and columns the migrations create on the store the run is
//! for, and the rebuild of `divisions` that gave its status a CHECK on SQLite keeps every
//! row, reference and index.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use diesel::prelude::*;
use diesel::sql_types::is_nullable::{IsNullable, NotNull};
use diesel::sql_types::{Integer, Text};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use common::TestDb;
use menpai::store::schema::*;
use menpai::store::{Store, StoreError};

// ---------------------------------------------------------------------------------------
// The two migration trees.

/// Spellings that differ between the backends and mean the same, SQLite's on the left: the
/// SQLite text with these replaced must equal the PostgreSQL text. Matched on whole words.
const SUBSTITUTIONS: &[(&str, &str, &str)] = &[
    (
        "INTEGER PRIMARY KEY AUTOINCREMENT",
        "BIGSERIAL PRIMARY KEY",
        "a 64-bit key the database assigns, never reused: SQLite's rowid alias, PostgreSQL's serial",
    ),
    ("DOUBLE", "DOUBLE PRECISION", "PostgreSQL has no type named DOUBLE; in SQLite both have REAL affinity"),
];

/// Migrations whose SQL differs between the backends by necessity, with why. For these the
/// test only asks that every CHECK of the PostgreSQL text be in the SQLite text (a SQLite
/// rebuild restates the table's other CHECKs too); their columns are compared on the live
/// catalogue of each backend by `schema_rs_matches_the_tables_the_migrations_create`.
const BACKEND_SPECIFIC: &[(&str, &str)] = &[(
    "2026-12-04-000004_division_status",
    "SQLite cannot add a CHECK to a table, so it rebuilds divisions; PostgreSQL adds the constraint",
)];

fn tree(backend: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(backend)
}

fn migration_names(backend: &str) -> BTreeSet<String> {
    fs::read_dir(tree(backend))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

/// The SQL without comments, one space between words and around punctuation, padded with
/// a space at each end so that substitutions match whole words. (No string literal in the
/// migrations holds `--`.)
fn normalise(sql: &str) -> String {
    let mut out = String::from(" ");
    for line in sql.lines() {
        let code = line.split("--").next().unwrap();
        for c in code.chars() {
            if "(),;".contains(c) {
                out.push_str(&format!(" {c} "));
            } else {
                out.push(c);
            }
        }
        out.push(' ');
    }
    format!(" {} ", out.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn read_sql(backend: &str, migration: &str, file: &str) -> String {
    let path = tree(backend).join(migration).join(file);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The CHECK constraints a text adds, normalised.
fn checks(sql: &str) -> BTreeSet<String> {
    let sql = normalise(sql);
    let mut found = BTreeSet::new();
    for (at, _) in sql.match_indices(" CHECK ( ") {
        // Up to the parenthesis that closes the one after CHECK.
        let rest = &sql[at + 1..];
        let mut depth = 0;
        for (i, c) in rest.char_indices() {
            match c {
                '(' => depth += 1,
                ')' if depth == 1 => {
                    found.insert(rest[..=i].to_string());
                    break;
                }
                ')' => depth -= 1,
                _ => {}
            }
        }
    }
    found
}

#[test]
fn every_migration_exists_for_both_backends() {
    let sqlite = migration_names("sqlite");
    let postgres = migration_names("postgres");
    assert_eq!(
        sqlite.symmetric_difference(&postgres).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "a migration directory exists in one tree only"
    );
    for (name, _) in BACKEND_SPECIFIC {
        assert!(sqlite.contains(*name), "BACKEND_SPECIFIC names {name}, which is no migration");
    }
}

#[test]
fn migration_trees_agree_up_to_listed_substitutions() {
    let mut used = BTreeSet::new();
    for name in migration_names("sqlite").intersection(&migration_names("postgres")) {
        for file in ["up.sql", "down.sql"] {
            let (sqlite, postgres) = (read_sql("sqlite", name, file), read_sql("postgres", name, file));
            if BACKEND_SPECIFIC.iter().any(|(n, _)| n == name) {
                let missing: Vec<_> = checks(&postgres).difference(&checks(&sqlite)).cloned().collect();
                assert!(missing.is_empty(), "{name}/{file}: SQLite lacks the CHECKs {missing:?}");
                continue;
            }
            let mut translated = normalise(&sqlite);
            for (from, to, _why) in SUBSTITUTIONS {
                let (from, to) = (format!(" {from} "), format!(" {to} "));
                if translated.contains(&from) {
                    used.insert(from.clone());
                }
                translated = translated.replace(&from, &to);
            }
            let postgres = normalise(&postgres);
            if translated != postgres {
                // The first word where they part, to say where to look.
                let (a, b): (Vec<_>, Vec<_>) = (translated.split(' ').collect(), postgres.split(' ').collect());
                let at = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
                panic!(
                    "{name}/{file} differs between the backends beyond SUBSTITUTIONS, at word {at}:\n\
                     sqlite (translated): …{}…\npostgres:            …{}…",
                    a[at.saturating_sub(8)..(at + 8).min(a.len())].join(" "),
                    b[at.saturating_sub(8)..(at + 8).min(b.len())].join(" "),
                );
            }
        }
    }
    // A substitution nothing needs any more would hide a future difference: drop it.
    assert_eq!(used.len(), SUBSTITUTIONS.len(), "a substitution is never used: {used:?}");
}

// ---------------------------------------------------------------------------------------
// schema.rs against the catalogue.

/// Whether a diesel SQL type admits NULL.
trait Nullness {
    const NULLABLE: bool;
}
impl Nullness for IsNullable {
    const NULLABLE: bool = true;
}
impl Nullness for NotNull {
    const NULLABLE: bool = false;
}

/// The (name, nullable) of each column in a table's `all_columns` tuple, in order.
trait Described {
    fn describe() -> Vec<(&'static str, bool)>;
}

macro_rules! described_tuple {
    ($($c:ident),+) => {
        impl<$($c),+> Described for ($($c,)+)
        where
            $($c: diesel::Column, <$c as Expression>::SqlType: diesel::sql_types::SqlType,
              <<$c as Expression>::SqlType as diesel::sql_types::SqlType>::IsNull: Nullness,)+
        {
            fn describe() -> Vec<(&'static str, bool)> {
                vec![$(($c::NAME, <<<$c as Expression>::SqlType as diesel::sql_types::SqlType>::IsNull as Nullness>::NULLABLE)),+]
            }
        }
    };
}

macro_rules! described_tuples {
    ($c:ident) => { described_tuple!($c); };
    ($c:ident, $($rest:ident),+) => {
        described_tuple!($c, $($rest),+);
        described_tuples!($($rest),+);
    };
}

described_tuples!(
    C1, C2, C3, C4, C5, C6, C7, C8, C9, C10, C11, C12, C13, C14, C15, C16, C17, C18, C19, C20, C21, C22, C23, C24
);

/// Every table of schema.rs with its columns as declared there. A table missing here is
/// caught by `declared_tables` below, against the text of schema.rs.
macro_rules! declared {
    ($($t:ident),+ $(,)?) => {
        vec![$((stringify!($t), <<$t::table as Table>::AllColumns as Described>::describe())),+]
    };
}

fn declared() -> Vec<(&'static str, Vec<(&'static str, bool)>)> {
    declared!(
        divisions,
        thoroughfares,
        localities,
        former_names,
        plates,
        idempotency,
        buildings,
        units,
        rooms,
        feed_head,
        events,
        audit,
        tokens,
        certificates,
        rate_usage,
        name_cases,
        naming_words,
        division_changes,
    )
}

/// The tables schema.rs declares, read from its text: what `declared()` must cover.
fn declared_in_schema_rs() -> BTreeSet<String> {
    let text = include_str!("../src/store/schema.rs");
    let mut tables = BTreeSet::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.trim_start().starts_with("diesel::table!") {
            let header = lines.next().unwrap();
            tables.insert(header.split_whitespace().next().unwrap().to_string());
        }
    }
    tables
}

#[derive(QueryableByName)]
struct TableName {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName, Debug)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Integer)]
    not_null: i32,
}

/// The tables the migrations created, but diesel's own.
fn catalogue_tables(store: &Store, postgres: bool) -> BTreeSet<String> {
    let q = if postgres {
        "SELECT table_name::text AS name FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
    } else {
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    };
    let rows = store.read(|c| -> Result<Vec<TableName>, StoreError> { Ok(diesel::sql_query(q).load(c)?) }).unwrap();
    rows.into_iter().map(|r| r.name).filter(|n| n != "__diesel_schema_migrations").collect()
}

/// A table's columns in the order they were created, and whether each refuses NULL.
fn catalogue_columns(store: &Store, postgres: bool, table: &str) -> Vec<(String, bool)> {
    let q = if postgres {
        format!(
            "SELECT column_name::text AS name, CASE WHEN is_nullable = 'NO' THEN 1 ELSE 0 END AS not_null \
             FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '{table}' \
             ORDER BY ordinal_position"
        )
    } else {
        // A lone INTEGER PRIMARY KEY is the rowid, which is never NULL, though the pragma
        // reports it nullable when its declaration does not say NOT NULL.
        format!(
            "SELECT name, CASE WHEN \"notnull\" = 1 OR (pk > 0 AND upper(type) = 'INTEGER' \
             AND (SELECT count(*) FROM pragma_table_info('{table}') WHERE pk > 0) = 1) THEN 1 ELSE 0 END AS not_null \
             FROM pragma_table_info('{table}') ORDER BY cid"
        )
    };
    let rows =
        store.read(|c| -> Result<Vec<ColumnRow>, StoreError> { Ok(diesel::sql_query(q.as_str()).load(c)?) }).unwrap();
    rows.into_iter().map(|r| (r.name, r.not_null == 1)).collect()
}

#[test]
fn every_table_of_schema_rs_is_checked_against_the_catalogue() {
    let listed: BTreeSet<String> = declared().into_iter().map(|(t, _)| t.to_string()).collect();
    assert_eq!(listed, declared_in_schema_rs(), "declared!() in tests/schema.rs must list every table of schema.rs");
}

#[test]
fn schema_rs_matches_the_tables_the_migrations_create() {
    let db = TestDb::new();
    drop(db.app()); // Opening the register migrates it.
    let store = Store::open(&db.url).unwrap();
    let declared = declared();

    let names: BTreeSet<String> = declared.iter().map(|(t, _)| t.to_string()).collect();
    assert_eq!(catalogue_tables(&store, db.is_postgres()), names, "tables created by the migrations vs schema.rs");

    let mut drift = Vec::new();
    for (table, columns) in declared {
        let declared: Vec<(String, bool)> = columns.iter().map(|(c, nullable)| (c.to_string(), !nullable)).collect();
        let created = catalogue_columns(&store, db.is_postgres(), table);
        if declared != created {
            drift.push(format!(
                "{table}:\n  schema.rs  (column, NOT NULL): {declared:?}\n  migrations (column, NOT NULL): {created:?}"
            ));
        }
    }
    assert!(drift.is_empty(), "schema.rs and the migrations disagree:\n{}", drift.join("\n"));
}

// ---------------------------------------------------------------------------------------
// The CHECK on divisions.status.

#[test]
fn a_division_status_outside_the_names_statuses_is_refused() {
    let db = TestDb::new();
    let app = db.app();
    let insert = |status: &str| {
        let q =
            format!("INSERT INTO divisions (code, name, level, status) VALUES ('429999', '试', 'county', '{status}')");
        app.store().write(|c| -> Result<usize, StoreError> { Ok(diesel::sql_query(q.as_str()).execute(c)?) })
    };
    assert!(insert("abolished").is_err(), "a status no NameStatus has was stored");
    assert_eq!(insert("retired").unwrap(), 1);
}

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

/// A SQLite register migrated up to (not including) the rebuild of divisions, with a
/// division referenced from every table that references divisions.
fn sqlite_before_the_rebuild(path: &str, county_status: &str) {
    let mut c = SqliteConnection::establish(path).unwrap();
    diesel::connection::SimpleConnection::batch_execute(&mut c, "PRAGMA foreign_keys = ON").unwrap();
    while !c.pending_migrations(SQLITE_MIGRATIONS).unwrap()[0].name().to_string().ends_with("_division_status") {
        c.run_next_migration(SQLITE_MIGRATIONS).unwrap();
    }
    diesel::connection::SimpleConnection::batch_execute(
        &mut c,
        &format!(
            "INSERT INTO divisions (code, name, level) VALUES ('422800', '恩施土家族苗族自治州', 'prefecture');
             INSERT INTO divisions (code, name, level, parent_code, status) VALUES ('422801', '恩施市', 'county', '422800', '{county_status}');
             INSERT INTO divisions (code, name, level, parent_code) VALUES ('422801001', '舞阳坝街道', 'township', '422801');
             INSERT INTO thoroughfares (id, county_code, name, geometry, status, created_at, updated_at)
                 VALUES ('t1', '422801', '航空大道', '{{}}', 'active', 'x', 'x');
             INSERT INTO localities (id, village_code, name, geometry, status, created_at, updated_at)
                 VALUES ('l1', '422801001', '三组', '{{}}', 'active', 'x', 'x');
             INSERT INTO plates (id, thoroughfare_id, number, township_code, lon, lat, status, created_at, updated_at)
                 VALUES ('p1', 't1', 1, '422801001', 109.47, 30.29, 'issued', 'x', 'x');
             INSERT INTO division_changes (id, code, status, proposed_at, proposed_by, merge_into, parent_code)
                 VALUES ('c1', '422801001', 'proposed', 'x', 'x', '422801', '422800');"
        ),
    )
    .unwrap();
}

#[test]
fn sqlite_rebuild_of_divisions_keeps_rows_references_and_index() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.db").to_string_lossy().into_owned();
    sqlite_before_the_rebuild(&path, "active");

    let store = Store::open(&path).unwrap();
    store.migrate().unwrap();

    let count = |q: &str| -> i32 {
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = Integer)]
            n: i32,
        }
        store.read(|c| -> Result<N, StoreError> { Ok(diesel::sql_query(q).get_result(c)?) }).unwrap().n
    };
    assert_eq!(count("SELECT count(*) AS n FROM divisions"), 3);
    assert_eq!(count("SELECT count(*) AS n FROM pragma_foreign_key_check"), 0, "a reference no longer resolves");
    assert_eq!(
        count("SELECT count(*) AS n FROM pragma_foreign_keys WHERE foreign_keys = 1"),
        1,
        "foreign keys left off"
    );
    assert_eq!(count("SELECT count(*) AS n FROM pragma_index_list('divisions') WHERE name = 'divisions_parent'"), 1);
    assert_eq!(count("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'divisions_rebuild'"), 0);
    // References to divisions are still enforced, against the new table.
    let write = |q: &str| store.write(|c| -> Result<usize, StoreError> { Ok(diesel::sql_query(q).execute(c)?) });
    assert!(write("DELETE FROM divisions WHERE code = '422801'").is_err(), "a referenced division was deleted");
    assert!(write(
        "INSERT INTO thoroughfares (id, county_code, name, geometry, status, created_at, updated_at) \
         VALUES ('t2', '429999', '无名路', '{}', 'active', 'x', 'x')"
    )
    .is_err());
    assert!(write("UPDATE divisions SET status = 'abolished' WHERE code = '422801'").is_err());
}

#[test]
fn sqlite_rebuild_of_divisions_with_a_bad_status_fails_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.db").to_string_lossy().into_owned();
    sqlite_before_the_rebuild(&path, "abolished");

    let store = Store::open(&path).unwrap();
    assert!(store.migrate().is_err(), "a division with another status was kept under the CHECK");
    drop(store);

    let mut c = SqliteConnection::establish(&path).unwrap();
    assert!(c.pending_migrations(SQLITE_MIGRATIONS).unwrap()[0].name().to_string().ends_with("_division_status"));
    #[derive(QueryableByName)]
    struct Sql {
        #[diesel(sql_type = Text)]
        sql: String,
    }
    let tables: Vec<Sql> =
        diesel::sql_query("SELECT sql FROM sqlite_schema WHERE name IN ('divisions', 'divisions_rebuild')")
            .load(&mut c)
            .unwrap();
    assert_eq!(tables.len(), 1, "the rebuild was left half done");
    assert!(!tables[0].sql.contains("'proposed', 'active', 'retired'"));
}
