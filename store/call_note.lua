-- Keeps which outbox message showed a request to each teacher, and
-- indexes the call under each of them (touched), so forgetting one drops
-- their entry.
-- KEYS[1] the call's hash
-- ARGV[1] prefix, ARGV[2] JSON object: teacher id → outbox message id,
-- ARGV[3..6] clock (see _calls.lua)
-- Returns 1, or 0 when the call is gone.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'tmsgs', ARGV[2])
local x = call_clock(3)
local c = hash_table(redis.call('HGETALL', KEYS[1]))
local ok, msgs = pcall(cjson.decode, ARGV[2])
if ok and type(msgs) == 'table' then
  for uid in pairs(msgs) do
    if string.match(tostring(uid), '^%d+$') then call_touched(x, c, tostring(uid)) end
  end
end
return 1
