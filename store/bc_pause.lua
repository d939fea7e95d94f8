-- Pauses a waiting broadcast for its sender: its planned sending is
-- withdrawn; the broadcast is kept.
-- ARGV[1] prefix, ARGV[2] sender, ARGV[3] id
-- Returns 'ok', 'denied', 'gone' or 'state' (not waiting).
local p, id = ARGV[1], ARGV[3]
local key = bckey(p, id, 'bc')
local b = redis.call('HMGET', key, 'from', 'state', 'kind', 'groups')
if not b[1] then return 'gone' end
if b[1] ~= ARGV[2] then return 'denied' end
if b[2] ~= 'waiting' then return 'state' end
for n = 0, tonumber(b[4]) - 1 do agenda_withdraw(p, b[3], id .. '.' .. n) end
redis.call('HSET', key, 'state', 'paused')
return 'ok'
