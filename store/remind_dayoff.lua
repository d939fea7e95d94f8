-- Switches a guardian's reminder a day ahead of their calls off ('1') or
-- on ('0'), and plans the reminders of their confirmed calls ahead again
-- in the same step, so a call tomorrow gains or loses it at once.
-- ARGV[1] prefix, ARGV[2] user id, ARGV[3] '1' off or '0' on, ARGV[4] now
-- (unix ms, homelink.Clock)
local p, uid, now = ARGV[1], ARGV[2], tonumber(ARGV[4])
if ARGV[3] == '1' then
  redis.call('HSET', ukey(p, uid, 'user'), 'dayoff', '1')
else
  redis.call('HDEL', ukey(p, uid, 'user'), 'dayoff')
end
remind_replan({p = p, now = now}, redis.call('ZRANGEBYSCORE', ukey(p, uid, 'calls'), '(' .. ms(now), '+inf'))
return 1
