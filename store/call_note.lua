-- Keeps which outbox message showed a request to each teacher.
-- KEYS[1] the call's hash
-- ARGV[1] prefix, ARGV[2] JSON object: teacher id → outbox message id
-- Returns 1, or 0 when the call is gone.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'tmsgs', ARGV[2])
return 1
