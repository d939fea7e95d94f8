package app

import (
	"context"
	"testing"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/store"
)

// mailExpireDue is when the mailbox's daily job is planned, read from the
// agenda's due set by its key names (agenda/_agenda.lua); false when it
// is not planned.
func (h *harness) mailExpireDue() (time.Time, bool) {
	h.t.Helper()
	ms, err := h.rdb.ZScore(context.Background(), h.prefix+"{agenda}:due", store.KindMailExpire+"\x1f"+mailExpireKey).Result()
	if err != nil {
		return time.Time{}, false
	}
	return time.UnixMilli(int64(ms)), true
}

// The mailbox's retention job is planned at start for 03:00 in the
// homes' zone, keeps its time when a replica restarts (a night the
// replicas were down over is run at once when one starts again), runs
// every night deleting what is past MAILBOX_RETENTION, and is planned
// again within the hour when it was lost.
func TestMailExpiryRunsEveryNight(t *testing.T) {
	h := startWith(t, webhook, func(c *Config) { c.MailRetention = 24 * time.Hour })
	f := seed(t, h)
	ctx := context.Background()
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	night := func(m time.Month, d, hh int) time.Time { return time.Date(2026, m, d, hh, 0, 0, 0, shanghai) }
	planned := func(want time.Time) {
		t.Helper()
		if due, ok := h.mailExpireDue(); !ok || !due.Equal(want) {
			t.Fatalf("at %v the job is planned %v (%v), want %v", h.clock.Now().In(shanghai), due.In(shanghai), ok, want)
		}
	}
	waiting := func(want int) {
		t.Helper()
		unread, err := h.reps[len(h.reps)-1].app.Store.Unread(ctx, f.home)
		if err != nil {
			t.Fatal(err)
		}
		if unread[f.child] != want {
			t.Fatalf("at %v 小明 has %d messages waiting, want %d", h.clock.Now().In(shanghai), unread[f.child], want)
		}
	}
	planned(night(11, 29, 3)) // the harness starts at 17:00 on 28 November in Shanghai
	h.down(h.reps[0])
	h.addReplica(webhook)
	planned(night(11, 29, 3))

	st := h.reps[len(h.reps)-1].app.Store
	if _, _, err := st.LeaveMessage(ctx, homelink.By{User: f.mom}, f.home, f.child,
		homelink.MailItem{Kind: homelink.MailText, Text: "晚安"}, homelink.MailDay(h.clock.Now(), shanghai), 30); err != nil {
		t.Fatal(err)
	}
	h.clock.Set(night(11, 29, 3))
	h.settle()
	planned(night(11, 30, 3))
	waiting(1) // ten hours old

	h.down(h.reps[len(h.reps)-1])
	h.clock.Set(night(11, 30, 4)) // every replica down over 03:00
	h.addReplica(webhook)
	h.settle()
	waiting(0) // a day and eleven hours old: the night's run was done at start
	planned(night(12, 1, 3))

	h.clock.Set(night(12, 1, 3))
	h.settle()
	planned(night(12, 2, 3))

	if _, err := h.reps[len(h.reps)-1].app.Agenda.Withdraw(ctx, store.KindMailExpire, mailExpireKey); err != nil {
		t.Fatal(err)
	}
	h.clock.Set(night(12, 1, 5))
	if err := h.reps[len(h.reps)-1].app.sched.RunNow("mail-expiry"); err != nil {
		t.Fatal(err)
	}
	planned(night(12, 2, 3))
}
