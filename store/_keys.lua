-- Key helpers, prepended to every script; they build the names keys.go
-- documents, for keys a script finds while it runs. ARGV[1] of every
-- store script is the key prefix p (see Store.run).
local function ukey(p, id, name) return p .. '{u' .. id .. '}:' .. name end
local function hkey(p, id, name) return p .. '{h' .. id .. '}:' .. name end
local function invitekey(p, id) return p .. 'invite:' .. id end
local function codekey(p, digest) return p .. 'code:' .. digest end
-- A call's and a standing call's hash; the other call keys are hkey(p,
-- home, 'lines' | 'calls' | 'childcalls:<c>' | 'seriescalls:<s>' |
-- 'week:<week>') and ukey(p, user, 'calls' | 'series'), as keys.go lists.
local function callkey(p, home, id) return hkey(p, home, 'call:' .. id) end
local function serieskey(p, home, id) return hkey(p, home, 'series:' .. id) end
-- Records who acted on a thing (a standing button's first tap): a hash at
-- rec with by, at and the extra field/value pairs, remembered for ttl
-- seconds and indexed under each person it names, so forgetting one of
-- them deletes it.
local function actedrecord(p, rec, by, at, ttl, people, extra)
  redis.call('DEL', rec)
  redis.call('HSET', rec, 'by', by, 'at', at, unpack(extra or {}))
  redis.call('EXPIRE', rec, ttl)
  for _, uid in ipairs(people) do
    local idx = ukey(p, uid, 'acted')
    redis.call('SADD', idx, rec)
    redis.call('EXPIRE', idx, ttl)
  end
end
-- Redis's own clock in unix ms: the clock of leases (PX), which every
-- replica shares. Leases and the pending index use it; due work never does.
local function redis_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
-- Rights, read where the write happens: the roles a handler saw with its
-- update may be seconds old.
local function teaches(p, uid, home)
  return redis.call('SISMEMBER', hkey(p, home, 'teachers'), uid) == 1
end
local function coordinates(p, uid, home)
  return redis.call('SISMEMBER', hkey(p, home, 'coordinators'), uid) == 1
end
-- holdsrole: whether uid holds any role (coordinator, or a home or child
-- of their own).
local function holdsrole(p, uid)
  for _, f in ipairs(redis.call('HKEYS', ukey(p, uid, 'user'))) do
    if f == 'coord' or string.match(f, '^[ctg]:') then return true end
  end
  return false
end
local function iscoordinator(p, uid)
  return redis.call('HEXISTS', ukey(p, uid, 'user'), 'coord') == 1
end
-- may_invite: whether by (an admin when admin is '1') may make, or still
-- stands behind, an invitation to role: a guardian's is a teacher's of
-- the home to make, a teacher's a coordinator's, and a coordinator's an
-- admin's, a coordinator's of every home it shares, or (sharing none) any
-- coordinator's.
local function may_invite(p, by, admin, role, home, homes)
  if role == 'guardian' then return teaches(p, by, home) end
  if role == 'teacher' then return coordinates(p, by, home) end
  if role ~= 'coordinator' then return false end
  if admin == '1' then return true end
  if (homes or '') == '' then return iscoordinator(p, by) end
  for h in string.gmatch(homes, '[^,]+') do
    if not coordinates(p, by, h) then return false end
  end
  return true
end
-- revokeinvite deletes an open invitation, its codes and its place in its
-- home's and its maker's lists.
local function revokeinvite(p, id)
  local ikey = invitekey(p, id)
  local inv = redis.call('HMGET', ikey, 'home', 'link', 'typed', 'by')
  for i = 2, 3 do
    if inv[i] then redis.call('DEL', codekey(p, inv[i])) end
  end
  if inv[1] then redis.call('ZREM', hkey(p, inv[1], 'invites'), id) end
  if inv[4] then redis.call('ZREM', ukey(p, inv[4], 'made'), id) end
  redis.call('DEL', ikey)
end
-- unname blanks staff member uid where the calls and standing calls of
-- their touched index name them: by (who made the last change) becomes ''
-- and their entry leaves tmsgs (the request shown to each teacher).
-- Records gone meanwhile are left alone.
local function unname(p, uid)
  local idx = ukey(p, uid, 'touched')
  for _, m in ipairs(redis.call('ZRANGE', idx, 0, -1)) do
    local home, s, id = string.match(m, '^(%d+)%.(s?)(%d+)$')
    if home then
      local k = hkey(p, home, 'call:' .. id)
      if s == 's' then k = hkey(p, home, 'series:' .. id) end
      local f = redis.call('HMGET', k, 'by', 'tmsgs')
      if f[1] == uid then redis.call('HSET', k, 'by', '') end
      if f[2] then
        local ok, msgs = pcall(cjson.decode, f[2])
        if ok and type(msgs) == 'table' and msgs[uid] ~= nil then
          msgs[uid] = nil
          local out = '{}'
          if next(msgs) ~= nil then out = cjson.encode(msgs) end
          redis.call('HSET', k, 'tmsgs', out)
        end
      end
    end
  end
  redis.call('DEL', idx)
end
-- erase deletes what is kept under a person's own tag once their roles
-- are gone: the invitations they opened (revoked), the records of who
-- acted that name them, their id in the calls they changed as staff
-- (unname), their profile, session, dedupe and lists, and their place
-- among the known users (KEYS users and lastseen). Not their wrong-code
-- counter, which runs out on its own.
local function erase(p, uid, users, lastseen)
  unname(p, uid)
  local made = ukey(p, uid, 'made')
  for _, id in ipairs(redis.call('ZRANGE', made, 0, -1)) do revokeinvite(p, id) end
  local acted = ukey(p, uid, 'acted')
  for _, rec in ipairs(redis.call('SMEMBERS', acted)) do redis.call('DEL', rec) end
  redis.call('DEL', ukey(p, uid, 'user'), ukey(p, uid, 'session'), ukey(p, uid, 'seen'), made, acted)
  redis.call('ZREM', users, uid)
  redis.call('ZREM', lastseen, uid)
end
