package outbox

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/homelink/homelink/emulator"
	"github.com/homelink/homelink/internal/redistest"
)

// faultRate is the bot-wide limit in the fault tests: near Telegram's
// own 30/s, not scaled up like the pipeline tests' 300/s. What bunches up
// when Redis comes back is bounded by workers and connections, not by the
// rate, so only at a rate like Telegram's does a bunch show as a 429.
const faultRate = 40

// strictBurst is how many sends at once a Telegram stricter than the
// fake would allow: a quarter of a second's worth. The fake allows a
// whole second's worth, which hides a bunch of late senders; our pacing
// needs one or two at once (a send may arrive a little after its slot),
// and a few more when a busy machine (or the race detector) holds the
// process up for a moment.
const strictBurst = faultRate / 4

// overStrictLimit counts the sends a bucket of rate per second and burst
// would have refused, by arrival.
func overStrictLimit(calls []emulator.Call, rate, burst float64) int {
	over, tokens := 0, burst
	var last time.Time
	for _, c := range calls {
		if !last.IsZero() {
			tokens = min(burst, tokens+c.At.Sub(last).Seconds()*rate)
		}
		last = c.At
		if tokens < 1 {
			over++
			continue
		}
		tokens--
	}
	return over
}

// throughAFault is a busy moment at the limit on two replicas: 160
// people write at once (most replies must queue) while a broadcast of 80
// waits behind them. Once sending is under way, fault takes Redis away
// (and returns what waits for it to come back) and 80 more people write.
// Each handler replies, and tries again when Send returns an error, as
// the inbox hands an unfinished update over again. Every person must see
// their message exactly once; Telegram must never answer 429, nor a
// stricter Telegram (strictBurst).
func throughAFault(t *testing.T, fault func(*redistest.Server) (back func())) {
	srv := redistest.NewServer(t, "--appendonly", "yes")
	tg := emulator.New(emulator.WithLimits(emulator.Limits{
		PerSecond: faultRate, PerChatPerSecond: 1, PerChatBurst: 3, GroupPerMinute: 20}))
	t.Cleanup(tg.Close)
	// A lease shorter than the default, but longer than the fault: a
	// send whose record was lost comes back within the test.
	opt := Options{RatePerSecond: faultRate, Lease: 9 * time.Second}
	replicas := []*Outbox{ownInstance(t, tg, srv, opt), ownInstance(t, tg, srv, opt)}
	ctx := context.Background()
	parents := users(tg, 100000, 80)
	for _, u := range parents {
		if _, err := replicas[0].Enqueue(ctx, Message{Lane: Bulk, ChatID: u.ID, Text: "Friday news", Batch: "news"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, o := range replicas {
		run(t, o)
	}
	var wg sync.WaitGroup
	write := func(people []*emulator.User) {
		for i, u := range people {
			wg.Add(1)
			go func() {
				defer wg.Done()
				replyOnce(t, replicas[i%2], u)
			}()
		}
	}
	early, late := users(tg, 900000, 160), users(tg, 910000, 80)
	write(early)
	tg.WaitFor(10*time.Second, func() bool { return len(sends(tg)) >= faultRate })
	back := fault(srv)
	write(late)
	back()
	wg.Wait()
	st := waitBatch(t, tg, replicas[0], "news", len(parents), 60*time.Second)

	people := append(append(parents, early...), late...)
	once, twice, never := 0, 0, 0
	for _, u := range people {
		switch got := len(u.Messages()); {
		case got == 0:
			never++
		case got == 1:
			once++
		default:
			twice++
		}
	}
	all := sends(tg)
	over := overStrictLimit(all, faultRate, strictBurst)
	var retries float64
	for _, o := range replicas {
		retries += testutil.ToFloat64(o.metrics().BookkeepingRetries.WithLabelValues("send_record"))
	}
	report := fmt.Sprintf("%d people: %d got their message once, %d more than once, %d never; %d × 429; "+
		"%d over a limit allowing %d at once; busiest second %d of %d; %v records retried",
		len(people), once, twice, never, count429(tg), over, strictBurst, maxInWindow(all, time.Second), faultRate, retries)
	t.Log(report)
	if once != len(people) || count429(tg) != 0 || over != 0 || st.Sent != len(parents) {
		t.Fatal(report)
	}
}

// replyOnce is a handler answering u: it tries again when Send fails, as
// the inbox hands an unfinished update over again.
func replyOnce(t *testing.T, o *Outbox, u *emulator.User) {
	for try := 0; try < 20; try++ {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // the intake's handler timeout
		_, err := o.Send(ctx, Message{ChatID: u.ID, Text: "Your call is booked", Reply: true})
		cancel()
		if err == nil {
			return
		}
	}
	t.Errorf("user %d: no reply after 20 tries", u.ID)
}

// Redis shut down for three seconds and started again (its AOF keeps
// what was queued) while a broadcast is being sent and people write.
func TestRedisRestartLosesAndRepeatsNothing(t *testing.T) {
	throughAFault(t, func(srv *redistest.Server) func() {
		srv.Stop()
		return func() {
			time.Sleep(3 * time.Second) // the outage itself
			srv.Start()
		}
	})
}

// Redis stalls for six seconds, past the client's 3 s read timeout: a
// command that timed out may still run when the stall ends.
func TestRedisStallPastTheTimeoutLosesAndRepeatsNothing(t *testing.T) {
	throughAFault(t, func(srv *redistest.Server) func() {
		srv.Pause(6 * time.Second)
		return func() { time.Sleep(6 * time.Second) } // the stall itself
	})
}
