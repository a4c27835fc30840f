ALTER TABLE divisions DROP CONSTRAINT divisions_status_check;
