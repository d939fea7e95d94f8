-- Key helpers, prepended to every script; they build the names keys.go
-- documents, for keys a script finds while it runs. ARGV[1] of every
-- store script is the key prefix p (see Store.run).
local function ukey(p, id, name) return p .. '{u' .. id .. '}:' .. name end
local function hkey(p, id, name) return p .. '{h' .. id .. '}:' .. name end
local function invitekey(p, id) return p .. 'invite:' .. id end
local function codekey(p, digest) return p .. 'code:' .. digest end
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
