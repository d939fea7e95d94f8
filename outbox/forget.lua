-- Forgets a chat: every message still waiting for it (in a lane, or held
-- by a worker, which then finds no record to write), the index of them,
-- its counter and last queued ids, pacing and pauses, and its unreachable
-- mark. A purged message of a batch counts as failed (reason class
-- 'forgotten'), so the batch still ends.
-- KEYS[1..3] lanes 0..2, KEYS[4] inflight, KEYS[5] dead, KEYS[6] unreachable
-- ARGV[1] key base, ARGV[2] chat
-- Returns how many messages were purged.
local base, chat = ARGV[1], ARGV[2]
local index = chatmsgskey(base, chat)
local ids = redis.call('SMEMBERS', index)
for _, id in ipairs(ids) do
  local mkey = msgkey(base, id)
  for i = 1, 5 do redis.call('ZREM', KEYS[i], id) end
  local batch = redis.call('HGET', mkey, 'batch') or ''
  if batch ~= '' and redis.call('HGET', mkey, 'state') == 'queued' then
    count_failed(base, batch, 'forgotten: the person was forgotten')
    redis.call('SREM', batchidskey(base, batch), id)
  end
  redis.call('DEL', mkey)
end
redis.call('DEL', index, chatqueuedkey(base, chat), chatlastkey(base, chat), chattatkey(base, chat), chatpausekey(base, chat))
redis.call('SREM', KEYS[6], chat)
return #ids
