-- Claims up to n due items with a lease. Items whose lease ran out (their
-- replica died) first go back to waiting, due at once, the lost run
-- counted as an attempt.
-- ARGV[1] prefix, ARGV[2] now ms (app clock: what is due), ARGV[3] n,
-- ARGV[4] lease ms, ARGV[5] the claim's token
-- Leases are measured on Redis's TIME, one clock for every replica: they
-- say whether a replica is alive, not when work is due, so moving the
-- app's clock (the sandbox, a test) never takes an item from a live run.
-- Returns {lease end ms, {kind, key, due, attempts, payload}...}.
local p, now, n, token = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[5]
local t = redis.call('TIME')
local rnow = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local leaseEnd = string.format('%.0f', rnow + tonumber(ARGV[4]))
local due, inflight = agenda_key(p, 'due'), agenda_key(p, 'inflight')

for _, id in ipairs(redis.call('ZRANGEBYSCORE', inflight, '-inf', rnow, 'LIMIT', 0, n)) do
  local kind, key = agenda_split(id)
  local attempts, _, was, payload = agenda_read(p, kind, key)
  redis.call('ZREM', inflight, id)
  if was ~= '' then
    redis.call('ZADD', due, was, id)
    agenda_write(p, kind, key, attempts + 1, '', '', payload)
  end
end

local out = {}
local ids = redis.call('ZRANGEBYSCORE', due, '-inf', now, 'WITHSCORES', 'LIMIT', 0, n)
for i = 1, #ids, 2 do
  local id, at = ids[i], ids[i + 1]
  local kind, key = agenda_split(id)
  local attempts, _, _, payload = agenda_read(p, kind, key)
  redis.call('ZREM', due, id)
  redis.call('ZADD', inflight, leaseEnd, id)
  agenda_write(p, kind, key, attempts, token, at, payload)
  out[#out + 1] = {kind, key, at, attempts, payload}
end
return {leaseEnd, out}
