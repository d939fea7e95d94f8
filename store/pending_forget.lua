-- Drops an actor from the pending set unless an update arrived since it was read.
-- KEYS[1] pending zset; ARGV[1] prefix, ARGV[2] actor, ARGV[3] score that was read
local score = redis.call('ZSCORE', KEYS[1], ARGV[2])
if score and tonumber(score) == tonumber(ARGV[3]) then
  return redis.call('ZREM', KEYS[1], ARGV[2])
end
return 0
