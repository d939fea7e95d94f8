-- Deletes a home's items whose time to go has come, at most a batch.
-- ARGV[1] prefix, ARGV[2] home, ARGV[3] now (ms), ARGV[4] batch
-- Returns how many went.
local p, home = ARGV[1], ARGV[2]
local n = 0
for _, m in ipairs(redis.call('ZRANGEBYSCORE', hkey(p, home, 'mailexp'), '-inf', ARGV[3], 'LIMIT', 0, tonumber(ARGV[4]))) do
  local child, id = string.match(m, '^(%d+)%.(%d+)$')
  if child then mail_delete(p, home, child, id) end
  redis.call('ZREM', hkey(p, home, 'mailexp'), m)
  n = n + 1
end
return n
