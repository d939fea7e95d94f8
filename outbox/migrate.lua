-- Points a message a worker held at the supergroup its group became, and
-- puts it back in its lane to go again at once. Only the claim that holds
-- it (its token) may; a second run changes nothing.
-- KEYS[1] inflight, KEYS[2] message hash
-- ARGV[1] key base, ARGV[2] id, ARGV[3] the claim's token, ARGV[4] the new chat,
-- ARGV[5] the payload pointing at it, ARGV[6] record TTL s
-- Returns 1 when redirected, 0 when the message is not held by this claim.
local base, id = ARGV[1], ARGV[2]
if redis.call('HGET', KEYS[2], 'owner') ~= ARGV[3] or not redis.call('ZSCORE', KEYS[1], id) then
  return 0
end
-- The message now waits for the new chat, not the old one.
local was = redis.call('HGET', KEYS[2], 'chat')
local old = chatqueuedkey(base, was)
if redis.call('DECR', old) <= 0 then redis.call('DEL', old, chatlastkey(base, was)) end
redis.call('SREM', chatmsgskey(base, was), id)
local new = chatqueuedkey(base, ARGV[4])
redis.call('INCR', new)
redis.call('EXPIRE', new, ARGV[6])
redis.call('SADD', chatmsgskey(base, ARGV[4]), id)
redis.call('EXPIRE', chatmsgskey(base, ARGV[4]), ARGV[6])
redis.call('HSET', KEYS[2], 'chat', ARGV[4], 'p', ARGV[5])
redis.call('ZREM', KEYS[1], id)
redis.call('ZADD', lanekey(base, redis.call('HGET', KEYS[2], 'lane')), now_ms(), id)
return 1
