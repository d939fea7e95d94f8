package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

func TestSettingsLiveInTheUserHashAndAreNoRole(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	sh := homelink.Shifts{Weekly: []homelink.ShiftWindow{{Day: time.Monday, Start: 7 * 60, End: 19 * 60}}}
	if err := s.SetTimeZone(ctx, 7, "Europe/Madrid"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetShifts(ctx, 7, sh); err != nil {
		t.Fatal(err)
	}
	u, err := s.User(ctx, 7)
	if err != nil || u.TimeZone != "Europe/Madrid" || len(u.Shifts.Weekly) != 1 || u.Shifts.Weekly[0] != sh.Weekly[0] {
		t.Fatalf("user = %+v, %v", u, err)
	}
	if u.Roles.Any() {
		t.Fatalf("settings read as roles: %+v", u.Roles)
	}
	if err := s.SetTimeZone(ctx, 7, "Mars/Olympus"); !errors.Is(err, homelink.ErrBadTimeZone) {
		t.Fatalf("bad zone = %v", err)
	}
	if u, _ := s.User(ctx, 7); u.TimeZone != "Europe/Madrid" {
		t.Fatalf("a refused zone changed it to %q", u.TimeZone)
	}
	s.SetTimeZone(ctx, 7, "")
	s.SetShifts(ctx, 7, homelink.Shifts{})
	if u, _ := s.User(ctx, 7); u.TimeZone != "" || !u.Shifts.IsZero() {
		t.Fatalf("cleared settings read %+v", u)
	}
	// A person with only settings is a stranger still: forgetting
	// strangers finds them, and the forget script takes them away.
	s.SetTimeZone(ctx, 8, "Asia/Shanghai")
	if _, err := s.Forget(ctx, 8); err != nil {
		t.Fatal(err)
	}
	if n := s.rdb.Exists(ctx, s.k.user(8)).Val(); n != 0 {
		t.Fatal("forget left the settings")
	}
}

func TestHoursAreTheHomesStaffsToSet(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	h, _ := homeWithChild(t, s, 1)
	if hrs, err := s.Hours(ctx, h.ID); err != nil || hrs.Set || hrs.SlotMinutes != homelink.DefaultSlotMinutes || hrs.Lines != 1 {
		t.Fatalf("hours before any = %+v, %v", hrs, err)
	}
	hrs := allWeek(2)
	hrs.AutoConfirm = true
	hrs.Closed = []homelink.DateRange{{From: homelink.Date{Year: 2027, Month: 2, Day: 10}, To: homelink.Date{Year: 2027, Month: 2, Day: 17}, Note: "春节"}}
	for _, who := range []int64{2, 77} { // a coordinator of no home here, a stranger
		if err := s.SetHours(ctx, homelink.By{User: who}, h.ID, hrs); !errors.Is(err, homelink.ErrNotAllowed) {
			t.Fatalf("hours set by %d: %v", who, err)
		}
	}
	if err := s.SetHours(ctx, homelink.By{User: teacherOf(1)}, 999, hrs); !errors.Is(err, homelink.ErrNotFound) {
		t.Fatalf("hours of a home that is not: %v", err)
	}
	bad := hrs
	bad.SlotMinutes = 5
	if err := s.SetHours(ctx, homelink.By{User: 1}, h.ID, bad); err == nil {
		t.Fatal("hours failing Validate were taken")
	}
	for i, who := range []int64{1, teacherOf(1)} { // its coordinator, its teacher
		if err := s.SetHours(ctx, homelink.By{User: who}, h.ID, hrs); err != nil {
			t.Fatal(err)
		}
		if v := s.rdb.HGet(ctx, s.k.hours(h.ID), "v").Val(); v != string(rune('1'+i)) {
			t.Fatalf("version after %d sets = %s", i+1, v)
		}
	}
	got, err := s.Hours(ctx, h.ID)
	if err != nil || !got.Set || got.Lines != 2 || !got.AutoConfirm || len(got.Windows) != 7 || got.Closed[0] != hrs.Closed[0] {
		t.Fatalf("hours read back %+v, %v", got, err)
	}
}

// A request lives its life: booked (expiry planned), confirmed (the end
// and the second ask planned, the expiry withdrawn), marked after its
// start (all withdrawn, the line freed); the forget item follows it all
// along, and the week counts each step.
func TestACallsLifeKeepsItsIndexesAndAgenda(t *testing.T) {
	w := newCallWorld(t, 1)
	ctx := context.Background()
	start := w.at(1, 10, 0)
	b := w.mustBook(t, mom, w.child.ID, start)
	if b.State != homelink.Requested || b.Guardian != mom || b.Minutes != 15 || !b.Start.Equal(start) ||
		!b.CreatedAt.Equal(w.clock.Now()) || b.Kind != homelink.VideoCall || b.ID == 0 {
		t.Fatalf("booked %+v", b)
	}
	end := start.Add(15 * time.Minute)
	forget := end.Add(homelink.DefaultHistoryRetention)
	w.wantHolding(t, b, true)
	w.wantAgenda(t, b, map[string]time.Time{KindCallExpire: homelink.RequestExpiry(w.clock.Now(), start), KindCallForget: forget})
	if got, err := w.s.Booking(ctx, w.home.ID, b.ID); err != nil || got.State != homelink.Requested || !got.Start.Equal(start) {
		t.Fatalf("read back %+v, %v", got, err)
	}

	if _, err := w.s.Decide(ctx, homelink.By{User: mom}, w.home.ID, b.ID, homelink.Confirmed); !errors.Is(err, homelink.ErrNotAllowed) {
		t.Fatalf("a guardian confirmed: %v", err)
	}
	c, err := w.s.Decide(ctx, homelink.By{User: w.teacher}, w.home.ID, b.ID, homelink.Confirmed)
	if err != nil || c.State != homelink.Confirmed || c.By != w.teacher {
		t.Fatalf("confirm = %+v, %v", c, err)
	}
	w.wantHolding(t, c, true)
	// Confirmed less than a day ahead: no reminder a day ahead.
	w.wantAgenda(t, c, map[string]time.Time{KindCallEnded: end, KindCallUnmarked: end.Add(homelink.MarkAgainAfter), KindCallForget: forget,
		KindRemindSoon: start.Add(-time.Hour), KindRemindStart: start, KindRemindNudge: start.Add(-10 * time.Minute)})

	if _, err := w.s.Mark(ctx, homelink.By{User: w.teacher}, w.home.ID, b.ID, homelink.Held); !errors.Is(err, homelink.ErrStateChanged) {
		t.Fatalf("marked before its start: %v", err)
	}
	w.clock.Set(start.Add(5 * time.Minute))
	week := w.counts(t) // the counts of the booking's week
	m, err := w.s.Mark(ctx, homelink.By{User: w.teacher}, w.home.ID, b.ID, homelink.Held)
	if err != nil || m.State != homelink.Held {
		t.Fatalf("mark = %+v, %v", m, err)
	}
	w.wantHolding(t, m, false)
	w.wantAgenda(t, m, map[string]time.Time{KindCallForget: forget})
	if _, err := w.s.Mark(ctx, homelink.By{User: w.teacher}, w.home.ID, b.ID, homelink.Missed); !errors.Is(err, homelink.ErrStateChanged) {
		t.Fatalf("marked twice: %v", err)
	}
	if week[homelink.Requested] != 1 || week[homelink.Confirmed] != 1 || w.counts(t)[homelink.Held] != 1 {
		t.Fatalf("counts %v then %v", week, w.counts(t))
	}
}

func TestBookingRefusesAndChangesNothing(t *testing.T) {
	w := newCallWorld(t, 1)
	ctx := context.Background()
	other := w.addChild(t, "丽丽")
	w.link(t, other.ID, 502)
	h2, c2 := homeWithChild(t, w.s, 3) // another home, its teacher teacherOf(3)
	hrs := allWeek(1)
	hrs.Closed = []homelink.DateRange{{From: homelink.Date{Year: 2026, Month: 12, Day: 1}, To: homelink.Date{Year: 2026, Month: 12, Day: 1}}}
	w.setHours(t, hrs)
	before := w.s.rdb.DBSize(ctx).Val()

	cases := []struct {
		name  string
		who   int64
		child int64
		start time.Time
		kind  homelink.CallKind
		note  string
		want  error
	}{
		{"a stranger", 77, w.child.ID, w.at(1, 10, 0), homelink.VideoCall, "", homelink.ErrNotAllowed},
		{"a parent of another child", 502, w.child.ID, w.at(1, 10, 0), homelink.VideoCall, "", homelink.ErrNotAllowed},
		{"the home's teacher", w.teacher, w.child.ID, w.at(1, 10, 0), homelink.VideoCall, "", homelink.ErrNotAllowed},
		{"a teacher of another home", teacherOf(3), w.child.ID, w.at(1, 10, 0), homelink.VideoCall, "", homelink.ErrNotAllowed},
		{"a child of another home", mom, c2.ID, w.at(1, 10, 0), homelink.VideoCall, "", homelink.ErrNotAllowed},
		{"the past", mom, w.child.ID, w.at(0, 16, 45), homelink.VideoCall, "", homelink.ErrSlotPast},
		{"now", mom, w.child.ID, w.at(0, 17, 0), homelink.VideoCall, "", homelink.ErrSlotPast},
		{"a closed day", mom, w.child.ID, w.at(3, 10, 0), homelink.VideoCall, "", homelink.ErrClosed},
		{"outside the hours", mom, w.child.ID, w.at(1, 21, 0), homelink.VideoCall, "", homelink.ErrSlotTaken},
		{"not a slot's start", mom, w.child.ID, w.at(1, 10, 5), homelink.VideoCall, "", homelink.ErrSlotTaken},
		{"a long note", mom, w.child.ID, w.at(1, 10, 0), homelink.VideoCall, strings.Repeat("话", homelink.MaxNote+1), homelink.ErrTextTooLong},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := w.s.Book(ctx, homelink.By{User: tc.who}, homelink.BookingRequest{
				HomeID: w.home.ID, ChildID: tc.child, Start: tc.start, Kind: tc.kind, Note: tc.note})
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	if _, err := w.s.Book(ctx, homelink.By{User: mom}, homelink.BookingRequest{HomeID: w.home.ID, ChildID: w.child.ID,
		Start: w.at(1, 10, 0), Kind: "fax"}); err == nil {
		t.Fatal("an unknown kind was booked")
	}
	if _, err := w.s.Book(ctx, homelink.By{User: mom}, homelink.BookingRequest{HomeID: h2.ID, ChildID: w.child.ID,
		Start: w.at(1, 10, 0), Kind: homelink.VoiceCall}); !errors.Is(err, homelink.ErrNotAllowed) && !errors.Is(err, homelink.ErrSlotTaken) {
		t.Fatalf("booked at a home that is not the child's: %v", err)
	}
	// Only the call id counter moved.
	if after := w.s.rdb.DBSize(ctx).Val(); after != before+1 {
		t.Fatalf("refusals wrote %d keys", after-before)
	}
	// A full line, a busy child, a guardian's limit.
	w.mustBook(t, mom, w.child.ID, w.at(1, 10, 0))
	if _, err := w.book(502, other.ID, w.at(1, 10, 0)); !errors.Is(err, homelink.ErrSlotTaken) {
		t.Fatalf("second call on the only line: %v", err)
	}
	w.setHours(t, allWeek(3))
	w.link(t, w.child.ID, 503) // the father
	if _, err := w.book(503, w.child.ID, w.at(1, 10, 0)); !errors.Is(err, homelink.ErrChildBusy) {
		t.Fatalf("the child booked twice at once: %v", err)
	}
	w.mustBook(t, mom, w.child.ID, w.at(1, 11, 0))
	if _, err := w.book(mom, w.child.ID, w.at(1, 12, 0)); !errors.Is(err, homelink.ErrTooManyUpcoming) {
		t.Fatalf("a third upcoming call: %v", err)
	}
	// The limit is per guardian, and a guardian may hold more when allowed.
	w.mustBook(t, 503, w.child.ID, w.at(1, 12, 0))
	if _, err := w.s.Book(ctx, homelink.By{User: mom}, homelink.BookingRequest{HomeID: w.home.ID, ChildID: w.child.ID,
		Start: w.at(1, 13, 0), Kind: homelink.TextChat, MaxUpcoming: 3}); err != nil {
		t.Fatalf("a third call under a limit of 3: %v", err)
	}
}

// Hours changed between reading them and booking: the script refuses, and
// the store tries again with the new ones.
func TestBookingNoticesHoursChangingUnderIt(t *testing.T) {
	w := newCallWorld(t, 1)
	ctx := context.Background()
	r, _, err := w.s.bookRules(ctx, w.home.ID, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	w.setHours(t, allWeek(2))
	now := w.clock.Now()
	start := w.at(1, 10, 0)
	args := append(w.s.clockArgs(now, r.zone), 99, w.home.ID, w.child.ID, mom, start.UnixMilli(), 15, "video", "",
		"requested", start.UnixMilli(), r.version, 1, 2)
	if _, err := w.s.callOp(ctx, "book", "call_book", []string{w.s.k.hours(w.home.ID)}, args...); !errors.Is(err, errHoursChanged) {
		t.Fatalf("booking against old hours = %v", err)
	}
	if b, err := w.book(mom, w.child.ID, start); err != nil || b.State != homelink.Requested {
		t.Fatalf("booking after the change = %+v, %v", b, err)
	}
}

func TestAnAutoConfirmingHomeConfirmsAtOnce(t *testing.T) {
	w := newCallWorld(t, 1)
	hrs := allWeek(1)
	hrs.AutoConfirm = true
	w.setHours(t, hrs)
	start := w.at(1, 10, 0)
	b := w.mustBook(t, mom, w.child.ID, start)
	end := start.Add(15 * time.Minute)
	if b.State != homelink.Confirmed {
		t.Fatalf("state %s", b.State)
	}
	w.wantAgenda(t, b, map[string]time.Time{KindCallEnded: end, KindCallUnmarked: end.Add(homelink.MarkAgainAfter),
		KindCallForget: end.Add(homelink.DefaultHistoryRetention), KindRemindSoon: start.Add(-time.Hour),
		KindRemindStart: start, KindRemindNudge: start.Add(-10 * time.Minute)})
	if c := w.counts(t); c[homelink.Requested] != 1 || c[homelink.Confirmed] != 1 {
		t.Fatalf("counts %v", c)
	}
}

func TestADeclineFreesTheLine(t *testing.T) {
	w := newCallWorld(t, 1)
	a := w.mustBook(t, mom, w.child.ID, w.at(2, 10, 0))
	d, err := w.s.Decide(context.Background(), homelink.By{User: w.teacher}, w.home.ID, a.ID, homelink.Declined)
	if err != nil || d.State != homelink.Declined || d.By != w.teacher {
		t.Fatalf("decline = %+v, %v", d, err)
	}
	w.wantHolding(t, d, false)
	w.wantAgenda(t, d, map[string]time.Time{KindCallForget: d.End().Add(homelink.DefaultHistoryRetention)})
	if c := w.counts(t); c[homelink.Declined] != 1 || c[homelink.Requested] != 1 {
		t.Fatalf("counts %v", c)
	}
	if _, err := w.s.Decide(context.Background(), homelink.By{User: w.teacher}, w.home.ID, 9999, homelink.Confirmed); !errors.Is(err, homelink.ErrNotFound) {
		t.Fatalf("decided a call that is not: %v", err)
	}
}

// The guardian or the home's staff cancel, with a reason; a stranger, a
// teacher or coordinator of another home may not; twice is
// ErrStateChanged with who cancelled first.
func TestCancelFreesTheLineAndKeepsWhoAndWhy(t *testing.T) {
	w := newCallWorld(t, 1)
	ctx := context.Background()
	homeWithChild(t, w.s, 3)
	b := w.mustBook(t, mom, w.child.ID, w.at(2, 10, 0))
	for _, who := range []int64{77, teacherOf(3), 3} {
		if _, err := w.s.Cancel(ctx, homelink.By{User: who}, w.home.ID, b.ID, ""); !errors.Is(err, homelink.ErrNotAllowed) {
			t.Fatalf("cancel by %d: %v", who, err)
		}
	}
	if _, err := w.s.Cancel(ctx, homelink.By{User: mom}, w.home.ID, b.ID, strings.Repeat("x", homelink.MaxReason+1)); !errors.Is(err, homelink.ErrTextTooLong) {
		t.Fatalf("long reason: %v", err)
	}
	c, err := w.s.Cancel(ctx, homelink.By{User: mom}, w.home.ID, b.ID, "加班")
	if err != nil || c.State != homelink.Cancelled || c.Reason != "加班" || c.By != mom || !c.At.Equal(w.clock.Now()) {
		t.Fatalf("cancel = %+v, %v", c, err)
	}
	w.wantHolding(t, c, false)
	w.wantAgenda(t, c, map[string]time.Time{KindCallForget: c.End().Add(homelink.DefaultHistoryRetention)})
	if again, err := w.s.Cancel(ctx, homelink.By{User: w.teacher}, w.home.ID, b.ID, ""); !errors.Is(err, homelink.ErrStateChanged) || again.By != mom {
		t.Fatalf("second cancel = %+v, %v", again, err)
	}
	// The coordinator cancels a confirmed one: its end items go too.
	e := w.mustBook(t, mom, w.child.ID, w.at(2, 11, 0))
	w.s.Decide(ctx, homelink.By{User: w.teacher}, w.home.ID, e.ID, homelink.Confirmed)
	if c, err := w.s.Cancel(ctx, homelink.By{User: 1}, w.home.ID, e.ID, ""); err != nil || c.State != homelink.Cancelled {
		t.Fatalf("coordinator's cancel = %+v, %v", c, err)
	}
	w.wantAgenda(t, e, map[string]time.Time{KindCallForget: e.End().Add(homelink.DefaultHistoryRetention)})
	if c := w.counts(t); c[homelink.Cancelled] != 2 {
		t.Fatalf("counts %v", c)
	}
}

// A request expires only once due and still unanswered.
func TestARequestExpiresOnlyWhenDue(t *testing.T) {
	w := newCallWorld(t, 1)
	ctx := context.Background()
	f := w.mustBook(t, mom, w.child.ID, w.at(2, 12, 0))
	if _, ok, err := w.s.Expire(ctx, w.home.ID, f.ID); ok || err != nil {
		t.Fatalf("expired before its time: %v %v", ok, err)
	}
	w.clock.Set(homelink.RequestExpiry(f.CreatedAt, f.Start))
	x, ok, err := w.s.Expire(ctx, w.home.ID, f.ID)
	if !ok || err != nil || x.State != homelink.Expired {
		t.Fatalf("expire = %+v, %v, %v", x, ok, err)
	}
	w.wantHolding(t, x, false)
	w.wantAgenda(t, x, map[string]time.Time{KindCallForget: x.End().Add(homelink.DefaultHistoryRetention)})
	if _, ok, err := w.s.Expire(ctx, w.home.ID, f.ID); ok || err != nil {
		t.Fatalf("expired twice: %v %v", ok, err)
	}
	if _, ok, err := w.s.Expire(ctx, w.home.ID, 9999); ok || err != nil {
		t.Fatalf("expired a call that is not: %v %v", ok, err)
	}
	if c := w.counts(t); c[homelink.Expired] != 1 {
		t.Fatalf("counts %v", c)
	}
}

func TestTheGuardianAndTheHomeReadTheirCalls(t *testing.T) {
	w := newCallWorld(t, 2)
	ctx := context.Background()
	other := w.addChild(t, "丽丽")
	w.link(t, other.ID, mom)
	late := w.mustBook(t, mom, other.ID, w.at(2, 10, 0))
	early := w.mustBook(t, mom, w.child.ID, w.at(1, 10, 0))
	gone := w.mustBook(t, mom, w.child.ID, w.at(1, 11, 0))
	w.s.Cancel(ctx, homelink.By{User: mom}, w.home.ID, gone.ID, "")
	calls, err := w.s.GuardianCalls(ctx, mom)
	if err != nil || len(calls) != 2 || calls[0].ID != early.ID || calls[1].ID != late.ID {
		t.Fatalf("guardian's calls = %+v, %v", calls, err)
	}
	all, err := w.s.GuardianHistory(ctx, mom)
	if err != nil || len(all) != 3 || all[1].State != homelink.Cancelled {
		t.Fatalf("history = %+v, %v", all, err)
	}
	home, err := w.s.HomeCalls(ctx, w.home.ID, w.at(1, 0, 0), w.at(2, 0, 0))
	if err != nil || len(home) != 2 || home[0].ID != early.ID || home[1].ID != gone.ID {
		t.Fatalf("home's calls tomorrow = %+v, %v", home, err)
	}
	// Once a call has ended it is no longer the guardian's upcoming.
	w.clock.Set(w.at(1, 10, 15))
	if calls, _ := w.s.GuardianCalls(ctx, mom); len(calls) != 1 || calls[0].ID != late.ID {
		t.Fatalf("after the first ended: %+v", calls)
	}
	// The teachers' copies of a request.
	if err := w.s.NoteRequestMessages(ctx, w.home.ID, late.ID, map[int64]string{w.teacher: "ob-1", 1002: "ob-2"}); err != nil {
		t.Fatal(err)
	}
	msgs, err := w.s.RequestMessages(ctx, w.home.ID, late.ID)
	if err != nil || len(msgs) != 2 || msgs[w.teacher] != "ob-1" {
		t.Fatalf("request messages = %v, %v", msgs, err)
	}
	if got, _ := w.s.Booking(ctx, w.home.ID, late.ID); got.ID != late.ID || got.State != homelink.Requested {
		t.Fatalf("the messages changed the call: %+v", got)
	}
	if err := w.s.NoteRequestMessages(ctx, w.home.ID, 9999, map[int64]string{1: "x"}); err != nil {
		t.Fatal(err)
	}
	if w.s.rdb.Exists(ctx, w.s.k.call(w.home.ID, 9999)).Val() != 0 {
		t.Fatal("noting messages made a call")
	}
	if _, err := w.s.Booking(ctx, w.home.ID, 9999); !errors.Is(err, homelink.ErrNotFound) {
		t.Fatalf("a call that is not: %v", err)
	}
}

func TestAvailabilityReadsIntervalsFromTheIndexes(t *testing.T) {
	w := newCallWorld(t, 2)
	ctx := context.Background()
	other := w.addChild(t, "丽丽")
	w.link(t, other.ID, 502)
	w.mustBook(t, mom, w.child.ID, w.at(1, 10, 0))
	w.mustBook(t, 502, other.ID, w.at(1, 10, 0))
	w.mustBook(t, 502, other.ID, w.at(1, 9, 0))
	from, to := w.at(1, 9, 15), w.at(2, 0, 0)
	a, err := w.s.Availability(ctx, w.home.ID, w.child.ID, from, to)
	if err != nil || a.Hours.Lines != 2 || a.Zone.String() != "Asia/Shanghai" {
		t.Fatalf("availability = %+v, %v", a, err)
	}
	// The 09:00 call ends at 09:15: not in the range.
	if len(a.Taken) != 2 || len(a.ChildBusy) != 1 || !a.ChildBusy[0].Start.Equal(w.at(1, 10, 0)) || !a.ChildBusy[0].End.Equal(w.at(1, 10, 15)) {
		t.Fatalf("taken %v, child %v", a.Taken, a.ChildBusy)
	}
	free, _ := a.Free(from, to, homelink.Shifts{}, w.zone)
	for _, f := range free {
		if f.Equal(w.at(1, 10, 0)) {
			t.Fatal("a full slot listed free")
		}
	}
	if len(free) == 0 {
		t.Fatal("nothing free")
	}
	// A home with no zone reads in the default zone.
	w.s.rdb.HDel(ctx, w.s.k.home(w.home.ID), "tz")
	w.s.UseDefaultZone(time.FixedZone("X", 3600))
	if a, _ := w.s.Availability(ctx, w.home.ID, w.child.ID, from, to); a.Zone.String() != "X" {
		t.Fatalf("zone without one: %v", a.Zone)
	}
}

func TestCallKeyReadsWhatTheScriptsWrite(t *testing.T) {
	for key, want := range map[string][2]int64{"3.17": {3, 17}, "x.1": {}, "3": {}, "3.": {}, "0.1": {}, "3.-1": {}} {
		h, id, ok := CallKey(key)
		if ok != (want[0] != 0) || h != want[0] || id != want[1] {
			t.Errorf("CallKey(%q) = %d, %d, %v", key, h, id, ok)
		}
	}
}

// The call helpers' constants are the domain's.
func TestTheCallScriptsKnowTheDomainsLimits(t *testing.T) {
	src, err := scriptFS.ReadFile("_calls.lua")
	if err != nil {
		t.Fatal(err)
	}
	want := "local MAXSLOT_MS = " + itoa(int64(homelink.MaxSlotMinutes*time.Minute/time.Millisecond)) + " "
	if !strings.Contains(string(src), want) {
		t.Fatalf("_calls.lua does not say %q", want)
	}
	if !strings.Contains(string(src), "local WEEK_TTL = "+itoa(int64(weekTTL/time.Second))+" ") {
		t.Fatal("_calls.lua's WEEK_TTL is not weekTTL")
	}
}
