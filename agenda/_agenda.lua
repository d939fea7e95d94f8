-- The agenda's Lua library: key names and the functions that put, move and
-- withdraw an item. Every agenda script starts with it, and so may any
-- other script that must change the agenda atomically with its own change
-- (a store script cancelling a booking withdraws the booking's reminder in
-- the same EVAL): prepend agenda.Lua to the script's source and call
--
--   agenda_put(prefix, kind, key, due_ms, payload)  -- same key replaces
--   agenda_move(prefix, kind, key, due_ms)          -- 1 if it existed
--   agenda_withdraw(prefix, kind, key)              -- 1 if it existed
--
-- with the deployment's key prefix (homelink's scripts take it as ARGV[1])
-- and due_ms the due time in unix milliseconds on homelink.Clock, as a
-- string or an integer, passed in by the caller: the agenda never reads
-- Redis's TIME for due work.
--
-- Layout (prefix p; ids are kind .. "\31" .. key):
--   p{agenda}:due        zset  id -> due ms (app clock); waiting items
--   p{agenda}:inflight   zset  id -> lease end ms (Redis TIME); claimed items
--   p{agenda}:i:<kind>:<b> hash key -> "attempts|token|due|payload", kept only
--                              when it says more than "0|||" (a payload, a
--                              retry or a claim), so an item with no payload
--                              costs one zset entry; <b> is the first four
--                              hex digits of SHA-1(key)
--   p{agenda}:n          hash  kind -> items stored (waiting or claimed)
--   p{agenda}:failed     zset  id -> failed at ms (app clock)
--   p{agenda}:f          hash  id -> "attempts|reason|payload"
--   p{agenda}:fn         hash  kind -> items failed, ever
local function agenda_key(p, name) return p .. '{agenda}:' .. name end
-- Records are spread over 65,536 small hashes per kind, by the first four
-- hex digits of the key's SHA-1, so each stays in Redis's compact listpack
-- encoding (a million records: about 15 a hash).
local function agenda_itemskey(p, kind, key)
  return p .. '{agenda}:i:' .. kind .. ':' .. string.sub(redis.sha1hex(key), 1, 4)
end
local function agenda_id(kind, key) return kind .. '\31' .. key end

local function agenda_split(id)
  local i = string.find(id, '\31', 1, true)
  return string.sub(id, 1, i - 1), string.sub(id, i + 1)
end

-- agenda_read returns an item's record: attempts, token, claimed due, payload.
local function agenda_read(p, kind, key)
  local v = redis.call('HGET', agenda_itemskey(p, kind, key), key)
  if not v then return 0, '', '', '' end
  local a = string.find(v, '|', 1, true)
  local b = string.find(v, '|', a + 1, true)
  local c = string.find(v, '|', b + 1, true)
  return tonumber(string.sub(v, 1, a - 1)), string.sub(v, a + 1, b - 1),
    string.sub(v, b + 1, c - 1), string.sub(v, c + 1)
end

local function agenda_write(p, kind, key, attempts, token, due, payload)
  local h = agenda_itemskey(p, kind, key)
  if attempts == 0 and token == '' and payload == '' then
    redis.call('HDEL', h, key)
  else
    redis.call('HSET', h, key, attempts .. '|' .. token .. '|' .. due .. '|' .. payload)
  end
end

-- agenda_forget removes an item everywhere; 1 if it was stored.
local function agenda_forget(p, kind, key)
  local id = agenda_id(kind, key)
  local n = redis.call('ZREM', agenda_key(p, 'due'), id) + redis.call('ZREM', agenda_key(p, 'inflight'), id)
  redis.call('HDEL', agenda_itemskey(p, kind, key), key)
  if n > 0 then redis.call('HINCRBY', agenda_key(p, 'n'), kind, -1) end
  return n
end

-- agenda_schedule (re)schedules an item at due with attempts and payload,
-- voiding any claim on it: the claim's acknowledgement will find another
-- token and leave the item alone.
local function agenda_schedule(p, kind, key, due, attempts, payload)
  local id = agenda_id(kind, key)
  local claimed = redis.call('ZREM', agenda_key(p, 'inflight'), id)
  local added = redis.call('ZADD', agenda_key(p, 'due'), due, id)
  agenda_write(p, kind, key, attempts, '', '', payload)
  if added == 1 and claimed == 0 then redis.call('HINCRBY', agenda_key(p, 'n'), kind, 1) end
end

local function agenda_put(p, kind, key, due, payload)
  agenda_schedule(p, kind, key, due, 0, payload or '')
end

local function agenda_move(p, kind, key, due)
  local id = agenda_id(kind, key)
  if not redis.call('ZSCORE', agenda_key(p, 'due'), id) and
     not redis.call('ZSCORE', agenda_key(p, 'inflight'), id) then
    return 0
  end
  local attempts, _, _, payload = agenda_read(p, kind, key)
  agenda_schedule(p, kind, key, due, attempts, payload)
  return 1
end

local function agenda_withdraw(p, kind, key)
  if agenda_forget(p, kind, key) > 0 then return 1 end
  return 0
end
