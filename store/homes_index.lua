-- Builds the index of homes for data written before it existed: when the
-- index is missing, every id up to seq:home whose home hash exists is
-- added. Safe on every start: once a home exists the index does too, and
-- then this only checks that it does.
-- KEYS[1] homes set, KEYS[2] seq:home; ARGV[1] prefix
-- Returns how many homes it added.
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local added = 0
for id = 1, tonumber(redis.call('GET', KEYS[2]) or '0') do
  if redis.call('EXISTS', hkey(ARGV[1], id, 'home')) == 1 then
    added = added + redis.call('SADD', KEYS[1], id)
  end
end
return added
