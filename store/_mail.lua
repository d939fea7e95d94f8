-- The children's mailboxes: helpers of the mail_*.lua scripts, and of
-- forget, strangers_forget and child_remove, which delete a person's or a
-- child's items. Prepended after the agenda's library (agenda.Lua) and
-- _keys.lua. Key names are keys.go's:
--   hkey(home, 'mail:<c>')     hash  item id -> JSON record
--   hkey(home, 'unread:<c>')   zset  ids of items waiting to be heard, scored by id
--   hkey(home, 'mailexp')      zset  "<c>.<id>" scored by when the item goes (ms)
--   hkey(home, 'mailnoticed')  hash  teacher -> their last notice (ms)
--   ukey(user, 'mail')         zset  "<home>.<c>.<id>" naming the person, scored by arrival
-- A record is JSON with every number written as a string (Redis's cjson
-- keeps 14 digits, fewer than a Telegram id may have): id, k (kind), f
-- (file id), x (text or caption), u (sender, or a reply's teacher; "0"
-- once forgotten), r (relationship), rp ("1": a reply), to (a reply's
-- guardians), at (arrival, ms), hd (heard, ms).
local MAIL_WEEK_TTL = 34560000 -- seconds a week's counts are kept, as _calls.lua's WEEK_TTL

local function mail_box(p, home, child) return hkey(p, home, 'mail:' .. child) end
local function mail_unread(p, home, child) return hkey(p, home, 'unread:' .. child) end
local function mail_member(home, child, id) return home .. '.' .. child .. '.' .. id end

-- mail_count adds n to field of home's counts of week.
local function mail_count(p, home, week, field, n)
  if n <= 0 then return end
  local k = hkey(p, home, 'week:' .. week)
  redis.call('HINCRBY', k, field, n)
  redis.call('EXPIRE', k, MAIL_WEEK_TTL)
end

-- mail_people are the ids a record names: its sender and a reply's guardians.
local function mail_people(rec)
  local out = {}
  if rec.u and rec.u ~= '0' then out[#out + 1] = rec.u end
  for _, g in ipairs(rec.to or {}) do out[#out + 1] = g end
  return out
end

-- mail_delete removes item id of child at home everywhere: its record,
-- its waiting mark, its expiry, and the indexes of the people it names.
local function mail_delete(p, home, child, id)
  local box = mail_box(p, home, child)
  local raw = redis.call('HGET', box, id)
  if raw then
    for _, uid in ipairs(mail_people(cjson.decode(raw))) do
      redis.call('ZREM', ukey(p, uid, 'mail'), mail_member(home, child, id))
    end
  end
  redis.call('HDEL', box, id)
  redis.call('ZREM', mail_unread(p, home, child), id)
  redis.call('ZREM', hkey(p, home, 'mailexp'), child .. '.' .. id)
  return raw and 1 or 0
end

-- mail_drop_child deletes every item of a child (removed from its home).
local function mail_drop_child(p, home, child)
  for _, id in ipairs(redis.call('HKEYS', mail_box(p, home, child))) do
    mail_delete(p, home, child, id)
  end
  redis.call('DEL', mail_box(p, home, child), mail_unread(p, home, child))
end

-- mail_drop_unheard deletes the items uid left for child that wait
-- unheard (the guardian was unlinked from the child).
local function mail_drop_unheard(p, home, child, uid)
  local box = mail_box(p, home, child)
  for _, id in ipairs(redis.call('ZRANGE', mail_unread(p, home, child), 0, -1)) do
    local raw = redis.call('HGET', box, id)
    if raw and cjson.decode(raw).u == uid then mail_delete(p, home, child, id) end
  end
end

-- mail_forget removes what the mailbox keeps of a person: the items they
-- left, and the replies sent only to them; a reply also sent to others
-- loses their name, and one they recorded as a teacher loses its
-- recorder.
local function mail_forget(p, uid)
  local idx = ukey(p, uid, 'mail')
  for _, m in ipairs(redis.call('ZRANGE', idx, 0, -1)) do
    local home, child, id = string.match(m, '^(%d+)%.(%d+)%.(%d+)$')
    local raw = home and redis.call('HGET', mail_box(p, home, child), id)
    if raw then
      local rec = cjson.decode(raw)
      if rec.rp ~= '1' then
        if rec.u == uid then mail_delete(p, home, child, id) end
      else
        local to = {}
        for _, g in ipairs(rec.to or {}) do if g ~= uid then to[#to + 1] = g end end
        if #to == 0 and #(rec.to or {}) > 0 then
          mail_delete(p, home, child, id)
        else
          if rec.u == uid then rec.u = '0' end
          rec.to = nil -- cjson writes an empty table as {}, not []
          if #to > 0 then rec.to = to end
          redis.call('HSET', mail_box(p, home, child), id, cjson.encode(rec))
        end
      end
    end
  end
  redis.call('DEL', idx)
end

-- mail_notify plans each teacher of home a notice of new messages, unless
-- one is waiting: at now, or every ms after their last one; one being
-- sent right now may have read the counts already, so the next waits.
local function mail_notify(p, home, now, every)
  local noticed = hkey(p, home, 'mailnoticed')
  for _, t in ipairs(redis.call('SMEMBERS', hkey(p, home, 'teachers'))) do
    local key = home .. '.' .. t
    local id = agenda_id('mail.notice', key)
    if not redis.call('ZSCORE', agenda_key(p, 'due'), id) then
      local due = now
      local last = tonumber(redis.call('HGET', noticed, t) or '0')
      if last + every > due then due = last + every end
      if redis.call('ZSCORE', agenda_key(p, 'inflight'), id) and now + every > due then due = now + every end
      agenda_put(p, 'mail.notice', key, string.format('%.0f', due), '')
    end
  end
end

-- contact_note records a contact with child at home at now (unix ms): a
-- call marked held (call_mark), an item a guardian left (mail_leave), a
-- reply of the child's (mail_reply). The contact hash keeps the child's
-- last contact and the week (the home's, as the caller counts it) of it,
-- so that the child's first contact of a week adds one to the week's
-- 'reached' and later ones add nothing. A clock a little behind (another
-- replica) neither moves the last contact back nor counts an older week.
local function contact_note(p, home, child, now, week)
  local k = hkey(p, home, 'contact')
  local f = redis.call('HMGET', k, child, child .. ':w')
  if not f[1] or tonumber(f[1]) < now then redis.call('HSET', k, child, string.format('%.0f', now)) end
  if not f[2] or f[2] < week then
    redis.call('HSET', k, child .. ':w', week)
    mail_count(p, home, week, 'reached', 1)
  end
end
