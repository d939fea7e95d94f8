package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// The receipt: once a teacher marked a child's messages heard, each
// guardian who left some is told, in their language, with the standing
// [✉️ Leave a message] to leave the next ones.

// MailHeard sends the receipts of an agenda item of kind mail.heard, keyed
// "<home>.<child>.<last id heard>" (d.Home, and the child as d.Call) with
// the payload "<sender>=<items>,…":
// "✓ 小明 has heard your 3 messages at 青溪村儿童之家." to each sender
// still a guardian of the child, on the bulk lane, silently in their
// quiet hours, all queued at once. A child no longer at the home, or a
// sender no longer its guardian, gets none. A sender who blocked the bot
// is not an error: the outbox keeps their receipt as dead, never retried.
func (b *Bot) MailHeard(ctx context.Context, d Due) error {
	h, c := d.Home, d.Call
	senders, ok := heardSenders(d.Payload)
	if !ok {
		b.Log.Warn("mail receipt with an unreadable payload", slog.String("kind", d.Kind))
		return nil
	}
	child, home, err := b.childAndHome(ctx, target{home: h, child: c})
	if errors.Is(err, homelink.ErrNotFound) {
		b.count(d.Kind, "dropped_changed")
		return nil
	}
	if err != nil {
		return fmt.Errorf("bot: mail receipts of child %d: %w", c, err)
	}
	var ms []outbox.Message
	for _, sender := range slices.Sorted(maps.Keys(senders)) {
		u, err := b.Store.User(ctx, sender)
		if err != nil {
			return fmt.Errorf("bot: mail receipt to %d: %w", sender, err)
		}
		if g, ok := u.Roles.Guards[c]; !ok || g.HomeID != h {
			b.count(d.Kind, "dropped_changed")
			continue
		}
		rd := b.reader(u)
		text := rd.html("MailHeardReceipt", "Child", child.Name, "Home", home.Name, "Count", senders[sender])
		ms = append(ms, outbox.Message{Lane: outbox.Bulk, ChatID: sender, Text: text, Silent: b.hushed(ctx, rd),
			Keyboard: rows(b.leaveMessageButton(rd, h, c))})
	}
	if len(ms) == 0 {
		return nil
	}
	if ok, err := d.Current(ctx); err != nil || !ok {
		return err
	}
	if _, err := b.Sender.EnqueueAll(ctx, ms); err != nil {
		if errors.Is(err, outbox.ErrBlocked) {
			b.count(d.Kind, "blocked")
			return nil
		}
		return fmt.Errorf("bot: queue mail receipts of child %d: %w", c, err)
	}
	b.count(d.Kind, "sent")
	return nil
}

// heardSenders reads a receipt's payload "<sender>=<items>,…" into each
// sender's count of items heard (a sender named twice counts once, with
// both counts).
func heardSenders(payload []byte) (map[int64]int, bool) {
	out := map[int64]int{}
	for _, part := range strings.Split(string(payload), ",") {
		user, n, found := strings.Cut(part, "=")
		id, err1 := strconv.ParseInt(user, 10, 64)
		count, err2 := strconv.Atoi(n)
		if !found || err1 != nil || err2 != nil || id <= 0 || count <= 0 {
			return nil, false
		}
		out[id] += count
	}
	return out, len(out) > 0
}
