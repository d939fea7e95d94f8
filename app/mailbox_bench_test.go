package app

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/emulator"
	"github.com/homelink/homelink/internal/redistest"
	"github.com/homelink/homelink/internal/testlog"
)

// BenchmarkOpenMailbox200 is the mailbox issue's figure: a teacher opens a
// child's mailbox holding 200 waiting items (voice notes, photos with a
// caption and texts from both parents) and taps the child. It times the
// tap's handling, up to the first page (ten items, their headers and the
// closing buttons) queued at the outbox and the tapped menu edited, and
// counts its Redis round trips. The App is whole but not serving: nothing
// is sent to Telegram from the queue, and Telegram's pace is lifted, so
// the figure is homelink's own (the edit and the tap's answer still go to
// the fake Bot API over HTTP).
// Between taps the page queued is dropped and /mailbox opened afresh
// (untimed), so each tap meets the same 200 items.
//
//	go test ./app/ -run '^$' -bench OpenMailbox200 -benchtime 50x -count 5
func BenchmarkOpenMailbox200(b *testing.B) {
	tg := emulator.New(emulator.WithLimits(emulator.Limits{Off: true}))
	b.Cleanup(tg.Close)
	_, prefix := redistest.Client(b)
	h := &harness{t: b, tg: tg, prefix: prefix, logs: &testlog.Buffer{}, redisURL: redistest.URL(),
		clock: homelink.NewFakeClock(time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC))}
	ctx := context.Background()
	// Telegram's pace (30 a second for the bot, one a second per chat)
	// would make each tap wait for the one before: lifted, so the figure
	// is homelink's own work.
	cfg := h.config(polling, nil)
	cfg.RatePerSecond, cfg.ChatPerSecond, cfg.ChatBurst = 100000, 100000, 1000
	a, err := New(ctx, cfg, Deps{Clock: h.clock, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { a.rdb.Close() })
	h.rdb = a.rdb
	f := seed(b, h)
	st := h.store()
	for i := range 200 {
		from, it := f.mom, homelink.MailItem{Kind: homelink.MailVoice, FileID: fmt.Sprintf("AwACAgUAAxkBAAIB%056d", i)}
		switch i % 4 {
		case 1:
			it = homelink.MailItem{Kind: homelink.MailPhoto, FileID: fmt.Sprintf("AgACAgUAAxkBAAIB%056d", i), Text: "工地上的晚霞"}
		case 3:
			from, it = f.dad, homelink.MailItem{Kind: homelink.MailText, Text: "Study hard, see you at New Year."}
		}
		if _, _, err := st.LeaveMessage(ctx, homelink.By{User: from}, f.home, f.child, it, fmt.Sprint(i), 1); err != nil {
			b.Fatal(err)
		}
	}
	// Each update is the fake Bot API's own (a tap needs its query id),
	// handed to the bot as the intake would.
	handle := func() {
		for _, raw := range tg.TakeUpdates() {
			var u models.Update
			if err := json.Unmarshal(raw, &u); err != nil {
				b.Fatal(err)
			}
			if out := a.Bot.Handle(ctx, &u, nil); out != "handled" {
				b.Fatalf("the update was %s", out)
			}
		}
	}
	teacher := h.person(f.teacher, "Fang", "en")
	trips := &roundTrips{}
	a.rdb.AddHook(trips)
	var took []time.Duration
	var tripsPer int64
	for b.Loop() {
		b.StopTimer()
		if err := a.Outbox.Forget(ctx, f.teacher); err != nil {
			b.Fatal(err)
		}
		teacher.Types("/mailbox")
		handle()
		menu, data := childButton(b, tg, f.teacher, "小明 · 200 new")
		teacher.TapsData(menu.ID, data)
		n0 := trips.n.Load()
		b.StartTimer()
		start := time.Now()
		handle()
		took = append(took, time.Since(start))
		tripsPer = trips.n.Load() - n0
		b.StopTimer()
		queued, err := a.Outbox.Queued(ctx, f.teacher)
		if err != nil || len(queued) != 11 {
			b.Fatalf("%d messages queued after the tap, want ten and the closing one (%v)", len(queued), err)
		}
		b.StartTimer()
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "ms-to-first-page")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(tripsPer), "redis-round-trips")
}

// childButton finds the newest message on user's phone with a button
// starting with label, and that button's callback data.
func childButton(b *testing.B, tg *emulator.Server, user int64, label string) (emulator.Message, string) {
	b.Helper()
	ms := tg.Transcript(user)
	for i := len(ms) - 1; i >= 0; i-- {
		for _, row := range ms[i].Keyboard {
			for _, btn := range row {
				if strings.HasPrefix(btn.Text, label) {
					return ms[i], btn.CallbackData
				}
			}
		}
	}
	b.Fatalf("no button %q on the teacher's phone:\n%s", label, transcript(ms))
	return emulator.Message{}, ""
}
