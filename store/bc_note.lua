-- Notes fields on a run's hash (its progress message, what it last
-- showed), only while the run is kept: a run ended and deleted with its
-- broadcast is not brought back as a stray hash.
-- ARGV[1] prefix, ARGV[2] id, ARGV[3] run, then field, value pairs
-- Returns 1 when noted.
local rk = bckey(ARGV[1], ARGV[2], 'run:' .. ARGV[3])
if not redis.call('HGET', rk, 'state') then return 0 end
for i = 4, #ARGV, 2 do redis.call('HSET', rk, ARGV[i], ARGV[i + 1]) end
return 1
