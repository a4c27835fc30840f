-- What stands behind a plate, and a plan's plates, found by their parent: a node reads
-- back what a change touched by these (store/delta.rs) instead of reloading the register.
CREATE INDEX buildings_plate ON buildings (plate_id);
CREATE INDEX units_building ON units (building_id);
CREATE INDEX rooms_unit ON rooms (unit_id);
CREATE INDEX plates_plan ON plates (plan_id);
