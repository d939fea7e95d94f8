-- Puts an item unless one of the same kind and key waits or is claimed:
-- an item a replica makes sure of at start (a daily job) keeps its time
-- and its claim however many replicas start.
-- ARGV[1] prefix, ARGV[2] kind, ARGV[3] key, ARGV[4] due ms (app clock),
-- ARGV[5] payload
-- Returns 1 when it put the item, 0 when one was there.
local id = agenda_id(ARGV[2], ARGV[3])
if redis.call('ZSCORE', agenda_key(ARGV[1], 'due'), id) or
   redis.call('ZSCORE', agenda_key(ARGV[1], 'inflight'), id) then
  return 0
end
agenda_put(ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])
return 1
