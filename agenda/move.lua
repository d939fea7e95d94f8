-- Moves an item to another due time, keeping its payload and attempts.
-- ARGV[1] prefix, ARGV[2] kind, ARGV[3] key, ARGV[4] due ms (app clock)
-- Returns 1, or 0 when there is no such item.
return agenda_move(ARGV[1], ARGV[2], ARGV[3], ARGV[4])
