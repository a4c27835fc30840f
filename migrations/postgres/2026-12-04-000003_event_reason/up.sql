-- Why a change was made (注销理由, 更名理由 …), in the feed beside what it changed, so that
-- an address's history shows the reason of its retirement.
ALTER TABLE events ADD COLUMN reason TEXT;
