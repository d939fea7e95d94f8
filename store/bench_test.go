package store

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink"
)

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

// benchHome is a home with hours every day 08:00–18:00 (40 slots of 15
// minutes a day) on lines lines, and n children each with a guardian
// (guardian 600+i of child kids[i]).
func benchHome(b *testing.B, lines, n int) (*callWorld, []int64) {
	w := newCallWorld(b, lines)
	hrs := homelink.Hours{SlotMinutes: 15, Lines: lines}
	for d := time.Sunday; d <= time.Saturday; d++ {
		hrs.Windows = append(hrs.Windows, homelink.Window{Day: d, Start: 8 * 60, End: 18 * 60})
	}
	w.setHours(b, hrs)
	kids := make([]int64, n)
	for i := range kids {
		kids[i] = w.addChild(b, "孩子").ID
		w.link(b, kids[i], int64(600+i))
	}
	return w, kids
}

// BenchmarkAvailability lists the free slots of the next 14 days for a
// child of a home with 14 days × 40 slots × 5 lines and 500 bookings:
// Availability (one pipelined read) and Free, the listing /book shows.
// The floor: p99 at most 2 ms and at most 3 round trips.
func BenchmarkAvailability(b *testing.B) {
	w, kids := benchHome(b, 5, 50)
	ctx := context.Background()
	from := w.clock.Now()
	to := from.Add(homelink.BookingDays * 24 * time.Hour)
	slots := w.s.mustHours(b, w.home.ID).Slots(w.zone, from.Add(time.Hour), to)
	if len(slots) < 13*40 {
		b.Fatalf("%d slots", len(slots))
	}
	for i := range 500 { // ten calls for each of 50 children, spread over the slots
		child := i % 50
		req := homelink.BookingRequest{HomeID: w.home.ID, ChildID: kids[child], Start: slots[(i*7)%len(slots)],
			Kind: homelink.VideoCall, MaxUpcoming: 100}
		if _, err := w.s.Book(ctx, homelink.By{User: int64(600 + child)}, req); err != nil {
			b.Fatalf("booking %d: %v", i, err)
		}
	}
	trips := &roundTrips{}
	w.s.rdb.AddHook(trips)
	times := make([]time.Duration, 0, b.N)
	var free int
	b.ResetTimer()
	for b.Loop() {
		began := time.Now()
		a, err := w.s.Availability(ctx, w.home.ID, kids[0], from, to)
		if err != nil {
			b.Fatal(err)
		}
		list, _ := a.Free(from, to, homelink.Shifts{}, w.zone)
		times = append(times, time.Since(began))
		free = len(list)
	}
	b.StopTimer()
	if free == 0 {
		b.Fatal("nothing free")
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(times[len(times)*99/100].Nanoseconds()), "p99-ns")
	b.ReportMetric(float64(trips.n.Load())/float64(len(times)), "round-trips/op")
}

func (s *Store) mustHours(b *testing.B, h int64) homelink.Hours {
	hrs, err := s.Hours(context.Background(), h)
	if err != nil {
		b.Fatal(err)
	}
	return hrs
}

// BenchmarkBookConcurrent: 50 parents of one home book distinct free
// slots at once, each its own child, as fast as they can: bookings/s.
func BenchmarkBookConcurrent(b *testing.B) {
	const parents = 50
	w, kids := benchHome(b, 1, parents)
	ctx := context.Background()
	from := w.clock.Now().Add(time.Hour)
	slots := w.s.mustHours(b, w.home.ID).Slots(w.zone, from, from.Add(3*365*24*time.Hour))
	per := max(1, b.N/parents)
	if per*parents > len(slots) {
		b.Fatalf("%d bookings wanted, %d slots", per*parents, len(slots))
	}
	var wg sync.WaitGroup
	var failed atomic.Int64
	b.ResetTimer()
	began := time.Now()
	for g := range parents {
		wg.Go(func() {
			for j := range per {
				req := homelink.BookingRequest{HomeID: w.home.ID, ChildID: kids[g], Start: slots[g+parents*j],
					Kind: homelink.VoiceCall, MaxUpcoming: per + 1}
				if _, err := w.s.Book(ctx, homelink.By{User: int64(600 + g)}, req); err != nil {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(began)
	b.StopTimer()
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d bookings failed", n)
	}
	b.ReportMetric(float64(per*parents)/elapsed.Seconds(), "bookings/s")
}
