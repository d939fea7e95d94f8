-- Revokes an open invitation of a home: its codes stop working at once.
-- Whoever revokes must hold, now, the right over it: a guardian's
-- invitation is its home's teachers', a teacher's its coordinators', and
-- a coordinator's its maker's, an admin's, or a coordinator's of every
-- home it shares.
-- KEYS[1] invite hash, KEYS[2] home invites zset, KEYS[3] who revoked it
-- ARGV[1] prefix, ARGV[2] home id, ARGV[3] invite id, ARGV[4] who revokes,
-- ARGV[5] now (unix ms), ARGV[6] how long to remember who revoked (s),
-- ARGV[7] '1' when who revokes is an admin
-- Returns 1 when an open invitation of that home was revoked, 0 when there
-- was none, -1 when who asks may not revoke it.
local p, by = ARGV[1], ARGV[4]
local inv = redis.call('HMGET', KEYS[1], 'home', 'used', 'role', 'child', 'homes', 'by')
-- A coordinator's invitation has no home: it is revoked as home 0.
if redis.call('EXISTS', KEYS[1]) == 0 or (inv[1] or '0') ~= ARGV[2] or inv[2] == '1' then return 0 end
local role = inv[3]
local may
if role == 'coordinator' then
  may = inv[6] == by or ARGV[7] == '1' or ((inv[5] or '') ~= '' and may_invite(p, by, '0', role, '0', inv[5]))
else
  may = may_invite(p, by, '0', role, inv[1], '')
end
if not may then return -1 end
revokeinvite(p, ARGV[3])
-- Who revoked it, with what it was for, so a later tap is checked
-- against the same rights.
-- Indexed under both people it names, so either one's /forget deletes it.
local people = {by}
if inv[6] and inv[6] ~= '' and inv[6] ~= '0' and inv[6] ~= by then people[2] = inv[6] end
actedrecord(p, KEYS[3], by, ARGV[5], ARGV[6], people,
  {'role', role, 'home', inv[1] or '0', 'child', inv[4] or '0', 'homes', inv[5] or '', 'made', inv[6] or ''})
return 1
