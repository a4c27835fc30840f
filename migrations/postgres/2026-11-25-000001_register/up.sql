-- The register (SPEC §2). IDs are text; geometry is GeoJSON text or lon/lat doubles;
-- times are RFC 3339 text, so one diesel code path serves SQLite and PostgreSQL.
CREATE TABLE divisions (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('province', 'prefecture', 'county', 'township', 'village')),
    parent_code TEXT REFERENCES divisions (code),
    aliases TEXT NOT NULL DEFAULT '[]',
    geometry TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    replaced_by TEXT
);
CREATE INDEX divisions_parent ON divisions (parent_code);

CREATE TABLE thoroughfares (
    id TEXT PRIMARY KEY NOT NULL,
    county_code TEXT NOT NULL REFERENCES divisions (code),
    name TEXT NOT NULL,
    pinyin_override TEXT,
    geometry TEXT NOT NULL,
    numbering TEXT NOT NULL DEFAULT '{"scheme":"sequential"}',
    status TEXT NOT NULL CHECK (status IN ('proposed', 'active', 'retired')),
    replaced_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX thoroughfares_county ON thoroughfares (county_code);

CREATE TABLE localities (
    id TEXT PRIMARY KEY NOT NULL,
    village_code TEXT NOT NULL REFERENCES divisions (code),
    name TEXT NOT NULL,
    pinyin_override TEXT,
    geometry TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('proposed', 'active', 'retired')),
    replaced_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX localities_village ON localities (village_code);

-- Every name a thoroughfare or locality has had but its current one.
CREATE TABLE former_names (
    id BIGSERIAL PRIMARY KEY,
    subject_id TEXT NOT NULL,
    name TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    document TEXT
);
CREATE INDEX former_names_subject ON former_names (subject_id);

CREATE TABLE plates (
    id TEXT PRIMARY KEY NOT NULL,
    thoroughfare_id TEXT REFERENCES thoroughfares (id),
    locality_id TEXT REFERENCES localities (id),
    number INTEGER NOT NULL CHECK (number > 0),
    -- 0: no sub-number (附号); a real column so the uniqueness below holds.
    sub INTEGER NOT NULL DEFAULT 0 CHECK (sub >= 0),
    township_code TEXT REFERENCES divisions (code),
    lon DOUBLE PRECISION NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    side TEXT CHECK (side IN ('left', 'right')),
    measure_m DOUBLE PRECISION,
    status TEXT NOT NULL CHECK (status IN ('reserved', 'issued', 'retired')),
    replaced_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((thoroughfare_id IS NULL) <> (locality_id IS NULL))
);
-- A number once issued on a street is never issued again, retired or not.
CREATE UNIQUE INDEX plates_number ON plates (COALESCE(thoroughfare_id, locality_id), number, sub);
CREATE INDEX plates_thoroughfare ON plates (thoroughfare_id);
CREATE INDEX plates_locality ON plates (locality_id);

CREATE TABLE buildings (
    id TEXT PRIMARY KEY NOT NULL,
    plate_id TEXT NOT NULL REFERENCES plates (id),
    number TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active',
    UNIQUE (plate_id, number)
);
CREATE TABLE units (
    id TEXT PRIMARY KEY NOT NULL,
    building_id TEXT NOT NULL REFERENCES buildings (id),
    number TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active',
    UNIQUE (building_id, number)
);
CREATE TABLE rooms (
    id TEXT PRIMARY KEY NOT NULL,
    unit_id TEXT NOT NULL REFERENCES units (id),
    number TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active',
    UNIQUE (unit_id, number)
);

-- The change feed: seq is taken from feed_head inside the writing transaction, so it is
-- gap-free (a rolled-back change rolls back its seq) and unique (the primary key).
CREATE TABLE feed_head (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    seq BIGINT NOT NULL
);
INSERT INTO feed_head (id, seq) VALUES (1, 0);
CREATE TABLE events (
    seq BIGINT PRIMARY KEY NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject_id TEXT,
    county_code TEXT,
    changes TEXT NOT NULL
);

CREATE TABLE audit (
    id BIGSERIAL PRIMARY KEY,
    at TEXT NOT NULL,
    token_id TEXT,
    role TEXT,
    action TEXT NOT NULL,
    subject_id TEXT,
    reason TEXT,
    document TEXT,
    request_id TEXT,
    detail TEXT
);

CREATE TABLE tokens (
    id TEXT PRIMARY KEY NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'civil_affairs', 'police', 'housing', 'commerce', 'reader')),
    scope TEXT,
    label TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT,
    last_used_at TEXT
);
