package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// /book walked step by step through the bot alone: each answer moves the
// flow on, Back returns, a note too long keeps the step, and a slot taken
// between the summary and Send offers that day's other free times at once.
func TestBookFlowStepByStep(t *testing.T) {
	w := newWalker(t)
	sh, _ := time.LoadLocation("Asia/Shanghai")
	w.clock.Set(time.Date(2026, 11, 28, 17, 0, 0, 0, sh))
	_, h := w.coordinator(100)
	c := w.child(h, "小明")
	ctx := context.Background()
	hrs := homelink.Hours{Windows: []homelink.Window{{Day: time.Sunday, Start: 14 * 60, End: 15 * 60}},
		SlotMinutes: 15, Lines: 1, Set: true}
	if err := w.st.SetHours(ctx, homelink.By{User: 900}, h.ID, hrs); err != nil {
		t.Fatal(err)
	}
	w.inviteFor(homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, ChildID: c.ID}, 201)
	w.inviteFor(homelink.Invite{Role: homelink.RoleGuardian, HomeID: h.ID, ChildID: w.child(h, "Lili").ID}, 202)
	mom := w.person(201, "en")

	mom.types("/book")
	mom.isAt("book/day")
	mom.sees("When would you like to call")
	mom.taps("Sun 29 Nov (4)")
	mom.isAt("book/time")
	mom.taps("« Back")
	mom.isAt("book/day")
	mom.taps("Sun 29 Nov (4)")
	mom.taps("14:00")
	mom.isAt("book/kind")
	mom.taps("Voice call")
	mom.isAt("book/note")
	mom.types(strings.Repeat("x", homelink.MaxNote+1))
	mom.isAt("book/note")
	mom.types("Please remind him")
	mom.isAt("book/summary")
	mom.sees("Note: Please remind him")

	// Someone else takes 14:00 meanwhile.
	if _, err := w.st.Book(ctx, homelink.By{User: 202}, homelink.BookingRequest{HomeID: h.ID, ChildID: mom.childOf(202),
		Start: time.Date(2026, 11, 29, 14, 0, 0, 0, sh), Kind: homelink.TextChat}); err != nil {
		t.Fatal(err)
	}
	mom.taps("Send request")
	mom.isAt("book/time")
	mom.sees("that time was just taken")
	mom.taps("14:15")
	mom.taps("Video call")
	mom.taps("Skip")
	mom.taps("Send request")
	mom.isAt("")
	mom.sees("Request sent.")
}

// childOf is the first child user guards.
func (p *someone) childOf(user int64) int64 {
	u, err := p.w.st.User(context.Background(), user)
	if err != nil {
		p.w.t.Fatal(err)
	}
	for c := range u.Roles.Guards {
		return c
	}
	p.w.t.Fatalf("user %d guards no child", user)
	return 0
}
