-- Removes a child and everything stored about it: its record, its
-- guardians' links (and when they were last nudged about it), its last
-- contact, its open invitations and its mailbox; its active calls are
-- cancelled (by who removes it) and its standing calls ended.
-- KEYS[1] children zset, KEYS[2] child hash, KEYS[3] guardians hash, KEYS[4] home invites zset
-- ARGV[1] prefix, ARGV[2] home id, ARGV[3] child id, ARGV[4] who removes it,
-- ARGV[5..8] clock (see _calls.lua)
-- Returns false when the child is not at the home, -1 when who removes it
-- does not teach there (now), else the guardians' ids.
local p, home, child = ARGV[1], ARGV[2], ARGV[3]
if not redis.call('ZSCORE', KEYS[1], child) then return false end
if not teaches(p, ARGV[4], home) then return -1 end
redis.call('ZREM', KEYS[1], child)
calls_cancel(call_clock(5), home, child_call_ids(p, home, child), function() return true end, ARGV[4], '')
redis.call('DEL', hkey(p, home, 'childcalls:' .. child))
local guardians = redis.call('HKEYS', KEYS[3])
for _, uid in ipairs(guardians) do
  redis.call('HDEL', ukey(p, uid, 'user'), 'g:' .. child, 'consent:g:' .. child, 'nudge:' .. child)
end
redis.call('HDEL', hkey(p, home, 'contact'), child, child .. ':w')
redis.call('DEL', KEYS[2], KEYS[3], hkey(p, home, 'links:' .. child))
mail_drop_child(p, home, child)
for _, id in ipairs(redis.call('ZRANGE', KEYS[4], 0, -1)) do
  if redis.call('HGET', invitekey(p, id), 'child') == child then revokeinvite(p, id) end
end
return guardians
