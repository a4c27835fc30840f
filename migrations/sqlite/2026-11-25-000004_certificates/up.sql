-- Address-change certificates (地址变更证明) as issued, so a verification code confirms
-- exactly what was printed.
CREATE TABLE certificates (
    code TEXT PRIMARY KEY NOT NULL,
    address_id TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    token_id TEXT,
    content TEXT NOT NULL
);
CREATE INDEX certificates_address ON certificates (address_id);
