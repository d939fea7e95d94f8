-- Adds people an older release knew to the known users, skipping anyone
-- forgotten since their user hash was found, and marks the upgrade done
-- with the last batch.
-- KEYS[1] known users zset, KEYS[2] upgrades set
-- ARGV[1] prefix, ARGV[2] '1' on the last batch, ARGV[3..] user ids
-- Returns how many it added.
local added = 0
for i = 3, #ARGV do
  if redis.call('EXISTS', ukey(ARGV[1], ARGV[i], 'user')) == 1 then
    added = added + redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i])
  end
end
if ARGV[2] == '1' then redis.call('SADD', KEYS[2], 'users') end
return added
