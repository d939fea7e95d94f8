package app

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// A guardian's calls are theirs to see and to take away: /mydata lists
// them, and /forget cancels the ones ahead (the teachers are told which)
// and deletes their history, freeing the line.
func TestMyDataListsCallsAndForgetCancelsThem(t *testing.T) {
	w := newBookingWorld(t, weekendHours(1))
	w.dadBooksSunday()
	call := w.only()
	w.teacher.Tap("Confirm")
	w.wantState(call.ID, homelink.Confirmed)

	w.dad.Types("/mydata")
	if !w.h.tg.WaitFor(5*time.Second, func() bool { return w.dad.Last().Kind == "document" }) {
		t.Fatalf("no document; dad sees:\n%s", transcript(w.dad.Messages()))
	}
	var data struct {
		Calls []struct {
			Child, Home, Kind, State string
			Start                    string `json:"starts_at"`
			Note                     string `json:"your_note"`
		} `json:"calls_you_booked"`
	}
	if err := json.Unmarshal(w.dad.Last().File, &data); err != nil {
		t.Fatal(err)
	}
	if len(data.Calls) != 1 || data.Calls[0].Child != "小明" || data.Calls[0].State != "confirmed" ||
		data.Calls[0].Kind != "video" || data.Calls[0].Note != "She has a cold" ||
		!strings.HasPrefix(data.Calls[0].Start, "2026-11-29T14:00:00+08:00") {
		t.Fatalf("my data's calls: %s", w.dad.Last().File)
	}

	w.dad.Types("/forget")
	w.dad.Tap("Yes, delete everything")
	w.dad.SeesLast("deleted")
	w.teacher.Sees("a parent of 小明, has left homelink")
	w.teacher.Sees("Their call was cancelled: Sun 29 Nov 14:00.")
	w.teacher2.Sees("这位家长预约的 1 次通话已取消：11月29日 周日 14:00。")

	ctx := context.Background()
	if _, err := w.h.store().Booking(ctx, w.f.home, call.ID); err == nil {
		t.Fatal("the forgotten guardian's call is still stored")
	}
	av, err := w.h.store().Availability(ctx, w.f.home, w.f.child, at(2026, 11, 29, 0, 0), at(2026, 11, 30, 0, 0))
	if err != nil || len(av.Taken) != 0 || len(av.ChildBusy) != 0 {
		t.Fatalf("the line is still held after /forget: %+v, %v", av, err)
	}
}

// The consent a parent reads says that calls are kept, and how long.
func TestConsentSaysHowLongCallsAreKept(t *testing.T) {
	h := startWith(t, webhook, func(c *Config) { c.BookingHistoryRetention = 90 * 24 * time.Hour })
	f := seed(t, h)
	link, _ := inviteFor(t, h, homelink.Invite{Role: homelink.RoleGuardian, HomeID: f.home, ChildID: f.child})
	p := h.person(9301, "Mei", "en")
	p.Types("/start " + link)
	p.Sees("the calls you book (time, kind, your note for the teacher), kept 90 days after each call")
}
