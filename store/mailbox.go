package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink"
)

// The mailbox's agenda items, put by the mailbox scripts in the same step
// as the change that causes them.
const (
	// KindMailNotice tells one teacher of the home's new messages, keyed
	// "<home>.<teacher>": at most one waits per teacher, due at once or
	// homelink.MailNoticeEvery after their last notice.
	KindMailNotice = "mail.notice"
	// KindMailHeard sends the receipts of items just heard, keyed
	// "<home>.<child>.<last id heard>", its payload "<sender>=<items>,…".
	KindMailHeard = "mail.heard"
	// KindMailReply delivers a child's reply to its guardians, keyed
	// "<home>.<child>.<first item id>", its payload the item ids
	// ("<id>,<id>,…"); the handler may Hold it with a payload of its own
	// (to check later who was not reached).
	KindMailReply = "mail.reply"
	// KindMailExpire deletes items past their retention, keyed "daily":
	// once a day, every home.
	KindMailExpire = "mail.expire"
)

// MailKey splits a mailbox agenda key "<home>.<child>.<id>".
func MailKey(key string) (home, child, id int64, ok bool) {
	parts := strings.Split(key, ".")
	if len(parts) != 3 {
		return 0, 0, 0, false
	}
	var n [3]int64
	for i, part := range parts {
		v, err := strconv.ParseInt(part, 10, 64)
		if err != nil || v <= 0 {
			return 0, 0, 0, false
		}
		n[i] = v
	}
	return n[0], n[1], n[2], true
}

// mailRecord is an item as the mailbox scripts keep it (see _mail.lua):
// every number a string.
type mailRecord struct {
	ID    string   `json:"id"`
	Kind  string   `json:"k"`
	File  string   `json:"f"`
	Text  string   `json:"x"`
	From  string   `json:"u"`
	Rel   string   `json:"r"`
	Reply string   `json:"rp"`
	To    []string `json:"to"`
	At    string   `json:"at"`
	Heard string   `json:"hd"`
}

// mailItem reads a record of child c at home h.
func mailItem(h, c int64, raw string) (homelink.MailItem, error) {
	var r mailRecord
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		return homelink.MailItem{}, fmt.Errorf("store: mail record: %w", err)
	}
	num := func(s string) int64 { n, _ := strconv.ParseInt(s, 10, 64); return n }
	when := func(s string) time.Time {
		if n := num(s); n > 0 {
			return time.UnixMilli(n)
		}
		return time.Time{}
	}
	it := homelink.MailItem{ID: num(r.ID), Home: h, Child: c, Kind: homelink.MailKind(r.Kind), FileID: r.File,
		Text: r.Text, From: num(r.From), Rel: homelink.Relationship(r.Rel), Reply: r.Reply == "1",
		At: when(r.At), Heard: when(r.Heard)}
	for _, g := range r.To {
		it.To = append(it.To, num(g))
	}
	return it, nil
}

// mailItems reads the records among vals (from index from on).
func mailItems(h, c int64, vals []any) ([]homelink.MailItem, error) {
	out := make([]homelink.MailItem, 0, len(vals))
	for _, v := range vals {
		raw, ok := v.(string)
		if !ok {
			continue
		}
		it, err := mailItem(h, c, raw)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, nil
}

// mailKinds are the kinds a mailbox keeps.
var mailKinds = map[homelink.MailKind]bool{homelink.MailText: true, homelink.MailVoice: true,
	homelink.MailPhoto: true, homelink.MailVideo: true, homelink.MailVideoNote: true}

// checkMail refuses an item the mailbox cannot keep: an unknown kind,
// media without a file id, text without text or too long.
func checkMail(it homelink.MailItem) error {
	switch {
	case !mailKinds[it.Kind],
		it.Kind == homelink.MailText && strings.TrimSpace(it.Text) == "",
		it.Kind != homelink.MailText && it.FileID == "",
		len([]rune(it.Text)) > homelink.MaxMailText:
		return fmt.Errorf("store: mail item of kind %q: %w", it.Kind, homelink.ErrNotAllowed)
	}
	return nil
}

// mailStatus reads the status a mailbox script answers first.
func mailStatus(op string, cmd *redis.Cmd) ([]any, error) {
	res, err := cmd.Slice()
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", op, err)
	}
	if len(res) == 0 {
		return nil, fmt.Errorf("store: %s: an empty reply", op)
	}
	switch res[0] {
	case "denied":
		return nil, fmt.Errorf("store: %s: %w", op, homelink.ErrNotAllowed)
	case "limit":
		return nil, fmt.Errorf("store: %s: %w", op, homelink.ErrMailLimit)
	}
	return res[1:], nil
}

// LeaveMessage keeps an item a guardian left for a child; see
// bot.MailboxStore.
func (s *Store) LeaveMessage(ctx context.Context, by homelink.By, h, c int64, it homelink.MailItem, day string, limit int) (homelink.MailItem, int, error) {
	if err := checkMail(it); err != nil {
		return homelink.MailItem{}, 0, err
	}
	zone, err := s.homeZone(ctx, h)
	if err != nil {
		return homelink.MailItem{}, 0, err
	}
	now := s.clock.Now()
	res, err := mailStatus("leave message", s.run(ctx, "mail_leave", nil, by.User, h, c, now.UnixMilli(),
		homelink.WeekOf(now, zone), day, limit, string(it.Kind), it.FileID, it.Text,
		homelink.MailNoticeEvery.Milliseconds(), s.mailRetention.Milliseconds()))
	if err != nil {
		return homelink.MailItem{}, 0, err
	}
	raw, ok1 := res[0].(string)
	left, ok2 := res[1].(int64)
	if !ok1 || !ok2 {
		return homelink.MailItem{}, 0, fmt.Errorf("store: leave message: unexpected reply %v", res)
	}
	kept, err := mailItem(h, c, raw)
	return kept, int(left), err
}

// Unread counts each child's waiting items at home h, in one round trip.
func (s *Store) Unread(ctx context.Context, h int64) (map[int64]int, error) {
	res, err := s.run(ctx, "mail_unread", nil, h).Slice()
	if err != nil {
		return nil, fmt.Errorf("store: unread of %d: %w", h, err)
	}
	out := map[int64]int{}
	for i := 0; i+1 < len(res); i += 2 {
		id, _ := res[i].(string)
		n, _ := res[i+1].(int64)
		if c, err := strconv.ParseInt(id, 10, 64); err == nil && n > 0 {
			out[c] = int(n)
		}
	}
	return out, nil
}

// OpenMailbox reads a page of a child's waiting items for a teacher.
func (s *Store) OpenMailbox(ctx context.Context, by homelink.By, h, c, after int64, n int) ([]homelink.MailItem, int, error) {
	res, err := mailStatus("open mailbox", s.run(ctx, "mail_open", nil, by.User, h, c, after, n))
	if err != nil {
		return nil, 0, err
	}
	rest, ok := res[0].(int64)
	if !ok {
		return nil, 0, fmt.Errorf("store: open mailbox: unexpected reply %v", res[0])
	}
	items, err := mailItems(h, c, res[1:])
	return items, int(rest), err
}

// MarkHeard marks a child's waiting items heard, up to id upTo.
func (s *Store) MarkHeard(ctx context.Context, by homelink.By, h, c, upTo int64) ([]homelink.MailItem, error) {
	zone, err := s.homeZone(ctx, h)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	res, err := mailStatus("mark heard", s.run(ctx, "mail_heard", nil, by.User, h, c, upTo, now.UnixMilli(),
		homelink.WeekOf(now, zone), s.mailRetention.Milliseconds(), homelink.HeardRetention.Milliseconds()))
	if err != nil {
		return nil, err
	}
	return mailItems(h, c, res)
}

// Reply keeps a child's reply and plans its delivery; nothing is kept,
// and none returned, when the child has no guardian.
func (s *Store) Reply(ctx context.Context, by homelink.By, h, c int64, items []homelink.MailItem) ([]homelink.MailItem, error) {
	if len(items) == 0 || len(items) > homelink.MaxReplyItems {
		return nil, fmt.Errorf("store: reply of %d items: %w", len(items), homelink.ErrNotAllowed)
	}
	zone, err := s.homeZone(ctx, h)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	args := []any{by.User, h, c, now.UnixMilli(), homelink.WeekOf(now, zone), s.mailRetention.Milliseconds()}
	for _, it := range items {
		if err := checkMail(it); err != nil {
			return nil, err
		}
		args = append(args, string(it.Kind), it.FileID, it.Text)
	}
	res, err := mailStatus("reply", s.run(ctx, "mail_reply", nil, args...))
	if err != nil {
		return nil, err
	}
	return mailItems(h, c, res)
}

// MailItems reads items of child c by id; gone ones are absent.
func (s *Store) MailItems(ctx context.Context, h, c int64, ids []int64) ([]homelink.MailItem, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	fields := make([]string, len(ids))
	for i, id := range ids {
		fields[i] = itoa(id)
	}
	vals, err := s.rdb.HMGet(ctx, s.k.mailbox(h, c), fields...).Result()
	if err != nil {
		return nil, fmt.Errorf("store: mail of %d at %d: %w", c, h, err)
	}
	return mailItems(h, c, vals)
}

// MailNoticed records when a teacher was last told of new messages.
func (s *Store) MailNoticed(ctx context.Context, h, teacher int64, at time.Time) error {
	if err := s.rdb.HSet(ctx, s.k.mailNoticed(h), teacher, at.UnixMilli()).Err(); err != nil {
		return fmt.Errorf("store: mail notice of %d at %d: %w", teacher, h, err)
	}
	return nil
}

// UserMail are the items that name a person, oldest first: those they
// left, the replies sent to them, and those they recorded as a teacher.
func (s *Store) UserMail(ctx context.Context, user int64) ([]homelink.MailItem, error) {
	res, err := s.run(ctx, "mail_user", nil, user).Slice()
	if err != nil {
		return nil, fmt.Errorf("store: mail of %d: %w", user, err)
	}
	var out []homelink.MailItem
	for i := 0; i+2 < len(res); i += 3 {
		hs, _ := res[i].(string)
		cs, _ := res[i+1].(string)
		raw, _ := res[i+2].(string)
		h, _ := strconv.ParseInt(hs, 10, 64)
		c, _ := strconv.ParseInt(cs, 10, 64)
		it, err := mailItem(h, c, raw)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, nil
}

// MailCounts are a home's mailbox figures of one week.
func (s *Store) MailCounts(ctx context.Context, h int64, week string) (homelink.MailCounts, error) {
	vals, err := s.rdb.HMGet(ctx, s.k.week(h, week), "mail.in", "mail.out", "mail.heard").Result()
	if err != nil {
		return homelink.MailCounts{}, fmt.Errorf("store: mail counts of %d in %s: %w", h, week, err)
	}
	n := func(v any) int {
		i, _ := strconv.Atoi(fmt.Sprint(v))
		return i
	}
	return homelink.MailCounts{ToChild: n(vals[0]), FromChild: n(vals[1]), Heard: n(vals[2])}, nil
}

// mailExpireBatch is how many items one run of mail_expire deletes.
const mailExpireBatch = 500

// ExpireMail deletes home h's items whose time to go (homelink.MailExpiry)
// has come, and returns how many.
func (s *Store) ExpireMail(ctx context.Context, h int64) (int, error) {
	total, now := 0, s.clock.Now().UnixMilli()
	for {
		n, err := s.run(ctx, "mail_expire", nil, h, now, mailExpireBatch).Int()
		if err != nil {
			return total, fmt.Errorf("store: expire mail of %d: %w", h, err)
		}
		total += n
		if n < mailExpireBatch {
			return total, nil
		}
	}
}

// ExpireAllMail runs ExpireMail for every home (the daily agenda job) and
// returns how many items went. A home that fails does not stop the
// others; the first error is returned after them, so the job is retried.
func (s *Store) ExpireAllMail(ctx context.Context) (int, error) {
	ids, err := s.rdb.SMembers(ctx, s.k.homes()).Result()
	if err != nil {
		return 0, fmt.Errorf("store: expire mail: %w", err)
	}
	total, first := 0, error(nil)
	for _, v := range ids {
		h, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			continue
		}
		n, err := s.ExpireMail(ctx, h)
		total += n
		if err != nil && first == nil {
			first = err
		}
	}
	return total, first
}

// UseMailRetention sets how long a mailbox item is kept after it arrived
// (MAILBOX_RETENTION; homelink.DefaultMailRetention until set).
func (s *Store) UseMailRetention(d time.Duration) {
	if d > 0 {
		s.mailRetention = d
	}
}
