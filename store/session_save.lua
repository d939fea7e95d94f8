-- Compare-and-set of a user's session.
-- KEYS[1] session hash
-- ARGV[1] expected version, ARGV[2] flow ('' ends the flow), ARGV[3] step,
-- ARGV[4] nonce, ARGV[5] data (JSON), ARGV[6] TTL in seconds
-- Returns the new version, or -1 when the stored version is not the expected one.
local v = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if v ~= tonumber(ARGV[1]) then
  return -1
end
v = v + 1
redis.call('DEL', KEYS[1])
if ARGV[2] == '' then
  -- Keep only the version, so a writer holding an older one still fails.
  redis.call('HSET', KEYS[1], 'version', v)
else
  redis.call('HSET', KEYS[1], 'version', v, 'flow', ARGV[2], 'step', ARGV[3],
    'nonce', ARGV[4], 'data', ARGV[5])
end
redis.call('EXPIRE', KEYS[1], ARGV[6])
return v
