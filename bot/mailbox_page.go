package bot

import (
	"context"
	"html"
	"log/slog"
	"slices"
	"strings"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// A page of a child's mailbox: the waiting items in order, each under a
// header (who left it and when, in the teacher's zone), media sent by
// their Telegram file id (never copied from the sender's chat, which
// breaks once they delete it), then the page's end with [Heard], [More]
// and [Record a reply]: all queued in one EnqueueAll on the interactive
// lane, since the teacher just asked for them.

const (
	// captionLimit and textLimit are Telegram's: characters (UTF-16 code
	// units) of a medium's caption and of a message, as the reader sees
	// them.
	captionLimit = 1024
	textLimit    = 4096
	// pageBudget is the most messages a page queues for its items: the
	// outbox lets 20 wait for one chat (outbox.Options.ChatBacklog, its
	// default, which a deployment does not change), and the page's end
	// is one more. An item takes one message, or more (a header before a
	// video note, a long text or caption), so a page of ten is cut short
	// only when many need more; More goes on from where it stopped.
	pageBudget = 18
)

// playPage queues the child's waiting items after after (shown of them
// played so far) and turns the tapped message into what is coming and
// how long it takes: about a second a message.
func (b *Bot) playPage(ctx context.Context, r *request, t target, after int64, shown int) error {
	c, err := b.Store.Child(ctx, t.home, t.child)
	if err != nil {
		return err
	}
	items, rest, err := b.Store.OpenMailbox(ctx, r.by(), t.home, t.child, after, homelink.MailPageSize)
	if err != nil {
		return err
	}
	if len(items) == 0 {
		id := "MailNoneWaiting"
		if after != 0 {
			id = "MailNoMore"
		}
		return r.show(ctx, r.html(id, "Child", c.Name), rows(b.recordButton(r, t, false),
			b.mail.home.button(r, r.text("BackButton"), target{home: t.home})))
	}
	budget, err := b.pageRoom(ctx, r)
	if budget <= 0 || err != nil {
		return err
	}
	ms, used, err := b.pageMessages(ctx, r, items, budget)
	if err != nil {
		return err
	}
	shown += used
	rest += len(items) - used
	end := pageEnd{child: c.Name, last: items[used-1].ID, shown: shown, total: shown + rest, rest: rest}
	seconds := len(ms)
	ms = append(ms, b.pageEnd(r, t, end))
	// The tapped menu says what is coming before it comes: edited after
	// the page was queued, the edit would wait behind it.
	if err := r.show(ctx, r.html("MailPlaying", "Child", c.Name, "Shown", shown, "Total", end.total, "Count", seconds), nil); err != nil {
		return err
	}
	ids, err := b.Sender.EnqueueAll(ctx, ms)
	if err != nil {
		return err
	}
	if slices.Contains(ids, "") {
		// Something else filled the chat's backlog meanwhile: what was
		// left out is still waiting, and More or the list plays it.
		b.Log.Warn("a mailbox page was cut by the chat's backlog", slog.Int64("user", r.user.ID))
	}
	return nil
}

// pageRoom is how many messages a page may queue for its items: the
// chat's backlog (outbox.Options.ChatBacklog counts what waits in every
// lane) less what already waits for the teacher, so a page is never cut
// by it. A teacher whose last page is still arriving, or whose chat has
// too little room, is told to wait for it (0), rather than get it twice.
func (b *Bot) pageRoom(ctx context.Context, r *request) (int, error) {
	queued, err := b.Sender.Queued(ctx, r.chatID)
	if err != nil {
		return 0, err
	}
	room := pageBudget - len(queued)
	for _, q := range queued {
		if q.Lane == outbox.Interactive {
			room = 0
		}
	}
	if room < 2 { // one item and the page's end, at least
		return 0, r.answer(ctx, r.text("MailStillPlaying"))
	}
	return room, nil
}

// pageMessages are the messages of as many of items as fit budget (one
// at least), in order, and how many that is.
func (b *Bot) pageMessages(ctx context.Context, r *request, items []homelink.MailItem, budget int) ([]outbox.Message, int, error) {
	ids := make([]int64, 0, len(items))
	for _, it := range items {
		ids = append(ids, it.From)
	}
	names, err := b.Store.Names(ctx, ids)
	if err != nil {
		return nil, 0, err
	}
	loc := b.zoneOf(ctx, r.user)
	base := outbox.Message{ChatID: r.chatID, Reply: true}
	var out []outbox.Message
	for i, it := range items {
		when := r.day(it.At, loc) + " " + it.At.In(loc).Format("15:04")
		header := r.text("MailItemHeader", "From", guardianLabel(r, names[it.From], it.Rel), "When", when)
		ms := itemMessages(base, header, it)
		if i > 0 && len(out)+len(ms) > budget {
			return out, i, nil
		}
		out = append(out, ms...)
	}
	return out, len(items), nil
}

// pageEnd is what a page's last message says.
type pageEnd struct {
	child string
	// last is the last item played; shown how many were played so far,
	// total how many wait in all, rest how many after last.
	last               int64
	shown, total, rest int
}

// pageEnd is the page's last message: how far the teacher is, and
// [Heard] (up to the last item played), [More] while more wait, and
// [Record a reply].
func (b *Bot) pageEnd(r *request, t target, e pageEnd) outbox.Message {
	at := target{home: t.home, child: t.child, item: e.last, n: e.shown}
	kb := []outbox.Button{b.mail.heard.button(r, r.text("MailHeardButton"), at)}
	if e.rest > 0 {
		kb = append(kb, b.mail.more.button(r, r.text("MailMoreButton", "Count", e.rest), at))
	}
	kb = append(kb, b.recordButton(r, t, true))
	text := r.html("MailPageEnd", "Child", e.child, "Shown", e.shown, "Total", e.total)
	return outbox.Message{ChatID: r.chatID, Reply: true, Text: text, Keyboard: rows(kb...)}
}

// mediaKinds are the outbox kinds of the mailbox's media.
var mediaKinds = map[homelink.MailKind]outbox.Kind{
	homelink.MailVoice: outbox.Voice, homelink.MailPhoto: outbox.Photo, homelink.MailVideo: outbox.Video,
}

// itemMessages are the messages that carry it, as base is addressed,
// under header (plain text; none when ""): a text with the header as its
// first line, split where Telegram needs; a voice note, photo or video
// with the header and its caption as the caption, or when both do not
// fit a caption the medium alone and then the header and caption as text;
// a video note (which has no caption) after the header.
func itemMessages(base outbox.Message, header string, it homelink.MailItem) []outbox.Message {
	msg := func(kind outbox.Kind, text, file string) outbox.Message {
		m := base
		m.Kind, m.Text, m.FileID = kind, text, file
		return m
	}
	var out []outbox.Message
	if kind, ok := mediaKinds[it.Kind]; ok {
		caption := headed(header, it.Text)
		if utf16Len(caption) <= captionLimit {
			return append(out, msg(kind, html.EscapeString(caption), it.FileID))
		}
		// Too long for a caption (a caption Telegram's apps allowed its
		// sender may be longer than a bot may send): the medium alone,
		// then the header and caption as text, split where needed.
		out = append(out, msg(kind, "", it.FileID))
		for _, part := range textParts(header, it.Text) {
			if strings.TrimSpace(part) != "" {
				out = append(out, msg(outbox.Text, html.EscapeString(part), ""))
			}
		}
		return out
	}
	if it.Kind == homelink.MailVideoNote {
		if header != "" {
			out = append(out, msg(outbox.Text, html.EscapeString(header), ""))
		}
		return append(out, msg(outbox.VideoNote, "", it.FileID))
	}
	// Text, and a kind this release does not know, which shows its text
	// (if any) rather than nothing.
	for _, part := range textParts(header, it.Text) {
		if strings.TrimSpace(part) != "" {
			out = append(out, msg(outbox.Text, html.EscapeString(part), ""))
		}
	}
	return out
}

// textParts is header and text as the messages Telegram takes: the
// header as the first line of the first, the text cut where a message is
// full (at a line break or space when one is near).
func textParts(header, text string) []string {
	whole := headed(header, text)
	if utf16Len(whole) <= textLimit || text == "" {
		return []string{whole}
	}
	first := textLimit
	if header != "" {
		first -= utf16Len(header) + 1
	}
	parts := splitText(text, first, textLimit)
	if header != "" {
		parts[0] = header + "\n" + parts[0]
	}
	return parts
}

// splitText cuts s into pieces of at most first UTF-16 code units for the
// first and rest for the others, at the last line break or space of a
// piece when that is in its second half, else where it is full.
func splitText(s string, first, rest int) []string {
	var out []string
	room := first
	for s != "" {
		if utf16Len(s) <= room {
			return append(out, s)
		}
		cut, units := 0, 0
		for i, c := range s {
			w := 1
			if c > 0xFFFF {
				w = 2
			}
			if units+w > room {
				cut = i
				break
			}
			units += w
		}
		if at := strings.LastIndexAny(s[:cut], "\n "); at > cut/2 {
			cut = at + 1
		}
		out = append(out, strings.TrimRight(s[:cut], " \n"))
		s, room = s[cut:], rest
	}
	return out
}

// headed is text under header, each when not empty.
func headed(header, text string) string {
	switch {
	case header == "":
		return text
	case text == "":
		return header
	}
	return header + "\n" + text
}

// utf16Len is how many UTF-16 code units s takes: how Telegram counts.
func utf16Len(s string) int {
	n := 0
	for _, c := range s {
		n++
		if c > 0xFFFF {
			n++
		}
	}
	return n
}
