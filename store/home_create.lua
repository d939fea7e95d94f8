-- Creates a home managed by its creator and adds it to the index of homes.
-- KEYS[1] home hash, KEYS[2] coordinators set, KEYS[3] creator's user hash, KEYS[4] homes set
-- ARGV[1] prefix, ARGV[2] home id, ARGV[3] name, ARGV[4] time zone,
-- ARGV[5] instructions, ARGV[6] creator id, ARGV[7] its first morning
-- digest (unix ms: the next homelink.DigestMinute in its zone), ARGV[8] its
-- first weekly report (unix ms: the next homelink.ReportRule in its zone)
-- and ARGV[9] its payload (the week it counts as told, report.go), ARGV[10]
-- and ARGV[11] the creator's first weekly summary and its payload, put
-- unless they have one
-- Returns 1, or 0 when the creator is not a coordinator (now).
if not iscoordinator(ARGV[1], ARGV[6]) then return 0 end
redis.call('HSET', KEYS[1], 'name', ARGV[3], 'tz', ARGV[4], 'instr', ARGV[5])
redis.call('SADD', KEYS[2], ARGV[6])
redis.call('HSET', KEYS[3], 'c:' .. ARGV[2], '1', 'coord', '1')
redis.call('SADD', KEYS[4], ARGV[2])
agenda_put(ARGV[1], 'home.digest', ARGV[2], ARGV[7])
agenda_put(ARGV[1], 'rep.home', ARGV[2], ARGV[8], ARGV[9])
local summary = agenda_id('rep.coord', ARGV[6])
if not redis.call('ZSCORE', agenda_key(ARGV[1], 'due'), summary) and
   not redis.call('ZSCORE', agenda_key(ARGV[1], 'inflight'), summary) then
  agenda_put(ARGV[1], 'rep.coord', ARGV[6], ARGV[10], ARGV[11])
end
return 1
