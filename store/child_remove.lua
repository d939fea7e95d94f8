-- Removes a child and everything stored about it: its record, its
-- guardians' links and its open invitations.
-- KEYS[1] children zset, KEYS[2] child hash, KEYS[3] guardians hash, KEYS[4] home invites zset
-- ARGV[1] prefix, ARGV[2] home id, ARGV[3] child id
-- Returns false when the child is not at the home, else the guardians' ids.
local p, home, child = ARGV[1], ARGV[2], ARGV[3]
if redis.call('ZREM', KEYS[1], child) == 0 then return false end
local guardians = redis.call('HKEYS', KEYS[3])
for _, uid in ipairs(guardians) do
  redis.call('HDEL', ukey(p, uid, 'user'), 'g:' .. child, 'consent:g:' .. child)
end
redis.call('DEL', KEYS[2], KEYS[3], hkey(p, home, 'links:' .. child))
for _, id in ipairs(redis.call('ZRANGE', KEYS[4], 0, -1)) do
  local ikey = invitekey(p, id)
  if redis.call('HGET', ikey, 'child') == child then
    local codes = redis.call('HMGET', ikey, 'link', 'typed')
    for _, d in ipairs(codes) do
      if d then redis.call('DEL', codekey(p, d)) end
    end
    redis.call('DEL', ikey)
    redis.call('ZREM', KEYS[4], id)
  end
end
return guardians
