-- Switches a guardian's reminder a day ahead of their calls off ('1') or
-- on ('0'), and plans the reminders of their confirmed calls ahead again
-- in the same step, so a call tomorrow gains or loses it at once.
-- ARGV[1] prefix, ARGV[2] user id, ARGV[3] '1' off or '0' on, ARGV[4] now
-- (unix ms, homelink.Clock)
local p, uid, now = ARGV[1], ARGV[2], tonumber(ARGV[4])
local was = redis.call('HGET', ukey(p, uid, 'user'), 'dayoff') == '1'
if ARGV[3] == '1' then
  redis.call('HSET', ukey(p, uid, 'user'), 'dayoff', '1')
else
  redis.call('HDEL', ukey(p, uid, 'user'), 'dayoff')
end
if was == (ARGV[3] == '1') then return 1 end
-- Each of their calls ahead, at its home's offset.
for _, ref in ipairs(redis.call('ZRANGEBYSCORE', ukey(p, uid, 'calls'), '(' .. ms(now), '+inf')) do
  local home = string.match(ref, '^(%d+)%.')
  local rd = remind_offsets(p, home)
  local on, off = {[REMIND_DAY] = rd}, {[REMIND_DAY] = 0}
  if was then
    remind_replan({p = p, now = now}, {ref}, nil, off, on, false)
  else
    remind_replan({p = p, now = now}, {ref}, nil, on, off, false)
  end
end
return 1
