-- Removes a handled update and returns the next one, renewing the lease;
-- releases the lease when the inbox is empty. The empty check and the
-- release are one step, so an update arriving meanwhile is never stranded.
-- KEYS[1] lock, KEYS[2] inbox, KEYS[3] user hash, KEYS[4] session hash; ARGV[1] token, ARGV[2] update id, ARGV[3] lease (ms)
-- Returns false when the lease was lost, an empty array when the inbox is
-- empty, else {raw update, update id, user hash, session hash}.
redis.call('ZREMRANGEBYSCORE', KEYS[2], ARGV[2], ARGV[2])
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return false
end
local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if #first == 0 then
  redis.call('DEL', KEYS[1])
  return {}
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {first[1], first[2], redis.call('HGETALL', KEYS[3]), redis.call('HGETALL', KEYS[4])}
