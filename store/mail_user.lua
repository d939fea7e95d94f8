-- Reads the items that name a person (left by them, or a reply sent to
-- or recorded by them), oldest first.
-- ARGV[1] prefix, ARGV[2] user
-- Returns {home, child, record, …}.
local p, uid = ARGV[1], ARGV[2]
local out = {}
for _, m in ipairs(redis.call('ZRANGE', ukey(p, uid, 'mail'), 0, -1)) do
  local home, child, id = string.match(m, '^(%d+)%.(%d+)%.(%d+)$')
  local raw = home and redis.call('HGET', mail_box(p, home, child), id)
  if raw then
    out[#out + 1] = home
    out[#out + 1] = child
    out[#out + 1] = raw
  end
end
return out
