-- Key helpers, prepended to every script; they build the names keys.go
-- documents. ARGV[1] of a script that uses them is the key prefix.
local function ukey(p, id, name) return p .. '{u' .. id .. '}:' .. name end
local function hkey(p, id, name) return p .. '{h' .. id .. '}:' .. name end
