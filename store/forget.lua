-- Forgets a user: every role and link, the invitations they opened, then
-- every key of theirs but the wrong-code counter, which runs out on its
-- own (forgetting must not reset a throttle).
-- KEYS[1] user hash, KEYS[2] session, KEYS[3] seen, KEYS[4] made zset, KEYS[5] known users zset,
-- KEYS[6] last-seen zset
-- ARGV[1] prefix, ARGV[2] user id
-- Returns the children they were a guardian of, as "<home>:<child>:<relationship>".
local p, uid = ARGV[1], ARGV[2]
local left = {}
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  local f, v = fields[i], fields[i + 1]
  local kind, n = string.match(f, '^(%a):(%d+)$')
  if kind == 'c' then
    redis.call('SREM', hkey(p, n, 'coordinators'), uid)
  elseif kind == 't' then
    redis.call('SREM', hkey(p, n, 'teachers'), uid)
  elseif kind == 'g' then
    local home, rel = string.match(v, '^(%d+):(.*)$')
    if home then redis.call('HDEL', hkey(p, home, 'links:' .. n), uid) end
    if home and redis.call('HDEL', hkey(p, home, 'guardians:' .. n), uid) == 1 then
      left[#left + 1] = home .. ':' .. n .. ':' .. rel
    end
  end
end
-- Records of who acted that name them (as the one who acted or the one
-- acted on), the invitations they opened, and their own keys.
erase(p, uid, KEYS[5], KEYS[6])
return left
