package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/internal/redistest"
)

// BenchmarkMailItemMemory is the mailbox issue's figure of Redis bytes per
// stored item: 10,000 items left by the two guardians of 100 children, on
// a Redis server of its own, counted as used_memory grew (the record,
// its waiting mark, its expiry, the sender's index, the day's counters
// and the teachers' notices, spread over the items). Voice notes carry a
// file id as long as Telegram's (72 characters); texts 100 Chinese
// characters (300 bytes); then the same voice notes once heard.
//
//	go test ./store -run '^$' -bench MailItemMemory -benchtime 1x -count 3
func BenchmarkMailItemMemory(b *testing.B) {
	const children, perChild = 100, 100
	srv := redistest.NewServer(b, "--save", "", "--appendonly", "no")
	opt, err := redis.ParseURL(srv.URL())
	if err != nil {
		b.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	b.Cleanup(func() { rdb.Close() })
	ctx := context.Background()
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
	text := strings.Repeat("今天工地上下雨了，妈妈很想你。", 7)[:300]
	measure := func(run int, item func(i int) homelink.MailItem, hear bool) float64 {
		s := New(rdb, fmt.Sprintf("b%d:", run), homelink.NewFakeClock(t0))
		s.UseCodeKeys([]byte("store-test-invite-key-0123456789abcdef"))
		w := &mailWorld{callWorld: &callWorld{s: s, clock: s.clock.(*homelink.FakeClock)}}
		w.home, w.child = homeWithChild(b, s, 1)
		w.teacher = teacherOf(1)
		kids := []homelink.Child{w.child}
		for len(kids) < children {
			kids = append(kids, w.addChild(b, "丽丽"))
		}
		for i, c := range kids {
			w.link(b, c.ID, int64(10000+2*i))
			w.link(b, c.ID, int64(10001+2*i))
		}
		u0 := used()
		for i, c := range kids {
			for j := range perChild {
				by := homelink.By{User: int64(10000 + 2*i + j%2)}
				if _, _, err := s.LeaveMessage(ctx, by, w.home.ID, c.ID, item(j), "2026-11-28", perChild); err != nil {
					b.Fatal(err)
				}
			}
			if hear {
				if _, err := s.MarkHeard(ctx, homelink.By{User: w.teacher}, w.home.ID, c.ID, 1<<50); err != nil {
					b.Fatal(err)
				}
			}
		}
		return float64(used()-u0) / (children * perChild)
	}
	var v, x, h float64
	run := 0
	for b.Loop() {
		run++
		v = measure(3*run, voice, false)
		x = measure(3*run+1, func(int) homelink.MailItem { return homelink.MailItem{Kind: homelink.MailText, Text: text} }, false)
		h = measure(3*run+2, voice, true)
	}
	b.ReportMetric(v, "bytes/voice-item")
	b.ReportMetric(x, "bytes/text-item")
	b.ReportMetric(h, "bytes/heard-voice-item")
}
