-- Unlinks a guardian from a child.
-- KEYS[1] guardians hash, KEYS[2] the guardian's user hash; ARGV[1] prefix, ARGV[2] child id, ARGV[3] user id
-- Returns 1 when they were linked.
if redis.call('HDEL', KEYS[1], ARGV[3]) == 0 then return 0 end
redis.call('HDEL', KEYS[2], 'g:' .. ARGV[2])
return 1
