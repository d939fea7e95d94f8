-- Starts a run of a broadcast for one zone group of its homes (the
-- agenda's bc.send or bc.every item "<id>.<n>" fired): takes the audience
-- now, from the homes the sender still may send to, records the run, and
-- puts its chunks (bc.chunk "<id>.<run>.<k>", payload "h:u:r,…") due at
-- once, in one step. The same firing started again (a retried item) finds
-- its run and does nothing more.
-- ARGV[1] prefix, ARGV[2] id, ARGV[3] group n, ARGV[4] the firing (its due, ms),
-- ARGV[5] now (ms), ARGV[6] chunk size, ARGV[7] how many runs keep their report
-- Returns {'run', run, total, new ('1' when started now)}, {'gone'} or {'paused'}.
local p, id, n, now = ARGV[1], ARGV[2], ARGV[3], ARGV[5]
local key = bckey(p, id, 'bc')
local b = redis.call('HMGET', key, 'json', 'state', 'g' .. n, 'kind', 'from')
if not b[1] then return {'gone'} end
if b[2] == 'paused' then return {'paused'} end
local fired = redis.call('HGET', bckey(p, id, 'fired'), n .. ':' .. ARGV[4])
if fired then
  return {'run', fired, redis.call('HGET', bckey(p, id, 'run:' .. fired), 'total') or '0', '0'}
end
local def = cjson.decode(b[1])
local from, urgent = b[5], def.ur == true
local group = b[3] or '|'
local homes = bc_split(string.sub(group, string.find(group, '|', 1, true) + 1))
local single = #(def.h or {}) == 1
local seen, people, kept = {}, {}, {}
for _, h in ipairs(homes) do
  if coordinates(p, from, h) or ((not urgent) and single and def.a ~= 'teachers' and teaches(p, from, h)) then
    kept[#kept + 1] = h
    bc_people(p, h, def.a, from, seen, people)
  end
end
local run = redis.call('HINCRBY', key, 'runs', 1)
local rk = bckey(p, id, 'run:' .. run)
local size = tonumber(ARGV[6])
local chunks = math.ceil(#people / size)
redis.call('HSET', rk, 'from', from, 'homes', table.concat(kept, ','), 'state', 'sending', 'started', now,
  'total', #people, 'placed', 0, 'queued', 0, 'held', 0, 'skipped', 0, 'chunks', chunks)
redis.call('HSET', bckey(p, id, 'fired'), n .. ':' .. ARGV[4], run)
redis.call('ZADD', bckey(p, id, 'runs'), now, run)
redis.call('ZADD', bc_active(p), now, id .. '.' .. run)
-- The first progress comes two seconds on (Redis's clock): a small run is
-- through by then, and its sender gets the report alone.
redis.call('SET', rk .. ':turn', '1', 'PX', 2000)
for k = 0, chunks - 1 do
  local part = {}
  for i = k * size + 1, math.min((k + 1) * size, #people) do
    local r = people[i]
    part[#part + 1] = r[1] .. ':' .. r[2] .. ':' .. r[3]
  end
  agenda_put(p, 'bc.chunk', id .. '.' .. run .. '.' .. k, now, table.concat(part, ','))
end
if b[4] == 'bc.send' then
  redis.call('HSET', key, 'f' .. n, '1')
  if redis.call('HINCRBY', key, 'left', -1) <= 0 then redis.call('HSET', key, 'state', 'done') end
end
-- The oldest reports go (never one still sending).
local runs = bckey(p, id, 'runs')
local extra = redis.call('ZCARD', runs) - tonumber(ARGV[7] or '12')
if extra > 0 then
  local gone = {}
  for _, r in ipairs(redis.call('ZRANGE', runs, 0, extra - 1)) do
    if not redis.call('ZSCORE', bc_active(p), id .. '.' .. r) then
      redis.call('DEL', bckey(p, id, 'run:' .. r))
      redis.call('ZREM', runs, r)
      gone[r] = true
    end
  end
  -- Their firings go too: the fired hash stays as small as the runs kept.
  local f = redis.call('HGETALL', bckey(p, id, 'fired'))
  for i = 1, #f, 2 do
    if gone[f[i + 1]] then redis.call('HDEL', bckey(p, id, 'fired'), f[i]) end
  end
end
return {'run', tostring(run), tostring(#people), '1'}
