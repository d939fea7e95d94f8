-- Plans one run of a weekly report job (rep.home or rep.coord, see
-- report.go): the items it fans out to, each due when given, and the
-- job's next run, which replaces the job being run (so the run's own
-- acknowledgement leaves it alone). One step: a replica killed halfway
-- plans all of it again or none. A job no longer the claim's plans
-- nothing; a job whose payload (the Monday it last reported) is the week
-- being reported puts only its next run.
-- ARGV[1] prefix, ARGV[2] the job's kind, ARGV[3] its key, ARGV[4] the
-- claim's token, ARGV[5] the Monday reported (YYYY-MM-DD), ARGV[6] the
-- next run (unix ms), then quadruples: kind, key, due (unix ms), payload
-- Returns 1 when it planned the week, 0 when it was reported already, -1
-- when the job is not the claim's.
local p, kind, key, monday = ARGV[1], ARGV[2], ARGV[3], ARGV[5]
local _, token, _, last = agenda_read(p, kind, key)
if ARGV[4] == '' or token ~= ARGV[4] then return -1 end
agenda_put(p, kind, key, ARGV[6], monday)
if last == monday then return 0 end
for i = 7, #ARGV, 4 do
  agenda_put(p, ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3])
end
return 1
