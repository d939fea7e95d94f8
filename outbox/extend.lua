-- Pushes the lease of a message a worker holds further, while the worker
-- retries recording what became of it: only while the claim that holds
-- it (its token) still does.
-- KEYS[1] inflight, KEYS[2] message hash
-- ARGV[1] key base, ARGV[2] id, ARGV[3] the claim's token, ARGV[4] lease ms
-- Returns 1 when the lease was extended, 0 when the message is not held by this claim.
if redis.call('HGET', KEYS[2], 'owner') ~= ARGV[3] or not redis.call('ZSCORE', KEYS[1], ARGV[2]) then
  return 0
end
redis.call('ZADD', KEYS[1], 'XX', now_ms() + tonumber(ARGV[4]), ARGV[2])
return 1
