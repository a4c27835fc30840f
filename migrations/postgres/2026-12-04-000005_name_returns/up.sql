-- A proposal returned (退回, 不予批准) by the clerk who decides on it, with the reason.
ALTER TABLE name_cases ADD COLUMN returned_at TEXT;
ALTER TABLE name_cases ADD COLUMN return_reason TEXT;
