-- Queueing helpers, prepended to every outbox script after _keys.lua and
-- _limits.lua (they use both): enqueue.lua queues one message with
-- enqueue_one, enqueue_all.lua several in one call; finish.lua, forget.lua
-- and cancel.lua end a message's wait with done and count it with
-- count_failed.
--
-- done: a message that waited for its chat no longer does (sent, failed or
-- withdrawn): the chat has one message fewer waiting, so replies may go
-- direct again. Once only: a repeat finds the state moved on.
local function done(base, mkey, id)
  if redis.call('HGET', mkey, 'state') ~= 'queued' then return end
  local chat = redis.call('HGET', mkey, 'chat')
  local key = chatqueuedkey(base, chat)
  if redis.call('DECR', key) <= 0 then redis.call('DEL', key, chatlastkey(base, chat)) end
  redis.call('SREM', chatmsgskey(base, chat), id)
end

-- forget_person: what was said is no longer needed once it is said or
-- refused, nor which person it went to (a group's id stays: a migrated
-- group's new id is news).
local function forget_person(mkey)
  redis.call('HDEL', mkey, 'p')
  if tonumber(redis.call('HGET', mkey, 'chat') or '0') > 0 then redis.call('HDEL', mkey, 'chat') end
end

-- The classes of a failed message's reason: its text up to the first ':'
-- (reasons.go words them and says what each means). Anything else is
-- 'other', so a batch's counters stay few whatever Telegram says.
local reason_classes = {['blocked'] = true, ['bad request'] = true, ['not found'] = true,
  ['gave up'] = true, ['unreadable'] = true, ['cancelled'] = true, ['forgotten'] = true}
local function reason_class(reason)
  local class = string.match(reason or '', '^([^:]*):')
  if class and reason_classes[class] then return class end
  return 'other'
end

-- count_failed counts n (1 when nil) more failed messages of batch (''
-- for none) in its hash: in 'failed', all of them, and in 'why:<class>'
-- by their reason's class (BatchStatus.Reasons; its Blocked and
-- Cancelled are two of those classes).
local function count_failed(base, batch, reason, n)
  if batch == '' or n == 0 then return end
  local bkey = batchkey(base, batch)
  redis.call('HINCRBY', bkey, 'failed', n or 1)
  redis.call('HINCRBY', bkey, 'why:' .. reason_class(reason), n or 1)
end

-- follow links a message queued to go at once to the one queued before
-- it to its chat in its lane (its 'prev'), if that one still waits: a
-- claim hands it out only once that one is sent or failed (behind), so a
-- chat gets a lane's messages in the order they were queued, one at a
-- time, even when they tie in the lane (the same millisecond, where Redis
-- orders ids as text: 100 before 96) and the chat's burst would let
-- several workers send at once. Lanes keep their priority: a reply does
-- not wait for a broadcast to its chat. A message queued for later is
-- not linked, nor is anything linked to it.
local function follow(base, chat, lane, id, mkey, ttl)
  local lkey = chatlastkey(base, chat)
  local prev = redis.call('HGET', lkey, lane)
  if prev and redis.call('HGET', msgkey(base, prev), 'state') == 'queued' then
    redis.call('HSET', mkey, 'prev', prev)
  end
  redis.call('HSET', lkey, lane, id)
  redis.call('EXPIRE', lkey, ttl)
end

-- enqueue_one queues a message. A message to an unreachable chat is
-- dead-lettered at once, unless it is a reply to the chat a person just
-- wrote from: that clears the chat's unreachable mark instead. An
-- interactive message is not queued behind too long a backlog of its
-- chat: a droppable one (a hint about unexpected text) as soon as
-- anything waits for the chat, any other once the cap is reached. A
-- message of a batch CancelBatch stopped is left out, and not counted.
-- k: {lane, seq, unreachable, dead} keys; m: {lane, chat, payload (sealed),
-- batch ('' for none), due (unix ms, 0: now), ttl (record TTL s), reply
-- ('1'), cap (most messages that may wait for the chat, 0: no cap),
-- droppable ('1')}, every field a string as ARGV gives it.
-- Returns the message id ('' when it was left out), cleared: 1 when the
-- chat became reachable again, and why it was left out ('backlog' or
-- 'cancelled'; '' when it was not).
local function enqueue_one(base, now, k, m)
  if m.batch ~= '' and redis.call('HEXISTS', batchkey(base, m.batch), 'stopped') == 1 then
    return '', 0, 'cancelled'
  end
  local cleared = 0
  if m.reply == '1' then cleared = redis.call('SREM', k.unreachable, m.chat) end
  local waiting = tonumber(redis.call('GET', chatqueuedkey(base, m.chat)) or '0')
  local cap = tonumber(m.cap)
  if (m.droppable == '1' and waiting > 0) or (cap > 0 and waiting >= cap) then
    return '', cleared, 'backlog'
  end
  local id = tostring(redis.call('INCR', k.seq))
  local mkey = msgkey(base, id)
  redis.call('HSET', mkey, 'lane', m.lane, 'chat', m.chat, 'p', m.payload, 'state', 'queued',
    'attempts', 0, 'enq', now, 'batch', m.batch)
  redis.call('EXPIRE', mkey, m.ttl)
  if m.batch ~= '' then
    local bkey, bids = batchkey(base, m.batch), batchidskey(base, m.batch)
    redis.call('HINCRBY', bkey, 'total', 1)
    redis.call('SADD', bids, id)
    redis.call('EXPIRE', bkey, m.ttl)
    redis.call('EXPIRE', bids, m.ttl)
  end
  if m.reply == '1' then
    redis.call('HSET', mkey, 'reply', '1')
  elseif redis.call('SISMEMBER', k.unreachable, m.chat) == 1 then
    -- A dead letter keeps the reason only: not what was said, nor to whom
    -- (a group's id stays).
    local reason = 'blocked: the user blocked the bot'
    redis.call('HSET', mkey, 'state', 'failed', 'reason', reason)
    forget_person(mkey)
    redis.call('ZADD', k.dead, now, id)
    count_failed(base, m.batch, reason)
    return id, 0, ''
  end
  local cq, cm = chatqueuedkey(base, m.chat), chatmsgskey(base, m.chat)
  redis.call('INCR', cq)
  redis.call('EXPIRE', cq, m.ttl)
  redis.call('SADD', cm, id)
  redis.call('EXPIRE', cm, m.ttl)
  local due = tonumber(m.due)
  if due <= 0 then
    due = now
    follow(base, m.chat, m.lane, id, mkey, m.ttl)
  end
  redis.call('HSET', mkey, 'due', due)
  redis.call('ZADD', k.lane, due, id)
  return id, cleared, ''
end

-- behind: whether a message must wait for one queued before it to its
-- chat: the one before it in its lane (its 'prev', follow) or in the same
-- EnqueueAll (its 'after', whatever the lane), while that one is still
-- queued or in a worker's hands. Sent, failed or forgotten, it is out of
-- the way.
local function behind(base, mkey)
  local before = redis.call('HMGET', mkey, 'prev', 'after')
  for _, id in ipairs({before[1], before[2]}) do
    if id and redis.call('HGET', msgkey(base, id), 'state') == 'queued' then return true end
  end
  return false
end
