-- Counts what one chunk of a run did, once per chunk (a retried chunk
-- counts nothing again): recipients queued to the outbox, held for their
-- quiet hours, and skipped (gone since the run started). A held part sent
-- later (mark 'h:<key>') moves its count from held to queued.
-- ARGV[1] prefix, ARGV[2] id, ARGV[3] run, ARGV[4] mark, ARGV[5] queued, ARGV[6] held,
-- ARGV[7] skipped, ARGV[8] '1' when this is a held part sent, ARGV[9] left out (a stop
-- stopped their batch as they were queued: dealt with, never sent)
-- Returns 1 when counted, 0 when counted before or the run is gone.
local p = ARGV[1]
local rk = bckey(p, ARGV[2], 'run:' .. ARGV[3])
if redis.call('EXISTS', rk) == 0 then return 0 end
if redis.call('HSETNX', rk, 'k:' .. ARGV[4], '1') == 0 then return 0 end
local q, h, s, left = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[9] or '0')
redis.call('HINCRBY', rk, 'queued', q)
if ARGV[8] == '1' then
  redis.call('HINCRBY', rk, 'held', -(q + s + left))
  redis.call('HINCRBY', rk, 'skipped', s)
else
  redis.call('HINCRBY', rk, 'held', h)
  redis.call('HINCRBY', rk, 'skipped', s)
  redis.call('HINCRBY', rk, 'placed', q + h + s + left)
end
return 1
