package bot

import (
	"context"
	"time"

	"github.com/homelink/homelink"
)

// MailboxStore keeps the children's mailboxes. Every change is one atomic
// step with the agenda items it causes (a teacher's notice, a guardian's
// receipt, a reply's delivery) and the home's week counts.
type MailboxStore interface {
	// LeaveMessage keeps it (Kind, FileID, Text) in child c's mailbox at
	// home h, from by.User, a guardian of the child (ErrNotAllowed
	// otherwise, and for a child no longer at the home). day is the
	// sender's homelink.MailDay: ErrMailLimit once they left limit items
	// for the child that day. In the same step each teacher of the home
	// gets a notice planned (KindMailNotice) unless one is waiting: now,
	// or MailNoticeEvery after their last. It returns the item as kept and
	// how many more they may leave today.
	LeaveMessage(ctx context.Context, by homelink.By, h, c int64, it homelink.MailItem, day string, limit int) (homelink.MailItem, int, error)
	// Unread is each child's count of waiting items at home h (children
	// with none are absent), in one round trip.
	Unread(ctx context.Context, h int64) (map[int64]int, error)
	// OpenMailbox reads, for by.User, a teacher of home h (ErrNotAllowed
	// otherwise), child c's waiting items with ids above after, oldest
	// first, at most n, and how many wait after them: one round trip.
	OpenMailbox(ctx context.Context, by homelink.By, h, c, after int64, n int) ([]homelink.MailItem, int, error)
	// MarkHeard marks child c's waiting items with ids up to upTo heard,
	// for a teacher of home h (ErrNotAllowed otherwise); in the same step
	// it counts them and plans the receipts to their senders
	// (KindMailHeard). It returns the items it marked (none when another
	// teacher marked them first).
	MarkHeard(ctx context.Context, by homelink.By, h, c, upTo int64) ([]homelink.MailItem, error)
	// Reply keeps child c's reply, recorded by by.User, a teacher of home
	// h (ErrNotAllowed otherwise): items in order, each sent to every
	// guardian linked now (their To), counted, and its delivery planned
	// (KindMailReply, keyed by the first item's id). It returns the items
	// as kept.
	Reply(ctx context.Context, by homelink.By, h, c int64, items []homelink.MailItem) ([]homelink.MailItem, error)
	// MailItems reads items of child c by id (gone ones are absent), for
	// the due work that sends them.
	MailItems(ctx context.Context, h, c int64, ids []int64) ([]homelink.MailItem, error)
	// MailNoticed records that teacher was told of home h's new messages
	// at at, so the next notice waits MailNoticeEvery.
	MailNoticed(ctx context.Context, h, teacher int64, at time.Time) error
	// UserMail are the items a person left, and the replies sent to them,
	// that are still kept, oldest first (/mydata).
	UserMail(ctx context.Context, user int64) ([]homelink.MailItem, error)
	// MailCounts are home h's mailbox figures of week (homelink.WeekOf).
	MailCounts(ctx context.Context, h int64, week string) (homelink.MailCounts, error)
}
