-- Redeems an invitation: exactly one account can, once, and only while
-- its maker still holds the right that let them make it (else it is
-- revoked now). The role it carries is given in the same step, with when
-- they agreed to it (consent:g:<child>, consent:t:<home>, consent:c).
-- KEYS[1] invite hash, KEYS[2] the redeemer's user hash
-- ARGV[1] prefix, ARGV[2] invite id, ARGV[3] user id, ARGV[4] now (unix ms), ARGV[5] language,
-- ARGV[6] '1' when its maker is an admin now (ADMIN_IDS, or the operator's command line)
-- Returns {outcome}: 'invalid' (unknown, expired, revoked, or its home or
-- child is gone), 'used', 'member' (already holds it; the invitation stays
-- open), or 'ok'.
local p, id, uid = ARGV[1], ARGV[2], ARGV[3]
local inv = redis.call('HMGET', KEYS[1], 'role', 'home', 'child', 'homes', 'exp', 'used', 'by', 'admin')
local role, home, child, homes, exp, used = inv[1], inv[2], inv[3], inv[4], inv[5], inv[6]
if not role or tonumber(exp) <= tonumber(ARGV[4]) then return {'invalid'} end
if used == '1' then return {'used'} end
if not inv[7] or not may_invite(p, inv[7], ARGV[6], role, home, homes) then
  revokeinvite(p, id)
  return {'invalid'}
end
if role == 'guardian' then
  if not redis.call('ZSCORE', hkey(p, home, 'children'), child) then return {'invalid'} end
  local g = hkey(p, home, 'guardians:' .. child)
  if redis.call('HEXISTS', g, uid) == 1 then return {'member'} end
  redis.call('HSET', g, uid, '')
  redis.call('HSET', KEYS[2], 'g:' .. child, home .. ':', 'consent:g:' .. child, ARGV[4])
  -- Which invitation made this link: a notice about it acts on this link only.
  redis.call('HSET', hkey(p, home, 'links:' .. child), uid, id)
elseif role == 'teacher' then
  if redis.call('EXISTS', hkey(p, home, 'home')) == 0 then return {'invalid'} end
  if redis.call('SADD', hkey(p, home, 'teachers'), uid) == 0 then return {'member'} end
  redis.call('HSET', KEYS[2], 't:' .. home, '1', 'consent:t:' .. home, ARGV[4])
elseif role == 'coordinator' then
  local added = redis.call('HSET', KEYS[2], 'coord', '1')
  for h in string.gmatch(homes or '', '[^,]+') do
    if redis.call('EXISTS', hkey(p, h, 'home')) == 1 and redis.call('SADD', hkey(p, h, 'coordinators'), uid) == 1 then
      redis.call('HSET', KEYS[2], 'c:' .. h, '1')
      added = added + 1
    end
  end
  if added == 0 then return {'member'} end
  redis.call('HSET', KEYS[2], 'consent:c', ARGV[4])
else
  return {'invalid'}
end
-- Spent: keep the record until it would have expired, so a second try
-- hears "already used" rather than "not valid".
redis.call('HSET', KEYS[1], 'used', '1')
if ARGV[5] ~= '' then redis.call('HSETNX', KEYS[2], 'lang', ARGV[5]) end
if home and home ~= '' then redis.call('ZREM', hkey(p, home, 'invites'), id) end
redis.call('ZREM', ukey(p, inv[7], 'made'), id)
return {'ok'}
