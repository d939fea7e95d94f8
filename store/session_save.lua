-- Compare-and-set of a user's session, with profile fields written in the
-- same step (a flow's last answer and its end land together or not at all).
-- KEYS[1] session hash, KEYS[2] user hash
-- ARGV[1] prefix, ARGV[2] expected version, ARGV[3] flow ('' ends the flow),
-- ARGV[4] step, ARGV[5] nonce, ARGV[6] data (JSON), ARGV[7] TTL in seconds,
-- ARGV[8..] user hash field/value pairs to set
-- Returns the new version, or -1 when the stored version is not the expected one.
local v = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if v ~= tonumber(ARGV[2]) then
  return -1
end
v = v + 1
redis.call('DEL', KEYS[1])
if ARGV[3] == '' then
  -- Keep only the version, so a writer holding an older one still fails.
  redis.call('HSET', KEYS[1], 'version', v)
else
  redis.call('HSET', KEYS[1], 'version', v, 'flow', ARGV[3], 'step', ARGV[4],
    'nonce', ARGV[5], 'data', ARGV[6])
end
redis.call('EXPIRE', KEYS[1], ARGV[7])
if #ARGV > 7 then
  redis.call('HSET', KEYS[2], unpack(ARGV, 8))
end
return v
