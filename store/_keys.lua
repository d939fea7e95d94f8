-- Key helpers, prepended to every script; they build the names keys.go
-- documents, for keys a script finds while it runs. ARGV[1] of every
-- store script is the key prefix p (see Store.run).
local function ukey(p, id, name) return p .. '{u' .. id .. '}:' .. name end
local function hkey(p, id, name) return p .. '{h' .. id .. '}:' .. name end
local function invitekey(p, id) return p .. 'invite:' .. id end
local function codekey(p, digest) return p .. 'code:' .. digest end
