ALTER TABLE division_changes DROP COLUMN new_code;
ALTER TABLE division_changes DROP COLUMN parent_code;
ALTER TABLE division_changes DROP COLUMN merge_into;
