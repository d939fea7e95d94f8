-- Takes the lease on a user's inbox and returns its oldest update.
-- KEYS[1] lock, KEYS[2] inbox, KEYS[3] user hash, KEYS[4] session hash, KEYS[5] pending index
-- ARGV[1] prefix, ARGV[2] token, ARGV[3] lease (ms), ARGV[4] actor id
-- Returns false when another holder has the lease, an empty array when the
-- inbox is empty (no lease is kept, and the inbox leaves the pending
-- index), else {raw update, update id, user hash, session hash}.
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[2] then
  return false
end
local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if #first == 0 then
  if holder then redis.call('DEL', KEYS[1]) end
  redis.call('ZREM', KEYS[5], ARGV[4])
  return {}
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
redis.call('ZADD', KEYS[5], redis_ms() + tonumber(ARGV[3]), ARGV[4])
return {first[1], first[2], redis.call('HGETALL', KEYS[3]), redis.call('HGETALL', KEYS[4])}
