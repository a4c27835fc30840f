-- A division's status takes the words every other name's status takes (NameStatus in the
-- domain), as thoroughfares' and localities' CHECKs already say. Existing rows are
-- checked as the constraint is added: the migration fails rather than keep a bad one.
ALTER TABLE divisions ADD CONSTRAINT divisions_status_check CHECK (status IN ('proposed', 'active', 'retired'));
