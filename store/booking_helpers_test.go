package store

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// callWorld is a home in Asia/Shanghai (its coordinator 1, its teacher
// teacherOf(1)) with call hours every day 08:00–20:00 in 15-minute slots,
// a child 小明 and the child's mother (mom).
type callWorld struct {
	s       *Store
	clock   *homelink.FakeClock
	home    homelink.Home
	child   homelink.Child
	teacher int64
	mom     int64
	zone    *time.Location
}

const mom = 501

func newCallWorld(t testing.TB, lines int) *callWorld {
	t.Helper()
	s, clock := newStore(t)
	h, c := homeWithChild(t, s, 1)
	zone, _ := time.LoadLocation("Asia/Shanghai")
	w := &callWorld{s: s, clock: clock, home: h, child: c, teacher: teacherOf(1), mom: mom, zone: zone}
	w.setHours(t, allWeek(lines))
	w.link(t, c.ID, mom)
	return w
}

// allWeek is call hours every day 08:00–20:00, 15-minute slots.
func allWeek(lines int) homelink.Hours {
	hrs := homelink.Hours{SlotMinutes: 15, Lines: lines}
	for d := time.Sunday; d <= time.Saturday; d++ {
		hrs.Windows = append(hrs.Windows, homelink.Window{Day: d, Start: 8 * 60, End: 20 * 60})
	}
	return hrs
}

func (w *callWorld) setHours(t testing.TB, hrs homelink.Hours) {
	t.Helper()
	if err := w.s.SetHours(context.Background(), homelink.By{User: w.teacher}, w.home.ID, hrs); err != nil {
		t.Fatal(err)
	}
}

// link makes user a guardian of child (an invitation of the home's teacher).
func (w *callWorld) link(t testing.TB, child, user int64) {
	t.Helper()
	inv := newInvite(t, w.s, w.clock, homelink.Invite{Role: homelink.RoleGuardian, HomeID: w.home.ID, ChildID: child})
	if _, err := w.s.RedeemInvite(context.Background(), inv.ID, user, ""); err != nil {
		t.Fatal(err)
	}
}

func (w *callWorld) addChild(t testing.TB, name string) homelink.Child {
	t.Helper()
	c, err := w.s.AddChild(context.Background(), homelink.By{User: w.teacher}, homelink.Child{HomeID: w.home.ID, Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// at is hh:mm local time at the home, day days after 2026-11-28 (a
// Saturday; the clock starts there at 17:00 local).
func (w *callWorld) at(day, hh, mm int) time.Time {
	return time.Date(2026, 11, 28+day, hh, mm, 0, 0, w.zone)
}

func (w *callWorld) book(who, child int64, start time.Time) (homelink.Booking, error) {
	return w.s.Book(context.Background(), homelink.By{User: who}, homelink.BookingRequest{
		HomeID: w.home.ID, ChildID: child, Start: start, Kind: homelink.VideoCall})
}

func (w *callWorld) mustBook(t testing.TB, who, child int64, start time.Time) homelink.Booking {
	t.Helper()
	b, err := w.book(who, child, start)
	if err != nil {
		t.Fatalf("book %v for %d: %v", start, who, err)
	}
	return b
}

// agendaOf reads the agenda's waiting items of call (or series) key,
// kind → due.
func (w *callWorld) agendaOf(t testing.TB, key string) map[string]time.Time {
	t.Helper()
	zs, err := w.s.rdb.ZRangeWithScores(context.Background(), w.s.k.prefix+"{agenda}:due", 0, -1).Result()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]time.Time{}
	for _, z := range zs {
		kind, k, _ := strings.Cut(z.Member.(string), "\x1f")
		if k == key {
			out[kind] = time.UnixMilli(int64(z.Score)).UTC()
		}
	}
	return out
}

func callKeyOf(b homelink.Booking) string {
	return strconv.FormatInt(b.HomeID, 10) + "." + strconv.FormatInt(b.ID, 10)
}

// wantAgenda checks that call b has exactly the items want, due then.
func (w *callWorld) wantAgenda(t testing.TB, b homelink.Booking, want map[string]time.Time) {
	t.Helper()
	got := w.agendaOf(t, callKeyOf(b))
	if len(got) != len(want) {
		t.Fatalf("agenda of call %d = %v, want %v", b.ID, got, want)
	}
	for k, due := range want {
		if !got[k].Equal(due) {
			t.Fatalf("agenda of call %d: %s due %v, want %v (all: %v)", b.ID, k, got[k], due, got)
		}
	}
}

// indexes reads the call's places: in the home's calls, lines, the
// child's calls and the guardian's calls.
func (w *callWorld) indexes(t testing.TB, b homelink.Booking) (calls, lines, child, guardian bool) {
	t.Helper()
	ctx := context.Background()
	k := w.s.k
	member := strconv.FormatInt(b.ID, 10) + ":" + strconv.Itoa(b.Minutes)
	in := func(key, m string) bool { return w.s.rdb.ZScore(ctx, key, m).Err() == nil }
	return in(k.homeCalls(b.HomeID), strconv.FormatInt(b.ID, 10)), in(k.lines(b.HomeID), member),
		in(k.childCalls(b.HomeID, b.ChildID), member), in(k.userCalls(b.Guardian), callKeyOf(b))
}

func (w *callWorld) wantHolding(t testing.TB, b homelink.Booking, holding bool) {
	t.Helper()
	calls, lines, child, guardian := w.indexes(t, b)
	if !calls || !guardian || lines != holding || child != holding {
		t.Fatalf("call %d indexes: calls %v, lines %v, child %v, guardian %v; want holding=%v",
			b.ID, calls, lines, child, guardian, holding)
	}
}

func (w *callWorld) counts(t testing.TB) map[homelink.BookingState]int {
	t.Helper()
	m, err := w.s.WeekCounts(context.Background(), w.home.ID, homelink.WeekOf(w.clock.Now(), w.zone))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// totals sums the home's week counts over the weeks from the clock's
// start to ten weeks on.
func (w *callWorld) totals(t testing.TB) map[homelink.BookingState]int {
	t.Helper()
	out := map[homelink.BookingState]int{}
	for i := range 10 {
		m, err := w.s.WeekCounts(context.Background(), w.home.ID, homelink.WeekOf(t0.AddDate(0, 0, 7*i), w.zone))
		if err != nil {
			t.Fatal(err)
		}
		for st, n := range m {
			out[st] += n
		}
	}
	return out
}
