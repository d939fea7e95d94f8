package app

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/internal/redistest"
)

// BenchmarkReminderMemory is the other figure: the Redis memory a
// confirmed call's reminders take. The same 10,000 calls, two days ahead,
// are confirmed on two Redis servers of their own: in homes with the
// default reminders (a day ahead, an hour before, at the start, and the
// teachers' nudge: four agenda items a call), and in homes that switched
// the three offsets off (only the one at the start is left). The
// difference in used_memory is three reminders a call; it reports the
// bytes of one reminder and of a call's four, what the agenda's due set
// alone grew by (MEMORY USAGE), and a whole confirmed call with its four
// reminders.
//
//	go test ./app/ -run '^$' -bench ReminderMemory -benchtime 1x
func BenchmarkReminderMemory(b *testing.B) {
	const homes, perHome = 1000, homelink.MaxLines
	const n = homes * perHome
	type grown struct{ used, due, items int64 }
	measure := func(tune func(*homelink.Hours)) grown {
		srv := redistest.NewServer(b, "--save", "", "--appendonly", "no")
		w := newRemindWorldOn(b, srv.URL(), "m:", homes, perHome, tune)
		ctx, rdb := context.Background(), w.app.rdb
		due := w.h.prefix + "{agenda}:due"
		w.h.clock.Set(w.at(0, 17, 0))
		used := func() int64 {
			for _, line := range strings.Split(rdb.Info(ctx, "memory").Val(), "\r\n") {
				if v, ok := strings.CutPrefix(line, "used_memory:"); ok {
					n, _ := strconv.ParseInt(v, 10, 64)
					return n
				}
			}
			b.Fatal("no used_memory")
			return 0
		}
		dueBytes := func() int64 { return rdb.MemoryUsage(ctx, due, 0).Val() }
		u0, d0, i0 := used(), dueBytes(), rdb.ZCard(ctx, due).Val()
		w.bookAll(w.at(2, 10, 0)) // more than a day ahead: every reminder is planned
		return grown{used() - u0, dueBytes() - d0, rdb.ZCard(ctx, due).Val() - i0}
	}
	var on, off grown
	for b.Loop() {
		on = measure(nil)
		off = measure(func(h *homelink.Hours) { h.Reminders = &homelink.Reminders{} })
	}
	if on.items-off.items != 3*n {
		b.Fatalf("%d more agenda items with the reminders on, want %d", on.items-off.items, 3*n)
	}
	perReminder := float64(on.used-off.used) / float64(3*n)
	b.ReportMetric(perReminder, "bytes/reminder")
	b.ReportMetric(4*perReminder, "reminder-bytes/call")
	b.ReportMetric(4*float64(on.due-off.due)/float64(3*n), "due-set-bytes/call")
	b.ReportMetric(float64(on.used)/float64(n), "confirmed-call-bytes")
}
