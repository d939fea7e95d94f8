-- Queues a message. A message to an unreachable chat is dead-lettered at
-- once, unless it is a reply to the chat a person just wrote from: that
-- clears the chat's unreachable mark instead.
-- KEYS[1] lane, KEYS[2] seq, KEYS[3] unreachable, KEYS[4] dead
-- ARGV[1] key base, ARGV[2] lane number, ARGV[3] chat, ARGV[4] payload,
-- ARGV[5] batch ('' for none), ARGV[6] due unix ms (0: now), ARGV[7] record TTL s,
-- ARGV[8] '1' for a reply
-- Returns {message id, cleared}: cleared is 1 when the chat became reachable again.
local base = ARGV[1]
local now = now_ms()
local id = tostring(redis.call('INCR', KEYS[2]))
local mkey = msgkey(base, id)
redis.call('HSET', mkey, 'lane', ARGV[2], 'chat', ARGV[3], 'p', ARGV[4], 'state', 'queued',
  'attempts', 0, 'enq', now, 'batch', ARGV[5])
redis.call('EXPIRE', mkey, ARGV[7])
if ARGV[5] ~= '' then
  local bkey, bids = batchkey(base, ARGV[5]), batchidskey(base, ARGV[5])
  redis.call('HINCRBY', bkey, 'total', 1)
  redis.call('SADD', bids, id)
  redis.call('EXPIRE', bkey, ARGV[7])
  redis.call('EXPIRE', bids, ARGV[7])
end
local cleared = 0
if ARGV[8] == '1' then
  redis.call('HSET', mkey, 'reply', '1')
  cleared = redis.call('SREM', KEYS[3], ARGV[3])
elseif redis.call('SISMEMBER', KEYS[3], ARGV[3]) == 1 then
  redis.call('HSET', mkey, 'state', 'failed', 'reason', 'blocked: the user blocked the bot')
  redis.call('ZADD', KEYS[4], now, id)
  if ARGV[5] ~= '' then redis.call('HINCRBY', batchkey(base, ARGV[5]), 'failed', 1) end
  return {id, 0}
end
redis.call('INCR', chatqueuedkey(base, ARGV[3]))
redis.call('EXPIRE', chatqueuedkey(base, ARGV[3]), ARGV[7])
local due = tonumber(ARGV[6])
if due <= 0 then due = now end
redis.call('HSET', mkey, 'due', due)
redis.call('ZADD', KEYS[1], due, id)
return {id, cleared}
