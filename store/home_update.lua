-- Sets one field of an existing home.
-- KEYS[1] home hash; ARGV[1] prefix, ARGV[2] field, ARGV[3] value
-- Returns 0 when the home does not exist.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
return 1
