package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

func (w *callWorld) bookSeries(t *testing.T, who int64, start time.Time) (homelink.Series, []homelink.Booking, []time.Time) {
	t.Helper()
	s, booked, skipped, err := w.s.BookSeries(context.Background(), homelink.By{User: who}, homelink.BookingRequest{
		HomeID: w.home.ID, ChildID: w.child.ID, Start: start, Kind: homelink.VideoCall, Note: "周日见", Weekly: true})
	if err != nil {
		t.Fatalf("book series at %v: %v", start, err)
	}
	return s, booked, skipped
}

func seriesKey(s homelink.Series) string { return itoa(s.HomeID) + "." + itoa(s.ID) }

// A standing call across a closed week and a week whose line is taken:
// those occurrences are skipped and returned, the others booked, and the
// weekly renewal books the occurrence four weeks ahead of the next one.
func TestAStandingCallSkipsClosedAndTakenWeeksAndRenews(t *testing.T) {
	w := newCallWorld(t, 1)
	ctx := context.Background()
	hrs := allWeek(1)
	hrs.Closed = []homelink.DateRange{{From: homelink.Date{Year: 2026, Month: 12, Day: 6}, To: homelink.Date{Year: 2026, Month: 12, Day: 6}}}
	w.setHours(t, hrs)
	other := w.addChild(t, "丽丽")
	w.link(t, other.ID, 502)
	taken := w.mustBook(t, 502, other.ID, w.at(15, 15, 0)) // Sunday 13 December

	first := w.at(1, 15, 0) // Sunday 29 November, 15:00
	s, booked, skipped := w.bookSeries(t, mom, first)
	if s.ID == 0 || s.Day != time.Sunday || s.Minute != 15*60 || s.Minutes != 15 || s.State != homelink.Requested || s.Note != "周日见" {
		t.Fatalf("series %+v", s)
	}
	if len(booked) != 2 || !booked[0].Start.Equal(first) || !booked[1].Start.Equal(w.at(22, 15, 0)) || booked[0].Series != s.ID {
		t.Fatalf("booked %+v", booked)
	}
	if len(skipped) != 2 || !skipped[0].Equal(w.at(8, 15, 0)) || !skipped[1].Equal(taken.Start) {
		t.Fatalf("skipped %v", skipped)
	}
	if got, err := w.s.Series(ctx, w.home.ID, s.ID); err != nil || got != s {
		t.Fatalf("read back %+v, %v (made %+v)", got, err, s)
	}
	if due := w.agendaOf(t, seriesKey(s))[KindSeriesRenew]; !due.Equal(first) {
		t.Fatalf("renewal due %v, want at the first occurrence %v", due, first)
	}

	// Not due yet: nothing.
	if b, sk, err := w.s.RenewSeries(ctx, w.home.ID, s.ID); err != nil || len(b) != 0 || len(sk) != 0 {
		t.Fatalf("early renewal = %v, %v, %v", b, sk, err)
	}
	w.clock.Set(first)
	b, sk, err := w.s.RenewSeries(ctx, w.home.ID, s.ID)
	if err != nil || len(b) != 1 || len(sk) != 0 || !b[0].Start.Equal(w.at(29, 15, 0)) || b[0].Series != s.ID || b[0].State != homelink.Requested {
		t.Fatalf("renewal = %+v, %v, %v", b, sk, err)
	}
	if due := w.agendaOf(t, seriesKey(s))[KindSeriesRenew]; !due.Equal(w.at(8, 15, 0)) {
		t.Fatalf("next renewal due %v", due)
	}
	// The same renewal again (a retried item) books nothing.
	if b, sk, err := w.s.RenewSeries(ctx, w.home.ID, s.ID); err != nil || len(b) != 0 || len(sk) != 0 {
		t.Fatalf("repeated renewal = %v, %v, %v", b, sk, err)
	}
	// Confirming one occurrence confirms the standing call and its other
	// requests; later renewals book confirmed calls.
	if _, err := w.s.Decide(ctx, homelink.By{User: w.teacher}, w.home.ID, booked[1].ID, homelink.Confirmed); err != nil {
		t.Fatal(err)
	}
	if got, _ := w.s.Series(ctx, w.home.ID, s.ID); got.State != homelink.Confirmed {
		t.Fatalf("series after a confirm: %s", got.State)
	}
	if got, _ := w.s.Booking(ctx, w.home.ID, b[0].ID); got.State != homelink.Confirmed {
		t.Fatalf("other occurrence after a confirm: %s", got.State)
	}
	w.clock.Set(w.at(8, 15, 0))
	if b, _, _ := w.s.RenewSeries(ctx, w.home.ID, s.ID); len(b) != 1 || b[0].State != homelink.Confirmed || !b[0].Start.Equal(w.at(36, 15, 0)) {
		t.Fatalf("renewal after the confirm: %+v", b)
	}
}

func TestCancellingAStandingCallCancelsWhatIsAhead(t *testing.T) {
	w := newCallWorld(t, 1)
	ctx := context.Background()
	s, booked, _ := w.bookSeries(t, mom, w.at(1, 15, 0))
	w.clock.Set(booked[0].End()) // the first has been
	if _, _, err := w.s.CancelSeries(ctx, homelink.By{User: 502}, w.home.ID, s.ID, ""); !errors.Is(err, homelink.ErrNotAllowed) {
		t.Fatalf("a stranger cancelled: %v", err)
	}
	got, cancelled, err := w.s.CancelSeries(ctx, homelink.By{User: mom}, w.home.ID, s.ID, "换工作了")
	if err != nil || got.State != homelink.Cancelled || len(cancelled) != homelink.SeriesWeeks-1 {
		t.Fatalf("cancel = %+v, %d, %v", got, len(cancelled), err)
	}
	for _, c := range cancelled {
		if c.State != homelink.Cancelled || c.Reason != "换工作了" {
			t.Fatalf("occurrence %+v", c)
		}
		w.wantHolding(t, c, false)
	}
	if first, _ := w.s.Booking(ctx, w.home.ID, booked[0].ID); first.State != homelink.Requested {
		t.Fatalf("the past occurrence became %s", first.State)
	}
	if _, ok := w.agendaOf(t, seriesKey(s))[KindSeriesRenew]; ok {
		t.Fatal("the renewal is kept")
	}
	if b, sk, err := w.s.RenewSeries(ctx, w.home.ID, s.ID); err != nil || len(b)+len(sk) != 0 {
		t.Fatalf("renewal of an ended series: %v %v %v", b, sk, err)
	}
	if _, _, err := w.s.CancelSeries(ctx, homelink.By{User: w.teacher}, w.home.ID, s.ID, ""); !errors.Is(err, homelink.ErrStateChanged) {
		t.Fatalf("cancelled twice: %v", err)
	}
	if ttl := w.s.rdb.PTTL(ctx, w.s.k.series(w.home.ID, s.ID)).Val(); ttl <= 0 || ttl > homelink.DefaultHistoryRetention {
		t.Fatalf("ended series kept for %v", ttl)
	}
}

// The first occurrence is refused as Book refuses; a standing call counts
// once towards the guardian's limit.
func TestAStandingCallIsOneCommitment(t *testing.T) {
	w := newCallWorld(t, 2)
	ctx := context.Background()
	if _, _, _, err := w.s.BookSeries(ctx, homelink.By{User: 77}, homelink.BookingRequest{HomeID: w.home.ID,
		ChildID: w.child.ID, Start: w.at(1, 15, 0), Kind: homelink.VideoCall, Weekly: true}); !errors.Is(err, homelink.ErrNotAllowed) {
		t.Fatalf("a stranger's series: %v", err)
	}
	if _, _, _, err := w.s.BookSeries(ctx, homelink.By{User: mom}, homelink.BookingRequest{HomeID: w.home.ID,
		ChildID: w.child.ID, Start: w.at(0, 9, 0), Kind: homelink.VideoCall, Weekly: true}); !errors.Is(err, homelink.ErrSlotPast) {
		t.Fatalf("a series in the past: %v", err)
	}
	w.bookSeries(t, mom, w.at(1, 15, 0))
	w.mustBook(t, mom, w.child.ID, w.at(1, 10, 0))
	if _, err := w.book(mom, w.child.ID, w.at(1, 11, 0)); !errors.Is(err, homelink.ErrTooManyUpcoming) {
		t.Fatalf("a third commitment: %v", err)
	}
	if _, _, _, err := w.s.BookSeries(ctx, homelink.By{User: mom}, homelink.BookingRequest{HomeID: w.home.ID,
		ChildID: w.child.ID, Start: w.at(2, 15, 0), Kind: homelink.VideoCall, Weekly: true}); !errors.Is(err, homelink.ErrTooManyUpcoming) {
		t.Fatalf("a second series over the limit: %v", err)
	}
}

// A home in Madrid: a standing call at 10:00 stays at 10:00 local across
// the change to summer time, an hour earlier in UTC.
func TestAStandingCallFollowsTheHomesWallClockAcrossDaylightSaving(t *testing.T) {
	w := newCallWorld(t, 1)
	ctx := context.Background()
	if err := w.s.UpdateHome(ctx, homelink.By{User: 1}, w.home.ID, homelink.HomeTimeZone, "Europe/Madrid"); err != nil {
		t.Fatal(err)
	}
	madrid, _ := time.LoadLocation("Europe/Madrid")
	w.zone = madrid
	first := time.Date(2027, 3, 21, 10, 0, 0, 0, madrid)
	_, booked, skipped := w.bookSeries(t, mom, first)
	if len(booked) != homelink.SeriesWeeks || len(skipped) != 0 {
		t.Fatalf("booked %d, skipped %v", len(booked), skipped)
	}
	for i, b := range booked {
		local := b.Start.In(madrid)
		if !local.Equal(time.Date(2027, 3, 21+7*i, 10, 0, 0, 0, madrid)) || local.Hour() != 10 {
			t.Fatalf("occurrence %d at %v", i, local)
		}
	}
	if booked[0].Start.UTC().Hour() != 9 || booked[1].Start.UTC().Hour() != 8 {
		t.Fatalf("UTC hours %v, %v", booked[0].Start.UTC(), booked[1].Start.UTC())
	}
}

// A standing call whose guardian was unlinked ends at its next renewal.
func TestAStandingCallEndsWhenItsGuardianIsUnlinked(t *testing.T) {
	w := newCallWorld(t, 1)
	ctx := context.Background()
	s, booked, _ := w.bookSeries(t, mom, w.at(1, 15, 0))
	if ok, err := w.s.UnlinkGuardian(ctx, w.home.ID, w.child.ID, mom, w.teacher, 0); !ok || err != nil {
		t.Fatalf("unlink = %v, %v", ok, err)
	}
	for _, b := range booked {
		if got, _ := w.s.Booking(ctx, w.home.ID, b.ID); got.State != homelink.Cancelled {
			t.Fatalf("occurrence %d %s", b.ID, got.State)
		}
	}
	w.clock.Set(booked[0].Start)
	if b, sk, err := w.s.RenewSeries(ctx, w.home.ID, s.ID); err != nil || len(b)+len(sk) != 0 {
		t.Fatalf("renewal = %v, %v, %v", b, sk, err)
	}
	if got, _ := w.s.Series(ctx, w.home.ID, s.ID); got.State != homelink.Cancelled {
		t.Fatalf("series %s", got.State)
	}
}
