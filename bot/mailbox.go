package bot

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// The mailbox, the teacher's side: /mailbox lists a home's children with
// how many messages wait for each; a child's mailbox plays the waiting
// messages in order, a page at a time (mailbox_page.go), and [Heard]
// marks them heard, which tells each sender; [Record a reply] takes the
// child's answer back to every linked guardian (mailbox_reply.go). A
// teacher hears of new messages at most once an hour (mailbox_notice.go).
// Only the home's teachers may do any of it; the store checks again as
// it reads or writes.

// mailActs are the buttons of the teacher's mailbox.
type mailActs struct {
	// home lists a home's children; open does the same from a notice.
	home, open *action
	// child plays a child's first page; more the next one (after the
	// item it carries); heard marks them heard up to the item it carries.
	child, more, heard *action
	// record starts the child's reply; send sends it.
	record, send *action
	// recording is the step that takes the reply's items.
	recording *step
}

// replyAnswers are the answers of the flow recording a child's reply: the
// items recorded so far, in order.
type replyAnswers struct {
	about
	Items []homelink.MailItem `json:"items,omitempty"`
}

// replyAccepts is what a child's reply may be: what a phone records.
const replyAccepts = inText | inVoice | inPhoto | inVideo | inVideoNote

// mailActions declares the mailbox's buttons and the flow recording a
// reply. A page's buttons carry the last item it showed and, as their
// choice, how many were shown so far.
func (b *Bot) mailActions() {
	record := &step{name: "record", accepts: replyAccepts, need: teachesChild, answer: b.replyRecorded}
	b.flows.add(&flow{name: "mail.reply", steps: []*step{record}, cancelled: replyCancelled})
	add, h, hc := b.acts.add, []arg{argHome}, []arg{argHome, argChild}
	page := []arg{argHome, argChild, argItem, argChoice}
	b.mail = mailActs{
		home: add(&action{name: "mail.home", code: "Mb", args: h, need: teachesAt, run: b.mailHome}),
		open: add(&action{name: "mail.open", code: "Mo", args: h, need: teachesAt, run: b.mailOpen,
			standing: true, exists: b.homeThere}),
		child:     add(&action{name: "mail.child", code: "Mc", args: hc, need: teachesChild, run: b.mailChild}),
		more:      add(&action{name: "mail.more", code: "Mn", args: page, need: teachesChild, run: b.mailMore}),
		heard:     add(&action{name: "mail.heard", code: "Mh", args: page, need: teachesChild, run: b.mailHeard}),
		record:    add(&action{name: "mail.record", code: "Mr", args: []arg{argHome, argChild, argChoice}, need: teachesChild, run: b.mailRecord}),
		send:      add(&action{name: "mail.send", code: "Ms", need: teachesChild, run: b.replySend, at: record}),
		recording: record,
	}
}

// mailboxCommand opens the mailbox of the teacher's home, or the homes to
// choose from when they teach at several.
func (b *Bot) mailboxCommand(ctx context.Context, r *request) error {
	if err := r.openMenu(ctx); err != nil {
		return err
	}
	homes := slices.Sorted(maps.Keys(r.user.Roles.Teaches))
	if len(homes) == 1 {
		return b.mailHome(ctx, r, target{home: homes[0]})
	}
	kb, err := b.homeButtons(ctx, r, homes, b.mail.home)
	if err != nil {
		return err
	}
	return r.reply(ctx, r.html("ChooseHome"), kb)
}

// mailOpen opens a home's mailbox from the notice of new messages, below
// it, as a menu of its own.
func (b *Bot) mailOpen(ctx context.Context, r *request, t target) error {
	if err := r.openMenu(ctx); err != nil {
		return err
	}
	return b.mailHome(ctx, r, t)
}

// homeThere is the exists of a standing button on a home.
func (b *Bot) homeThere(ctx context.Context, t target) (bool, error) {
	_, err := b.Store.Home(ctx, t.home)
	if errors.Is(err, homelink.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// mailHome lists the home's children: those with messages waiting first,
// with how many, then the others by name (a teacher may record a reply
// for any child).
func (b *Bot) mailHome(ctx context.Context, r *request, t target) error {
	home, err := b.Store.Home(ctx, t.home)
	if errors.Is(err, homelink.ErrNotFound) {
		return r.present(ctx, r.html("Gone"), nil)
	}
	if err != nil {
		return err
	}
	kids, err := b.Store.Children(ctx, t.home)
	if err != nil {
		return err
	}
	unread, err := b.Store.Unread(ctx, t.home)
	if err != nil {
		return err
	}
	text := r.html("MailboxTitle", "Home", home.Name)
	if len(kids) == 0 {
		return r.present(ctx, text+"\n\n"+r.html("MailboxNoChildren", "Home", home.Name), nil)
	}
	var waiting, others []outbox.Button
	total := 0
	for _, c := range kids {
		ct := target{home: t.home, child: c.ID}
		if n := unread[c.ID]; n > 0 {
			total += n
			waiting = append(waiting, b.mail.child.button(r, r.text("MailboxChildNew", "Name", c.Name, "Count", n), ct))
		} else {
			others = append(others, b.mail.child.button(r, c.Name, ct))
		}
	}
	if total > 0 {
		text += "\n\n" + r.html("MailboxWaiting", "Count", total)
	} else {
		text += "\n\n" + r.html("MailboxNoneWaiting")
	}
	return r.present(ctx, text, append(rows(waiting...), grid(2, others)...))
}

// mailChild plays a child's first page of waiting messages.
func (b *Bot) mailChild(ctx context.Context, r *request, t target) error {
	return b.playPage(ctx, r, t, 0, 0)
}

// mailMore plays the next page: the items after the one the button
// carries.
func (b *Bot) mailMore(ctx context.Context, r *request, t target) error {
	return b.playPage(ctx, r, t, t.item, t.n)
}

// mailHeard marks the child's items up to the one the button carries
// heard, and says whose senders will be told, or that someone marked
// them first. More and Record stay offered.
func (b *Bot) mailHeard(ctx context.Context, r *request, t target) error {
	c, err := b.Store.Child(ctx, t.home, t.child)
	if err != nil {
		return err
	}
	marked, err := b.Store.MarkHeard(ctx, r.by(), t.home, t.child, t.item)
	if err != nil {
		return err
	}
	unread, err := b.Store.Unread(ctx, t.home)
	if err != nil {
		return err
	}
	text := r.html("MailHeardAlready", "Child", c.Name)
	if len(marked) > 0 {
		who, err := b.senders(ctx, r, marked)
		if err != nil {
			return err
		}
		text = r.html("MailHeardDone", "Who", who)
	}
	var kb []outbox.Button
	if rest := unread[t.child]; rest > 0 {
		kb = append(kb, b.mail.more.button(r, r.text("MailMoreButton", "Count", rest), t))
	}
	// Back to the list, for the next child.
	kb = append(kb, b.recordButton(r, t, true), b.mail.home.button(r, r.text("MailboxBackButton"), target{home: t.home}))
	return r.show(ctx, text, rows(kb...))
}

// senders names the people who left items, each once, in the order of
// their first item, for a teacher: "李秀兰 (Mother), Jian (Father)".
func (b *Bot) senders(ctx context.Context, r *request, items []homelink.MailItem) (string, error) {
	var ids []int64
	rel := map[int64]homelink.Relationship{}
	for _, it := range items {
		if _, seen := rel[it.From]; !seen {
			ids = append(ids, it.From)
		}
		rel[it.From] = it.Rel
	}
	names, err := b.Store.Names(ctx, ids)
	if err != nil {
		return "", err
	}
	labels := make([]string, len(ids))
	for i, id := range ids {
		labels[i] = guardianLabel(r, names[id], rel[id])
	}
	return joinList(r, labels), nil
}

// joinList joins names as r's language lists them.
func joinList(r *request, names []string) string {
	return strings.Join(names, r.text("ListSeparator"))
}

// recordButton starts the child's reply. below keeps the tapped message
// (a page's end, where [Heard] may still be wanted) and asks in a new one.
func (b *Bot) recordButton(r *request, t target, below bool) outbox.Button {
	at := target{home: t.home, child: t.child}
	if below {
		at.n = 1
	}
	return b.mail.record.button(r, r.text("MailRecordButton"), at)
}

// replyCancelled is what leaving a reply unsent says: what was recorded
// is not sent and is gone.
func replyCancelled(r *request) string {
	if n := len(answersOf[replyAnswers](r).Items); n > 0 {
		return r.html("MailReplyDiscarded", "Count", n)
	}
	return r.html("CancelDone")
}
