-- A teacher confirms or declines a request. Confirming an occurrence of a
-- requested standing call confirms the standing call and its other
-- requested occurrences; declining one declines the standing call: it
-- ends (no more renewals) and its other requested occurrences are
-- declined with it, their lines freed. (Series reads what became of it.)
-- KEYS[1] the call's hash
-- ARGV[1] prefix, ARGV[2..5] clock, ARGV[6] home, ARGV[7] call id,
-- ARGV[8] who decides, ARGV[9] confirmed or declined
-- Returns {'ok' or 'changed' (it is no longer a request), the call's
-- fields…}, {'notfound'} or {'notallowed'} (who decides does not teach
-- at the home, now).
local x = call_clock(2)
local by = ARGV[8]
local c = call_get(x.p, ARGV[6], ARGV[7])
if not c then return {'notfound'} end
if not teaches(x.p, by, c.home) then return {'notallowed'} end
if c.state ~= 'requested' then return call_reply('changed', c) end
if ARGV[9] == 'confirmed' then
  call_to(x, c, 'confirmed', by, '')
  if c.series ~= '0' then series_confirm(x, c.home, c.series, by) end
else
  call_to(x, c, 'declined', by, '')
  if c.series ~= '0' then series_fail(x, c.home, c.series, 'declined', by) end
end
return call_reply('ok', c)
