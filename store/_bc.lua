-- Broadcast helpers, prepended to the scripts that use them (after the
-- key helpers and the agenda's library). A broadcast's keys share the tag
-- {b<id>} (keys.go).
local function bckey(p, id, name) return p .. '{b' .. id .. '}:' .. name end

-- bc_split reads "1,2,3" into a list of strings.
local function bc_split(s)
  local out = {}
  for v in string.gmatch(s or '', '[^,]+') do out[#out + 1] = v end
  return out
end

-- bc_may: whether uid may send to every home of homes (a list): as a
-- coordinator of each, or as a teacher of the only one (not urgent, and
-- not to the teachers alone: that is a coordinator's audience).
local function bc_may(p, uid, homes, urgent, audience)
  if #homes == 0 then return false end
  local coord = true
  for _, h in ipairs(homes) do
    if not coordinates(p, uid, h) then coord = false break end
  end
  if coord then return true end
  return (not urgent) and audience ~= 'teachers' and #homes == 1 and teaches(p, uid, homes[1])
end

-- bc_people adds to out the people of home h an audience reaches, as
-- {home, user, role} with role 'g', 't' or 'c', skipping the sender and
-- anyone in seen (a person reached through an earlier home of the same
-- run, or in two roles: a guardian first, then a teacher).
local function bc_people(p, h, audience, sender, seen, out)
  local function add(u, role)
    if u == sender or seen[u] then return end
    seen[u] = true
    out[#out + 1] = {h, u, role}
  end
  if audience == 'guardians' or audience == 'everyone' then
    for _, c in ipairs(redis.call('ZRANGE', hkey(p, h, 'children'), 0, -1)) do
      for _, g in ipairs(redis.call('HKEYS', hkey(p, h, 'guardians:' .. c))) do add(g, 'g') end
    end
  end
  if audience == 'teachers' or audience == 'everyone' then
    for _, t in ipairs(redis.call('SMEMBERS', hkey(p, h, 'teachers'))) do add(t, 't') end
  end
  if audience == 'everyone' then
    for _, c in ipairs(redis.call('SMEMBERS', hkey(p, h, 'coordinators'))) do add(c, 'c') end
  end
end

local function bc_active(p) return p .. 'bc:active' end

-- bc_drop deletes broadcast id: its planned sending, its definition and
-- the reports of its ended runs. A run still sending is cancelled and
-- kept until the progress job ends it (which then deletes it, its
-- broadcast being gone). Returns 0 when there was none.
local function bc_drop(p, id)
  local key = bckey(p, id, 'bc')
  local from = redis.call('HGET', key, 'from')
  if not from then return 0 end
  local kind = redis.call('HGET', key, 'kind')
  for n = 0, tonumber(redis.call('HGET', key, 'groups') or '0') - 1 do
    agenda_withdraw(p, kind, id .. '.' .. n)
  end
  for _, r in ipairs(redis.call('ZRANGE', bckey(p, id, 'runs'), 0, -1)) do
    local rk = bckey(p, id, 'run:' .. r)
    if redis.call('ZSCORE', bc_active(p), id .. '.' .. r) then
      if redis.call('HGET', rk, 'state') == 'sending' then redis.call('HSET', rk, 'state', 'cancelled') end
    else
      redis.call('DEL', rk)
    end
  end
  redis.call('DEL', key, bckey(p, id, 'runs'), bckey(p, id, 'fired'))
  redis.call('ZREM', ukey(p, from, 'bcs'), id)
  return 1
end

-- bc_forget deletes every broadcast user sent (/forget).
local function bc_forget(p, user)
  for _, id in ipairs(redis.call('ZRANGE', ukey(p, user, 'bcs'), 0, -1)) do bc_drop(p, id) end
  redis.call('DEL', ukey(p, user, 'bcs'))
end
