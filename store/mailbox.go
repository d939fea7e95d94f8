package store

import (
	"context"
	"errors"
	"time"

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

var errMailTodo = errors.New("store: mailbox not built yet")

// LeaveMessage keeps an item a guardian left for a child; see
// bot.MailboxStore.
func (s *Store) LeaveMessage(ctx context.Context, by homelink.By, h, c int64, it homelink.MailItem, day string, limit int) (homelink.MailItem, int, error) {
	return homelink.MailItem{}, 0, errMailTodo
}

// Unread counts each child's waiting items at home h.
func (s *Store) Unread(ctx context.Context, h int64) (map[int64]int, error) {
	return nil, errMailTodo
}

// OpenMailbox reads a page of a child's waiting items for a teacher.
func (s *Store) OpenMailbox(ctx context.Context, by homelink.By, h, c, after int64, n int) ([]homelink.MailItem, int, error) {
	return nil, 0, errMailTodo
}

// MarkHeard marks a child's waiting items heard.
func (s *Store) MarkHeard(ctx context.Context, by homelink.By, h, c, upTo int64) ([]homelink.MailItem, error) {
	return nil, errMailTodo
}

// Reply keeps a child's reply and plans its delivery.
func (s *Store) Reply(ctx context.Context, by homelink.By, h, c int64, items []homelink.MailItem) ([]homelink.MailItem, error) {
	return nil, errMailTodo
}

// MailItems reads a child's items by id.
func (s *Store) MailItems(ctx context.Context, h, c int64, ids []int64) ([]homelink.MailItem, error) {
	return nil, errMailTodo
}

// MailNoticed records when a teacher was last told of new messages.
func (s *Store) MailNoticed(ctx context.Context, h, teacher int64, at time.Time) error {
	return errMailTodo
}

// UserMail are the items a person left and the replies sent to them.
func (s *Store) UserMail(ctx context.Context, user int64) ([]homelink.MailItem, error) {
	return nil, errMailTodo
}

// MailCounts are a home's mailbox figures of one week.
func (s *Store) MailCounts(ctx context.Context, h int64, week string) (homelink.MailCounts, error) {
	return homelink.MailCounts{}, errMailTodo
}

// ExpireMail deletes home h's items whose retention (homelink.MailExpiry)
// has passed, and returns how many.
func (s *Store) ExpireMail(ctx context.Context, h int64) (int, error) {
	return 0, errMailTodo
}

// ExpireAllMail runs ExpireMail for every home (the daily agenda job) and
// returns how many items went. A home that fails is left for the next run
// after the others are done.
func (s *Store) ExpireAllMail(ctx context.Context) (int, error) {
	return 0, errMailTodo
}

// UseMailRetention sets how long a mailbox item is kept after it arrived
// (MAILBOX_RETENTION; homelink.DefaultMailRetention until set).
func (s *Store) UseMailRetention(d time.Duration) {}
