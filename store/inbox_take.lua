-- Takes an update into a user's inbox unless it was taken before and, when
-- no worker holds the inbox, gives the caller its lease and oldest update,
-- so the replica that took an update can start on it without another trip.
-- A person (a positive actor id) becomes a known user with their first update.
-- The inbox enters the pending index, scored by when it needs rescue: its
-- lease's end, on Redis's clock. A worker holding it moves that score on as it goes.
-- KEYS[1] seen zset, KEYS[2] inbox zset, KEYS[3] lock, KEYS[4] user hash, KEYS[5] session hash,
-- KEYS[6] known users zset, KEYS[7] pending index, KEYS[8] last-seen zset
-- ARGV[1] prefix, ARGV[2] update id, ARGV[3] now (unix seconds), ARGV[4] raw update,
-- ARGV[5] dedupe window (seconds), ARGV[6] token, ARGV[7] lease (ms), ARGV[8] actor id
-- Returns {fresh (1 or 0)} when another worker holds the inbox, else
-- {fresh, raw update, update id, user hash, session hash} with the lease
-- held under the token: the handler starts with what it must read first.
local fresh = redis.call('ZADD', KEYS[1], 'NX', ARGV[3], ARGV[2])
if fresh == 1 then
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[4])
  if tonumber(ARGV[8]) > 0 then
    redis.call('ZADD', KEYS[6], ARGV[8], ARGV[8])
    redis.call('ZADD', KEYS[8], ARGV[3], ARGV[8])
  end
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[3]) - tonumber(ARGV[5]))
redis.call('EXPIRE', KEYS[1], ARGV[5])
local due = redis_ms() + tonumber(ARGV[7])
if not redis.call('SET', KEYS[3], ARGV[6], 'NX', 'PX', ARGV[7]) then
  -- The holder moves the score on; it is only missing if the index was lost.
  if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('ZADD', KEYS[7], 'NX', due, ARGV[8]) end
  return {fresh}
end
local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if #first == 0 then
  redis.call('DEL', KEYS[3])
  redis.call('ZREM', KEYS[7], ARGV[8])
  return {fresh}
end
redis.call('ZADD', KEYS[7], due, ARGV[8])
return {fresh, first[1], first[2], redis.call('HGETALL', KEYS[4]), redis.call('HGETALL', KEYS[5])}
