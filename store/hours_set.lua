-- Replaces a home's call hours, for its teachers and coordinators (checked
-- now), and bumps their version so a booking checked against the old
-- ones is refused. A change made against a version that is no longer the
-- stored one (someone changed them meanwhile) is refused.
-- KEYS[1] the home's hours hash, KEYS[2] the home's hash
-- ARGV[1] prefix, ARGV[2] home id, ARGV[3] who sets them, ARGV[4] hours JSON,
-- ARGV[5] the version the change was made against ('0': no check)
-- Returns the new version, 0 when the home is gone, -1 when who sets
-- them is not its staff, -2 when the version changed.
local p, home, by = ARGV[1], ARGV[2], ARGV[3]
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
if not is_staff(p, by, home) then return -1 end
if ARGV[5] ~= '0' and (redis.call('HGET', KEYS[1], 'v') or '0') ~= ARGV[5] then return -2 end
redis.call('HSET', KEYS[1], 'json', ARGV[4])
return redis.call('HINCRBY', KEYS[1], 'v', 1)
