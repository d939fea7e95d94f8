-- Makes a standing weekly call and books its occurrences. The first must
-- be bookable, with the same checks and refusals as call_book; a later one
-- without a free line, or when the child has another call, is skipped.
-- The guardian's limit counts the standing call once, as one commitment:
-- its own occurrences are not held against it.
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
local sid, home, child, g, state = ARGV[6], ARGV[7], ARGV[8], ARGV[9], ARGV[15]
if not is_guardian(x.p, g, home, child) then return {'notallowed'} end
if (redis.call('HGET', KEYS[1], 'v') or '0') ~= ARGV[16] then return {'hours'} end
local booked, skipped = {}, {}
for i = 21, #ARGV, 3 do
  local c = {id = ARGV[i], home = home, child = child, g = g, start = ARGV[i + 1], min = ARGV[12],
    kind = ARGV[13], note = ARGV[14], state = state, exp = ARGV[i + 2], series = sid,
    created = ms(x.now), by = g, at = ms(x.now), reason = '', props = ''}
  local max = 0
  if i == 21 then max = tonumber(ARGV[18]) end
  local why = call_refusal(x, c, tonumber(ARGV[17]), max, '')
  if why and i == 21 then return {why} end
  if why then
    skipped[#skipped + 1] = c.start
  else
    call_create(x, c)
    booked[#booked + 1] = flat_of(c)
  end
end
redis.call('HSET', serieskey(x.p, home, sid), 'id', sid, 'home', home, 'child', child, 'g', g,
  'day', ARGV[10], 'minute', ARGV[11], 'min', ARGV[12], 'kind', ARGV[13], 'note', ARGV[14],
  'state', state, 'created', ms(x.now), 'by', g, 'at', ms(x.now), 'reason', '', 'last', ARGV[19])
redis.call('ZADD', ukey(x.p, g, 'series'), ms(x.now), agendakey(home, sid))
agenda_put(x.p, 'series.renew', agendakey(home, sid), ARGV[20])
return {'ok', booked, skipped}
