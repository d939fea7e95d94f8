-- Records what became of claimed items, each only while its claim still
-- holds it (same token): an item put, moved or withdrawn during the run,
-- or claimed again after its lease, is left as it is now.
-- ARGV[1] prefix, ARGV[2] now ms (app clock), ARGV[3] most failed kept,
-- then per item five: op (done, retry, release, fail, drop), kind, key,
-- token, and for retry the next due ms, for release the item's own due ms
-- (it goes back as it was, no attempt counted), for fail the reason.
-- Returns one 1 (recorded) or 0 (no longer this claim's) per item.
local p, now, keep = ARGV[1], ARGV[2], tonumber(ARGV[3])
local out = {}
for i = 4, #ARGV, 5 do
  local op, kind, key, token, arg = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4]
  local attempts, held, _, payload = agenda_read(p, kind, key)
  if held ~= token or token == '' then
    out[#out + 1] = 0
  elseif op == 'retry' then
    agenda_schedule(p, kind, key, arg, attempts + 1, payload)
    out[#out + 1] = 1
  elseif op == 'release' then
    agenda_schedule(p, kind, key, arg, attempts, payload)
    out[#out + 1] = 1
  else
    agenda_forget(p, kind, key)
    if op == 'fail' then
      local id = agenda_id(kind, key)
      redis.call('ZADD', agenda_key(p, 'failed'), now, id)
      redis.call('HSET', agenda_key(p, 'f'), id, (attempts + 1) .. '|' .. arg .. '|' .. payload)
      redis.call('HINCRBY', agenda_key(p, 'fn'), kind, 1)
      for _, old in ipairs(redis.call('ZRANGE', agenda_key(p, 'failed'), 0, -keep - 1)) do
        redis.call('ZREM', agenda_key(p, 'failed'), old)
        redis.call('HDEL', agenda_key(p, 'f'), old)
      end
    end
    out[#out + 1] = 1
  end
end
return out
