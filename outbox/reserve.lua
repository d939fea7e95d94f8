-- The fast path of an interactive message: if nothing stands in its way,
-- reserve a slot so the caller can send it at once, without queueing.
-- A reply to the chat a person just wrote from clears the chat's
-- unreachable mark (writing to the bot makes them reachable again);
-- anything else to an unreachable chat is refused.
-- KEYS[1] tat, KEYS[2] pause, KEYS[3] unreachable
-- ARGV[1] key base, ARGV[2] chat, ARGV[3] interval ms, ARGV[4] chat interval,
-- ARGV[5] chat burst, ARGV[6] group interval, ARGV[7] group burst, ARGV[8] most ms to wait,
-- ARGV[9] '1' for a reply
-- Returns {'go', delay ms, cleared}, {'queue', cleared} or {'blocked'};
-- cleared is 1 when this call made the chat reachable again.
local base, chat = ARGV[1], ARGV[2]
local cleared = 0
if redis.call('SISMEMBER', KEYS[3], chat) == 1 then
  if ARGV[9] ~= '1' then return {'blocked'} end
  cleared = redis.call('SREM', KEYS[3], chat)
end
if redis.call('PTTL', KEYS[2]) > 0 then return {'queue', cleared} end
-- Messages already waiting for this chat go first: keep the chat's order.
if redis.call('EXISTS', chatqueuedkey(base, chat)) == 1 then return {'queue', cleared} end
local now = now_ms()
if chat_wait(base, chat, now, tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])) > 0 then
  return {'queue', cleared}
end
local delay = take_global(KEYS[1], now, tonumber(ARGV[3]), tonumber(ARGV[8]))
if not delay then return {'queue', cleared} end
take_chat(base, chat, now + delay, tonumber(ARGV[4]), tonumber(ARGV[6]))
return {'go', delay, cleared}
