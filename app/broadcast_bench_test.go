package app

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/emulator"
	"github.com/homelink/homelink/internal/redistest"
	"github.com/homelink/homelink/internal/testlog"
	"github.com/homelink/homelink/outbox"
)

// broadcastBench is an App that is whole but not serving (nothing goes
// from the outbox to Telegram: the figure is homelink's queuing), with
// 100 homes of one coordinator and perHome parents each, written straight
// into Redis in the store's layout (seeding 100,000 people through
// invitations would take minutes).
type broadcastBench struct {
	h     *harness
	a     *App
	coord int64
	homes []int64
}

func newBroadcastBench(b testing.TB, perHome int) *broadcastBench {
	tg := emulator.New(emulator.WithLimits(emulator.Limits{Off: true}))
	b.Cleanup(tg.Close)
	rdb, prefix := redistest.Client(b)
	h := &harness{t: b, tg: tg, rdb: rdb, prefix: prefix, logs: &testlog.Buffer{}, redisURL: redistest.URL(),
		clock: homelink.NewFakeClock(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))}
	ctx := context.Background()
	cfg := h.config(polling, nil)
	// Telegram's pace lifted: the progress update's figure is homelink's
	// work and one HTTP call, not a wait for the next slot.
	cfg.RatePerSecond = 100000
	a, err := New(ctx, cfg, Deps{Clock: h.clock, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { a.rdb.Close() })
	bb := &broadcastBench{h: h, a: a, coord: 390000}
	st := h.store()
	s := crowdSeeder{h: h, st: st}
	if err := s.join(ctx, homelink.Invite{Role: homelink.RoleCoordinator, ByAdmin: true}, bb.coord, "周主任"); err != nil {
		b.Fatal(err)
	}
	now := strconv.FormatInt(h.clock.Now().UnixMilli(), 10)
	for i := range 100 {
		hm, err := st.CreateHome(ctx, homelink.By{User: bb.coord}, homelink.Home{Name: fmt.Sprintf("Home %d", i), TimeZone: "Asia/Shanghai"})
		if err != nil {
			b.Fatal(err)
		}
		bb.homes = append(bb.homes, hm.ID)
		pipe := rdb.Pipeline()
		hk := func(name string) string { return prefix + "{h" + strconv.FormatInt(hm.ID, 10) + "}:" + name }
		for j := range perHome {
			c, u := int64(1_000_000+i*perHome+j), int64(5_000_000+i*perHome+j)
			cs, us := strconv.FormatInt(c, 10), strconv.FormatInt(u, 10)
			lang := "en"
			if j%2 == 0 {
				lang = "zh-Hans"
			}
			pipe.ZAdd(ctx, hk("children"), redisZ(now, cs))
			pipe.HSet(ctx, hk("child:"+cs), "name", fmt.Sprintf("Kid %d-%d", i, j))
			pipe.HSet(ctx, hk("guardians:"+cs), us, "mother")
			pipe.HSet(ctx, prefix+"{u"+us+"}:user", "name", fmt.Sprintf("Parent %d-%d", i, j), "lang", lang,
				"g:"+cs, strconv.FormatInt(hm.ID, 10)+":mother")
		}
		if _, err := pipe.Exec(ctx); err != nil {
			b.Fatal(err)
		}
	}
	return bb
}

// send saves a broadcast to every parent of the homes, sent now, as
// /broadcast's [Send now] does.
func (bb *broadcastBench) send(b testing.TB) homelink.Broadcast {
	bc, err := bb.h.store().SaveBroadcast(context.Background(), homelink.By{User: bb.coord}, homelink.Broadcast{
		Homes: bb.homes, Audience: homelink.AudienceGuardians, Urgent: true,
		Versions: []homelink.BroadcastVersion{
			{Lang: "zh-Hans", Text: "{parent_name}您好：{child_names}所在的{home_name}周五放假，周日照常。"},
			{Lang: "en", Text: "Dear {parent_name}, {home_name} is closed on Friday; {child_names} will be back on Sunday."}}})
	if err != nil {
		b.Fatal(err)
	}
	return bc
}

// BenchmarkQueueBroadcast100000 is the broadcasts issue's figure: a
// broadcast to 100,000 parents of 100 homes is sent now (saved, as
// [Send now] does) and the agenda ticks as the scheduler would. It
// measures the time until the first message is at the outbox and until
// all are, and the process's peak RSS meanwhile (VmHWM, reset after
// seeding). Urgent, so quiet hours hold nobody back.
//
//	go test ./app/ -run '^$' -bench QueueBroadcast100000 -benchtime 1x -count 3
func BenchmarkQueueBroadcast100000(b *testing.B) {
	const perHome = 1000
	bb := newBroadcastBench(b, perHome)
	ctx := context.Background()
	for b.Loop() {
		resetPeakRSS(b)
		start := time.Now()
		bc := bb.send(b)
		batch := homelink.RunBatch(bc.ID, 1)
		var first time.Duration
		ticking := make(chan struct{})
		go func() {
			defer close(ticking)
			for {
				st, err := bb.a.Outbox.Batch(ctx, batch)
				if err == nil && st.Total > 0 && first == 0 {
					first = time.Since(start)
				}
				if err == nil && st.Total >= 100*perHome {
					return
				}
				if time.Since(start) > 5*time.Minute {
					return
				}
				time.Sleep(time.Millisecond)
			}
		}()
		for {
			if err := bb.a.Agenda.Tick(ctx); err != nil {
				b.Fatal(err)
			}
			select {
			case <-ticking:
			case <-time.After(100 * time.Millisecond):
				continue
			}
			break
		}
		all := time.Since(start)
		st, _ := bb.a.Outbox.Batch(ctx, batch)
		if st.Total != 100*perHome {
			b.Fatalf("%d queued, want %d", st.Total, 100*perHome)
		}
		b.ReportMetric(float64(first.Microseconds())/1000, "ms-to-first")
		b.ReportMetric(all.Seconds(), "s-to-all")
		b.ReportMetric(float64(peakRSS(b))/(1<<20), "peak-RSS-MB")
		b.StopTimer()
		// The next round starts from an empty outbox.
		if err := bb.a.rdb.Del(ctx, bb.h.prefix+"{ob}:lane:2").Err(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// BenchmarkBroadcastProgress is the cost of one progress update (the
// run's figures and the outbox's counts read, the message edited at the
// fake Bot API over HTTP) for a run of 100 recipients and one of 100,000:
// it must not grow with the audience.
//
//	go test ./app/ -run '^$' -bench BroadcastProgress -count 5
func BenchmarkBroadcastProgress(b *testing.B) {
	for _, per := range []int{1, 1000} {
		b.Run(fmt.Sprintf("audience=%d", per*100), func(b *testing.B) {
			bb := newBroadcastBench(b, per)
			ctx := context.Background()
			bc := bb.send(b)
			// The run starts and is queued whole before the timing.
			for {
				if err := bb.a.Agenda.Tick(ctx); err != nil {
					b.Fatal(err)
				}
				st, err := bb.a.Outbox.Batch(ctx, homelink.RunBatch(bc.ID, 1))
				if err != nil {
					b.Fatal(err)
				}
				if st.Total == per*100 {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			turn := bb.h.prefix + "{b" + strconv.FormatInt(bc.ID, 10) + "}:run:1:turn"
			// The progress message, sent (to the fake Bot API): each update
			// edits it there, over HTTP, as in production.
			bb.h.tg.NewUser(bb.coord, "周主任", "zh-hans")
			msg, err := bb.a.Outbox.Send(ctx, outbox.Message{ChatID: bb.coord, Text: "📣"})
			if err != nil {
				b.Fatal(err)
			}
			if err := bb.h.store().SetRunMessage(ctx, bc.ID, 1, "", bb.coord, msg); err != nil {
				b.Fatal(err)
			}
			var took []time.Duration
			for b.Loop() {
				b.StopTimer()
				bb.a.rdb.Del(ctx, turn)
				// As if the figures had moved: the message is edited.
				bb.a.rdb.HDel(ctx, strings.TrimSuffix(turn, ":turn"), "ps")
				b.StartTimer()
				t0 := time.Now()
				if err := bb.a.Bot.BroadcastProgress(ctx); err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(t0))
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "ms-median")
		})
	}
}

func resetPeakRSS(b *testing.B) {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Logf("cannot reset the peak RSS: %v", err)
	}
}

// peakRSS is the process's peak resident set (VmHWM), in bytes.
func peakRSS(b *testing.B) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func redisZ(score, member string) redis.Z {
	s, _ := strconv.ParseFloat(score, 64)
	return redis.Z{Score: s, Member: member}
}
