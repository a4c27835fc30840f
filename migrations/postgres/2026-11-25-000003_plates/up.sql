-- Door-plate issuance: reservations of a numbering plan, and idempotent retries.
ALTER TABLE plates ADD COLUMN reserved_until TEXT;
ALTER TABLE plates ADD COLUMN plan_id TEXT;

-- The first answer to a request with an Idempotency-Key, per token, kept at least 24 h.
CREATE TABLE idempotency (
    token_id TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (token_id, key)
);
