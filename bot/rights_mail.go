package bot

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// What /mydata says of the mailbox: the messages the person left that are
// still kept, the children's replies sent to them, and those they
// recorded as a teacher. Kinds and times
// only, with the text they wrote themselves; never a file id, and never a
// medium.

// mailLeftDoc is one message the person left for a child; times are in
// their zone.
type mailLeftDoc struct {
	Child string `json:"child"`
	Home  string `json:"home"`
	Kind  string `json:"kind"`
	At    string `json:"left_at"`
	// Text is what they wrote: the text, or a medium's caption.
	Text  string `json:"your_text,omitempty"`
	Heard bool   `json:"heard"`
	// HeardAt is when a teacher marked it heard.
	HeardAt string `json:"heard_at,omitempty"`
}

// mailReplyDoc is one item of a child's reply sent to the person, or
// recorded by them.
type mailReplyDoc struct {
	Child string `json:"from_child"`
	Home  string `json:"home"`
	Kind  string `json:"kind"`
	At    string `json:"recorded_at"`
}

// mailDocs are the person's mailbox items for /mydata.
func (b *Bot) mailDocs(ctx context.Context, r *request) (left []mailLeftDoc, replies, recorded []mailReplyDoc, err error) {
	items, err := b.Store.UserMail(ctx, r.user.ID)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("bot: mailbox items of %d: %w", r.user.ID, err)
	}
	zone := b.zoneOf(ctx, r.user)
	names := map[[2]int64][2]string{}
	name := func(h, c int64) (string, string) {
		k := [2]int64{h, c}
		if n, ok := names[k]; ok {
			return n[0], n[1]
		}
		var n [2]string
		if child, home, err := b.childAndHome(ctx, target{home: h, child: c}); err == nil {
			n = [2]string{child.Name, home.Name}
		}
		names[k] = n
		return n[0], n[1]
	}
	for _, it := range items {
		child, home := name(it.Home, it.Child)
		at := it.At.In(zone).Format(time.RFC3339)
		switch {
		case it.Reply && slices.Contains(it.To, r.user.ID):
			replies = append(replies, mailReplyDoc{Child: child, Home: home, Kind: string(it.Kind), At: at})
		case it.Reply && it.From == r.user.ID:
			recorded = append(recorded, mailReplyDoc{Child: child, Home: home, Kind: string(it.Kind), At: at})
		case !it.Reply && it.From == r.user.ID:
			d := mailLeftDoc{Child: child, Home: home, Kind: string(it.Kind), At: at, Text: it.Text, Heard: !it.Heard.IsZero()}
			if d.Heard {
				d.HeardAt = it.Heard.In(zone).Format(time.RFC3339)
			}
			left = append(left, d)
		}
	}
	return left, replies, recorded, nil
}
