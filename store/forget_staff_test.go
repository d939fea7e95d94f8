package store

import (
	"context"
	"maps"
	"testing"

	"github.com/homelink/homelink"
)

// Forgetting a teacher takes their Telegram id out of the calls and
// standing calls they changed (by) and of the requests shown to them
// (tmsgs); what names other teachers stays.
func TestForgettingATeacherBlanksTheirIdInCalls(t *testing.T) {
	w := newCallWorld(t, 2)
	ctx := context.Background()
	other := int64(1900)
	if _, err := w.s.RedeemInvite(ctx, newInvite(t, w.s, w.clock, homelink.Invite{Role: homelink.RoleTeacher, HomeID: w.home.ID}).ID, other, ""); err != nil {
		t.Fatal(err)
	}
	me := itoa(w.teacher)
	shown := map[int64]string{w.teacher: "m1", other: "m2"}
	declined := w.mustBook(t, mom, w.child.ID, w.at(1, 10, 0))
	kept := w.mustBook(t, mom, w.child.ID, w.at(1, 11, 0))
	for _, b := range []homelink.Booking{declined, kept} {
		if err := w.s.NoteRequestMessages(ctx, w.home.ID, b.ID, shown); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.s.Decide(ctx, homelink.By{User: w.teacher}, w.home.ID, declined.ID, homelink.Declined); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.Decide(ctx, homelink.By{User: other}, w.home.ID, kept.ID, homelink.Confirmed); err != nil {
		t.Fatal(err)
	}
	s, booked, _, err := w.s.BookSeries(ctx, homelink.By{User: mom}, homelink.BookingRequest{HomeID: w.home.ID,
		ChildID: w.child.ID, Start: w.at(1, 15, 0), Kind: homelink.VideoCall, Weekly: true, MaxUpcoming: 5})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.Decide(ctx, homelink.By{User: w.teacher}, w.home.ID, booked[0].ID, homelink.Confirmed); err != nil {
		t.Fatal(err)
	}
	if by := w.s.rdb.HGet(ctx, w.s.k.series(w.home.ID, s.ID), "by").Val(); by != me {
		t.Fatalf("standing call by %s before", by)
	}

	if _, err := w.s.Forget(ctx, w.teacher); err != nil {
		t.Fatal(err)
	}
	for _, b := range append([]homelink.Booking{declined}, booked...) {
		got, err := w.s.Booking(ctx, w.home.ID, b.ID)
		if err != nil || got.By != 0 || w.s.rdb.HGet(ctx, w.s.k.call(w.home.ID, b.ID), "by").Val() != "" {
			t.Fatalf("call %d after: %+v, %v", b.ID, got, err)
		}
	}
	if by := w.s.rdb.HGet(ctx, w.s.k.series(w.home.ID, s.ID), "by").Val(); by != "" {
		t.Fatalf("standing call by %q after", by)
	}
	for _, b := range []homelink.Booking{declined, kept} {
		msgs, err := w.s.RequestMessages(ctx, w.home.ID, b.ID)
		if err != nil || !maps.Equal(msgs, map[int64]string{other: "m2"}) {
			t.Fatalf("messages of %d after: %v, %v", b.ID, msgs, err)
		}
	}
	if got, _ := w.s.Booking(ctx, w.home.ID, kept.ID); got.By != other {
		t.Fatalf("the other teacher's decision lost its name: %+v", got)
	}
	if w.s.rdb.Exists(ctx, w.s.k.touched(w.teacher)).Val() != 0 {
		t.Fatal("the index is kept")
	}
	if n := w.s.rdb.ZCard(ctx, w.s.k.touched(other)).Val(); n != 2 {
		t.Fatalf("the other teacher's index holds %d", n)
	}
}
