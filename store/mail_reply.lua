-- Keeps a child's reply, recorded by a teacher of its home: each item is
-- sent to every guardian linked now, counted, and its delivery planned
-- (agenda mail.reply keyed "<home>.<child>.<first id>", payload the ids).
-- Nothing is kept when the child has no guardian. A reply kept is a
-- contact with the child (contact_note).
-- ARGV[1] prefix, ARGV[2] teacher, ARGV[3] home, ARGV[4] child, ARGV[5] now (ms),
-- ARGV[6] week (the home's), ARGV[7] retention (ms), ARGV[8..] the items, each
-- three arguments: kind, file id, text
-- Returns {'ok', record…} or {'denied'}.
local p, by, home, child, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
if not teaches(p, by, home) or not redis.call('ZSCORE', hkey(p, home, 'children'), child) then
  return {'denied'}
end
local to = redis.call('HKEYS', hkey(p, home, 'guardians:' .. child))
table.sort(to)
local out = {'ok'}
if #to == 0 then return out end
local ids, box = {}, mail_box(p, home, child)
for i = 8, #ARGV - 2, 3 do
  local id = tostring(redis.call('INCR', p .. 'seq:mail'))
  local rec = {id = id, k = ARGV[i], u = by, rp = '1', to = to, at = ARGV[5]}
  if ARGV[i + 1] ~= '' then rec.f = ARGV[i + 1] end
  if ARGV[i + 2] ~= '' then rec.x = ARGV[i + 2] end
  local raw = cjson.encode(rec)
  redis.call('HSET', box, id, raw)
  redis.call('ZADD', hkey(p, home, 'mailexp'), string.format('%.0f', now + tonumber(ARGV[7])), child .. '.' .. id)
  for _, uid in ipairs(mail_people(rec)) do
    redis.call('ZADD', ukey(p, uid, 'mail'), ARGV[5], mail_member(home, child, id))
  end
  ids[#ids + 1] = id
  out[#out + 1] = raw
end
mail_count(p, home, ARGV[6], 'mail.out', #ids)
if #ids > 0 then contact_note(p, home, child, now, ARGV[6]) end
if #ids > 0 then
  agenda_put(p, 'mail.reply', home .. '.' .. child .. '.' .. ids[1], ARGV[5], table.concat(ids, ','))
end
return out
