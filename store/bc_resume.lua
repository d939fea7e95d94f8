-- Resumes a paused broadcast for its sender: each zone group not sent yet
-- is planned again (due and payload computed by the caller from now).
-- ARGV[1] prefix, ARGV[2] sender, ARGV[3] id, then per group: n, due (ms), payload
-- Returns 'ok', 'denied', 'gone' or 'state' (not paused).
local p, id = ARGV[1], ARGV[3]
local key = bckey(p, id, 'bc')
local b = redis.call('HMGET', key, 'from', 'state', 'kind')
if not b[1] then return 'gone' end
if b[1] ~= ARGV[2] then return 'denied' end
if b[2] ~= 'paused' then return 'state' end
for i = 4, #ARGV, 3 do
  if redis.call('HGET', key, 'f' .. ARGV[i]) ~= '1' then
    agenda_put(p, b[3], id .. '.' .. ARGV[i], ARGV[i + 1], ARGV[i + 2])
  end
end
redis.call('HSET', key, 'state', 'waiting')
return 'ok'
