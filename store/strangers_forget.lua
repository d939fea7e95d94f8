-- Forgets people who hold no role and have not written since a cutoff:
-- their profile (language, name), session and place among the known
-- users. Anyone silent who holds a role is looked at again a period later.
-- KEYS[1] last-seen zset, KEYS[2] known users zset
-- ARGV[1] prefix, ARGV[2] cutoff (unix s), ARGV[3] now (unix s), ARGV[4] most to look at
-- Returns the ids forgotten.
local p = ARGV[1]
local gone = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[4]))) do
  local role = false
  for _, f in ipairs(redis.call('HKEYS', ukey(p, id, 'user'))) do
    if f == 'coord' or string.match(f, '^[ctg]:') then role = true; break end
  end
  if role then
    redis.call('ZADD', KEYS[1], ARGV[3], id)
  else
    redis.call('DEL', ukey(p, id, 'user'), ukey(p, id, 'session'), ukey(p, id, 'seen'), ukey(p, id, 'made'))
    redis.call('ZREM', KEYS[1], id)
    redis.call('ZREM', KEYS[2], id)
    gone[#gone + 1] = id
  end
end
return gone
