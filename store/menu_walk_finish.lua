-- Ends a walk that reached the last known user: the menus are now the
-- walked version.
-- KEYS[1] menus:version, KEYS[2] menus:walk, KEYS[3] menus:lease
-- ARGV[1] prefix, ARGV[2] version, ARGV[3] token
-- Returns 1, or 0 when the lease was lost (another replica finishes it).
if redis.call('GET', KEYS[3]) ~= ARGV[3] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('DEL', KEYS[2], KEYS[3])
return 1
