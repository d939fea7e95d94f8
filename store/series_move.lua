-- Moves a standing weekly call to another weekday and time, for the
-- guardian who booked it (still one of the child): a new standing call is
-- made there, with the old one's child, kind and note, and its
-- occurrences booked as series_book books them (the first must be
-- bookable, later ones not bookable are skipped); the old one's own
-- occurrences do not count against the lines, the child's other calls or
-- the guardian's limit. Only then does the old one end, its active
-- occurrences still ahead cancelled, their lines and agenda items freed.
-- A refusal changes nothing. A move is no new request for the week's
-- counts, nor are the replaced occurrences counted cancelled; a new
-- standing call in place of a confirmed one is not counted confirmed
-- again.
-- KEYS[1] the home's hours hash, KEYS[2] the old standing call's hash
-- ARGV[1] prefix, ARGV[2..5] clock, ARGV[6] new series id, ARGV[7] home,
-- ARGV[8] old series id, ARGV[9] who moves it, ARGV[10] weekday,
-- ARGV[11] local start (minutes after midnight), ARGV[12] minutes,
-- ARGV[13] state (requested or confirmed), ARGV[14] hours version
-- checked, ARGV[15] lines, ARGV[16] most commitments (0: no check),
-- ARGV[17] local date of the last occurrence tried, ARGV[18] when the
-- renewal is due (unix ms), then three per occurrence to book, the first
-- first: call id, start (unix ms), request expiry (unix ms)
-- Returns {status} (notfound, notallowed, changed: the old one had ended,
-- hours, taken, busy, toomany) or {'ok', {the booked calls' fields…},
-- {the skipped starts…}, {the old occurrences cancelled…}}.
local x = call_clock(2)
local sid, home, oldid, by = ARGV[6], ARGV[7], ARGV[8], ARGV[9]
local old = hash_table(redis.call('HGETALL', KEYS[2]))
if not old.state then return {'notfound'} end
if old.g ~= by or not is_guardian(x.p, by, home, old.child) then return {'notallowed'} end
if not series_live(old.state) then return {'changed'} end
if (redis.call('HGET', KEYS[1], 'v') or '0') ~= ARGV[14] then return {'hours'} end
local oldcalls = hkey(x.p, home, 'seriescalls:' .. oldid)
local except = {}
for _, id in ipairs(redis.call('ZRANGE', oldcalls, 0, -1)) do except[id] = true end
local cf = nil
if old.cf == '1' or old.state == 'confirmed' then cf = '1' end
local s = {id = sid, home = home, child = old.child, g = by, day = ARGV[10], minute = ARGV[11], min = ARGV[12],
  kind = old.kind, note = old.note, state = ARGV[13], created = ms(x.now), by = by, at = ms(x.now),
  reason = '', last = ARGV[17], cf = cf}
local occ = {}
for i = 19, #ARGV, 3 do occ[#occ + 1] = {ARGV[i], ARGV[i + 1], ARGV[i + 2]} end
local why, booked, skipped = series_create(x, s, occ, tonumber(ARGV[15]), tonumber(ARGV[16]), except, oldid, true)
if why then return {why} end
agenda_put(x.p, 'series.renew', agendakey(home, sid), ARGV[18])
local cancelled = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', oldcalls, '(' .. ms(x.now - MAXSLOT_MS), '+inf')) do
  local c = call_get(x.p, home, id)
  if c and call_active(c) and call_end(c) > x.now then
    call_to(x, c, 'cancelled', by, '', true)
    cancelled[#cancelled + 1] = flat_of(c)
  end
end
series_end(x, home, oldid, by, '')
return {'ok', booked, skipped, cancelled}
