-- Registers a child at a home.
-- KEYS[1] home hash, KEYS[2] children zset, KEYS[3] child hash
-- ARGV[1] prefix, ARGV[2] child id, ARGV[3] name, ARGV[4] birth year ('' when not given), ARGV[5] now (unix ms),
-- ARGV[6] home id, ARGV[7] who adds it
-- Returns 0 when the home does not exist, -1 when who adds it does not teach there (now).
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if not teaches(ARGV[1], ARGV[7], ARGV[6]) then return -1 end
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[2])
redis.call('HSET', KEYS[3], 'name', ARGV[3])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[3], 'year', ARGV[4]) end
return 1
