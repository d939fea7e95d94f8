package app

import (
	"context"
	"strings"
	"testing"
	"time"
)

// While Telegram holds the bot back (a 429's retry_after), mom's /mydata
// file waits in the outbox: no outbox key holds what it says (her name,
// her child's, their home's), and once the wait ends she gets it whole.
func TestMyDataWaitingInTheOutboxIsSealed(t *testing.T) {
	h := start(t, polling)
	f := seed(t, h)
	mom := h.person(f.mom, "秀兰", "zh-hans")
	ctx := context.Background()
	h.tg.FailTooMany(3, 1)
	mom.Types("/mydata")
	ob := h.reps[0].app.Outbox
	if !h.tg.WaitFor(5*time.Second, func() bool { d, _ := ob.Depth(ctx); return d[0] > 0 }) {
		t.Fatalf("the file never waited; mom sees:\n%s", transcript(mom.Messages()))
	}
	for _, s := range []string{"小明", "李秀兰", "青溪村儿童之家"} {
		for _, k := range h.keysHolding(s) {
			if strings.Contains(k, "{ob}:") {
				t.Errorf("outbox key %s holds %q while /mydata waits", k, s)
			}
		}
	}
	if !h.tg.WaitFor(15*time.Second, func() bool { return mom.Last().Kind == "document" }) {
		t.Fatalf("no document after the wait; mom sees:\n%s", transcript(mom.Messages()))
	}
	if doc := mom.Last(); !strings.Contains(string(doc.File), "小明") {
		t.Fatalf("the file lost its contents: %s", doc.File)
	}
}
