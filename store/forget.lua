-- Forgets a user: every role and link, the invitations they opened, then
-- every key of theirs but the wrong-code counter, which runs out on its
-- own (forgetting must not reset a throttle).
-- KEYS[1] user hash, KEYS[2] session, KEYS[3] seen, KEYS[4] made zset, KEYS[5] known users zset,
-- KEYS[6] last-seen zset, KEYS[7] their calls zset
-- ARGV[1] prefix, ARGV[2] user id, ARGV[3..6] clock (see _calls.lua),
-- ARGV[7] the week of each home of their calls ("<home>=<week>,…")
-- Their active calls are cancelled and every call and standing call they
-- booked is deleted (their booking history), with the mailbox items they
-- left and the replies sent only to them (mail_forget), and the broadcasts
-- they sent (bc_forget).
-- Returns {the children they were a guardian of, as
-- "<home>:<child>:<relationship>"; the cancelled calls still ahead, as
-- field lists}.
local p, uid = ARGV[1], ARGV[2]
local left = {}
local x = call_clock(3)
call_weeks(x, ARGV[7])
local cancelled = {}
for _, m in ipairs(redis.call('ZRANGE', KEYS[7], 0, -1)) do
  local home, id = string.match(m, '^(%d+)%.(%d+)$')
  local c = home and call_get(p, home, id)
  if c and call_active(c) then
    call_to(x, c, 'cancelled', uid, '')
    if call_end(c) > x.now then cancelled[#cancelled + 1] = flat_of(c) end
  end
end
calls_erase(p, uid)
mail_forget(p, uid)
bc_forget(p, uid)
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  local f, v = fields[i], fields[i + 1]
  local kind, n = string.match(f, '^(%a):(%d+)$')
  if kind == 'c' then
    redis.call('SREM', hkey(p, n, 'coordinators'), uid)
  elseif kind == 't' then
    redis.call('SREM', hkey(p, n, 'teachers'), uid)
    redis.call('HDEL', hkey(p, n, 'mailnoticed'), uid)
    agenda_withdraw(p, 'mail.notice', n .. '.' .. uid)
  elseif kind == 'g' then
    local home, rel = string.match(v, '^(%d+):(.*)$')
    if home then redis.call('HDEL', hkey(p, home, 'links:' .. n), uid) end
    if home and redis.call('HDEL', hkey(p, home, 'guardians:' .. n), uid) == 1 then
      left[#left + 1] = home .. ':' .. n .. ':' .. rel
    end
  end
end
-- Records of who acted that name them (as the one who acted or the one
-- acted on), the invitations they opened, and their own keys.
erase(p, uid, KEYS[5], KEYS[6])
return {left, cancelled}
