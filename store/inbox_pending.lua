-- Counts the inboxes holding updates and says how long ago the one waiting
-- longest last made progress (its lease began), on Redis's clock.
-- KEYS[1] pending index
-- ARGV[1] prefix, ARGV[2] lease (ms)
-- Returns {count, ms since the oldest's lease began (0 when none)}.
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local age = 0
if #first == 2 then
  age = math.max(redis_ms() - (tonumber(first[2]) - tonumber(ARGV[2])), 0)
end
return {redis.call('ZCARD', KEYS[1]), age}
