-- Puts an item; the same kind and key again replaces it (and voids a claim).
-- ARGV[1] prefix, ARGV[2] kind, ARGV[3] key, ARGV[4] due ms (app clock),
-- ARGV[5] payload
agenda_put(ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])
return 1
