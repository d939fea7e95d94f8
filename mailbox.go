package homelink

import (
	"errors"
	"time"
)

// The mailbox: what a parent leaves for a child at any hour waits at the
// child's home until a teacher plays it to the child; the child's reply,
// recorded on the teacher's phone, goes back to every linked guardian.
// Media is kept only as Telegram's file_id, never downloaded, and sent on
// by that id: it stays playable after the parent deletes their copy.

// MailKind is what one mailbox item is.
type MailKind string

// The kinds a mailbox keeps.
const (
	MailText      MailKind = "text"
	MailVoice     MailKind = "voice"
	MailPhoto     MailKind = "photo"
	MailVideo     MailKind = "video"
	MailVideoNote MailKind = "video_note"
)

// MailItem is one message in a child's mailbox: left by a guardian for the
// child, or the child's reply recorded by a teacher.
type MailItem struct {
	// ID is unique within the deployment (seq:mail), rising with time.
	ID    int64    `json:"id"`
	Home  int64    `json:"h"`
	Child int64    `json:"c"`
	Kind  MailKind `json:"k"`
	// FileID is a medium's Telegram file_id; "" for text.
	FileID string `json:"f,omitempty"`
	// Text is the text, or a medium's caption.
	Text string `json:"x,omitempty"`
	// From is the guardian who left it, or for a reply the teacher who
	// recorded it.
	From int64 `json:"u"`
	// Rel is the guardian's relationship to the child when they left it.
	Rel Relationship `json:"r,omitempty"`
	// Reply marks the child's reply; To are the guardians it was sent to.
	Reply bool    `json:"rp,omitempty"`
	To    []int64 `json:"to,omitempty"`
	// At is when it arrived; Heard when a teacher marked it heard (zero
	// until then; a reply is never "heard").
	At    time.Time `json:"-"`
	Heard time.Time `json:"-"`
}

// MaxMailText is the longest text a mailbox item holds, in characters
// (Telegram's own limit for one message).
const MaxMailText = 4096

// DefaultMailDailyLimit is how many items one guardian may leave for one
// child in a day (MAILBOX_DAILY_LIMIT): enough for a real day's news,
// too few for a phone stuck in a loop to bury a teacher.
const DefaultMailDailyLimit = 30

// DefaultMailRetention is how long an item is kept after it arrived
// (MAILBOX_RETENTION).
const DefaultMailRetention = 90 * 24 * time.Hour

// HeardRetention is how long an item is kept once it was heard, when that
// ends sooner than the retention.
const HeardRetention = 30 * 24 * time.Hour

// MailPageSize is how many waiting items a teacher is sent at once: about
// ten seconds of Telegram's one message a second in one chat.
const MailPageSize = 10

// MailNoticeEvery is the least time between two notices of new messages
// to one teacher.
const MailNoticeEvery = time.Hour

// MaxReplyItems is how many items one reply from a child may hold.
const MaxReplyItems = 10

// ErrMailLimit means the sender left the day's most items for the child
// (the daily limit); nothing was kept.
var ErrMailLimit = errors.New("homelink: daily message limit reached")

// MailExpiry is when an item is deleted: retention after it arrived, or
// HeardRetention after it was heard, whichever comes first.
func MailExpiry(at, heard time.Time, retention time.Duration) time.Time {
	end := at.Add(retention)
	if !heard.IsZero() && heard.Add(HeardRetention).Before(end) {
		end = heard.Add(HeardRetention)
	}
	return end
}

// MailDay is the day a sender's daily limit counts in: their own calendar
// day, in their zone, since "today" is theirs.
func MailDay(t time.Time, loc *time.Location) string {
	return t.In(loc).Format(time.DateOnly)
}

// MailCounts are one home's mailbox figures of one week (WeekOf, the
// home's zone), kept for the weekly report.
type MailCounts struct {
	// ToChild are items parents left, FromChild items of children's
	// replies, Heard items marked heard.
	ToChild, FromChild, Heard int
}
