-- Records a contact-gap nudge to a guardian about those of the children
-- named that they still guard at the home and were not nudged about
-- within the spacing: the user hash's nudge:<child> fields (unix ms).
-- Fields past the spacing are shed first (a child unlinked since keeps
-- none for long). Nothing is written for a user hash that is gone (the
-- person was forgotten).
-- KEYS[1] the guardian's user hash
-- ARGV[1] prefix, ARGV[2] home, ARGV[3] now (unix ms), ARGV[4] spacing (ms), ARGV[5..] child ids
-- Returns the ids of the children the nudge may name.
local home, now, every = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local flat = redis.call('HGETALL', KEYS[1])
if #flat == 0 then return {} end
local user = {}
for i = 1, #flat, 2 do
  local f, v = flat[i], flat[i + 1]
  if string.sub(f, 1, 6) == 'nudge:' and (tonumber(v) or 0) + every <= now then
    redis.call('HDEL', KEYS[1], f)
  else
    user[f] = v
  end
end
local out = {}
for i = 5, #ARGV do
  local c = ARGV[i]
  local g = user['g:' .. c]
  if g and string.sub(g, 1, #home + 1) == home .. ':' and not user['nudge:' .. c] then
    redis.call('HSET', KEYS[1], 'nudge:' .. c, ARGV[3])
    user['nudge:' .. c] = ARGV[3]
    out[#out + 1] = c
  end
end
return out
