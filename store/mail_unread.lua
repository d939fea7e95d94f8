-- Counts each child's waiting items at a home.
-- ARGV[1] prefix, ARGV[2] home
-- Returns {child, count, …} for the children with any.
local p, home = ARGV[1], ARGV[2]
local out = {}
for _, c in ipairs(redis.call('ZRANGE', hkey(p, home, 'children'), 0, -1)) do
  local n = redis.call('ZCARD', hkey(p, home, 'unread:' .. c))
  if n > 0 then
    out[#out + 1] = c
    out[#out + 1] = n
  end
end
return out
