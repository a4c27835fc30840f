-- A division's status takes the words every other name's status takes (NameStatus in the
-- domain), as the PostgreSQL migration of the same name says. SQLite cannot add a CHECK to
-- a table, so divisions is rebuilt (https://sqlite.org/lang_altertable.html#otheralter):
-- the same columns in the same order, with the CHECK, the rows copied, the old table
-- dropped and the new one renamed into its place.
--
-- Foreign keys are off for the rebuild, or dropping divisions would delete the rows that
-- thoroughfares, localities, plates, division_changes and divisions itself refer to (they
-- refer by name, so they find the new table once it is renamed; every code is copied, so
-- every reference still resolves). That PRAGMA does nothing inside a transaction, hence
-- metadata.toml: this file opens and commits its own, and nothing is half done if it fails
-- (Store::migrate rolls back and turns foreign keys on again). Run twice — a crash after
-- the commit and before diesel records the version — it rebuilds the same table again.
-- A row with another status makes the copy, and so the migration, fail.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE divisions_rebuild (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('province', 'prefecture', 'county', 'township', 'village')),
    parent_code TEXT REFERENCES divisions (code),
    aliases TEXT NOT NULL DEFAULT '[]',
    geometry TEXT,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('proposed', 'active', 'retired')),
    replaced_by TEXT,
    valid_from TEXT,
    valid_to TEXT
);
INSERT INTO divisions_rebuild (code, name, level, parent_code, aliases, geometry, status, replaced_by, valid_from, valid_to)
    SELECT code, name, level, parent_code, aliases, geometry, status, replaced_by, valid_from, valid_to FROM divisions;
DROP TABLE divisions;
ALTER TABLE divisions_rebuild RENAME TO divisions;
-- The one index on divisions (2026-11-25-000001_register); dropped with the old table.
CREATE INDEX divisions_parent ON divisions (parent_code);
COMMIT;
PRAGMA foreign_keys = ON;
