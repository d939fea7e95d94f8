-- Sets one field of an existing home.
-- KEYS[1] home hash; ARGV[1] prefix, ARGV[2] field, ARGV[3] value, ARGV[4] home id, ARGV[5] who sets it
-- Returns 0 when the home does not exist, -1 when who sets it does not
-- coordinate it (now).
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if not coordinates(ARGV[1], ARGV[5], ARGV[4]) then return -1 end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
return 1
