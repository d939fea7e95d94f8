package app

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/homelink/homelink"
)

// /mydata lists the broadcasts a coordinator sent, with what they wrote
// and how each run went (counts, never who got it); /forget deletes them
// and their plans, so a weekly one stops.
func TestMyDataAndForgetCoverBroadcasts(t *testing.T) {
	h := start(t, polling)
	f := seed(t, h)
	ctx := context.Background()
	st := h.store()
	if err := st.SetLanguage(ctx, f.coord, "en"); err != nil {
		t.Fatal(err)
	}
	coord := h.person(f.coord, "周主任", "en")
	h.person(f.mom, "李秀兰", "zh-hans")
	h.person(f.otherParent, "Grandma Li", "en")
	dad := h.person(f.dad, "Jian", "en")
	sendBroadcast(t, h, f.coord, []int64{f.home}, homelink.AudienceGuardians, false, "en", "<b>Sports day</b> is on Saturday.")
	dad.Sees("Sports day is on Saturday.")
	coord.Sees("is sent: 3 people in all")
	weekly, err := st.SaveBroadcast(ctx, homelink.By{User: f.coord}, homelink.Broadcast{Homes: []int64{f.home},
		Audience: homelink.AudienceEveryone, Rule: "every Friday at 18:00",
		Versions: []homelink.BroadcastVersion{{Lang: "en", Text: "Have a good weekend, {parent_name}."}}})
	if err != nil {
		t.Fatal(err)
	}
	coord.Types("/mydata")
	if !h.tg.WaitFor(5*time.Second, func() bool { return coord.Last().Kind == "document" }) {
		t.Fatalf("no document; the coordinator sees:\n%s", transcript(coord.Messages()))
	}
	var data struct {
		Broadcasts []struct {
			Audience, Schedule, State string
			Homes                     []string
			Texts                     []string `json:"your_texts"`
			Runs                      []struct {
				Recipients int `json:"recipients"`
				Delivered  int `json:"delivered"`
			}
		} `json:"broadcasts_you_sent"`
	}
	if err := json.Unmarshal(coord.Last().File, &data); err != nil {
		t.Fatal(err)
	}
	if len(data.Broadcasts) != 2 {
		t.Fatalf("my data's broadcasts: %s", coord.Last().File)
	}
	w, once := data.Broadcasts[0], data.Broadcasts[1]
	if w.Schedule == "now" { // both were made in the same fake millisecond
		w, once = once, w
	}
	if w.Schedule != "every Friday at 18:00" || w.Texts[0] != "Have a good weekend, {parent_name}." || w.Audience != "everyone" ||
		once.Texts[0] != "Sports day is on Saturday." || len(once.Runs) != 1 || once.Runs[0].Recipients != 3 ||
		once.Runs[0].Delivered != 3 || once.Homes[0] != "青溪村儿童之家" {
		t.Fatalf("my data's broadcasts: %s", coord.Last().File)
	}
	coord.Types("/forget")
	coord.Tap("Yes, delete everything")
	coord.SeesLast("Everything homelink stored about you is deleted")
	if _, err := st.Broadcast(ctx, weekly.ID); !errors.Is(err, homelink.ErrNotFound) {
		t.Fatalf("the weekly broadcast survived /forget: %v\n%s", err, transcript(coord.Messages()))
	}
	if n := h.rdb.ZCount(ctx, h.prefix+"{agenda}:due", "-inf", "+inf").Val(); n > 0 {
		for _, m := range h.rdb.ZRange(ctx, h.prefix+"{agenda}:due", 0, -1).Val() {
			if len(m) > 3 && m[:3] == "bc." {
				t.Fatalf("a forgotten sender's broadcast is still planned: %q", m)
			}
		}
	}
}
