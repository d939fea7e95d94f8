-- Renews a standing call (the agenda's weekly series.renew): books the
-- occurrence SeriesWeeks ahead, or skips it, and puts the next renewal.
-- It acts only on the renewal it was computed for (last unchanged), so a
-- renewal run twice books once. A renewal adds no request to the week's
-- counts (the standing call was one). A standing call whose guardian is no
-- longer one of the child ends.
-- KEYS[1] the home's hours hash, KEYS[2] the series hash
-- ARGV[1] prefix, ARGV[2..5] clock, ARGV[6] home, ARGV[7] series id,
-- ARGV[8] last date read, ARGV[9] the occurrence's local date, ARGV[10]
-- the next renewal (unix ms), ARGV[11] call id ('' when the occurrence
-- is skipped: closed or no slot), ARGV[12] start (unix ms), ARGV[13] the
-- request's expiry (unix ms), ARGV[14] hours version checked, ARGV[15] lines
-- Returns {'ok', the booked call's fields or {}, the skipped start or ''},
-- or {'changed'}, {'ended'}, {'hours'}.
local x = call_clock(2)
local home, sid = ARGV[6], ARGV[7]
local s = hash_table(redis.call('HGETALL', KEYS[2]))
if not series_live(s.state) or s.last ~= ARGV[8] then return {'changed'} end
if not is_guardian(x.p, s.g, home, s.child) then
  series_end(x, home, sid, '0', '')
  return {'ended'}
end
if (redis.call('HGET', KEYS[1], 'v') or '0') ~= ARGV[14] then return {'hours'} end
redis.call('HSET', KEYS[2], 'last', ARGV[9])
agenda_put(x.p, 'series.renew', agendakey(home, sid), ARGV[10])
if ARGV[11] == '' then return {'ok', {}, ARGV[12]} end
local c = {id = ARGV[11], home = home, child = s.child, g = s.g, start = ARGV[12], min = s.min,
  kind = s.kind, note = s.note, state = s.state, exp = ARGV[13], series = sid,
  created = ms(x.now), by = s.g, at = ms(x.now), reason = '', props = ''}
if call_refusal(x, c, tonumber(ARGV[15]), 0, '', nil) then return {'ok', {}, c.start} end
call_create(x, c)
return {'ok', flat_of(c), ''}
