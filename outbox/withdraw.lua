-- Withdraws a slice of a stopped batch's messages (CancelBatch, second
-- step, about a thousand ids at a time so that Redis is never held long):
-- each that still waits in its lane, or whose worker's lease ran out (the
-- worker died, or is too late to record it), ends failed with reason
-- 'cancelled', counted in the batch's failed and why:cancelled (its
-- chat has one fewer waiting, as when sent: done in _queue.lua). A
-- message a worker holds is left to it: it is sent as usual. Already
-- ended, or of another batch, an id is passed over, so a slice may be
-- withdrawn twice.
-- KEYS[1..3] lanes 0..2, KEYS[4] inflight
-- ARGV[1] key base, ARGV[2] the batch, ARGV[3] done-record TTL s, ARGV[4..] message ids
-- Returns how many it withdrew.
local base, batch = ARGV[1], ARGV[2]
local now = now_ms()
local reason = 'cancelled: the batch was cancelled'
local n = 0
for i = 4, #ARGV do
  local id = ARGV[i]
  local mkey = msgkey(base, id)
  local m = redis.call('HMGET', mkey, 'state', 'batch', 'lane')
  if m[1] == 'queued' and m[2] == batch then
    local lease = redis.call('ZSCORE', KEYS[4], id)
    if not lease or tonumber(lease) <= now then
      redis.call('ZREM', KEYS[1 + tonumber(m[3])], id)
      if lease then redis.call('ZREM', KEYS[4], id) end
      done(base, mkey, id)
      -- No claim may record it now (owner '-'): a late worker's record
      -- changes nothing.
      redis.call('HSET', mkey, 'state', 'failed', 'reason', reason, 'done', now, 'owner', '-')
      forget_person(mkey)
      redis.call('EXPIRE', mkey, ARGV[3])
      n = n + 1
    end
  end
end
count_failed(base, batch, reason, n)
return n
