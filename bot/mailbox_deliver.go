package bot

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// Delivering a child's reply: every guardian it was sent to gets, in their
// own language, who it is from and through whom, then the items by their
// file ids, all in one EnqueueAll on the bulk lane. A minute later the
// same agenda item comes back with what was queued for whom, and the
// teacher who recorded it hears which guardians were not reached because
// they blocked homelink, so they can tell them another way.

const (
	// replyCheckAfter is how long after queueing a reply it is first
	// checked; later checks wait as long as the reply has been waiting,
	// up to an hour, and stop after replyCheckFor.
	replyCheckAfter = time.Minute
	replyCheckFor   = 24 * time.Hour
)

// replyCheck is the payload of a delivered reply's agenda item: its
// teacher, when it was queued (unix seconds), and the outbox messages of
// each guardian not yet known to have been reached or not.
type replyCheck struct {
	Teacher int64              `json:"t"`
	Since   int64              `json:"s"`
	Sent    map[int64][]string `json:"g"`
}

// MailReply delivers a child's reply: the agenda's mail reply, keyed
// "<home>.<child>.<first item>" (d.Home, and the child as d.Call), its
// payload the items' ids. Once delivered, the item is held with a
// replyCheck of its own, and the run it comes back for checks it.
func (b *Bot) MailReply(ctx context.Context, d Due) error {
	if len(d.Payload) > 0 && d.Payload[0] == '{' {
		return b.checkReply(ctx, d)
	}
	items, child, home, err := b.replyItems(ctx, d.Home, d.Call, replyIDs(string(d.Payload)))
	if errors.Is(err, errNoReply) {
		return nil
	}
	if err != nil {
		return err
	}
	slices.SortFunc(items, func(x, y homelink.MailItem) int { return cmp.Compare(x.ID, y.ID) })
	teacher := items[0].From
	name := b.nameOf(ctx, teacher)
	var ms []outbox.Message
	var owners []int64
	for _, g := range items[0].To {
		rd, err := b.readerOf(ctx, g)
		if err != nil {
			return err
		}
		if gd, ok := rd.user.Roles.Guards[child.ID]; !ok || gd.HomeID != home.ID {
			continue // unlinked since the reply was sent
		}
		// The last of their messages carries [✉️ Leave a message]: the
		// way to answer the child.
		kb := rows(b.leaveMessageButton(rd, home.ID, child.ID))
		part := replyMessages(rd, child, home, name, items, b.hushed(ctx, rd), kb)
		ms = append(ms, part...)
		for range part {
			owners = append(owners, g)
		}
	}
	if len(ms) == 0 {
		return nil
	}
	if ok, err := d.Current(ctx); err != nil || !ok {
		return err
	}
	ids, err := b.Sender.EnqueueAll(ctx, ms)
	if err != nil {
		return fmt.Errorf("bot: deliver the reply of child %d: %w", d.Call, err)
	}
	now := b.Clock.Now()
	check := replyCheck{Teacher: teacher, Since: now.Unix(), Sent: map[int64][]string{}}
	for i, id := range ids {
		if id != "" {
			check.Sent[owners[i]] = append(check.Sent[owners[i]], id)
		}
	}
	return b.holdCheck(ctx, d, check, now.Add(replyCheckAfter))
}

// holdCheck puts the reply's item back until at, to check it then.
func (b *Bot) holdCheck(ctx context.Context, d Due, check replyCheck, at time.Time) error {
	payload, err := json.Marshal(check)
	if err != nil {
		return fmt.Errorf("bot: hold the reply of child %d: %w", d.Call, err)
	}
	return d.Hold(ctx, at, payload)
}

// checkReply tells the teacher which guardians did not receive the reply
// because they blocked homelink, and holds the item again while some of
// it is still queued (for a day at most).
func (b *Bot) checkReply(ctx context.Context, d Due) error {
	var check replyCheck
	if err := json.Unmarshal(d.Payload, &check); err != nil {
		b.Log.Warn("a reply's check is unreadable", slog.String("key", d.Key))
		return nil
	}
	var blocked []int64
	pending := map[int64][]string{}
	for _, g := range slices.Sorted(maps.Keys(check.Sent)) {
		state, err := b.reached(ctx, check.Sent[g])
		if err != nil {
			return err
		}
		switch state {
		case "blocked":
			blocked = append(blocked, g)
		case "queued":
			pending[g] = check.Sent[g]
		}
	}
	if len(blocked) > 0 {
		if err := b.tellNotReached(ctx, d, check.Teacher, blocked); err != nil {
			return err
		}
	}
	now, since := b.Clock.Now(), time.Unix(check.Since, 0)
	if len(pending) == 0 || now.Sub(since) >= replyCheckFor {
		return nil
	}
	check.Sent = pending
	return b.holdCheck(ctx, d, check, now.Add(min(max(now.Sub(since), replyCheckAfter), time.Hour)))
}

// reached says what became of one guardian's messages: "blocked" when one
// failed because they blocked homelink, "queued" while one still waits,
// else "" (sent, or failed otherwise: the outbox keeps that dead letter).
func (b *Bot) reached(ctx context.Context, ids []string) (string, error) {
	state := ""
	for _, id := range ids {
		s, err := b.Sender.Status(ctx, id)
		if err != nil {
			return "", fmt.Errorf("bot: a reply's delivery: %w", err)
		}
		switch {
		case s.State == "failed" && strings.HasPrefix(s.Reason, "blocked"):
			return "blocked", nil
		case s.State == "queued":
			state = "queued"
		}
	}
	return state, nil
}

// tellNotReached tells the teacher who recorded the reply that guardians
// did not receive it, if they still teach at the home.
func (b *Bot) tellNotReached(ctx context.Context, d Due, teacher int64, guardians []int64) error {
	rd, err := b.readerOf(ctx, teacher)
	if err != nil || !rd.user.Roles.TeachesAt(d.Home) {
		return err
	}
	child, err := b.Store.Child(ctx, d.Home, d.Call)
	if errors.Is(err, homelink.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("bot: a reply's delivery: %w", err)
	}
	who, err := b.guardianNames(ctx, rd, child, guardians)
	if err != nil {
		return err
	}
	m := outbox.Message{Lane: outbox.Bulk, ChatID: teacher, Silent: b.hushed(ctx, rd),
		Text: rd.html("MailReplyNotReached", "Who", who, "Child", child.Name)}
	if _, err := b.Sender.Enqueue(ctx, m); err != nil && !errors.Is(err, outbox.ErrBlocked) {
		return fmt.Errorf("bot: a reply's delivery: %w", err)
	}
	return nil
}

// replyIDs reads a reply's payload, "<id>,<id>,…"; what is not an id is
// left out.
func replyIDs(payload string) []int64 {
	var ids []int64
	for _, s := range strings.Split(payload, ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	return ids
}
