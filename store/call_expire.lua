-- Expires a request still unanswered at its expiry (the agenda's
-- call.expire): its line is freed. An occurrence of a standing call still
-- requested takes the standing call with it: it ends, and its other
-- requested occurrences expire too.
-- KEYS[1] the call's hash
-- ARGV[1] prefix, ARGV[2..5] clock, ARGV[6] home, ARGV[7] call id
-- Returns {'ok' or 'changed' (decided, moved or not yet due), the call's
-- fields…} or {'notfound'}.
local x = call_clock(2)
local c = call_get(x.p, ARGV[6], ARGV[7])
if not c then return {'notfound'} end
if c.state ~= 'requested' or tonumber(c.exp or '0') > x.now then return call_reply('changed', c) end
call_to(x, c, 'expired', '0', '')
if c.series ~= '0' then series_fail(x, c.home, c.series, 'expired', '0') end
return call_reply('ok', c)
