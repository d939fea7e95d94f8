package outbox

import (
	"context"
	"maps"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink/emulator"
	"github.com/homelink/homelink/internal/redistest"
)

// A broadcast's report: what failed, counted by why, in the batch's own
// counters. Two are sent; of the six that fail, two were to people who
// blocked the bot (one found by the 403, one known when queued), and one
// each was refused, not found, given up on, and forgotten with its chat.
func TestBatchCountsFailuresByReason(t *testing.T) {
	tg := emulator.New(emulator.WithLimits(emulator.Limits{Off: true}))
	t.Cleanup(tg.Close)
	_, prefix := redistest.Client(t)
	o := instance(t, tg, prefix, Options{Workers: 4, MaxAttempts: 1})
	ctx := context.Background()
	ok1, ok2, blocker, known, photo, voice, forgotten := tg.NewUser(1, "a", "en"), tg.NewUser(2, "b", "en"),
		tg.NewUser(3, "c", "en"), tg.NewUser(4, "d", "en"), tg.NewUser(5, "e", "en"), tg.NewUser(6, "f", "en"), tg.NewUser(7, "g", "en")
	const gone = 999 // no such chat
	blocker.Blocks()
	known.Blocks()
	if err := o.SetReachable(ctx, known.ID, false); err != nil {
		t.Fatal(err)
	}
	tg.Fail("sendPhoto", 404, "Not Found", 1)
	tg.Fail("sendVoice", 502, "Bad Gateway", 1)
	ids := map[string]string{}
	for name, m := range map[string]Message{
		"ok1": {ChatID: ok1.ID, Text: "news"}, "ok2": {ChatID: ok2.ID, Text: "news"},
		"blocker": {ChatID: blocker.ID, Text: "news"}, "known": {ChatID: known.ID, Text: "news"},
		"gone": {ChatID: gone, Text: "news"}, "photo": {ChatID: photo.ID, Kind: Photo, FileID: "AgAC-photo", Text: "news"},
		"voice": {ChatID: voice.ID, Kind: Voice, FileID: "AwAC-voice"},
	} {
		m.Lane, m.Batch = Bulk, "rep"
		id, err := o.Enqueue(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = id
	}
	if _, err := o.enqueueAt(ctx, Message{Lane: Bulk, ChatID: forgotten.ID, Text: "news", Batch: "rep"}, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := o.Forget(ctx, forgotten.ID); err != nil {
		t.Fatal(err)
	}
	run(t, o)
	b := waitBatch(t, tg, o, "rep", 8, 10*time.Second)
	want := map[string]int{ReasonBlocked: 2, ReasonBadRequest: 1, ReasonNotFound: 1, ReasonGaveUp: 1, ReasonForgotten: 1}
	if b.Sent != 2 || b.Failed != 6 || b.Blocked != 2 || b.Cancelled != 0 || !maps.Equal(b.Reasons, want) || !b.CancelledAt.IsZero() {
		t.Fatalf("batch %+v, want 2 sent, 6 failed, 2 of them blocked, by reason %v", b, want)
	}
	for name, reason := range map[string]string{
		"blocker": "blocked: bot was blocked by the user", "known": "blocked: the user blocked the bot",
		"gone": "bad request: chat not found", "photo": "not found: Not Found",
		"voice": "gave up: 1 attempts, the last: error response from telegram for method sendVoice, 502 Bad Gateway",
	} {
		if s, _ := o.Status(ctx, ids[name]); s.Reason != reason {
			t.Errorf("%s: reason %q, want %q", name, s.Reason, reason)
		}
	}
}

// _queue.lua's reason_class and ReasonClass agree on every class, and
// send anything else to ReasonOther.
func TestReasonClassesMatchLua(t *testing.T) {
	rdb, _ := redistest.Client(t)
	var src []byte
	for _, f := range []string{"_keys.lua", "_limits.lua", "_queue.lua"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src = append(append(src, b...), '\n')
	}
	sc := redis.NewScript(string(src) + `
local out = {}
for i, r in ipairs(ARGV) do out[i] = reason_class(r) end
return out`)
	var reasons []any
	for _, c := range ReasonClasses {
		reasons = append(reasons, c+": because")
	}
	reasons = append(reasons, "blocked", "Bad Request: chat not found", "", "bad request, Bad Request: x", "gave up after 8 attempts: 502")
	got, err := sc.Run(context.Background(), rdb, nil, reasons...).StringSlice()
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range reasons {
		if want := ReasonClass(r.(string)); got[i] != want {
			t.Errorf("%q: Lua says %q, Go %q", r, got[i], want)
		}
	}
	for i, c := range ReasonClasses {
		if got[i] != c {
			t.Errorf("class %q is %q to Lua", c, got[i])
		}
	}
}
