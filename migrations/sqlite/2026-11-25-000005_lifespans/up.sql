-- As of a date (issue 6): when each record was in effect, as local dates `YYYY-MM-DD`,
-- from approval or issue (inclusive) to retirement (exclusive). NULL where the register
-- does not know: records that stood before it began and were imported.
ALTER TABLE divisions ADD COLUMN valid_from TEXT;
ALTER TABLE divisions ADD COLUMN valid_to TEXT;
ALTER TABLE thoroughfares ADD COLUMN valid_from TEXT;
ALTER TABLE thoroughfares ADD COLUMN valid_to TEXT;
ALTER TABLE localities ADD COLUMN valid_from TEXT;
ALTER TABLE localities ADD COLUMN valid_to TEXT;
ALTER TABLE plates ADD COLUMN valid_from TEXT;
ALTER TABLE plates ADD COLUMN valid_to TEXT;
ALTER TABLE buildings ADD COLUMN valid_from TEXT;
ALTER TABLE buildings ADD COLUMN valid_to TEXT;
ALTER TABLE units ADD COLUMN valid_from TEXT;
ALTER TABLE units ADD COLUMN valid_to TEXT;
ALTER TABLE rooms ADD COLUMN valid_from TEXT;
ALTER TABLE rooms ADD COLUMN valid_to TEXT;
-- The parent a record stood under until a merge or a new code moved it.
ALTER TABLE former_names ADD COLUMN parent_code TEXT;

-- What the case files and plates already say (UTC days: close enough for records made
-- before this column existed).
UPDATE thoroughfares SET
    valid_from = (SELECT substr(approved_at, 1, 10) FROM name_cases WHERE subject_id = thoroughfares.id),
    valid_to = (SELECT substr(retired_at, 1, 10) FROM name_cases WHERE subject_id = thoroughfares.id);
UPDATE localities SET
    valid_from = (SELECT substr(approved_at, 1, 10) FROM name_cases WHERE subject_id = localities.id),
    valid_to = (SELECT substr(retired_at, 1, 10) FROM name_cases WHERE subject_id = localities.id);
UPDATE plates SET valid_to = substr(updated_at, 1, 10) WHERE status = 'retired';
