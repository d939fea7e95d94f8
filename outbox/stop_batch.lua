-- Stops a batch (CancelBatch, first step): from now on enqueue_one leaves
-- out any message of it. The first stop's time is kept.
-- KEYS[1] the batch's hash
-- ARGV[1] key base, ARGV[2] record TTL s (for a batch nothing was queued into yet)
-- Returns 1 when this stopped it, 0 when it was stopped already.
local n = redis.call('HSETNX', KEYS[1], 'stopped', now_ms())
if redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return n
