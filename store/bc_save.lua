-- Keeps a broadcast and plans its sending, for a sender who may send to
-- every home (bc_may): one agenda item per zone group of its homes,
-- "<id>.<n>", of kind bc.send (now, or once) or bc.every (repeating, its
-- payload the agenda's recurring one).
-- ARGV[1] prefix, ARGV[2] sender, ARGV[3] homes, ARGV[4] urgent ('1'), ARGV[5] now (ms),
-- ARGV[6] the broadcast's JSON with "id":0 (the id is put in here), ARGV[7] kind,
-- then per group: zone, homes (comma list), due (ms), payload.
-- Returns the id, or 0 when the sender may not.
local p, by, now = ARGV[1], ARGV[2], ARGV[5]
if not bc_may(p, by, bc_split(ARGV[3]), ARGV[4] == '1', cjson.decode(ARGV[6]).a) then return 0 end
local id = redis.call('INCR', p .. 'seq:bc')
local def = string.gsub(ARGV[6], '^{"id":0,', '{"id":' .. id .. ',', 1)
local key = bckey(p, id, 'bc')
local n = 0
for i = 8, #ARGV, 4 do
  redis.call('HSET', key, 'g' .. n, ARGV[i] .. '|' .. ARGV[i + 1])
  agenda_put(p, ARGV[7], id .. '.' .. n, ARGV[i + 2], ARGV[i + 3])
  n = n + 1
end
redis.call('HSET', key, 'json', def, 'from', by, 'created', now, 'state', 'waiting', 'groups', n,
  'left', n, 'kind', ARGV[7], 'runs', 0)
redis.call('ZADD', ukey(p, by, 'bcs'), now, id)
-- A person keeps their last MAX_DONE sent broadcasts (for /broadcasts'
-- reports and /mydata); older ones go, with their reports.
local MAX_DONE = 50
local done = {}
for _, old in ipairs(redis.call('ZRANGE', ukey(p, by, 'bcs'), 0, -1)) do
  if redis.call('HGET', bckey(p, old, 'bc'), 'state') == 'done' then done[#done + 1] = old end
end
for i = 1, #done - MAX_DONE do bc_drop(p, done[i]) end
return id
