-- Removes a handled update and returns the next one, renewing the lease;
-- releases the lease when the inbox is empty. The empty check and the
-- release are one step, so an update arriving meanwhile is never stranded.
-- Run twice (a retry after a timeout that ran after all), it does the same.
-- KEYS[1] lock, KEYS[2] inbox, KEYS[3] user hash, KEYS[4] session hash, KEYS[5] pending index
-- ARGV[1] prefix, ARGV[2] token, ARGV[3] update id, ARGV[4] lease (ms), ARGV[5] actor id
-- Returns false when the lease was lost, an empty array when the inbox is
-- empty (it leaves the pending index), else {raw update, update id, user
-- hash, session hash}.
redis.call('ZREMRANGEBYSCORE', KEYS[2], ARGV[3], ARGV[3])
if redis.call('GET', KEYS[1]) ~= ARGV[2] then
  return false
end
local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if #first == 0 then
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[5], ARGV[5])
  return {}
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('ZADD', KEYS[5], redis_ms() + tonumber(ARGV[4]), ARGV[5])
return {first[1], first[2], redis.call('HGETALL', KEYS[3]), redis.call('HGETALL', KEYS[4])}
