-- Ends a standing call, for its guardian or the home's staff, and cancels
-- its active occurrences still ahead.
-- KEYS[1] the series hash
-- ARGV[1] prefix, ARGV[2..5] clock, ARGV[6] home, ARGV[7] series id,
-- ARGV[8] who cancels, ARGV[9] reason
-- Returns {status, the series' fields…, {the cancelled calls' fields…}}
-- with status ok or changed (it had ended: cancelled, declined or expired), or {'notfound'}, {'notallowed'}.
local x = call_clock(2)
local home, sid, by = ARGV[6], ARGV[7], ARGV[8]
local s = hash_table(redis.call('HGETALL', KEYS[1]))
if not s.state then return {'notfound'} end
if s.g ~= by and not is_staff(x.p, by, home) then return {'notallowed'} end
if not series_live(s.state) then return {'changed', flat_of(s), {}} end
local ids = redis.call('ZRANGEBYSCORE', hkey(x.p, home, 'seriescalls:' .. sid), '(' .. ms(x.now - MAXSLOT_MS), '+inf')
local out = calls_cancel(x, home, ids, function(c) return call_end(c) > x.now end, by, ARGV[9])
series_end(x, home, sid, by, ARGV[9])
return {'ok', flat_of(hash_table(redis.call('HGETALL', KEYS[1]))), out}
