-- Key helpers, prepended to every outbox script (Outbox.New); they build
-- the names keys.go documents, one function here for each function there.
-- A script gets the outbox's fixed keys (lanes, inflight, tat, pause,
-- unreachable, dead, seq) as KEYS; names that depend on a message, a batch
-- or a chat found while it runs are built here from the key base
-- ("<prefix>{ob}:"), which every outbox script takes as ARGV[1].
local function lanekey(base, lane) return base .. 'lane:' .. lane end
local function msgkey(base, id) return base .. 'm:' .. id end
local function batchkey(base, batch) return base .. 'b:' .. batch end
local function batchidskey(base, batch) return base .. 'bm:' .. batch end
local function chattatkey(base, chat) return base .. 'ctat:' .. chat end
local function chatqueuedkey(base, chat) return base .. 'cq:' .. chat end
local function chatpausekey(base, chat) return base .. 'pause:' .. chat end
local function chatmsgskey(base, chat) return base .. 'cm:' .. chat end
local function chatlastkey(base, chat) return base .. 'cl:' .. chat end
