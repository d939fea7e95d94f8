-- Marks a child's waiting items up to an id heard, for a teacher of its
-- home: each keeps when, goes sooner (HeardRetention after now, when that
-- comes before its retention), is counted, and its sender gets a receipt
-- (agenda mail.heard keyed "<home>.<child>.<upto>", payload
-- "<sender>=<items>,…").
-- ARGV[1] prefix, ARGV[2] teacher, ARGV[3] home, ARGV[4] child, ARGV[5] up to (id),
-- ARGV[6] now (ms), ARGV[7] week (the home's), ARGV[8] retention (ms), ARGV[9] heard retention (ms)
-- Returns {'ok', record…} (the items marked; none when another teacher did first) or {'denied'}.
local p, by, home, child, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[6])
if not teaches(p, by, home) or not redis.call('ZSCORE', hkey(p, home, 'children'), child) then
  return {'denied'}
end
local unread, box = mail_unread(p, home, child), mail_box(p, home, child)
local ids = redis.call('ZRANGEBYSCORE', unread, '-inf', ARGV[5])
local out, senders, order = {'ok'}, {}, {}
for _, id in ipairs(ids) do
  local raw = redis.call('HGET', box, id)
  redis.call('ZREM', unread, id)
  if raw then
    local rec = cjson.decode(raw)
    rec.hd = ARGV[6]
    raw = cjson.encode(rec)
    redis.call('HSET', box, id, raw)
    local gone = math.min(tonumber(rec.at) + tonumber(ARGV[8]), now + tonumber(ARGV[9]))
    redis.call('ZADD', hkey(p, home, 'mailexp'), string.format('%.0f', gone), child .. '.' .. id)
    out[#out + 1] = raw
    if rec.u ~= '0' then
      if not senders[rec.u] then order[#order + 1] = rec.u end
      senders[rec.u] = (senders[rec.u] or 0) + 1
    end
  end
end
mail_count(p, home, ARGV[7], 'mail.heard', #out - 1)
if #order > 0 then
  local parts = {}
  for _, u in ipairs(order) do parts[#parts + 1] = u .. '=' .. senders[u] end
  agenda_put(p, 'mail.heard', home .. '.' .. child .. '.' .. ARGV[5], ARGV[6], table.concat(parts, ','))
end
return out
