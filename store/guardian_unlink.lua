-- Unlinks a guardian from a child, remembering who did it.
-- KEYS[1] guardians hash, KEYS[2] the guardian's user hash, KEYS[3] the acted record
-- ARGV[1] prefix, ARGV[2] child id, ARGV[3] user id, ARGV[4] who acts,
-- ARGV[5] now (unix ms), ARGV[6] how long to remember who acted (s)
-- Returns 1 when they were linked.
if redis.call('HDEL', KEYS[1], ARGV[3]) == 0 then return 0 end
redis.call('HDEL', KEYS[2], 'g:' .. ARGV[2])
redis.call('SET', KEYS[3], ARGV[4] .. ':' .. ARGV[5], 'EX', ARGV[6])
return 1
