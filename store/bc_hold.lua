-- Puts recipients of a run back until their quiet hours end (bc.held
-- "<key>"), unless the run ended or was cancelled.
-- ARGV[1] prefix, ARGV[2] id, ARGV[3] run, ARGV[4] key, ARGV[5] due (ms), ARGV[6] payload
-- Returns 1 when put.
local p = ARGV[1]
if redis.call('HGET', bckey(p, ARGV[2], 'run:' .. ARGV[3]), 'state') ~= 'sending' then return 0 end
agenda_put(p, 'bc.held', ARGV[4], ARGV[5], ARGV[6])
return 1
