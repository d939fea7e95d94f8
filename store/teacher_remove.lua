-- Removes a teacher from a home, with the invitations they opened there:
-- what they made as its teacher is no longer theirs to give.
-- KEYS[1] teachers set, KEYS[2] the teacher's user hash, KEYS[3] the teacher's made zset
-- ARGV[1] prefix, ARGV[2] home id, ARGV[3] user id, ARGV[4] who removes them
-- Returns 1 when they taught there, 0 when not, -1 when who removes them
-- does not coordinate the home (now).
local p, home = ARGV[1], ARGV[2]
if not coordinates(p, ARGV[4], home) then return -1 end
if redis.call('SREM', KEYS[1], ARGV[3]) == 0 then return 0 end
redis.call('HDEL', KEYS[2], 't:' .. home, 'consent:t:' .. home)
redis.call('HDEL', hkey(p, home, 'mailnoticed'), ARGV[3])
for _, id in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do
  if redis.call('HGET', invitekey(p, id), 'home') == home then revokeinvite(p, id) end
end
return 1
