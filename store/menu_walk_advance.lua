-- Records the walk's progress and extends its lease, if the caller still
-- holds it.
-- KEYS[1] menus:walk, KEYS[2] menus:lease
-- ARGV[1] prefix, ARGV[2] version, ARGV[3] token, ARGV[4] last user id done, ARGV[5] lease (ms)
-- Returns 1, or 0 when the lease was lost.
if redis.call('GET', KEYS[2]) ~= ARGV[3] then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'after', ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return 1
