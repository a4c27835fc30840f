DROP TABLE idempotency;
ALTER TABLE plates DROP COLUMN plan_id;
ALTER TABLE plates DROP COLUMN reserved_until;
