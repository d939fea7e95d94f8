-- Lists up to a batch of people who hold no role and have not written
-- since a cutoff: the stranger expiry's candidates, to be forgotten by
-- strangers_forget once the outbox let go of their chats. Anyone silent
-- who holds a role is looked at again a period later.
-- KEYS[1] last-seen zset
-- ARGV[1] prefix, ARGV[2] cutoff (unix s), ARGV[3] now (unix s), ARGV[4] most to look at
-- Returns the candidates' ids.
local p = ARGV[1]
local due = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[4]))) do
  if holdsrole(p, id) then
    redis.call('ZADD', KEYS[1], ARGV[3], id)
  else
    due[#due + 1] = id
  end
end
return due
