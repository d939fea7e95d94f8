-- Hands a worker the next message to send: the first due message of the
-- highest-priority lane whose chat and limiter allow it now, with a lease.
-- Messages whose lease ran out (their worker died) go back to their lane.
-- A message to a chat that became unreachable after it was queued is
-- handed out without a slot, to be recorded as blocked unsent (unless it
-- is a reply, which went in knowing the chat had just written).
-- KEYS[1..3] lanes 0..2, KEYS[4] inflight, KEYS[5] tat, KEYS[6] tat:paid, KEYS[7] pause,
-- KEYS[8] unreachable
-- ARGV[1] key base, ARGV[2] lease ms, ARGV[3] interval ms (bot-wide),
-- ARGV[4] paid interval ms (0: bulk shares the bot-wide limit),
-- ARGV[5] chat interval ms, ARGV[6] chat burst, ARGV[7] group interval ms,
-- ARGV[8] group burst, ARGV[9] candidates read at a time, ARGV[10] the claim's
-- token (new for every claim: only the claim holding a message may record it, finish.lua),
-- ARGV[11] most candidates looked at per lane
-- A chat found waiting for its own limit is passed over, and so are its
-- later messages (read, not weighed again): one chat's backlog, however
-- long, does not hide the chats behind it. The lane is read a page at a
-- time, further only while every candidate so far had to wait. A message
-- queued after another to its chat and lane, or by EnqueueAll after
-- another to its chat, waits until that one is sent or failed (behind in
-- _queue.lua): a chat has one message of a lane in flight at a time.
-- Returns {'go', id, payload, delay ms}, {'drop', id, lane} or {'wait', ms}.
local base = ARGV[1]
local now = now_ms()
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now, 'LIMIT', 0, 100)) do
  local lane = redis.call('HGET', msgkey(base, id), 'lane')
  redis.call('ZREM', KEYS[4], id)
  if lane then redis.call('ZADD', KEYS[1 + tonumber(lane)], now, id) end
end
local p = redis.call('PTTL', KEYS[7])
if p > 0 then return {'wait', p} end
local earliest = 1000
local interval = tonumber(ARGV[3])
for lane = 0, 2 do
  local tatkey, li, ahead = KEYS[5], interval, 1000
  if lane == 2 then
    if tonumber(ARGV[4]) > 0 then tatkey, li = KEYS[6], tonumber(ARGV[4]) end
    -- Bulk books at most half a slot ahead (at least 1 ms, the clock's
    -- grain): enough to keep the limiter busy, and a reply arriving at any
    -- moment waits at most one slot behind it.
    ahead = math.max(li / 2, 1)
  end
  local waiting = {} -- chats found waiting for their own limit in this claim
  local page, most = tonumber(ARGV[9]), tonumber(ARGV[11])
  local offset, blocked = 0, false
  while not blocked and offset < most do
    local ids = redis.call('ZRANGEBYSCORE', KEYS[1 + lane], '-inf', now, 'LIMIT', offset, page)
    if #ids == 0 then break end
    offset = offset + #ids
    for _, id in ipairs(ids) do
      if blocked then break end
      local mkey = msgkey(base, id)
      local chat = redis.call('HGET', mkey, 'chat')
      if not chat then
        redis.call('ZREM', KEYS[1 + lane], id) -- its record expired: nothing to send
      elseif waiting[chat] then
        -- behind its chat's first message, which must wait: so must it
      elseif redis.call('SISMEMBER', KEYS[8], chat) == 1 and redis.call('HGET', mkey, 'reply') ~= '1' then
        redis.call('ZREM', KEYS[1 + lane], id)
        redis.call('ZADD', KEYS[4], now + tonumber(ARGV[2]), id)
        redis.call('HSET', mkey, 'owner', ARGV[10])
        return {'drop', id, tostring(lane)}
      elseif behind(base, mkey) then
        -- the message queued before it to this chat goes first. The
        -- chat's other messages are still weighed (not marked waiting):
        -- a tie in the lane may put this one before the one it waits for.
      else
        local w = chat_wait(base, chat, now, tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]))
        if w > 0 then
          earliest = math.min(earliest, w)
          waiting[chat] = true
        else
          local delay, gw = take_global(tatkey, now, li, ahead)
          if not delay then
            earliest = math.min(earliest, gw)
            blocked = true
          else
            take_chat(base, chat, now + delay, tonumber(ARGV[5]), tonumber(ARGV[7]))
            redis.call('ZREM', KEYS[1 + lane], id)
            redis.call('ZADD', KEYS[4], now + tonumber(ARGV[2]), id)
            redis.call('HINCRBY', mkey, 'attempts', 1)
            redis.call('HSET', mkey, 'owner', ARGV[10])
            return {'go', id, redis.call('HGET', mkey, 'p'), delay}
          end
        end
      end
    end
  end
end
return {'wait', math.max(earliest, 1)}
