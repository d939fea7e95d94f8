-- A teacher offers other times for a request; the guardian chooses one
-- (Reschedule) or none.
-- KEYS[1] the call's hash
-- ARGV[1] prefix, ARGV[2..5] clock, ARGV[6] home, ARGV[7] call id,
-- ARGV[8] who proposes, ARGV[9] the proposed starts (comma list, unix ms)
-- Returns like call_decide.
local x = call_clock(2)
local by = ARGV[8]
local c = call_get(x.p, ARGV[6], ARGV[7])
if not c then return {'notfound'} end
if not teaches(x.p, by, c.home) then return {'notallowed'} end
if c.state ~= 'requested' then return call_reply('changed', c) end
c.props, c.by, c.at = ARGV[9], by, ms(x.now)
redis.call('HSET', KEYS[1], 'props', c.props, 'by', by, 'at', c.at)
call_touched(x, c, by)
return call_reply('ok', c)
