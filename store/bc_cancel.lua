-- Cancels a run still sending, for its sender: its chunks and held parts
-- then queue nothing more (they read the state first).
-- ARGV[1] prefix, ARGV[2] sender, ARGV[3] id, ARGV[4] run
-- Returns 'ok' (cancelled now or ended already), 'denied' or 'gone'.
local p = ARGV[1]
local rk = bckey(p, ARGV[3], 'run:' .. ARGV[4])
local r = redis.call('HMGET', rk, 'from', 'state')
if not r[1] then return 'gone' end
if r[1] ~= ARGV[2] then return 'denied' end
if r[2] == 'sending' then redis.call('HSET', rk, 'state', 'cancelled') end
return 'ok'
