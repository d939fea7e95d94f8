-- Limiter helpers, prepended to every outbox script after _keys.lua.
-- Time is Redis's, so every replica reads the same clock.

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- chat_wait: ms until a send into chat is allowed by its pause and its own
-- rate (GCRA with a burst), 0 when it may go now.
local function chat_wait(base, chat, now, ci, cburst, gi, gburst)
  local p = redis.call('PTTL', chatpausekey(base, chat))
  if p > 0 then return p end
  local interval, burst = ci, cburst
  if tonumber(chat) < 0 then interval, burst = gi, gburst end
  local tat = tonumber(redis.call('GET', chattatkey(base, chat)) or '0')
  local wait = tat - now - (burst - 1) * interval
  if wait > 0 then return wait end
  return 0
end

-- take_chat spends one of the chat's slots for a send at 'at' (ms), when
-- its bot-wide slot comes: counted when it is sent, not when it was
-- booked, or sends booked most of a second ahead and one that goes at
-- once would reach the chat closer together than its limit allows.
local function take_chat(base, chat, at, ci, gi)
  local interval = ci
  if tonumber(chat) < 0 then interval = gi end
  local key = chattatkey(base, chat)
  local tat = math.max(tonumber(redis.call('GET', key) or '0'), at) + interval
  redis.call('SET', key, tat, 'PX', math.ceil(tat - at) + 60000)
end

-- take_global reserves the limiter's next slot unless it lies more than
-- ahead ms in the future; returns the ms to wait before sending, or nil
-- and the ms until a slot could be reserved. A slot missed by less than
-- half an interval (a worker woke late) is still taken, so the limiter
-- does not drift below its rate; the pacing margin absorbs that half.
local function take_global(key, now, interval, ahead)
  if interval <= 0 then return 0 end
  local tat = math.max(tonumber(redis.call('GET', key) or '0'), now - interval / 2)
  if tat - now > ahead then return nil, tat - now - ahead end
  redis.call('SET', key, tat + interval, 'PX', math.ceil(tat + interval - now) + 60000)
  return math.max(tat - now, 0)
end
