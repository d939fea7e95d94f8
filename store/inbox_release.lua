-- Gives up a lease without handling anything (shutdown).
-- KEYS[1] lock; ARGV[1] prefix, ARGV[2] token
if redis.call('GET', KEYS[1]) == ARGV[2] then
  return redis.call('DEL', KEYS[1])
end
return 0
