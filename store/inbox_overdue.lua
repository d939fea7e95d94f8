-- Hands a sweeping replica up to a batch of inboxes whose lease has run
-- out (on Redis's clock, the leases' own), and hides each one from other
-- replicas' sweeps for a short while: no two replicas sweep the same ones,
-- and a sweeper that dies or stops before claiming them all leaves the
-- rest hidden only that long (each claim moves its inbox a lease on).
-- KEYS[1] pending index
-- ARGV[1] prefix, ARGV[2] how long to hide them (ms), ARGV[3] most to hand out
-- Returns the actor ids, most overdue first.
local now = redis_ms()
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do
  redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), id)
end
return ids
