-- Queues a message. A message to an unreachable chat is dead-lettered at
-- once, unless it is a reply to the chat a person just wrote from: that
-- clears the chat's unreachable mark instead. An interactive message is
-- not queued behind too long a backlog of its chat: a droppable one
-- (a hint about unexpected text) as soon as anything waits for the chat,
-- any other once the cap is reached.
-- KEYS[1] lane, KEYS[2] seq, KEYS[3] unreachable, KEYS[4] dead
-- ARGV[1] key base, ARGV[2] lane number, ARGV[3] chat, ARGV[4] payload (sealed),
-- ARGV[5] batch ('' for none), ARGV[6] due unix ms (0: now), ARGV[7] record TTL s,
-- ARGV[8] '1' for a reply, ARGV[9] most messages that may wait for the chat (0: no cap),
-- ARGV[10] '1' for a droppable message
-- Returns {message id, cleared}: cleared is 1 when the chat became reachable
-- again; the id is '' when the message was not queued (its chat's backlog).
local base = ARGV[1]
local now = now_ms()
local cleared = 0
if ARGV[8] == '1' then cleared = redis.call('SREM', KEYS[3], ARGV[3]) end
local waiting = tonumber(redis.call('GET', chatqueuedkey(base, ARGV[3])) or '0')
local cap = tonumber(ARGV[9])
if (ARGV[10] == '1' and waiting > 0) or (cap > 0 and waiting >= cap) then
  return {'', cleared}
end
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
if ARGV[8] == '1' then
  redis.call('HSET', mkey, 'reply', '1')
elseif redis.call('SISMEMBER', KEYS[3], ARGV[3]) == 1 then
  -- A dead letter keeps the reason only: not what was said, nor to whom
  -- (a group's id stays).
  redis.call('HSET', mkey, 'state', 'failed', 'reason', 'blocked: the user blocked the bot')
  redis.call('HDEL', mkey, 'p')
  if tonumber(ARGV[3]) > 0 then redis.call('HDEL', mkey, 'chat') end
  redis.call('ZADD', KEYS[4], now, id)
  if ARGV[5] ~= '' then redis.call('HINCRBY', batchkey(base, ARGV[5]), 'failed', 1) end
  return {id, 0}
end
redis.call('INCR', chatqueuedkey(base, ARGV[3]))
redis.call('EXPIRE', chatqueuedkey(base, ARGV[3]), ARGV[7])
redis.call('SADD', chatmsgskey(base, ARGV[3]), id)
redis.call('EXPIRE', chatmsgskey(base, ARGV[3]), ARGV[7])
local due = tonumber(ARGV[6])
if due <= 0 then due = now end
redis.call('HSET', mkey, 'due', due)
redis.call('ZADD', KEYS[1], due, id)
return {id, cleared}
