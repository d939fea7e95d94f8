-- Reads a page of a child's waiting items for a teacher of its home.
-- ARGV[1] prefix, ARGV[2] teacher, ARGV[3] home, ARGV[4] child,
-- ARGV[5] after (an item id; 0 from the start), ARGV[6] page size
-- Returns {'ok', items waiting after the page, record…} or {'denied'}.
local p, by, home, child = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if not teaches(p, by, home) or not redis.call('ZSCORE', hkey(p, home, 'children'), child) then
  return {'denied'}
end
local unread = mail_unread(p, home, child)
local ids = redis.call('ZRANGEBYSCORE', unread, '(' .. ARGV[5], '+inf', 'LIMIT', 0, tonumber(ARGV[6]))
local out = {'ok', 0}
if #ids == 0 then return out end
out[2] = redis.call('ZCOUNT', unread, '(' .. ids[#ids], '+inf')
for _, raw in ipairs(redis.call('HMGET', mail_box(p, home, child), unpack(ids))) do
  if raw then out[#out + 1] = raw end
end
return out
