package app

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/emulator"
	"github.com/homelink/homelink/internal/redistest"
	"github.com/homelink/homelink/internal/testlog"
	"github.com/homelink/homelink/store"
)

// BenchmarkRemindersSameMinute is the figure: 10,000 confirmed
// calls whose reminders an hour before fall due in the same minute, all
// queued at the outbox's reminder lane within 2 s of the agenda's first
// Tick. The calls are made as guardians make them (Store.Book in homes
// that confirm at once, so the call scripts plan their reminders), in
// 1,000 homes of 10 lines each (a slot holds at most homelink.MaxLines
// calls), each child with a guardian of its own; the App is whole (store,
// bot, outbox, agenda) but not serving, so nothing ticks or sends but the
// benchmark, and sending to Telegram is not part of the figure. Each
// iteration books the next day's calls, ticks the morning digests away,
// moves the clock to the reminders' minute and times Tick until the
// outbox counted all 10,000; it then cancels the calls. It reports the
// median seconds to all queued, the reminders queued per second, the
// round trips to Redis per reminder, and the CPU seconds Redis and the
// app spent.
//
//	go test ./app/ -run '^$' -bench RemindersSameMinute -benchtime 1x -count 5
func BenchmarkRemindersSameMinute(b *testing.B) {
	const homes, perHome = 1000, homelink.MaxLines
	w := newRemindWorld(b, homes, perHome)
	ctx := context.Background()
	trips := &roundTrips{}
	w.app.rdb.AddHook(trips)
	var took []time.Duration
	var redisCPU, appCPU []float64
	var tripsPer float64
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		// The clock stands at 17:00 home time; the calls are tomorrow at
		// 10:00, under 24 hours ahead, so only the reminders from an hour
		// before on are planned.
		w.h.clock.Set(w.at(i, 17, 0))
		start := w.at(i+1, 10, 0)
		calls := w.bookAll(start)
		w.tickAt(w.at(i+1, 8, 30)) // the homes' morning digests
		before := w.queued()
		w.h.clock.Set(start.Add(-time.Hour))
		trips.n.Store(0)
		rc0, pc0 := w.redisCPU(), processCPU()
		b.StartTimer()
		began := time.Now()
		for w.queued()-before < len(calls) {
			if err := w.app.Agenda.Tick(ctx); err != nil {
				b.Fatal(err)
			}
			if time.Since(began) > time.Minute {
				b.Fatalf("only %d of %d reminders queued in a minute", w.queued()-before, len(calls))
			}
		}
		took = append(took, time.Since(began))
		b.StopTimer()
		tripsPer = float64(trips.n.Load()) / float64(len(calls))
		redisCPU, appCPU = append(redisCPU, w.redisCPU()-rc0), append(appCPU, processCPU()-pc0)
		if got := w.queued() - before; got != len(calls) {
			b.Fatalf("%d reminders queued, want %d", got, len(calls))
		}
		if got := w.sent(); got != (i+1)*len(calls) {
			b.Fatalf("%d reminders an hour before counted sent, want %d", got, (i+1)*len(calls))
		}
		w.cancelAll(calls)
		b.StartTimer()
	}
	slices.Sort(took)
	med := took[len(took)/2]
	b.ReportMetric(med.Seconds(), "s-to-all-queued")
	b.ReportMetric(float64(homes*perHome)/med.Seconds(), "reminders/s")
	b.ReportMetric(tripsPer, "round-trips/reminder")
	// The CPU both sides spent (the machine's other load makes the wall
	// time the noisier figure).
	b.ReportMetric(median(redisCPU), "redis-cpu-s")
	b.ReportMetric(median(appCPU), "app-cpu-s")
}

// roundTrips counts the commands and pipelines a client sends: each is one
// round trip to Redis.
type roundTrips struct{ n atomic.Int64 }

func (r *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }
func (r *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		r.n.Add(1)
		return next(ctx, cmd)
	}
}
func (r *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		r.n.Add(1)
		return next(ctx, cmds)
	}
}

// remindWorld is many homes in Asia/Shanghai that confirm every request
// at once, each with a coordinator, a teacher, call hours every day
// 08:00–20:00 on 10 lines, and children each with a guardian of their
// own, made through the store's operations; and a whole App over them
// that is not serving (the test ticks its agenda).
type remindWorld struct {
	t        testing.TB
	h        *harness
	app      *App
	st       *store.Store
	zone     *time.Location
	children []remindChild
}

type remindChild struct{ home, child, guardian int64 }

// newRemindWorld makes homes with perHome children each.
func newRemindWorld(t testing.TB, homes, perHome int) *remindWorld {
	_, prefix := redistest.Client(t) // its cleanup removes the world's keys
	return newRemindWorldOn(t, redistest.URL(), prefix, homes, perHome, nil)
}

// newRemindWorldOn is newRemindWorld on the Redis at url, under prefix,
// with tune applied to the homes' hours (nil: none).
func newRemindWorldOn(t testing.TB, url, prefix string, homes, perHome int, tune func(*homelink.Hours)) *remindWorld {
	t.Helper()
	tg := emulator.New(emulator.WithLimits(emulator.Limits{Off: true}))
	t.Cleanup(tg.Close)
	h := &harness{t: t, tg: tg, prefix: prefix, logs: &testlog.Buffer{}, redisURL: url,
		clock: homelink.NewFakeClock(time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC))}
	a, err := New(context.Background(), h.config(polling, nil), Deps{Clock: h.clock, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.rdb.Close() })
	h.rdb = a.rdb
	zone, _ := time.LoadLocation("Asia/Shanghai")
	w := &remindWorld{t: t, h: h, app: a, st: h.store(), zone: zone}
	w.seed(homes, perHome, tune)
	return w
}

// at is hh:mm home time, day days after the clock's first day.
func (w *remindWorld) at(day, hh, mm int) time.Time {
	return time.Date(2026, 11, 28+day, hh, mm, 0, 0, w.zone)
}

// parallel runs do(i) for i in [0, n) on 16 goroutines, failing the
// benchmark on the first error.
func (w *remindWorld) parallel(n int, do func(i int) error) {
	w.t.Helper()
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := do(i); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		w.t.Fatal(err)
	}
}

func (w *remindWorld) seed(homes, perHome int, tune func(*homelink.Hours)) {
	ctx, st := context.Background(), w.st
	hrs := homelink.Hours{SlotMinutes: 15, Lines: homelink.MaxLines, AutoConfirm: true}
	for d := time.Sunday; d <= time.Saturday; d++ {
		hrs.Windows = append(hrs.Windows, homelink.Window{Day: d, Start: 8 * 60, End: 20 * 60})
	}
	if tune != nil {
		tune(&hrs)
	}
	join := func(inv homelink.Invite, user int64, lang string) error {
		inv.Link, inv.Typed = homelink.NewInviteCodes()
		inv.ExpiresAt = w.h.clock.Now().Add(time.Hour)
		inv, err := st.CreateInvite(ctx, inv)
		if err != nil {
			return err
		}
		_, err = st.RedeemInvite(ctx, inv.ID, user, lang)
		return err
	}
	w.children = make([]remindChild, homes*perHome)
	w.parallel(homes, func(i int) error {
		coord, teacher := int64(1_000_000+i), int64(2_000_000+i)
		if err := join(homelink.Invite{Role: homelink.RoleCoordinator, ByAdmin: true}, coord, "zh-Hans"); err != nil {
			return err
		}
		hm, err := st.CreateHome(ctx, homelink.By{User: coord}, homelink.Home{Name: fmt.Sprintf("儿童之家%d", i),
			TimeZone: "Asia/Shanghai", Instructions: "请拨打 0851-1234"})
		if err != nil {
			return err
		}
		if err := join(homelink.Invite{Role: homelink.RoleTeacher, HomeID: hm.ID, MadeBy: coord}, teacher, "zh-Hans"); err != nil {
			return err
		}
		if err := st.SetHours(ctx, homelink.By{User: teacher}, hm.ID, hrs); err != nil {
			return err
		}
		for j := range perHome {
			n := i*perHome + j
			c, err := st.AddChild(ctx, homelink.By{User: teacher}, homelink.Child{HomeID: hm.ID, Name: fmt.Sprintf("孩子%d", n)})
			if err != nil {
				return err
			}
			g, lang := int64(3_000_000+n), "zh-Hans"
			if n%4 == 0 {
				lang = "en"
			}
			if err := join(homelink.Invite{Role: homelink.RoleGuardian, HomeID: hm.ID, ChildID: c.ID, MadeBy: teacher}, g, lang); err != nil {
				return err
			}
			if err := st.SetName(ctx, g, fmt.Sprintf("家长%d", n)); err != nil {
				return err
			}
			w.children[n] = remindChild{home: hm.ID, child: c.ID, guardian: g}
		}
		return nil
	})
}

// bookAll has every guardian book a call for their child at start; the
// homes confirm them at once.
func (w *remindWorld) bookAll(start time.Time) []homelink.Booking {
	ctx := context.Background()
	calls := make([]homelink.Booking, len(w.children))
	w.parallel(len(w.children), func(i int) error {
		c := w.children[i]
		call, err := w.st.Book(ctx, homelink.By{User: c.guardian}, homelink.BookingRequest{HomeID: c.home,
			ChildID: c.child, Start: start, Kind: homelink.VideoCall})
		if err != nil {
			return fmt.Errorf("book for %d: %w", c.guardian, err)
		}
		if call.State != homelink.Confirmed {
			return fmt.Errorf("call %d is %s", call.ID, call.State)
		}
		calls[i] = call
		return nil
	})
	return calls
}

// cancelAll cancels calls, withdrawing their other items.
func (w *remindWorld) cancelAll(calls []homelink.Booking) {
	ctx := context.Background()
	w.parallel(len(calls), func(i int) error {
		_, err := w.st.Cancel(ctx, homelink.By{User: calls[i].Guardian}, calls[i].HomeID, calls[i].ID, "")
		return err
	})
}

// tickAt moves the clock to t and works off what is due.
func (w *remindWorld) tickAt(t time.Time) {
	w.h.clock.Set(t)
	if err := w.app.Agenda.Tick(context.Background()); err != nil {
		w.t.Fatal(err)
	}
}

// sent is how many reminders an hour before the bot counted sent.
func (w *remindWorld) sent() int {
	return int(testutil.ToFloat64(w.app.Metrics.Reminders.WithLabelValues(store.KindRemindSoon, "sent")))
}

// queued is how many messages the outbox took into its reminder lane.
func (w *remindWorld) queued() int {
	return int(testutil.ToFloat64(w.app.Metrics.OutboxQueued.WithLabelValues("reminder")))
}

func median(v []float64) float64 {
	slices.Sort(v)
	return v[len(v)/2]
}

// redisCPU is the CPU time Redis has used, in seconds.
func (w *remindWorld) redisCPU() float64 {
	info := w.app.rdb.Info(context.Background(), "cpu").Val()
	var total float64
	for _, line := range strings.Split(info, "\r\n") {
		k, v, _ := strings.Cut(line, ":")
		if k == "used_cpu_sys" || k == "used_cpu_user" {
			f, _ := strconv.ParseFloat(v, 64)
			total += f
		}
	}
	return total
}

// processCPU is the CPU time this process has used, in seconds.
func processCPU() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
