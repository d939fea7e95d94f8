-- Makes an invitation if its maker may, now: a guardian's by a teacher of
-- the home (for a child there), a teacher's by a coordinator of the home,
-- a coordinator's by an admin or by a coordinator of every home it shares.
-- Its codes are stored only as digests. The maker's list of what they
-- made lets removing them revoke it.
-- KEYS[1] invite hash, KEYS[2] link code key, KEYS[3] typed code key,
-- KEYS[4] home invites zset, KEYS[5] the maker's made zset
-- ARGV[1] prefix, ARGV[2] id, ARGV[3] role, ARGV[4] home ('0': none), ARGV[5] child ('0': none),
-- ARGV[6] homes (comma list, '' none), ARGV[7] expiry (unix ms), ARGV[8] ttl (ms),
-- ARGV[9] link digest, ARGV[10] typed digest ('' none), ARGV[11] maker, ARGV[12] admin ('1' or '0'),
-- ARGV[13] now (unix ms, the app's clock, as expiries are)
-- Returns 1, or 0 when the maker may not (or the home or child is gone).
local p, id, role, home, child = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
if not may_invite(p, ARGV[11], ARGV[12], role, home, ARGV[6]) then return 0 end
if role == 'guardian' and not redis.call('ZSCORE', hkey(p, home, 'children'), child) then return 0 end
local fields = {'role', role, 'exp', ARGV[7], 'link', ARGV[9], 'by', ARGV[11], 'admin', ARGV[12]}
if home ~= '0' then table.insert(fields, 'home'); table.insert(fields, home) end
if child ~= '0' then table.insert(fields, 'child'); table.insert(fields, child) end
if ARGV[6] ~= '' then table.insert(fields, 'homes'); table.insert(fields, ARGV[6]) end
if ARGV[10] ~= '' then
  table.insert(fields, 'typed'); table.insert(fields, ARGV[10])
  redis.call('SET', KEYS[3], id, 'PX', ARGV[8])
end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('PEXPIRE', KEYS[1], ARGV[8])
redis.call('SET', KEYS[2], id, 'PX', ARGV[8])
if home ~= '0' then redis.call('ZADD', KEYS[4], ARGV[7], id) end
redis.call('ZADD', KEYS[5], ARGV[7], id)
redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', '(' .. ARGV[13])
return 1
