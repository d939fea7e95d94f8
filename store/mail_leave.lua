-- Keeps an item a guardian left for a child, counts it in the home's
-- week and the sender's day, and plans each teacher's notice (mail_notify).
-- It is a contact with the child (contact_note).
-- ARGV[1] prefix, ARGV[2] sender, ARGV[3] home, ARGV[4] child, ARGV[5] now (ms),
-- ARGV[6] week (the home's), ARGV[7] day (the sender's MailDay), ARGV[8] daily limit,
-- ARGV[9] kind, ARGV[10] file id, ARGV[11] text, ARGV[12] notice spacing (ms),
-- ARGV[13] retention (ms)
-- Returns {'ok', record, items left today}, {'limit'} or {'denied'}.
local p, by, home, child, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
if not redis.call('ZSCORE', hkey(p, home, 'children'), child) then return {'denied'} end
local rel = redis.call('HGET', hkey(p, home, 'guardians:' .. child), by)
if not rel then return {'denied'} end
local day = hkey(p, home, 'mailday:' .. child .. ':' .. by .. ':' .. ARGV[7])
local n, limit = tonumber(redis.call('GET', day) or '0'), tonumber(ARGV[8])
if n >= limit then return {'limit'} end
redis.call('INCR', day)
redis.call('EXPIRE', day, 172800)
local id = tostring(redis.call('INCR', p .. 'seq:mail'))
local rec = {id = id, k = ARGV[9], u = by, r = rel, at = ARGV[5]}
if ARGV[10] ~= '' then rec.f = ARGV[10] end
if ARGV[11] ~= '' then rec.x = ARGV[11] end
local raw = cjson.encode(rec)
redis.call('HSET', mail_box(p, home, child), id, raw)
redis.call('ZADD', mail_unread(p, home, child), id, id)
redis.call('ZADD', hkey(p, home, 'mailexp'), string.format('%.0f', now + tonumber(ARGV[13])), child .. '.' .. id)
redis.call('ZADD', ukey(p, by, 'mail'), ARGV[5], mail_member(home, child, id))
mail_count(p, home, ARGV[6], 'mail.in', 1)
contact_note(p, home, child, now, ARGV[6])
mail_notify(p, home, now, tonumber(ARGV[12]))
return {'ok', raw, limit - n - 1}
