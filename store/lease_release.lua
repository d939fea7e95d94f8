-- Gives up a lease (an inbox's, the menu walk's) without doing more.
-- KEYS[1] lease; ARGV[1] prefix, ARGV[2] token
if redis.call('GET', KEYS[1]) == ARGV[2] then
  return redis.call('DEL', KEYS[1])
end
return 0
