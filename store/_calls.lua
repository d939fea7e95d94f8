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

-- overlapping counts the intervals in index idx ("<call>:<minutes>"
-- scored by start) that share a moment with [s, e), leaving out call
-- except.
local function overlapping(idx, s, e, except)
  local n = 0
  local found = redis.call('ZRANGEBYSCORE', idx, '(' .. ms(s - MAXSLOT_MS), '(' .. ms(e), 'WITHSCORES')
  for i = 1, #found, 2 do
    local id, min = string.match(found[i], '^(%d+):(%d+)$')
    if id and id ~= except and tonumber(found[i + 1]) + tonumber(min) * 60000 > s then n = n + 1 end
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
-- one-off call, and each standing call once whatever its occurrences.
local function upcoming(x, home, child, uid)
  local n, series = 0, {}
  local idx = hkey(x.p, home, 'childcalls:' .. child)
  local found = redis.call('ZRANGEBYSCORE', idx, '(' .. ms(x.now - MAXSLOT_MS), '+inf', 'WITHSCORES')
  for i = 1, #found, 2 do
    local id, min = string.match(found[i], '^(%d+):(%d+)$')
    if id and tonumber(found[i + 1]) + tonumber(min) * 60000 > x.now then
      local f = redis.call('HMGET', callkey(x.p, home, id), 'g', 'series')
      if f[1] == uid then
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
-- child); nil when it can. Call except (one being moved) is left out.
local function call_refusal(x, c, lines, max, except)
  local s, e = tonumber(c.start), call_end(c)
  if overlapping(hkey(x.p, c.home, 'lines'), s, e, except) >= lines then return 'taken' end
  if overlapping(hkey(x.p, c.home, 'childcalls:' .. c.child), s, e, except) > 0 then return 'busy' end
  if max > 0 and upcoming(x, c.home, c.child, c.g) >= max then return 'toomany' end
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
end

-- call_count counts a call of home reaching state in the week of x.
local function call_count(x, home, state)
  local k = hkey(x.p, home, 'week:' .. ((x.weeks and x.weeks[home]) or x.week))
  redis.call('HINCRBY', k, state, 1)
  redis.call('EXPIRE', k, WEEK_TTL)
end

-- call_create writes new call c (every field a string), its indexes,
-- agenda items and counts.
local function call_create(x, c)
  call_save(x.p, c)
  call_index(x.p, c)
  call_hold(x.p, c)
  call_plan(x, c)
  call_count(x, c.home, 'requested')
  if c.state == 'confirmed' then call_count(x, c.home, 'confirmed') end
end

-- call_to moves c to state, by who, with reason; an active call leaving
-- the active states frees its line.
local function call_to(x, c, state, by, reason)
  if state ~= 'confirmed' then call_release(x.p, c) end
  c.state, c.by, c.at, c.reason, c.props = state, by, ms(x.now), reason or '', ''
  redis.call('HSET', callkey(x.p, c.home, c.id), 'state', state, 'by', by, 'at', c.at, 'reason', c.reason, 'props', '')
  call_plan(x, c)
  call_count(x, c.home, state)
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
  redis.call('DEL', callkey(p, c.home, c.id))
end

-- series_confirm confirms a requested standing call and its requested
-- occurrences ahead, by who.
local function series_confirm(x, home, sid, by)
  local sk = serieskey(x.p, home, sid)
  if redis.call('HGET', sk, 'state') ~= 'requested' then return end
  redis.call('HSET', sk, 'state', 'confirmed', 'by', by, 'at', ms(x.now))
  local idx = hkey(x.p, home, 'seriescalls:' .. sid)
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', idx, '(' .. ms(x.now), '+inf')) do
    local o = call_get(x.p, home, id)
    if o and o.state == 'requested' then call_to(x, o, 'confirmed', by, '') end
  end
end

-- series_end ends a live standing call by who: no more renewals, and its
-- record runs out after the history retention. False when it had ended.
local function series_end(x, home, sid, by, reason)
  local sk = serieskey(x.p, home, sid)
  local state = redis.call('HGET', sk, 'state')
  if not state or state == 'cancelled' then return false end
  redis.call('HSET', sk, 'state', 'cancelled', 'by', by, 'at', ms(x.now), 'reason', reason or '')
  redis.call('PEXPIRE', sk, ms(x.keep))
  redis.call('PEXPIRE', hkey(x.p, home, 'seriescalls:' .. sid), ms(x.keep))
  agenda_withdraw(x.p, 'series.renew', agendakey(home, sid))
  return true
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
