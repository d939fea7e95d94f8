-- Counts who a broadcast would reach now, for a sender who may send to
-- every home (bc_may).
-- ARGV[1] prefix, ARGV[2] sender, ARGV[3] homes (comma list), ARGV[4] audience, ARGV[5] urgent ('1')
-- Returns the count, or -1 when the sender may not.
local p, by = ARGV[1], ARGV[2]
local homes = bc_split(ARGV[3])
if not bc_may(p, by, homes, ARGV[5] == '1', ARGV[4]) then return -1 end
local seen, out = {}, {}
for _, h in ipairs(homes) do bc_people(p, h, ARGV[4], by, seen, out) end
return #out
