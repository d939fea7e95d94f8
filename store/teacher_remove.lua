-- Removes a teacher from a home.
-- KEYS[1] teachers set, KEYS[2] the teacher's user hash; ARGV[1] prefix, ARGV[2] home id, ARGV[3] user id
-- Returns 1 when they taught there.
if redis.call('SREM', KEYS[1], ARGV[3]) == 0 then return 0 end
redis.call('HDEL', KEYS[2], 't:' .. ARGV[2], 'consent:t:' .. ARGV[2])
return 1
