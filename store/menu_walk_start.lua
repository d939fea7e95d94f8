-- Starts or resumes the walk that sets every known user's chat menu to a
-- release's menu version, unless the menus are that version already or
-- another replica holds the walk's lease.
-- KEYS[1] menus:version, KEYS[2] menus:walk, KEYS[3] menus:lease
-- ARGV[1] prefix, ARGV[2] version, ARGV[3] token, ARGV[4] lease (ms)
-- Returns {'current'}, {'held'} or {'walk', last user id done (0: none)}.
if redis.call('GET', KEYS[1]) == ARGV[2] then return {'current'} end
local holder = redis.call('GET', KEYS[3])
if holder and holder ~= ARGV[3] then return {'held'} end
redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[4])
local w = redis.call('HMGET', KEYS[2], 'version', 'after')
if w[1] ~= ARGV[2] then
  -- A walk for another version stopped half way: start over. The menus
  -- are no release's now (an old replica of a rolling deploy may be the
  -- one walking), so no replica may take them as current until a walk
  -- finishes.
  redis.call('HSET', KEYS[2], 'version', ARGV[2], 'after', 0)
  redis.call('DEL', KEYS[1])
  return {'walk', 0}
end
return {'walk', tonumber(w[2])}
