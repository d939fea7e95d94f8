-- Books a call. Where it writes it checks that the guardian still is one
-- of the child at the home, that the hours are the ones the caller
-- checked the slot against, that a line is free, that the child has no
-- call then and that the guardian's limit allows one more; then it writes
-- the call, its indexes, its agenda items and the week's counts.
-- KEYS[1] the home's hours hash
-- ARGV[1] prefix, ARGV[2..5] clock (see _calls.lua), ARGV[6] call id,
-- ARGV[7] home, ARGV[8] child, ARGV[9] guardian, ARGV[10] start (unix ms),
-- ARGV[11] minutes, ARGV[12] kind, ARGV[13] note, ARGV[14] state
-- (requested, or confirmed when the home auto-confirms), ARGV[15] the
-- request's expiry (unix ms), ARGV[16] hours version checked, ARGV[17]
-- lines, ARGV[18] most commitments the guardian may hold for the child
-- Returns {status} or {'ok', the call's fields…}; status notallowed,
-- hours (they changed since they were read), taken, busy or toomany.
local x = call_clock(2)
local c = {id = ARGV[6], home = ARGV[7], child = ARGV[8], g = ARGV[9], start = ARGV[10],
  min = ARGV[11], kind = ARGV[12], note = ARGV[13], state = ARGV[14], exp = ARGV[15],
  series = '0', created = ms(x.now), by = ARGV[9], at = ms(x.now), reason = '', props = ''}
if not is_guardian(x.p, c.g, c.home, c.child) then return {'notallowed'} end
if (redis.call('HGET', KEYS[1], 'v') or '0') ~= ARGV[16] then return {'hours'} end
local why = call_refusal(x, c, tonumber(ARGV[17]), tonumber(ARGV[18]), '', nil)
if why then return {why} end
call_create(x, c)
return call_reply('ok', c)
