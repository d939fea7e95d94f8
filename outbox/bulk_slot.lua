-- Reserves a slot of the bot-wide limiter at the bulk lane's pace, for a
-- call that is not a queued message (setMyCommands for one chat during a
-- menu refresh). Like a bulk message in claim.lua it books at most half a
-- slot ahead, so interactive and reminder messages, which book up to a
-- second ahead, keep the rate they need; it waits out a bot-wide pause;
-- and an unreachable chat gets no slot.
-- KEYS[1] tat, KEYS[2] pause, KEYS[3] unreachable
-- ARGV[1] key base, ARGV[2] chat, ARGV[3] interval ms
-- Returns {'go', delay ms}, {'wait', ms} or {'blocked'}.
if redis.call('SISMEMBER', KEYS[3], ARGV[2]) == 1 then return {'blocked'} end
local p = redis.call('PTTL', KEYS[2])
if p > 0 then return {'wait', p} end
local interval = tonumber(ARGV[3])
local delay, w = take_global(KEYS[1], now_ms(), interval, math.max(interval / 2, 1))
if not delay then return {'wait', math.max(w, 1)} end
return {'go', delay}
