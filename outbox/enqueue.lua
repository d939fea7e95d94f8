-- Queues a message (enqueue_one in _queue.lua says how).
-- KEYS[1] lane, KEYS[2] seq, KEYS[3] unreachable, KEYS[4] dead
-- ARGV[1] key base, ARGV[2] lane number, ARGV[3] chat, ARGV[4] payload (sealed),
-- ARGV[5] batch ('' for none), ARGV[6] due unix ms (0: now), ARGV[7] record TTL s,
-- ARGV[8] '1' for a reply, ARGV[9] most messages that may wait for the chat (0: no cap),
-- ARGV[10] '1' for a droppable message
-- Returns {message id, cleared, why}: cleared is 1 when the chat became
-- reachable again; the id is '' when the message was not queued, and why
-- says why: 'backlog' (its chat's) or 'cancelled' (its batch).
local id, cleared, why = enqueue_one(ARGV[1], now_ms(),
  {lane = KEYS[1], seq = KEYS[2], unreachable = KEYS[3], dead = KEYS[4]},
  {lane = ARGV[2], chat = ARGV[3], payload = ARGV[4], batch = ARGV[5], due = ARGV[6],
   ttl = ARGV[7], reply = ARGV[8], cap = ARGV[9], droppable = ARGV[10]})
return {id, cleared, why}
