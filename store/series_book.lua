-- Makes a standing weekly call and books its occurrences. The first must
-- be bookable, with the same checks and refusals as call_book; a later one
-- without a free line, or when the child has another call, is skipped.
-- The guardian's limit counts the standing call once, as one commitment:
-- its own occurrences are not held against it. The week counts one
-- request (and one confirmation when it is born confirmed).
-- KEYS[1] the home's hours hash
-- ARGV[1] prefix, ARGV[2..5] clock, ARGV[6] series id, ARGV[7] home,
-- ARGV[8] child, ARGV[9] guardian, ARGV[10] weekday (0 Sunday),
-- ARGV[11] local start (minutes after midnight), ARGV[12] minutes,
-- ARGV[13] kind, ARGV[14] note, ARGV[15] state (requested or confirmed),
-- ARGV[16] hours version checked, ARGV[17] lines, ARGV[18] most
-- commitments, ARGV[19] local date of the last occurrence tried,
-- ARGV[20] when the renewal is due (unix ms), then three per occurrence
-- to book, the first first: call id, start (unix ms), request expiry (unix ms)
-- Returns {status} (as call_book) or {'ok', {the booked calls' fields…},
-- {the skipped starts…}}.
local x = call_clock(2)
local sid, home, g = ARGV[6], ARGV[7], ARGV[9]
if not is_guardian(x.p, g, home, ARGV[8]) then return {'notallowed'} end
if (redis.call('HGET', KEYS[1], 'v') or '0') ~= ARGV[16] then return {'hours'} end
local s = {id = sid, home = home, child = ARGV[8], g = g, day = ARGV[10], minute = ARGV[11], min = ARGV[12],
  kind = ARGV[13], note = ARGV[14], state = ARGV[15], created = ms(x.now), by = g, at = ms(x.now),
  reason = '', last = ARGV[19]}
local occ = {}
for i = 21, #ARGV, 3 do occ[#occ + 1] = {ARGV[i], ARGV[i + 1], ARGV[i + 2]} end
local why, booked, skipped = series_create(x, s, occ, tonumber(ARGV[17]), tonumber(ARGV[18]), '', nil, false)
if why then return {why} end
agenda_put(x.p, 'series.renew', agendakey(home, sid), ARGV[20])
return {'ok', booked, skipped}
