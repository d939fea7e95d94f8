-- Replaces a home's call hours, for its teachers and coordinators (checked
-- now), and bumps their version so a booking checked against the old
-- ones is refused. A change made against a version that is no longer the
-- stored one (someone changed them meanwhile) is refused. The reminder
-- offsets are kept beside the JSON for the call scripts (remind_offsets);
-- when they change, the reminders of the home's confirmed calls ahead
-- move with them in this step.
-- KEYS[1] the home's hours hash, KEYS[2] the home's hash
-- ARGV[1] prefix, ARGV[2] home id, ARGV[3] who sets them, ARGV[4] hours JSON,
-- ARGV[5] the version the change was made against ('0': no check),
-- ARGV[6..8] the reminder offsets (ms): a day ahead, soon, the teachers'
-- nudge, ARGV[9] now (unix ms, homelink.Clock)
-- Returns the new version, 0 when the home is gone, -1 when who sets
-- them is not its staff, -2 when the version changed.
local p, home, by = ARGV[1], ARGV[2], ARGV[3]
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
if not is_staff(p, by, home) then return -1 end
if ARGV[5] ~= '0' and (redis.call('HGET', KEYS[1], 'v') or '0') ~= ARGV[5] then return -2 end
local rd, rs, rn = remind_offsets(p, home)
redis.call('HSET', KEYS[1], 'json', ARGV[4], 'rd', ARGV[6], 'rs', ARGV[7], 'rn', ARGV[8])
local old = {[REMIND_DAY] = rd, [REMIND_SOON] = rs, [REMIND_NUDGE] = rn}
local new = {[REMIND_DAY] = tonumber(ARGV[6]), [REMIND_SOON] = tonumber(ARGV[7]), [REMIND_NUDGE] = tonumber(ARGV[8])}
if new[REMIND_DAY] ~= rd or new[REMIND_SOON] ~= rs or new[REMIND_NUDGE] ~= rn then
  local now = tonumber(ARGV[9])
  remind_replan({p = p, now = now}, redis.call('ZRANGEBYSCORE', hkey(p, home, 'calls'), '(' .. ms(now), '+inf'),
    home, old, new, true)
end
return redis.call('HINCRBY', KEYS[1], 'v', 1)
