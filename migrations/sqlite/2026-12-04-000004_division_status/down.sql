-- The rebuild of up.sql, without the CHECK on status (see there for why it runs this way).
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE divisions_rebuild (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('province', 'prefecture', 'county', 'township', 'village')),
    parent_code TEXT REFERENCES divisions (code),
    aliases TEXT NOT NULL DEFAULT '[]',
    geometry TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    replaced_by TEXT,
    valid_from TEXT,
    valid_to TEXT
);
INSERT INTO divisions_rebuild (code, name, level, parent_code, aliases, geometry, status, replaced_by, valid_from, valid_to)
    SELECT code, name, level, parent_code, aliases, geometry, status, replaced_by, valid_from, valid_to FROM divisions;
DROP TABLE divisions;
ALTER TABLE divisions_rebuild RENAME TO divisions;
CREATE INDEX divisions_parent ON divisions (parent_code);
COMMIT;
PRAGMA foreign_keys = ON;
