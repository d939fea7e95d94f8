-- Upgrade: invitations an older release made record no maker and keep
-- plain SHA-256 digests, so they can no longer open; revoke them, so the
-- homes' lists stop showing them as open. Done once (marked in upgrades).
-- Coordinators' invitations belong to no home's list: they cannot open
-- either, and run out with INVITE_TTL.
-- KEYS[1] homes set, KEYS[2] upgrades set
-- ARGV[1] prefix
local p = ARGV[1]
if redis.call('SISMEMBER', KEYS[2], 'invites:by') == 1 then return 0 end
local n = 0
for _, h in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  for _, id in ipairs(redis.call('ZRANGE', hkey(p, h, 'invites'), 0, -1)) do
    if redis.call('HEXISTS', invitekey(p, id), 'by') == 0 then
      revokeinvite(p, id)
      redis.call('ZREM', hkey(p, h, 'invites'), id)
      n = n + 1
    end
  end
end
redis.call('SADD', KEYS[2], 'invites:by')
return n
