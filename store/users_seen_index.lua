-- Upgrade: everyone known before the last-seen index existed counts as
-- seen now, so the stranger expiry starts its clock for them today; done
-- once (marked in upgrades).
-- KEYS[1] known users zset, KEYS[2] last-seen zset, KEYS[3] upgrades set
-- ARGV[1] prefix, ARGV[2] now (unix s)
if redis.call('SISMEMBER', KEYS[3], 'users:seen') == 1 then return 0 end
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  redis.call('ZADD', KEYS[2], 'NX', ARGV[2], id)
end
redis.call('SADD', KEYS[3], 'users:seen')
return 1
