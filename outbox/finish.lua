-- Records what became of a message a worker held. Only the claim that
-- holds the message may record it (ARGV[8], its token): a record that
-- arrives after the lease ran out and another worker claimed the message
-- changes nothing. Recording the same outcome twice (a retried call whose
-- first try ran after all) changes nothing more than the first did: a
-- final outcome is counted once (by the state it moves from), and any
-- other is recorded only while the message is still held.
-- KEYS[1] inflight, KEYS[2] message hash, KEYS[3] dead, KEYS[4] unreachable, KEYS[5] pause
-- ARGV[1] key base, ARGV[2] id, ARGV[3] outcome: sent | retry | failed | blocked | paused | requeue
-- ARGV[4] Telegram message id (sent) or reason, ARGV[5] ms until due again (retry, paused),
-- ARGV[6] the chat a pause holds, 0 for the whole bot (paused), ARGV[7] done-record TTL s,
-- ARGV[8] the claim's token ('' for a message no worker claimed: a dead letter of the fast path)
-- Returns 0 when nothing was recorded (another claim holds the message, or
-- its record expired), 2 when this made the chat unreachable (it was
-- reachable until now), else 1.
local base, id, outcome = ARGV[1], ARGV[2], ARGV[3]
local now = now_ms()
local lane = redis.call('HGET', KEYS[2], 'lane')
if not lane then
  redis.call('ZREM', KEYS[1], id)
  return 0
end
if (redis.call('HGET', KEYS[2], 'owner') or '') ~= ARGV[8] then return 0 end
local final = outcome == 'sent' or outcome == 'failed' or outcome == 'blocked'
-- Not held: recorded already, or its lease ran out and it waits in its
-- lane again; either way it will be sent.
if not final and not redis.call('ZSCORE', KEYS[1], id) then return 1 end
redis.call('ZREM', KEYS[1], id)
local batch = redis.call('HGET', KEYS[2], 'batch') or ''
local function count(field)
  if batch ~= '' then redis.call('HINCRBY', batchkey(base, batch), field, 1) end
end
if final then
  -- It must not wait in a lane (a dead letter recorded on the fast path
  -- was queued far in the future only to get a record; a send recorded
  -- after its lease ran out was put back).
  redis.call('ZREM', lanekey(base, lane), id)
end
if outcome == 'sent' then
  done(base, KEYS[2], id)
  if redis.call('HGET', KEYS[2], 'state') ~= 'sent' then count('sent') end
  redis.call('HSET', KEYS[2], 'state', 'sent', 'tgid', ARGV[4], 'done', now)
  forget_person(KEYS[2])
  redis.call('EXPIRE', KEYS[2], ARGV[7])
elseif outcome == 'retry' then
  redis.call('HSET', KEYS[2], 'reason', ARGV[4])
  redis.call('ZADD', lanekey(base, lane), now + tonumber(ARGV[5]), id)
elseif outcome == 'paused' then
  local pkey = KEYS[5]
  if ARGV[6] ~= '0' then pkey = chatpausekey(base, ARGV[6]) end
  local ms = tonumber(ARGV[5])
  if redis.call('PTTL', pkey) < ms then redis.call('SET', pkey, '1', 'PX', ms) end
  redis.call('HSET', KEYS[2], 'reason', ARGV[4])
  -- Back in its old place: the pause holds it, and its chat's order stays.
  redis.call('ZADD', lanekey(base, lane), redis.call('HGET', KEYS[2], 'due') or now, id)
elseif outcome == 'requeue' then
  -- Claimed but not sent (a pause began, or its slot passed, meanwhile):
  -- as if never taken.
  redis.call('HINCRBY', KEYS[2], 'attempts', -1)
  redis.call('ZADD', lanekey(base, lane), redis.call('HGET', KEYS[2], 'due') or now, id)
else -- failed or blocked
  local result = 1
  local chat = redis.call('HGET', KEYS[2], 'chat')
  -- (A repeat finds no chat: the first record forgot it, and marked it.)
  if outcome == 'blocked' and chat then result = 1 + redis.call('SADD', KEYS[4], chat) end
  done(base, KEYS[2], id)
  if redis.call('HGET', KEYS[2], 'state') ~= 'failed' then count_failed(base, batch, ARGV[4]) end
  redis.call('HSET', KEYS[2], 'state', 'failed', 'reason', ARGV[4], 'done', now)
  forget_person(KEYS[2]) -- a dead letter keeps the reason
  redis.call('ZADD', KEYS[3], now, id)
  redis.call('EXPIRE', KEYS[2], ARGV[7])
  return result
end
return 1
