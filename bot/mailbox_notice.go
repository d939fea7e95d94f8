package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// MailNotice tells one teacher of their home's new messages: the agenda's
// mail notice, keyed "<home>.<teacher>" (d.Home, and the teacher as
// d.Call). It reads "📬 New messages at 青溪村儿童之家: 小明 (3), 丽丽 (1)"
// with [Open mailbox]. Nothing comes when none wait any more (a teacher
// played them meanwhile) or the teacher no longer teaches there; in their
// quiet hours it is held until they end. It records the notice, so the
// store plans the next one no sooner than homelink.MailNoticeEvery after:
// thirty messages in a minute make one notice, not thirty.
func (b *Bot) MailNotice(ctx context.Context, d Due) error {
	home, err := b.Store.Home(ctx, d.Home)
	if errors.Is(err, homelink.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("bot: mail notice of home %d: %w", d.Home, err)
	}
	teacher := d.Call
	if !slices.Contains(home.Teachers, teacher) {
		return nil
	}
	unread, err := b.Store.Unread(ctx, d.Home)
	if err != nil || len(unread) == 0 {
		return err
	}
	rd, err := b.readerOf(ctx, teacher)
	if err != nil {
		return err
	}
	now := b.Clock.Now()
	if held, err := b.holdIfQuiet(ctx, d, rd, b.zoneAt(ctx, rd.user, home), now); held || err != nil {
		return err
	}
	list, err := b.waitingList(ctx, rd, d.Home, unread)
	if err != nil || list == "" {
		return err
	}
	// No d.Current check: a message arriving while this run holds the
	// item puts it again an hour on, which voids this claim, yet this run
	// read the counts with that message and must still tell them. Two
	// runs of one claim send at most one notice too many.
	if err := b.Store.MailNoticed(ctx, d.Home, teacher, now); err != nil {
		return fmt.Errorf("bot: mail notice of home %d: %w", d.Home, err)
	}
	m := outbox.Message{Lane: outbox.Bulk, ChatID: teacher, Text: rd.html("MailNotice", "Home", home.Name, "Children", list),
		Keyboard: rows(b.mail.open.button(rd, rd.text("MailOpenButton"), target{home: d.Home}))}
	return b.queueDue(ctx, d, false, false, m)
}

// waitingList names the home's children with messages waiting and how
// many, in the order the home lists them: "小明 (3), 丽丽 (1)".
func (b *Bot) waitingList(ctx context.Context, rd *request, h int64, unread map[int64]int) (string, error) {
	kids, err := b.Store.Children(ctx, h)
	if err != nil {
		return "", fmt.Errorf("bot: mail notice of home %d: %w", h, err)
	}
	var parts []string
	for _, c := range kids {
		if n := unread[c.ID]; n > 0 {
			parts = append(parts, rd.text("MailNoticeChild", "Name", c.Name, "Count", n))
		}
	}
	return strings.Join(parts, rd.text("ListSeparator")), nil
}
