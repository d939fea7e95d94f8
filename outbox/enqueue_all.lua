-- Queues several messages in order, each as enqueue.lua queues one
-- (enqueue_one in _queue.lua), all or none: every message is checked
-- before the first is queued, so a bad one leaves nothing behind. Each
-- message after the first to a chat records the one before it ('after'):
-- a claim hands it out only once that one is sent or failed (behind in
-- _queue.lua), so the chat gets them in order even when several workers
-- send at once, whatever their lanes.
-- KEYS[1] lane 0, KEYS[2] lane 1, KEYS[3] lane 2, KEYS[4] seq,
-- KEYS[5] unreachable, KEYS[6] dead, KEYS[7] (optional) the once key
-- (EnqueueAllOnce): set for the record TTL by the call that queues the
-- messages; a call that finds it set queues nothing and returns {'once'}
-- ARGV[1] key base, ARGV[2] record TTL s, then 8 for each message:
-- lane number, chat, payload (sealed), batch ('' for none), due unix ms
-- (0: now), '1' for a reply, most messages that may wait for the chat
-- (0: no cap), '1' for a droppable message
-- Returns {id, cleared, why, id, cleared, why, ...} in the messages'
-- order: cleared is 1 when that message made its chat reachable again; an
-- id is '' when the message was not queued, and why says why: 'backlog'
-- (its chat's) or 'cancelled' (its batch).
local per = 8
local n = (#ARGV - 2) / per
if n ~= math.floor(n) then return redis.error_reply('enqueue_all: ' .. #ARGV .. ' arguments') end
for i = 0, n - 1 do
  local a = 2 + i * per
  local lane = tonumber(ARGV[a + 1])
  if lane ~= 0 and lane ~= 1 and lane ~= 2 then
    return redis.error_reply('enqueue_all: message ' .. (i + 1) .. ': no lane ' .. ARGV[a + 1])
  end
  if not tonumber(ARGV[a + 2]) or not tonumber(ARGV[a + 5]) or not tonumber(ARGV[a + 7]) then
    return redis.error_reply('enqueue_all: message ' .. (i + 1) .. ': bad chat, due or cap')
  end
end
if KEYS[7] and not redis.call('SET', KEYS[7], '1', 'NX', 'EX', ARGV[2]) then return {'once'} end
local base, now = ARGV[1], now_ms()
local out, last = {}, {}
for i = 0, n - 1 do
  local a = 2 + i * per
  local lane = tonumber(ARGV[a + 1])
  local id, cleared, why = enqueue_one(base, now,
    {lane = KEYS[lane + 1], seq = KEYS[4], unreachable = KEYS[5], dead = KEYS[6]},
    {lane = ARGV[a + 1], chat = ARGV[a + 2], payload = ARGV[a + 3], batch = ARGV[a + 4],
     due = ARGV[a + 5], ttl = ARGV[2], reply = ARGV[a + 6], cap = ARGV[a + 7],
     droppable = ARGV[a + 8]})
  if id ~= '' then
    local chat = ARGV[a + 2]
    if last[chat] then redis.call('HSET', msgkey(base, id), 'after', last[chat]) end
    last[chat] = id
  end
  out[#out + 1] = id
  out[#out + 1] = cleared
  out[#out + 1] = why
end
return out
