-- Withdraws an item, claimed or not: a claim's acknowledgement then finds
-- nothing to act on, and Agenda.Current says the item is gone.
-- ARGV[1] prefix, ARGV[2] kind, ARGV[3] key
-- Returns 1, or 0 when there was no such item.
return agenda_withdraw(ARGV[1], ARGV[2], ARGV[3])
