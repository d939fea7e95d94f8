-- Cancels an active call, for the guardian who booked it or the home's
-- teachers and coordinators; its line is freed and its agenda items
-- withdrawn, who cancelled it and why kept.
-- KEYS[1] the call's hash
-- ARGV[1] prefix, ARGV[2..5] clock, ARGV[6] home, ARGV[7] call id,
-- ARGV[8] who cancels, ARGV[9] reason
-- Returns like call_decide.
local x = call_clock(2)
local by = ARGV[8]
local c = call_get(x.p, ARGV[6], ARGV[7])
if not c then return {'notfound'} end
if c.g ~= by and not is_staff(x.p, by, c.home) then return {'notallowed'} end
if not call_active(c) then return call_reply('changed', c) end
call_to(x, c, 'cancelled', by, ARGV[9])
return call_reply('ok', c)
