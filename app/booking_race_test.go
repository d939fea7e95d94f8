package app

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// 50 parents, each of their own child, tap Send on the home's last free
// line at the same moment: exactly one request is made; the 49 others are
// told the time was just taken and offered the next free ones at once.
func TestFiftyParentsTapTheLastLine(t *testing.T) {
	hrs := homelink.Hours{Windows: []homelink.Window{{Day: time.Sunday, Start: 14 * 60, End: 14*60 + 30}},
		SlotMinutes: 15, Lines: 1, Set: true}
	w := newBookingWorld(t, hrs)
	const n = 50
	parents := make([]*person, n)
	for i := range parents {
		p := w.newParent(int64(8000+i), fmt.Sprintf("Kid%d", i))
		p.Types("/book")
		p.Tap("Sun 29 Nov (2)")
		p.Tap("14:00")
		p.Tap("Text chat")
		p.Tap("Skip")
		p.Sees("Please check your call")
		parents[i] = p
	}
	var wg sync.WaitGroup
	for _, p := range parents {
		wg.Add(1)
		go func() { defer wg.Done(); p.Taps("Send request") }()
	}
	wg.Wait()
	var sent, taken int
	ok := w.h.tg.WaitFor(20*time.Second, func() bool {
		sent, taken = 0, 0
		for _, p := range parents {
			last := p.Last()
			switch {
			case strings.Contains(last.Text, "Request sent."):
				sent++
			case strings.Contains(last.Text, "that time was just taken") && hasButton(p, "14:15"):
				taken++
			}
		}
		return sent+taken == n
	})
	if !ok || sent != 1 || taken != n-1 {
		t.Fatalf("%d requests sent, %d told it was taken (want 1 and %d)", sent, taken, n-1)
	}
	calls, err := w.h.store().HomeCalls(context.Background(), w.f.home, sunday1400, sunday1400.Add(time.Hour))
	if err != nil || len(calls) != 1 || !calls[0].Start.Equal(sunday1400) || calls[0].State != homelink.Requested {
		t.Fatalf("calls: %+v %v", calls, err)
	}
}

// newParent registers a child at the home and links user id to it as
// its guardian, in English.
func (w *bookingWorld) newParent(id int64, child string) *person {
	w.t.Helper()
	ctx, st := context.Background(), w.h.store()
	c, err := st.AddChild(ctx, homelink.By{User: w.f.teacher}, homelink.Child{HomeID: w.f.home, Name: child})
	if err != nil {
		w.t.Fatal(err)
	}
	_, inv := inviteFor(w.t, w.h, homelink.Invite{Role: homelink.RoleGuardian, HomeID: w.f.home, ChildID: c.ID})
	if _, err := st.RedeemInvite(ctx, inv, id, "en"); err != nil {
		w.t.Fatal(err)
	}
	return w.h.person(id, "Parent "+child, "en")
}
