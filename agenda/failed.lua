-- Lists the latest failed items, newest first.
-- ARGV[1] prefix, ARGV[2] most to list
-- Returns {id, failed at ms, "attempts|reason|payload"}...
local p = ARGV[1]
local out = {}
local ids = redis.call('ZREVRANGE', agenda_key(p, 'failed'), 0, tonumber(ARGV[2]) - 1, 'WITHSCORES')
for i = 1, #ids, 2 do
  out[#out + 1] = {ids[i], ids[i + 1], redis.call('HGET', agenda_key(p, 'f'), ids[i]) or ''}
end
return out
