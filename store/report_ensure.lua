-- Gives each weekly report job named that is neither waiting nor claimed
-- its first run (a home or coordinator new since, one from before
-- reports, one whose run failed past its retries); a planned one is left
-- alone.
-- ARGV[1] prefix, then quadruples: kind (rep.home or rep.coord), key, due
-- (unix ms), payload (the week it counts as told)
-- Returns how many it put.
local p = ARGV[1]
local n = 0
for i = 2, #ARGV, 4 do
  local id = agenda_id(ARGV[i], ARGV[i + 1])
  if not redis.call('ZSCORE', agenda_key(p, 'due'), id) and not redis.call('ZSCORE', agenda_key(p, 'inflight'), id) then
    agenda_put(p, ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3])
    n = n + 1
  end
end
return n
