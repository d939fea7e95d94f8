-- Forgets the given people if they still hold no role and have still not
-- written since the cutoff (they may have, since strangers_due listed them),
-- with the history of calls they booked when they were a guardian.
-- KEYS[1] last-seen zset, KEYS[2] known users zset
-- ARGV[1] prefix, ARGV[2] cutoff (unix s), ARGV[3..] ids
-- Returns the ids forgotten.
local p = ARGV[1]
local gone = {}
for i = 3, #ARGV do
  local id = ARGV[i]
  local seen = redis.call('ZSCORE', KEYS[1], id)
  if seen and tonumber(seen) <= tonumber(ARGV[2]) and not holdsrole(p, id) then
    calls_erase(p, id)
    mail_forget(p, id)
    erase(p, id, KEYS[2], KEYS[1])
    gone[#gone + 1] = id
  end
end
return gone
