-- Drops an actor from the pending set unless an update arrived since it was read.
-- KEYS[1] pending zset; ARGV[1] actor, ARGV[2] score that was read
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[2]) then
  return redis.call('ZREM', KEYS[1], ARGV[1])
end
return 0
