-- Division changes beyond names (issue 3): a merger into another division, a move to
-- another parent, a new code. Each is NULL when the change does not ask for it.
ALTER TABLE division_changes ADD COLUMN merge_into TEXT REFERENCES divisions (code);
ALTER TABLE division_changes ADD COLUMN parent_code TEXT REFERENCES divisions (code);
ALTER TABLE division_changes ADD COLUMN new_code TEXT;
