-- Plans a home's morning digest: one item per teacher, each due when that
-- teacher may be told (now, or when their quiet hours end), carrying the
-- day it is about; and the home's next digest. One step, so a replica
-- killed halfway plans all of it again or none, and the home's item
-- replaced here leaves the run that planned it with nothing to record.
-- ARGV[1] prefix, ARGV[2] home, ARGV[3] the day (YYYY-MM-DD, home time),
-- ARGV[4] the next digest (unix ms), ARGV[5] the day it is for, then
-- pairs: teacher id, due (unix ms)
local p, home, day = ARGV[1], ARGV[2], ARGV[3]
for i = 6, #ARGV, 2 do
  agenda_put(p, 'home.digest.to', home .. '.' .. ARGV[i], ARGV[i + 1], day)
end
agenda_put(p, 'home.digest', home, ARGV[4], ARGV[5])
return 1
