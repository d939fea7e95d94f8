-- Keeps a guardian's answer to a reminder of their confirmed call: they
-- will be there (yes), or they cannot make it (no). Only the guardian who
-- booked it, still one of the child's, and only before the call ends.
-- ARGV[1] prefix, ARGV[2] now (unix ms, homelink.Clock), ARGV[3] home,
-- ARGV[4] call id, ARGV[5] who answers, ARGV[6] yes or no
-- Returns {status, the call's fields…}: ok, changed (no longer confirmed,
-- or over); or {'notfound'}, {'notallowed'}.
local p, now, by = ARGV[1], tonumber(ARGV[2]), ARGV[5]
local c = call_get(p, ARGV[3], ARGV[4])
if not c then return {'notfound'} end
if c.g ~= by or not is_guardian(p, by, c.home, c.child) then return {'notallowed'} end
if c.state ~= 'confirmed' or call_end(c) <= now then return call_reply('changed', c) end
c.ans, c.ansat = ARGV[6], ms(now)
redis.call('HSET', callkey(p, c.home, c.id), 'ans', c.ans, 'ansat', c.ansat)
return call_reply('ok', c)
