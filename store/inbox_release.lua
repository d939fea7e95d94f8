-- Gives up a user's inbox without handling more (a replica stopping): what
-- is left in it is due for rescue at once, not after the lease.
-- KEYS[1] lock, KEYS[2] inbox, KEYS[3] pending index
-- ARGV[1] prefix, ARGV[2] token, ARGV[3] actor id
if redis.call('GET', KEYS[1]) ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[1])
if redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('ZADD', KEYS[3], redis_ms(), ARGV[3])
else
  redis.call('ZREM', KEYS[3], ARGV[3])
end
return 1
