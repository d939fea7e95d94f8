-- Takes the lease on a user's inbox and returns its oldest update.
-- KEYS[1] lock, KEYS[2] inbox, KEYS[3] user hash, KEYS[4] session hash
-- ARGV[1] prefix, ARGV[2] token, ARGV[3] lease (ms)
-- Returns false when another holder has the lease, an empty array when the
-- inbox is empty (no lease is kept), else {raw update, update id, user hash, session hash}.
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[2] then
  return false
end
local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if #first == 0 then
  if holder then redis.call('DEL', KEYS[1]) end
  return {}
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return {first[1], first[2], redis.call('HGETALL', KEYS[3]), redis.call('HGETALL', KEYS[4])}
