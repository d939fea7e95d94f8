package agenda_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink/agenda"
)

// cancelCall stands for a store script: it cancels a call and withdraws
// the call's reminder in the same EVAL, so the reminder cannot outlive the
// cancel. A store script includes the agenda the same way: agenda.Lua
// before its own source, the key prefix as ARGV[1].
var cancelCall = redis.NewScript(agenda.Lua + `
-- KEYS[1] the call's hash; ARGV[1] prefix, ARGV[2] the call's id
if redis.call('HGET', KEYS[1], 'status') ~= 'booked' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'cancelled')
agenda_withdraw(ARGV[1], 'reminder', 'call:' .. ARGV[2])
return 1
`)

// bookCall books a call and puts its reminder an hour before, in one EVAL.
var bookCall = redis.NewScript(agenda.Lua + `
-- KEYS[1] the call's hash; ARGV[1] prefix, ARGV[2] the call's id, ARGV[3] starts ms
redis.call('HSET', KEYS[1], 'status', 'booked', 'starts', ARGV[3])
agenda_put(ARGV[1], 'reminder', 'call:' .. ARGV[2], tonumber(ARGV[3]) - 3600000, ARGV[2])
return 1
`)

func TestAStoreScriptChangesItsRecordAndTheAgendaInOneEval(t *testing.T) {
	w := newWorld(t)
	a := w.instance(agenda.Options{})
	done := newTally()
	a.Register("reminder", done.handler())
	ctx := context.Background()
	call := w.prefix + "{h1}:call:7"
	starts := t0.Add(3 * time.Hour)
	if err := bookCall.Run(ctx, w.rdb, []string{call}, w.prefix, "7", starts.UnixMilli()).Err(); err != nil {
		t.Fatal(err)
	}
	w.clock.Set(starts.Add(-time.Hour))
	w.tick(a)
	if n := done.count("reminder", "call:7"); n != 1 {
		t.Fatalf("the booked call's reminder ran %d times", n)
	}

	if err := bookCall.Run(ctx, w.rdb, []string{call}, w.prefix, "7", starts.Add(24*time.Hour).UnixMilli()).Err(); err != nil {
		t.Fatal(err)
	}
	if err := cancelCall.Run(ctx, w.rdb, []string{call}, w.prefix, "7").Err(); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(48 * time.Hour)
	w.tick(a)
	if n := done.count("reminder", "call:7"); n != 1 {
		t.Fatalf("the cancelled call's reminder ran")
	}
	if got := w.rdb.HGet(ctx, call, "status").Val(); got != "cancelled" {
		t.Fatalf("status %q", got)
	}
}
