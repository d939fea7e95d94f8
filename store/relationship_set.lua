-- Records how a linked guardian is related to the child.
-- KEYS[1] guardians hash, KEYS[2] the guardian's user hash
-- ARGV[1] prefix, ARGV[2] home id, ARGV[3] child id, ARGV[4] user id, ARGV[5] relationship
-- Returns 0 when the guardian is not linked to the child.
if redis.call('HEXISTS', KEYS[1], ARGV[4]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[4], ARGV[5])
redis.call('HSET', KEYS[2], 'g:' .. ARGV[3], ARGV[2] .. ':' .. ARGV[5])
return 1
