-- Deletes a call the history retention after its end (the agenda's
-- call.forget): its hash, its places in every index, its agenda items.
-- KEYS[1] the call's hash
-- ARGV[1] prefix, ARGV[2..5] clock, ARGV[6] home, ARGV[7] call id
-- Returns 1 when it deleted the call, 0 when it is gone or not yet due
-- (moved since).
local x = call_clock(2)
local c = call_get(x.p, ARGV[6], ARGV[7])
if not c or call_end(c) + x.keep > x.now then return 0 end
call_delete(x.p, c)
return 1
