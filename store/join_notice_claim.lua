-- Claims join notices that are due: each moves from pending to in flight
-- under a lease, so one replica sends it; notices whose lease ran out (a
-- replica died sending them) are due again first.
-- KEYS[1] pending zset, KEYS[2] in-flight zset
-- ARGV[1] prefix, ARGV[2] now (unix ms), ARGV[3] lease (ms), ARGV[4] most to claim
-- Returns the claimed members.
local now = tonumber(ARGV[2])
for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)) do
  redis.call('ZREM', KEYS[2], m)
  redis.call('ZADD', KEYS[1], now, m)
end
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[4]))
for _, m in ipairs(due) do
  redis.call('ZREM', KEYS[1], m)
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), m)
end
return due
