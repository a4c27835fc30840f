-- Naming (issue 3): the case file of every name proposed through civil affairs, and the
-- words an administrator adds to the naming rules' lists. Dates are `YYYY-MM-DD`, times
-- RFC 3339 text, as in the register's tables.
CREATE TABLE name_cases (
    subject_id TEXT PRIMARY KEY NOT NULL,
    reason TEXT,
    applicant TEXT,
    -- JSON array of {"kind","reference"}: evaluation, expert review, public consultation.
    documents TEXT NOT NULL DEFAULT '[]',
    proposed_at TEXT,
    proposed_by TEXT,
    approved_at TEXT,
    approval_document TEXT,
    announced_on TEXT,
    announcement_document TEXT,
    retired_at TEXT,
    retire_document TEXT,
    retire_reason TEXT
);

CREATE TABLE naming_words (
    rule TEXT NOT NULL CHECK (rule IN ('reserved_word', 'personal_name', 'foreign_name')),
    word TEXT NOT NULL,
    note TEXT,
    added_at TEXT NOT NULL,
    added_by TEXT NOT NULL,
    PRIMARY KEY (rule, word)
);

-- A change of a division's name or short forms (乡改镇, a village renamed) proposed by
-- civil affairs and applied on approval; the division keeps its code, so every ID survives.
CREATE TABLE division_changes (
    id TEXT PRIMARY KEY NOT NULL,
    code TEXT NOT NULL REFERENCES divisions (code),
    -- The new official name, or NULL when the name stays.
    name TEXT,
    -- JSON array replacing the short forms, or NULL (a renamed division then keeps its
    -- old name among them, so old addresses still resolve).
    aliases TEXT,
    reason TEXT,
    status TEXT NOT NULL CHECK (status IN ('proposed', 'approved')),
    proposed_at TEXT NOT NULL,
    proposed_by TEXT NOT NULL,
    approved_at TEXT,
    approval_document TEXT
);
CREATE INDEX division_changes_code ON division_changes (code);
