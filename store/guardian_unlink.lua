-- Unlinks a guardian from a child, remembering who did it and which link
-- it was; the active calls they booked for the child are cancelled (by
-- who acts). Their standing calls for the child end at their next renewal.
-- What they left in the child's mailbox that was not heard yet goes: a
-- teacher who unlinks a parent must not then play that parent's messages
-- to the child.
-- KEYS[1] guardians hash, KEYS[2] the guardian's user hash, KEYS[3] the acted record,
-- KEYS[4] the child's links hash
-- ARGV[1] prefix, ARGV[2] child id, ARGV[3] user id, ARGV[4] who acts,
-- ARGV[5] now (unix ms), ARGV[6] how long to remember who acted (s),
-- ARGV[7] the invitation that made the link to unlink ('0': whichever), ARGV[8] home id,
-- ARGV[9..12] clock (see _calls.lua)
-- Returns 1 when they were linked (by that link), -1 when who acts does
-- not teach at the home (now).
local p = ARGV[1]
if not teaches(p, ARGV[4], ARGV[8]) then return -1 end
if ARGV[7] ~= '0' and redis.call('HGET', KEYS[4], ARGV[3]) ~= ARGV[7] then return 0 end
if redis.call('HDEL', KEYS[1], ARGV[3]) == 0 then return 0 end
redis.call('HDEL', KEYS[2], 'g:' .. ARGV[2], 'consent:g:' .. ARGV[2])
local link = redis.call('HGET', KEYS[4], ARGV[3]) or '0'
redis.call('HDEL', KEYS[4], ARGV[3])
calls_cancel(call_clock(9), ARGV[8], child_call_ids(p, ARGV[8], ARGV[2]),
  function(c) return c.g == ARGV[3] end, ARGV[4], '')
mail_drop_unheard(p, ARGV[8], ARGV[2], ARGV[3])
actedrecord(p, KEYS[3], ARGV[4], ARGV[5], ARGV[6], {ARGV[4], ARGV[3]}, {'link', link})
return 1
