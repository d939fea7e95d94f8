-- Ends a run: keeps the outbox's final counts in its report, and takes it
-- off the active runs. A cancelled run stays cancelled. A run whose
-- broadcast was deleted meanwhile goes with it.
-- ARGV[1] prefix, ARGV[2] id, ARGV[3] run, ARGV[4] now (ms), ARGV[5] delivered, ARGV[6] blocked,
-- ARGV[7] cancelled, ARGV[8] failed by reason (JSON)
-- Returns 1 when it ended the run now, 0 when it had ended.
local p, id, run = ARGV[1], ARGV[2], ARGV[3]
local rk = bckey(p, id, 'run:' .. run)
if redis.call('ZREM', bc_active(p), id .. '.' .. run) == 0 then return 0 end
if redis.call('EXISTS', bckey(p, id, 'bc')) == 0 then
  redis.call('DEL', rk)
  return 1
end
if redis.call('HGET', rk, 'state') == 'sending' then redis.call('HSET', rk, 'state', 'done') end
redis.call('HSET', rk, 'ended', ARGV[4], 'd', ARGV[5], 'bl', ARGV[6], 'c', ARGV[7], 'f', ARGV[8])
return 1
