-- Moves an active call to another slot, for the guardian who booked it or
-- the home's staff: the old slot is freed only when the new one is taken,
-- and a refusal changes nothing. Indexes, agenda items and proposals
-- follow; the week counts no new request (see call_count).
-- KEYS[1] the home's hours hash
-- ARGV[1] prefix, ARGV[2..5] clock, ARGV[6] home, ARGV[7] call id,
-- ARGV[8] who moves it, ARGV[9] new start (unix ms), ARGV[10] minutes,
-- ARGV[11] state after (requested or confirmed), ARGV[12] the request's
-- expiry (unix ms), ARGV[13] hours version checked, ARGV[14] lines,
-- ARGV[15] '1' when the home auto-confirms
-- A guardian may move a call straight to confirmed only when it was
-- confirmed already (the home agreed to the call; the new slot is free
-- and the teachers are told), onto a time a teacher proposed, or in a
-- home that auto-confirms.
-- Returns {status, the call's fields…} with status ok, changed (not
-- active), taken or busy; or {'notfound'}, {'notallowed'}, {'hours'}.
local x = call_clock(2)
local by, start, to = ARGV[8], ARGV[9], ARGV[11]
local c = call_get(x.p, ARGV[6], ARGV[7])
if not c then return {'notfound'} end
local staff = is_staff(x.p, by, c.home)
if not staff and not (c.g == by and is_guardian(x.p, by, c.home, c.child)) then return {'notallowed'} end
if not call_active(c) then return call_reply('changed', c) end
if to == 'confirmed' and not staff and ARGV[15] ~= '1' and c.state ~= 'confirmed' then
  local proposed = false
  for t in string.gmatch(c.props or '', '%d+') do proposed = proposed or t == start end
  if not proposed then return {'notallowed'} end
end
if (redis.call('HGET', KEYS[1], 'v') or '0') ~= ARGV[13] then return {'hours'} end
local moved = {id = c.id, home = c.home, child = c.child, g = c.g, start = start, min = ARGV[10]}
local why = call_refusal(x, moved, tonumber(ARGV[14]), 0, c.id, nil)
if why then return call_reply(why, c) end
call_release(x.p, c)
c.start, c.min, c.state, c.exp, c.props, c.by, c.at = start, ARGV[10], to, ARGV[12], '', by, ms(x.now)
-- The guardian's answer to a reminder was about the old time.
c.ans, c.ansat = '', ''
call_save(x.p, c)
call_index(x.p, c)
call_hold(x.p, c)
call_touched(x, c, by)
call_plan(x, c)
-- A move adds no request; a confirmation counts only the call's first.
if to == 'confirmed' then count_confirmed(x, c) end
return call_reply('ok', c)
