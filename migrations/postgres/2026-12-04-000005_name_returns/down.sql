ALTER TABLE name_cases DROP COLUMN return_reason;
ALTER TABLE name_cases DROP COLUMN returned_at;
