-- Calls and standing calls: helpers of the scripts that change them
-- (call_*.lua, series_*.lua, and forget, child_remove and guardian_unlink,
-- which cancel a person's or a child's calls). Prepended after the
-- agenda's library (agenda.Lua) and _keys.lua, so that a change to a call,
-- its indexes, its agenda items and its week's counts is one EVAL.
--
-- x, the clock of a change, comes from call_clock: p (the key prefix), now
-- (unix ms on homelink.Clock, never Redis TIME), week (homelink.WeekOf(now)
-- in the home's zone: the week the change is counted in; weeks, when set,
-- maps a home id to its own week), keep (the history retention, ms) and
-- again (homelink.MarkAgainAfter, ms).
local MAXSLOT_MS = 3600000 -- homelink.MaxSlotMinutes in ms: no call is longer
local WEEK_TTL = 34560000  -- seconds a week's counts are kept: 400 days

local function ms(n) return string.format('%.0f', n) end

-- call_clock reads the clock block of ARGV that starts at i: now, week,
-- keep, again.
local function call_clock(i)
  return {p = ARGV[1], now = tonumber(ARGV[i]), week = ARGV[i + 1],
    keep = tonumber(ARGV[i + 2]), again = tonumber(ARGV[i + 3])}
end

-- call_weeks reads "<home>=<week>,…" into x.weeks.
local function call_weeks(x, s)
  x.weeks = {}
  for h, w in string.gmatch(s or '', '(%d+)=([^,]+)') do x.weeks[h] = w end
end

local function hash_table(flat)
  local t = {}
  for i = 1, #flat, 2 do t[flat[i]] = flat[i + 1] end
  return t
end

local function flat_of(t)
  local out = {}
  for k, v in pairs(t) do
    out[#out + 1] = k
    out[#out + 1] = v
  end
  return out
end

-- call_reply is a script's answer: a status, then the call's fields.
local function call_reply(status, c)
  local out = {status}
  for _, v in ipairs(flat_of(c)) do out[#out + 1] = v end
  return out
end

local function call_get(p, home, id)
  local flat = redis.call('HGETALL', callkey(p, home, id))
  if #flat == 0 then return nil end
  return hash_table(flat)
end

local function call_save(p, c)
  redis.call('HSET', callkey(p, c.home, c.id), unpack(flat_of(c)))
end

local function call_end(c) return tonumber(c.start) + tonumber(c.min) * 60000 end
local function call_member(c) return c.id .. ':' .. c.min end
local function call_active(c) return c.state == 'requested' or c.state == 'confirmed' end
-- The key of a call's agenda items, and of a standing call's renewal.
local function agendakey(home, id) return home .. '.' .. id end

-- excepted: whether call id is left out of a check; except is one call
-- id, or a set of them (id → true).
local function excepted(except, id)
  if type(except) == 'table' then return except[id] == true end
  return id == except
end

-- overlapping counts the intervals in index idx ("<call>:<minutes>"
-- scored by start) that share a moment with [s, e), leaving out the calls
-- except names.
local function overlapping(idx, s, e, except)
  local n = 0
  local found = redis.call('ZRANGEBYSCORE', idx, '(' .. ms(s - MAXSLOT_MS), '(' .. ms(e), 'WITHSCORES')
  for i = 1, #found, 2 do
    local id, min = string.match(found[i], '^(%d+):(%d+)$')
    if id and not excepted(except, id) and tonumber(found[i + 1]) + tonumber(min) * 60000 > s then n = n + 1 end
  end
  return n
end

-- is_guardian: whether uid is, now, a guardian of child at home (the user
-- hash's g:<child> = "<home>:<relationship>").
local function is_guardian(p, uid, home, child)
  local v = redis.call('HGET', ukey(p, uid, 'user'), 'g:' .. child)
  return v and string.sub(v, 1, #home + 1) == home .. ':' or false
end

local function is_staff(p, uid, home) return teaches(p, uid, home) or coordinates(p, uid, home) end

-- upcoming counts the commitments uid holds ahead for child at home: each
-- one-off call, and each standing call once whatever its occurrences;
-- standing call skip (one being moved), when given, is left out.
local function upcoming(x, home, child, uid, skip)
  local n, series = 0, {}
  local idx = hkey(x.p, home, 'childcalls:' .. child)
  local found = redis.call('ZRANGEBYSCORE', idx, '(' .. ms(x.now - MAXSLOT_MS), '+inf', 'WITHSCORES')
  for i = 1, #found, 2 do
    local id, min = string.match(found[i], '^(%d+):(%d+)$')
    if id and tonumber(found[i + 1]) + tonumber(min) * 60000 > x.now then
      local f = redis.call('HMGET', callkey(x.p, home, id), 'g', 'series')
      if f[1] == uid and not (skip and f[2] == skip) then
        if f[2] and f[2] ~= '0' then
          if not series[f[2]] then n = n + 1 end
          series[f[2]] = true
        else
          n = n + 1
        end
      end
    end
  end
  return n
end

-- call_refusal says why call c cannot hold its slot: 'taken' (every line
-- is held then), 'busy' (the child has another call then) or, when max
-- is above 0, 'toomany' (its guardian holds max commitments for the
-- child); nil when it can. The calls except names (see excepted: one
-- being moved, or the occurrences of a standing call being moved) and
-- the standing call skip are left out.
local function call_refusal(x, c, lines, max, except, skip)
  local s, e = tonumber(c.start), call_end(c)
  if overlapping(hkey(x.p, c.home, 'lines'), s, e, except) >= lines then return 'taken' end
  if overlapping(hkey(x.p, c.home, 'childcalls:' .. c.child), s, e, except) > 0 then return 'busy' end
  if max > 0 and upcoming(x, c.home, c.child, c.g, skip) >= max then return 'toomany' end
  return nil
end

-- call_hold and call_release put an active call in the line and child
-- indexes, and take it out.
local function call_hold(p, c)
  redis.call('ZADD', hkey(p, c.home, 'lines'), c.start, call_member(c))
  redis.call('ZADD', hkey(p, c.home, 'childcalls:' .. c.child), c.start, call_member(c))
end

local function call_release(p, c)
  redis.call('ZREM', hkey(p, c.home, 'lines'), call_member(c))
  redis.call('ZREM', hkey(p, c.home, 'childcalls:' .. c.child), call_member(c))
end

-- call_index puts c in the indexes scored by its start (again after a
-- move).
local function call_index(p, c)
  redis.call('ZADD', hkey(p, c.home, 'calls'), c.start, c.id)
  redis.call('ZADD', ukey(p, c.g, 'calls'), c.start, agendakey(c.home, c.id))
  if c.series ~= '0' then redis.call('ZADD', hkey(p, c.home, 'seriescalls:' .. c.series), c.start, c.id) end
end

-- A confirmed call's reminders (reminders.go): the guardian's a day
-- ahead, soon before and at the start, and the teachers' nudge, each an
-- agenda item keyed like the call's other items. The offsets are the
-- home's (rd, rs, rn in its hours hash, ms; hours_set writes them), else
-- homelink.DefaultReminders; a guardian whose user hash has dayoff = '1'
-- switched off the one a day ahead.
local REMIND_DAY, REMIND_SOON, REMIND_START, REMIND_NUDGE =
  'call.remind.day', 'call.remind.soon', 'call.remind.start', 'call.remind.nudge'
local REMIND_KINDS = {REMIND_DAY, REMIND_SOON, REMIND_START, REMIND_NUDGE}
local REMIND_DEFAULT_DAY, REMIND_DEFAULT_SOON, REMIND_DEFAULT_NUDGE = 86400000, 3600000, 600000

local function remind_offsets(p, home)
  local f = redis.call('HMGET', hkey(p, home, 'hours'), 'rd', 'rs', 'rn')
  return tonumber(f[1]) or REMIND_DEFAULT_DAY, tonumber(f[2]) or REMIND_DEFAULT_SOON,
    tonumber(f[3]) or REMIND_DEFAULT_NUDGE
end

-- remind_plan puts c's reminders when it is confirmed, each at its time
-- when that is still ahead (a call confirmed 20 hours ahead gets no
-- reminder a day ahead), and withdraws them otherwise.
local function remind_plan(x, c)
  local p, key, s = x.p, agendakey(c.home, c.id), tonumber(c.start)
  if c.state ~= 'confirmed' then
    for _, kind in ipairs(REMIND_KINDS) do agenda_withdraw(p, kind, key) end
    return
  end
  local rd, rs, rn = remind_offsets(p, c.home)
  if redis.call('HGET', ukey(p, c.g, 'user'), 'dayoff') == '1' then rd = 0 end
  local function at(kind, off, on)
    if on and s - off > x.now then
      agenda_put(p, kind, key, ms(s - off))
    else
      agenda_withdraw(p, kind, key)
    end
  end
  at(REMIND_DAY, rd, rd > 0)
  at(REMIND_SOON, rs, rs > 0)
  at(REMIND_NUDGE, rn, rn > 0)
  at(REMIND_START, 0, true)
end

-- remind_replan moves the reminders of the confirmed calls still ahead
-- among ids ("<home>.<call>", or call ids of home when home is given)
-- whose offset changed from old[kind] to new[kind] (ms, 0: off; kinds
-- not named did not change): switched off, it is withdrawn; switched on,
-- it is put when its time is still ahead; moved, it follows only while it
-- still waits. One already sent, or being sent, is never put again, and
-- one held by quiet hours stays held. dayoff applies each guardian's
-- choice to the reminder a day ahead (a home's change; not the
-- guardian's own, which names only that kind).
local function remind_replan(x, ids, home, old, new, dayoff)
  for _, ref in ipairs(ids) do
    local h, id = home, ref
    if not home then h, id = string.match(ref, '^(%d+)%.(%d+)$') end
    local c = h and call_get(x.p, h, id)
    if c and c.state == 'confirmed' then
      local key, s = agendakey(c.home, c.id), tonumber(c.start)
      local off = dayoff and redis.call('HGET', ukey(x.p, c.g, 'user'), 'dayoff') == '1'
      for kind, n in pairs(new) do
        local o = old[kind]
        if kind == REMIND_DAY and off then o, n = 0, 0 end
        if n ~= o then
          if n == 0 then
            agenda_withdraw(x.p, kind, key)
          elseif s - n > x.now and (o == 0 or redis.call('ZSCORE', agenda_key(x.p, 'due'), agenda_id(kind, key))) then
            local _, _, _, payload = agenda_read(x.p, kind, key)
            if payload == '' then agenda_put(x.p, kind, key, ms(s - n)) end
          end
        end
      end
    end
  end
end

-- call_plan puts the agenda items c's state needs and withdraws the
-- others: a request expires at c.exp; a confirmed call has ended at its
-- end and is asked about again MarkAgainAfter later; every call is
-- forgotten the history retention after its end.
local function call_plan(x, c)
  local p, key, e = x.p, agendakey(c.home, c.id), call_end(c)
  if c.state == 'requested' then
    agenda_put(p, 'call.expire', key, c.exp)
  else
    agenda_withdraw(p, 'call.expire', key)
  end
  if c.state == 'confirmed' then
    agenda_put(p, 'call.ended', key, ms(e))
    agenda_put(p, 'call.unmarked', key, ms(e + x.again))
  else
    agenda_withdraw(p, 'call.ended', key)
    agenda_withdraw(p, 'call.unmarked', key)
  end
  agenda_put(p, 'call.forget', key, ms(e + x.keep))
  remind_plan(x, c)
end

-- call_count counts a call of home reaching state in the week of x. The
-- rule (keys.go, WeekCounts): a request is counted requested once when it
-- is made, and confirmed, declined or expired once when it is decided (a
-- standing call is one request: its occurrences, its renewals, a move
-- add none); held, missed and cancelled are counted per call that would
-- have been held (cancelled only before its end).
local function call_count(x, home, state)
  local k = hkey(x.p, home, 'week:' .. ((x.weeks and x.weeks[home]) or x.week))
  redis.call('HINCRBY', k, state, 1)
  redis.call('EXPIRE', k, WEEK_TTL)
end

-- count_confirmed counts c's confirmation the first time c, or its
-- standing call, is confirmed: cf ('1') on the call and on the standing
-- call marks it done, so a call moved and confirmed again, and the
-- other occurrences of a standing call, add none. (A standing call
-- confirmed before cf existed counts as done.)
local function count_confirmed(x, c)
  if c.cf == '1' then return end
  c.cf = '1'
  redis.call('HSET', callkey(x.p, c.home, c.id), 'cf', '1')
  if c.series and c.series ~= '0' then
    local sk = serieskey(x.p, c.home, c.series)
    local f = redis.call('HMGET', sk, 'cf', 'state')
    if f[1] == '1' or f[2] == 'confirmed' then return end
    redis.call('HSET', sk, 'cf', '1')
  end
  call_count(x, c.home, 'confirmed')
end

-- touched indexes a call or standing call (member "<home>.<call>" or
-- "<home>.s<series>") under staff member by, who is now named in it, so
-- forgetting them blanks their id there (unname in _keys.lua); due
-- (unix ms, or '+inf' while a standing call lives) is when the record
-- goes, and the index sheds members past it as it grows.
local function touched(x, by, member, due)
  if not by or by == '' or by == '0' then return end
  local idx = ukey(x.p, by, 'touched')
  redis.call('ZREMRANGEBYSCORE', idx, '-inf', '(' .. ms(x.now))
  redis.call('ZADD', idx, due, member)
end

-- call_touched indexes call c under by unless by is its own guardian
-- (whose calls go with them).
local function call_touched(x, c, by)
  if by ~= c.g then touched(x, by, agendakey(c.home, c.id), ms(call_end(c) + x.keep)) end
end

-- call_create writes new call c (every field a string), its indexes,
-- agenda items and counts: requested for a one-off call (a standing
-- call's request is counted once, by series_create), confirmed when it
-- is born confirmed and neither it nor its standing call was counted.
local function call_create(x, c)
  call_save(x.p, c)
  call_index(x.p, c)
  call_hold(x.p, c)
  call_plan(x, c)
  if c.series == '0' then call_count(x, c.home, 'requested') end
  if c.state == 'confirmed' then count_confirmed(x, c) end
end

-- call_to moves c to state, by who, with reason; an active call leaving
-- the active states frees its line. It is counted (see call_count)
-- unless quiet: the other occurrences a standing call's decision takes
-- with it, or the occurrences a move replaces.
local function call_to(x, c, state, by, reason, quiet)
  if state ~= 'confirmed' then call_release(x.p, c) end
  c.state, c.by, c.at, c.reason, c.props = state, by, ms(x.now), reason or '', ''
  redis.call('HSET', callkey(x.p, c.home, c.id), 'state', state, 'by', by, 'at', c.at, 'reason', c.reason, 'props', '')
  call_touched(x, c, by)
  call_plan(x, c)
  if state == 'confirmed' then
    count_confirmed(x, c)
  elseif quiet then
    return
  elseif state ~= 'cancelled' or call_end(c) > x.now then
    call_count(x, c.home, state)
  end
end

-- call_delete removes call c and every trace of it: hash, indexes,
-- agenda items.
local function call_delete(p, c)
  call_release(p, c)
  redis.call('ZREM', hkey(p, c.home, 'calls'), c.id)
  redis.call('ZREM', ukey(p, c.g, 'calls'), agendakey(c.home, c.id))
  if c.series and c.series ~= '0' then redis.call('ZREM', hkey(p, c.home, 'seriescalls:' .. c.series), c.id) end
  local key = agendakey(c.home, c.id)
  for _, kind in ipairs({'call.expire', 'call.ended', 'call.unmarked', 'call.forget'}) do
    agenda_withdraw(p, kind, key)
  end
  for _, kind in ipairs(REMIND_KINDS) do agenda_withdraw(p, kind, key) end
  redis.call('DEL', callkey(p, c.home, c.id))
end

local function series_live(state) return state == 'requested' or state == 'confirmed' end

-- series_confirm confirms a requested standing call and its requested
-- occurrences ahead, by who.
local function series_confirm(x, home, sid, by)
  local sk = serieskey(x.p, home, sid)
  if redis.call('HGET', sk, 'state') ~= 'requested' then return end
  redis.call('HSET', sk, 'state', 'confirmed', 'by', by, 'at', ms(x.now))
  touched(x, by, home .. '.s' .. sid, '+inf')
  local idx = hkey(x.p, home, 'seriescalls:' .. sid)
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', idx, '(' .. ms(x.now), '+inf')) do
    local o = call_get(x.p, home, id)
    if o and o.state == 'requested' then call_to(x, o, 'confirmed', by, '') end
  end
end

-- series_close ends standing call sid in state (cancelled, declined or
-- expired) by who: no more renewals, and its record runs out after the
-- history retention.
local function series_close(x, home, sid, state, by, reason)
  local sk = serieskey(x.p, home, sid)
  redis.call('HSET', sk, 'state', state, 'by', by, 'at', ms(x.now), 'reason', reason or '')
  redis.call('PEXPIRE', sk, ms(x.keep))
  redis.call('PEXPIRE', hkey(x.p, home, 'seriescalls:' .. sid), ms(x.keep))
  agenda_withdraw(x.p, 'series.renew', agendakey(home, sid))
  if by ~= redis.call('HGET', sk, 'g') then touched(x, by, home .. '.s' .. sid, ms(x.now + x.keep)) end
end

-- series_end ends a live standing call by who (cancelled). False when it
-- had ended.
local function series_end(x, home, sid, by, reason)
  if not series_live(redis.call('HGET', serieskey(x.p, home, sid), 'state')) then return false end
  series_close(x, home, sid, 'cancelled', by, reason)
  return true
end

-- series_fail ends a standing call still requested whose request was
-- declined or expired (state), by who, with its other requested
-- occurrences (quietly: the request was counted once). Nothing for one
-- that was confirmed: an occurrence moved and declined is its own.
local function series_fail(x, home, sid, state, by)
  if redis.call('HGET', serieskey(x.p, home, sid), 'state') ~= 'requested' then return end
  series_close(x, home, sid, state, by, '')
  for _, id in ipairs(redis.call('ZRANGE', hkey(x.p, home, 'seriescalls:' .. sid), 0, -1)) do
    local o = call_get(x.p, home, id)
    if o and o.state == 'requested' then call_to(x, o, state, by, '', true) end
  end
end

-- series_create makes standing call s (its hash's fields, as strings)
-- and books its occurrences occ ({id, start, expiry} each, the first
-- first). The first must be bookable: its refusal is returned and nothing
-- written; a later one that is not is skipped. max limits the guardian's
-- commitments (checked for the first); except and skip are left out of
-- the checks (call_refusal). Its request is counted unless moved (it
-- replaces one that was), its confirmation (born confirmed) unless s.cf
-- says it was. Returns nil, the booked calls' fields, the skipped starts.
local function series_create(x, s, occ, lines, max, except, skip, moved)
  local function occurrence(o)
    return {id = o[1], home = s.home, child = s.child, g = s.g, start = o[2], min = s.min, kind = s.kind,
      note = s.note, state = s.state, exp = o[3], series = s.id, created = s.created, by = s.g,
      at = s.created, reason = '', props = ''}
  end
  local why = call_refusal(x, occurrence(occ[1]), lines, max, except, skip)
  if why then return why end
  if not moved then call_count(x, s.home, 'requested') end
  if s.state == 'confirmed' and s.cf ~= '1' then
    call_count(x, s.home, 'confirmed')
    s.cf = '1'
  end
  redis.call('HSET', serieskey(x.p, s.home, s.id), unpack(flat_of(s)))
  redis.call('ZADD', ukey(x.p, s.g, 'series'), s.created, agendakey(s.home, s.id))
  local booked, skipped = {}, {}
  for i, o in ipairs(occ) do
    local c = occurrence(o)
    if i > 1 and call_refusal(x, c, lines, 0, except, skip) then
      skipped[#skipped + 1] = c.start
    else
      call_create(x, c)
      booked[#booked + 1] = flat_of(c)
    end
  end
  return nil, booked, skipped
end

-- calls_cancel cancels the active calls of home among ids that want(c)
-- accepts, by who, ending their standing calls too; it returns the ones
-- still ahead (ending after now), as flat field lists.
local function calls_cancel(x, home, ids, want, by, reason)
  local out = {}
  for _, id in ipairs(ids) do
    local c = call_get(x.p, home, id)
    if c and call_active(c) and want(c) then
      call_to(x, c, 'cancelled', by, reason)
      if c.series ~= '0' then series_end(x, home, c.series, by, reason) end
      if call_end(c) > x.now then out[#out + 1] = flat_of(c) end
    end
  end
  return out
end

-- child_call_ids lists the ids of child's active calls at home.
local function child_call_ids(p, home, child)
  local out = {}
  for _, m in ipairs(redis.call('ZRANGE', hkey(p, home, 'childcalls:' .. child), 0, -1)) do
    out[#out + 1] = string.match(m, '^(%d+):')
  end
  return out
end

-- calls_erase deletes every call uid booked and every standing call they
-- made, with their agenda items and uid's lists of them (/forget, and
-- forgetting a stranger). Cancel their active calls first.
local function calls_erase(p, uid)
  local mine, series = ukey(p, uid, 'calls'), ukey(p, uid, 'series')
  for _, m in ipairs(redis.call('ZRANGE', mine, 0, -1)) do
    local home, id = string.match(m, '^(%d+)%.(%d+)$')
    local c = home and call_get(p, home, id)
    if c then call_delete(p, c) end
  end
  for _, m in ipairs(redis.call('ZRANGE', series, 0, -1)) do
    local home, sid = string.match(m, '^(%d+)%.(%d+)$')
    if home then
      agenda_withdraw(p, 'series.renew', agendakey(home, sid))
      redis.call('DEL', serieskey(p, home, sid), hkey(p, home, 'seriescalls:' .. sid))
    end
  end
  redis.call('DEL', mine, series)
end
