DROP INDEX buildings_plate;
DROP INDEX units_building;
DROP INDEX rooms_unit;
DROP INDEX plates_plan;
