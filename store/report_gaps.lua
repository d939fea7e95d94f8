-- Reads a home's children with no contact since cutoff: whose last
-- contact (the contact hash, kept by contact_note in _mail.lua), or
-- registration when they never had one, is at or before it.
-- KEYS[1] children zset (scored by registration, ms), KEYS[2] contact hash
-- ARGV[1] prefix, ARGV[2] home, ARGV[3] cutoff (unix ms)
-- Returns one row per such child: {child, registered (ms), last contact
-- (ms, '' when none), name, guardian ids (comma list, in order)}.
local p, home, cutoff = ARGV[1], ARGV[2], tonumber(ARGV[3])
local out = {}
local kids = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
for i = 1, #kids, 2 do
  local c, added = kids[i], kids[i + 1]
  local last = redis.call('HGET', KEYS[2], c)
  if tonumber(last or added) <= cutoff then
    local gs = redis.call('HKEYS', hkey(p, home, 'guardians:' .. c))
    table.sort(gs)
    out[#out + 1] = {c, added, last or '', redis.call('HGET', hkey(p, home, 'child:' .. c), 'name') or '',
      table.concat(gs, ',')}
  end
end
return out
