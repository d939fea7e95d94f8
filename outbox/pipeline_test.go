package outbox

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/homelink/homelink/emulator"
	"github.com/homelink/homelink/internal/redistest"
)

// The tests below scale Telegram's 30 messages a second up to 300, at the
// fake and in the outbox alike, so they finish in seconds; the properties
// are the same.
const testRate = 300

func scaledFake(t testing.TB) *emulator.Server {
	tg := emulator.New(emulator.WithLimits(emulator.Limits{
		PerSecond: testRate, PerChatPerSecond: 1, PerChatBurst: 3, GroupPerMinute: 20}))
	t.Cleanup(tg.Close)
	return tg
}

func users(tg *emulator.Server, first int64, n int) []*emulator.User {
	out := make([]*emulator.User, n)
	for i := range out {
		out[i] = tg.NewUser(first+int64(i), "u", "en")
	}
	return out
}

// sends lists the successful sends at the fake, in order.
// sends lists the accepted sendMessage calls by arrival (the fake records
// a call when it answers, and answers may finish out of arrival order).
func sends(tg *emulator.Server) []emulator.Call {
	var out []emulator.Call
	for _, c := range tg.Calls("sendMessage") {
		if c.Status == 200 {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b emulator.Call) int { return a.At.Compare(b.At) })
	return out
}

func count429(tg *emulator.Server) int {
	n := 0
	for _, c := range tg.Calls("") {
		if c.Status == 429 {
			n++
		}
	}
	return n
}

// maxInWindow is the most calls in any window of length d.
func maxInWindow(calls []emulator.Call, d time.Duration) int {
	most, j := 0, 0
	for i := range calls {
		for calls[i].At.Sub(calls[j].At) >= d {
			j++
		}
		most = max(most, i-j+1)
	}
	return most
}

func waitBatch(t *testing.T, tg *emulator.Server, o *Outbox, batch string, total int, timeout time.Duration) BatchStatus {
	t.Helper()
	var b BatchStatus
	ok := tg.WaitFor(timeout, func() bool {
		b, _ = o.Batch(context.Background(), batch)
		return b.Total == total && b.Pending() == 0
	})
	if !ok {
		t.Fatalf("batch %s not done after %v: %+v", batch, timeout, b)
	}
	return b
}

// 3,000 bulk messages through two instances sharing one Redis: no 429,
// each delivered once, at ≥97% of the rate and never above it; meanwhile
// 20 users each get a reply within 1.5 s.
func TestBulkThroughTwoInstancesAtTheLimit(t *testing.T) {
	tg := scaledFake(t)
	_, prefix := redistest.Client(t)
	opt := Options{RatePerSecond: testRate, Workers: 4}
	a, b := instance(t, tg, prefix, opt), instance(t, tg, prefix, opt)
	ctx := context.Background()
	const n = 3000
	people := users(tg, 100000, n)
	for _, u := range people {
		if _, err := a.Enqueue(ctx, Message{Lane: Bulk, ChatID: u.ID, Text: "Friday reminder", Batch: "big"}); err != nil {
			t.Fatal(err)
		}
	}
	run(t, a)
	run(t, b)

	// Twenty parents tap something while the broadcast runs.
	tg.WaitFor(5*time.Second, func() bool { return len(sends(tg)) > 600 })
	repliers := users(tg, 900000, 20)
	var mu sync.Mutex
	var waits []time.Duration
	var wg sync.WaitGroup
	for i, u := range repliers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o := []*Outbox{a, b}[i%2]
			start := time.Now()
			if _, err := o.Send(ctx, Message{Lane: Interactive, ChatID: u.ID, Text: "Your call is booked"}); err != nil {
				t.Error(err)
				return
			}
			if _, ok := u.WaitForMessage("Your call is booked", 5*time.Second); !ok {
				t.Errorf("user %d got no reply", u.ID)
			}
			mu.Lock()
			waits = append(waits, time.Since(start))
			mu.Unlock()
		}()
		time.Sleep(50 * time.Millisecond) // the taps come one after another, not as one burst
	}
	wg.Wait()
	slices.Sort(waits)
	if len(waits) != 20 || waits[19] > 1500*time.Millisecond {
		t.Fatalf("reply waits during the broadcast: %v", waits)
	}

	st := waitBatch(t, tg, a, "big", n, 30*time.Second)
	if st.Sent != n || st.Failed != 0 {
		t.Fatalf("batch = %+v", st)
	}
	for _, u := range people {
		if got := len(u.Messages()); got != 1 {
			t.Fatalf("user %d got %d messages", u.ID, got)
		}
	}
	if c := count429(tg); c != 0 {
		t.Fatalf("the fake answered 429 %d times", c)
	}
	all := sends(tg)
	rate := float64(len(all)-1) / all[len(all)-1].At.Sub(all[0].At).Seconds()
	most := maxInWindow(all, time.Second)
	t.Logf("achieved %.1f/s of %d/s; most in one second %d; reply waits p50 %v max %v", rate, testRate, most, waits[10], waits[19])
	floor, ceiling := 0.97*testRate, testRate
	if raceEnabled {
		floor, ceiling = 0.90*testRate, testRate+testRate/20
	}
	if rate < floor {
		t.Fatalf("achieved %.1f/s, want at least %.0f/s of %d/s", rate, floor, testRate)
	}
	if most > ceiling {
		t.Fatalf("%d sends in one second, limit %d", most, ceiling)
	}
}

// A worker that dies holding messages: another instance sends them once
// their lease runs out.
func TestDeadInstancesMessagesAreSentByTheOther(t *testing.T) {
	tg := scaledFake(t)
	_, prefix := redistest.Client(t)
	opt := Options{RatePerSecond: testRate, Workers: 2, Lease: time.Second}
	dead, alive := instance(t, tg, prefix, opt), instance(t, tg, prefix, opt)
	ctx := context.Background()
	people := users(tg, 200000, 10)
	for _, u := range people {
		dead.Enqueue(ctx, Message{Lane: Reminder, ChatID: u.ID, Text: "Call in one hour", Batch: "r"})
	}
	// The dead instance claims five and never gets to send or acknowledge them.
	for i := 0; i < 5; i++ {
		if _, ok := dead.claimForTest(ctx, "dead-worker"); !ok {
			t.Fatal("nothing to claim")
		}
	}
	run(t, alive)
	waitBatch(t, tg, alive, "r", 10, 10*time.Second)
	for _, u := range people {
		if got := len(u.Messages()); got != 1 {
			t.Fatalf("user %d got %d messages", u.ID, got)
		}
	}
}

// With a tenth of sends failing with 5xx, everything still arrives, once.
func TestFlakyTelegramStillDeliversEverything(t *testing.T) {
	tg := scaledFake(t)
	_, prefix := redistest.Client(t)
	opt := Options{RatePerSecond: testRate, Workers: 4, Backoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond, MaxAttempts: 10}
	a, b := instance(t, tg, prefix, opt), instance(t, tg, prefix, opt)
	tg.FailFraction(0.1, 502, "Bad Gateway")
	ctx := context.Background()
	people := users(tg, 300000, 500)
	for _, u := range people {
		a.Enqueue(ctx, Message{Lane: Bulk, ChatID: u.ID, Text: "News", Batch: "flaky"})
	}
	run(t, a)
	run(t, b)
	st := waitBatch(t, tg, a, "flaky", 500, 20*time.Second)
	if st.Sent != 500 {
		t.Fatalf("batch = %+v", st)
	}
	failed := 0
	for _, c := range tg.Calls("sendMessage") {
		if c.Status == 502 {
			failed++
		}
	}
	if failed < 20 {
		t.Fatalf("only %d injected failures: the test did not test", failed)
	}
	for _, u := range people {
		if got := len(u.Messages()); got != 1 {
			t.Fatalf("user %d got %d messages", u.ID, got)
		}
	}
}

// A 403 marks the chat unreachable at once; its messages are not retried
// and later ones are not sent.
func TestBlockedUserIsNotRetried(t *testing.T) {
	tg := scaledFake(t)
	_, prefix := redistest.Client(t)
	var mu sync.Mutex
	var told []int64
	o := instance(t, tg, prefix, Options{RatePerSecond: testRate, OnReachability: func(_ context.Context, chat int64, reachable bool) {
		mu.Lock()
		if !reachable {
			told = append(told, chat)
		}
		mu.Unlock()
	}})
	u := tg.NewUser(400000, "u", "en")
	u.Blocks()
	ctx := context.Background()
	first, _ := o.Enqueue(ctx, Message{Lane: Bulk, ChatID: u.ID, Text: "one", Batch: "blk"})
	run(t, o)
	waitBatch(t, tg, o, "blk", 1, 5*time.Second)
	s, _ := o.Status(ctx, first)
	if s.State != "failed" || s.Attempts != 1 {
		t.Fatalf("status %+v", s)
	}
	second, _ := o.Enqueue(ctx, Message{Lane: Bulk, ChatID: u.ID, Text: "two", Batch: "blk"})
	waitBatch(t, tg, o, "blk", 2, 5*time.Second)
	if calls := len(tg.Calls("sendMessage")); calls != 1 {
		t.Fatalf("%d calls to Telegram for a blocked user, want 1", calls)
	}
	if s, _ := o.Status(ctx, second); s.State != "failed" || s.Attempts != 0 {
		t.Fatalf("second status %+v", s)
	}
	if reachable, _ := o.Reachable(ctx, u.ID); reachable {
		t.Fatal("not marked unreachable")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(told) != 1 || told[0] != u.ID {
		t.Fatalf("OnReachability told %v unreachable", told)
	}
}

// A 429 pauses its scope on every instance for retry_after.
func TestTooManyRequestsPausesEveryInstance(t *testing.T) {
	tg := scaledFake(t)
	_, prefix := redistest.Client(t)
	opt := Options{RatePerSecond: testRate, Workers: 2}
	a, b := instance(t, tg, prefix, opt), instance(t, tg, prefix, opt)
	ctx := context.Background()
	people := users(tg, 500000, 200)
	for _, u := range people {
		a.Enqueue(ctx, Message{Lane: Bulk, ChatID: u.ID, Text: "hello", Batch: "p"})
	}
	run(t, a)
	run(t, b)
	tg.WaitFor(5*time.Second, func() bool { return len(sends(tg)) >= 20 })
	tg.FailTooMany(2, 1)
	waitBatch(t, tg, a, "p", 200, 20*time.Second)
	var hit time.Time
	for _, c := range tg.Calls("sendMessage") {
		if c.Status == 429 {
			hit = c.Done
		}
	}
	if hit.IsZero() {
		t.Fatal("no 429 happened")
	}
	// A send already past its last pause check when the 429 arrives still
	// goes: allow one Redis round trip and one request for it.
	const grace = 5 * time.Millisecond
	for _, c := range tg.Calls("sendMessage") {
		if c.At.After(hit.Add(grace)) && c.At.Before(hit.Add(2*time.Second)) {
			t.Fatalf("sent %v after a 429 with retry_after 2s", c.At.Sub(hit))
		}
	}
	for _, u := range people {
		if got := len(u.Messages()); got != 1 {
			t.Fatalf("user %d got %d messages", u.ID, got)
		}
	}
}

// Replies to one chat keep their order even when some must queue.
func TestRepliesToOneChatKeepTheirOrder(t *testing.T) {
	tg := emulator.New(emulator.WithLimits(emulator.Limits{
		PerSecond: testRate, PerChatPerSecond: 20, PerChatBurst: 3, GroupPerMinute: 20}))
	t.Cleanup(tg.Close)
	_, prefix := redistest.Client(t)
	o := instance(t, tg, prefix, Options{RatePerSecond: testRate, ChatPerSecond: 20, ChatBurst: 2})
	run(t, o)
	u := tg.NewUser(600000, "u", "en")
	ctx := context.Background()
	for i := 0; i < 8; i++ {
		if _, err := o.Send(ctx, Message{ChatID: u.ID, Text: fmt.Sprintf("reply %d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if !u.WaitForCount(8, 5*time.Second) {
		t.Fatalf("got %d replies", len(u.Messages()))
	}
	for i, m := range u.Messages() {
		if m.Text != fmt.Sprintf("reply %d", i) {
			t.Fatalf("reply %d is %q", i, m.Text)
		}
	}
}

// A group that became a supergroup: the message follows it, once.
func TestMigratedGroupIsFollowedOnce(t *testing.T) {
	tg := scaledFake(t)
	_, prefix := redistest.Client(t)
	o := instance(t, tg, prefix, Options{RatePerSecond: testRate})
	tg.NewGroup(-700, "Village")
	tg.NewGroup(-100700, "Village (supergroup)")
	tg.MigrateGroup(-700, -100700)
	ctx := context.Background()
	id, _ := o.Enqueue(ctx, Message{Lane: Bulk, ChatID: -700, Text: "Meeting on Friday", Batch: "g"})
	run(t, o)
	waitBatch(t, tg, o, "g", 1, 5*time.Second)
	s, _ := o.Status(ctx, id)
	if s.State != "sent" || s.ChatID != -100700 {
		t.Fatalf("status %+v", s)
	}
	if got := tg.ChatMessages(-100700); len(got) != 1 || got[0].Text != "Meeting on Friday" {
		t.Fatalf("supergroup sees %+v", got)
	}
}
