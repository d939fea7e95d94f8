package outbox

import (
	"context"
	"fmt"
	"slices"
	"strconv"
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
// each delivered once, never more than the limit in any one second;
// meanwhile 20 users each get a reply that jumps the broadcast's queue.
// Only what holds however busy the machine is is asserted: how close to
// the limit the outbox gets, and how long a reply waits, are logged here
// and measured by BenchmarkAchievedRateAtLimit and
// BenchmarkInteractiveDuringBulk (README.md, "Tests").
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
	tg.WaitFor(time.Minute, func() bool { return len(sends(tg)) > 600 })
	repliers := users(tg, 900000, 20)
	tapped := make([]time.Time, len(repliers))
	var wg sync.WaitGroup
	for i, u := range repliers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o := []*Outbox{a, b}[i%2]
			tapped[i] = time.Now()
			if _, err := o.Send(ctx, Message{Lane: Interactive, ChatID: u.ID, Text: "Your call is booked"}); err != nil {
				t.Error(err)
				return
			}
			// A time-out for a hang only: a reply's wait is judged below
			// by what overtook it.
			if _, ok := u.WaitForMessage("Your call is booked", time.Minute); !ok {
				t.Errorf("user %d got no reply", u.ID)
			}
		}()
		time.Sleep(50 * time.Millisecond) // the taps come one after another, not as one burst
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}

	st := waitBatch(t, tg, a, "big", n, 5*time.Minute)
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
	// The busiest second, counted where Telegram counts, on arrival. The
	// outbox paces 2.5% under the limit and bulk books at most half a slot
	// ahead, so a busy machine only spreads sends out.
	if most := maxInWindow(all, time.Second); most > testRate {
		t.Fatalf("%d sends in one second, limit %d", most, testRate)
	}

	// No reply is starved. A reply takes the limiter's next slot, so only
	// bulk messages already in a worker's hands, or booked beside it,
	// reach Telegram between the tap and the reply; a reply queued behind
	// the broadcast would see some 2,000 go first. The bound, a second's
	// worth at the limit, counts messages, not time: a busy machine slows
	// the broadcast as much as the reply.
	var overtaken []int
	var waits []time.Duration
	for i, u := range repliers {
		chat := strconv.FormatInt(u.ID, 10)
		var replied time.Time
		for _, c := range all {
			if c.Params["chat_id"] == chat {
				replied = c.At
			}
		}
		k := 0
		for _, c := range all {
			if c.Params["text"] == "Friday reminder" && c.At.After(tapped[i]) && c.At.Before(replied) {
				k++
			}
		}
		if k >= testRate {
			t.Errorf("user %d's reply waited behind %d bulk messages", u.ID, k)
		}
		overtaken = append(overtaken, k)
		waits = append(waits, replied.Sub(tapped[i]))
	}
	slices.Sort(overtaken)
	slices.Sort(waits)
	rate := float64(len(all)-1) / all[len(all)-1].At.Sub(all[0].At).Seconds()
	t.Logf("achieved %.1f/s of %d/s; most in one second %d; bulk messages ahead of a reply: median %d, most %d; reply waits p50 %v, max %v",
		rate, testRate, maxInWindow(all, time.Second), overtaken[len(overtaken)/2], overtaken[len(overtaken)-1],
		waits[len(waits)/2].Round(time.Millisecond), waits[len(waits)-1].Round(time.Millisecond))
}

// A worker that dies holding messages: another instance sends them once
// their lease runs out.
func TestDeadInstancesMessagesAreSentByTheOther(t *testing.T) {
	tg := scaledFake(t)
	_, prefix := redistest.Client(t)
	// Only the dead instance's lease is short: a lease that ran out while
	// a slow machine was still sending would rightly be sent again.
	dead := instance(t, tg, prefix, Options{RatePerSecond: testRate, Workers: 2, Lease: time.Second})
	alive := instance(t, tg, prefix, Options{RatePerSecond: testRate, Workers: 2})
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
	// Enough that, unpaused, the instances would still be sending more
	// than a second after the 429.
	const n = 400
	people := users(tg, 500000, n)
	for _, u := range people {
		a.Enqueue(ctx, Message{Lane: Bulk, ChatID: u.ID, Text: "hello", Batch: "p"})
	}
	run(t, a)
	run(t, b)
	tg.WaitFor(time.Minute, func() bool { return len(sends(tg)) >= 10 })
	const retryAfter = 2 * time.Second
	tg.FailTooMany(int(retryAfter/time.Second), 1)
	waitBatch(t, tg, a, "p", n, time.Minute)
	var hit time.Time
	for _, c := range tg.Calls("sendMessage") {
		if c.Status == 429 {
			hit = c.Done
		}
	}
	if hit.IsZero() {
		t.Fatal("no 429 happened")
	}
	// Sends that passed their last pause check before the pause was
	// recorded still go: one per worker, and those the limiter handed out
	// while the 429 was on its way back. On a busy machine they can arrive
	// tens of milliseconds late, so they get a quarter of retry_after;
	// nothing else may reach Telegram until retry_after has passed.
	const stragglers = retryAfter / 4
	late := 0
	for _, c := range tg.Calls("sendMessage") {
		if c.At.After(hit) && c.At.Before(hit.Add(retryAfter)) {
			if c.At.After(hit.Add(stragglers)) {
				t.Fatalf("sent %v after a 429 with retry_after %v", c.At.Sub(hit), retryAfter)
			}
			late++
		}
	}
	t.Logf("%d sends arrived after the 429 and before the pause held", late)
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
