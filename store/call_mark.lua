-- A teacher marks a confirmed call held or missed, once it has started.
-- KEYS[1] the call's hash
-- ARGV[1] prefix, ARGV[2..5] clock, ARGV[6] home, ARGV[7] call id,
-- ARGV[8] who marks it, ARGV[9] held or missed
-- Returns like call_decide, and {'early', the call's fields…} before its
-- start. A call held is a contact with its child (contact_note).
local x = call_clock(2)
local by = ARGV[8]
local c = call_get(x.p, ARGV[6], ARGV[7])
if not c then return {'notfound'} end
if not teaches(x.p, by, c.home) then return {'notallowed'} end
if c.state ~= 'confirmed' then return call_reply('changed', c) end
if tonumber(c.start) > x.now then return call_reply('early', c) end
call_to(x, c, ARGV[9], by, '')
if ARGV[9] == 'held' then contact_note(x.p, c.home, c.child, x.now, x.week) end
return call_reply('ok', c)
