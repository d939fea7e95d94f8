-- The first person a broadcast would reach now (for its preview), for a
-- sender who may send to every home (bc_may).
-- ARGV[1] prefix, ARGV[2] sender, ARGV[3] homes (comma list), ARGV[4] audience, ARGV[5] urgent ('1')
-- Returns {home, user, role}, {} when it reaches nobody, or {'denied'}.
local p, by = ARGV[1], ARGV[2]
local homes = bc_split(ARGV[3])
if not bc_may(p, by, homes, ARGV[5] == '1', ARGV[4]) then return {'denied'} end
local seen, out = {}, {}
for _, h in ipairs(homes) do
  bc_people(p, h, ARGV[4], by, seen, out)
  if #out > 0 then return out[1] end
end
return {}
