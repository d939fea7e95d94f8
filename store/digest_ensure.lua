-- Gives each home named that has no morning digest planned its first one
-- (a home just created, or one from before digests existed); a planned
-- one is left alone.
-- ARGV[1] prefix, then pairs: home id, due (unix ms)
local p = ARGV[1]
local n = 0
for i = 2, #ARGV, 2 do
  local id = agenda_id('home.digest', ARGV[i])
  if not redis.call('ZSCORE', agenda_key(p, 'due'), id) and not redis.call('ZSCORE', agenda_key(p, 'inflight'), id) then
    agenda_put(p, 'home.digest', ARGV[i], ARGV[i + 1])
    n = n + 1
  end
end
return n
