-- Takes an update into a user's inbox unless it was taken before.
-- KEYS[1] seen zset, KEYS[2] inbox zset
-- ARGV[1] update id, ARGV[2] now (unix seconds), ARGV[3] raw update, ARGV[4] dedupe window (seconds)
-- Returns 1 when the update is new, 0 when it is a repeat.
local added = redis.call('ZADD', KEYS[1], 'NX', ARGV[2], ARGV[1])
if added == 1 then
  redis.call('ZADD', KEYS[2], ARGV[1], ARGV[3])
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[2]) - tonumber(ARGV[4]))
redis.call('EXPIRE', KEYS[1], ARGV[4])
return added
