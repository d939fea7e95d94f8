-- Puts a claimed item back to wait until due, with payload, only while
-- the claim that handed it out still holds it (same token): an item put,
-- moved or withdrawn during the run (its call moved or cancelled) is left
-- as it is now. The run's own record then finds another token and leaves
-- the item alone. Its attempts are kept: waiting is no failure.
-- ARGV[1] prefix, ARGV[2] kind, ARGV[3] key, ARGV[4] token, ARGV[5] due ms
-- (app clock), ARGV[6] payload
-- Returns 1, or 0 when the item is no longer this claim's.
local p, kind, key = ARGV[1], ARGV[2], ARGV[3]
local attempts, held = agenda_read(p, kind, key)
if held ~= ARGV[4] or ARGV[4] == '' then return 0 end
agenda_schedule(p, kind, key, ARGV[5], attempts, ARGV[6])
return 1
