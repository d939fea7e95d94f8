-- Splits a claimed job into chunk items and retires the job, in one step:
-- a crash before it leaves the job to be claimed again after its lease
-- and split again; a crash after it leaves the chunks, each its own item.
-- ARGV[1] prefix, ARGV[2] job kind, ARGV[3] job key, ARGV[4] the claim's
-- token, ARGV[5] chunk kind, ARGV[6] due ms (app clock), then per chunk
-- its key and payload.
-- Returns 1, or 0 when the claim no longer holds the job (nothing done).
local p, kind, key, token = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local _, held = agenda_read(p, kind, key)
if token == '' or held ~= token then return 0 end
for i = 7, #ARGV, 2 do
  agenda_put(p, ARGV[5], ARGV[i], ARGV[6], ARGV[i + 1])
end
agenda_forget(p, kind, key)
return 1
