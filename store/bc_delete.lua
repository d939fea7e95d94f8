-- Deletes a broadcast for its sender (bc_drop).
-- ARGV[1] prefix, ARGV[2] sender, ARGV[3] id
-- Returns 'ok', 'denied' or 'gone'.
local p, id = ARGV[1], ARGV[3]
local from = redis.call('HGET', bckey(p, id, 'bc'), 'from')
if not from then return 'gone' end
if from ~= ARGV[2] then return 'denied' end
bc_drop(p, id)
return 'ok'
