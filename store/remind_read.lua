-- Reads what a call's reminder needs, at one moment and in one round
-- trip: the call, its home's reminder offsets (the ones remind_plan plans
-- with), the home and its staff, the child and its guardians, and the
-- user hash of the guardian who booked the call.
-- And, in the same step, whether the reminder's agenda item is still
-- the claim's that is handling it (Agenda.Current's check: the record
-- "attempts|token|due|payload" in the hash agenda_itemskey names), so
-- no second round trip is needed before sending.
-- ARGV[1] prefix, ARGV[2] home, ARGV[3] call id, ARGV[4] the item's kind,
-- ARGV[5] its key, ARGV[6] the claim's token
-- Returns {'moved'} when the item is no longer the claim's, {} when the
-- call is gone, else {call, {rd, rs, rn}, home, teachers, coordinators,
-- child, guardians, user}: the offsets in ms (nil where unset), flat
-- field/value lists of the hashes, the sets' members.
local p, h, id = ARGV[1], ARGV[2], ARGV[3]
local rec = redis.call('HGET', p .. '{agenda}:i:' .. ARGV[4] .. ':' .. string.sub(redis.sha1hex(ARGV[5]), 1, 4), ARGV[5])
local token = rec and string.match(rec, '^[^|]*|([^|]*)|')
if ARGV[6] == '' or token ~= ARGV[6] then return {'moved'} end
local call = redis.call('HGETALL', callkey(p, h, id))
if #call == 0 then return {} end
local child, g = '0', '0'
for i = 1, #call, 2 do
  if call[i] == 'child' then child = call[i + 1] elseif call[i] == 'g' then g = call[i + 1] end
end
return {call, redis.call('HMGET', hkey(p, h, 'hours'), 'rd', 'rs', 'rn'), redis.call('HGETALL', hkey(p, h, 'home')),
  redis.call('SMEMBERS', hkey(p, h, 'teachers')), redis.call('SMEMBERS', hkey(p, h, 'coordinators')),
  redis.call('HGETALL', hkey(p, h, 'child:' .. child)), redis.call('HGETALL', hkey(p, h, 'guardians:' .. child)),
  redis.call('HGETALL', ukey(p, g, 'user'))}
