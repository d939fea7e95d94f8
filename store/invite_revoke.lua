-- Revokes an open invitation of a home: its codes stop working at once.
-- KEYS[1] invite hash, KEYS[2] home invites zset, KEYS[3] who revoked it
-- ARGV[1] prefix, ARGV[2] home id, ARGV[3] invite id, ARGV[4] who revokes,
-- ARGV[5] now (unix ms), ARGV[6] how long to remember who revoked (s)
-- Returns 1 when an open invitation of that home was revoked.
local inv = redis.call('HMGET', KEYS[1], 'home', 'used', 'link', 'typed', 'role', 'child', 'homes')
-- A coordinator's invitation has no home: it is revoked as home 0.
if redis.call('EXISTS', KEYS[1]) == 0 or (inv[1] or '0') ~= ARGV[2] or inv[2] == '1' then return 0 end
for i = 3, 4 do
  if inv[i] then redis.call('DEL', codekey(ARGV[1], inv[i])) end
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[3])
-- Who revoked it, with what it was for, so a later tap is checked
-- against the same rights.
actedrecord(ARGV[1], KEYS[3], ARGV[4], ARGV[5], ARGV[6], {ARGV[4]},
  {'role', inv[5], 'home', inv[1] or '0', 'child', inv[6] or '0', 'homes', inv[7] or ''})
return 1
