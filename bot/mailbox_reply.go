package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// The child's reply: in a child's mailbox a teacher taps [Record a
// reply] and the child speaks into the teacher's phone (a voice note, a
// video, a round video, a photo or a text); each item is kept in the
// flow's answers as it comes, then [Send to the family] hands them to the
// store, which keeps them and plans their delivery to every guardian
// linked now (MailReply, mailbox_deliver.go).

// replyKinds are the mailbox kinds of what a reply step takes, with the
// message id that names each.
var replyKinds = map[inputKind]struct {
	kind homelink.MailKind
	name string
}{
	inText:      {homelink.MailText, "ReplyKind_text"},
	inVoice:     {homelink.MailVoice, "ReplyKind_voice"},
	inPhoto:     {homelink.MailPhoto, "ReplyKind_photo"},
	inVideo:     {homelink.MailVideo, "ReplyKind_video"},
	inVideoNote: {homelink.MailVideoNote, "ReplyKind_videoNote"},
}

// mailRecord opens the reply step for the child, unless no guardian is
// linked to receive it. t.n set: asked below the tapped message (a page's
// end), which stays.
func (b *Bot) mailRecord(ctx context.Context, r *request, t target) error {
	c, err := b.Store.Child(ctx, t.home, t.child)
	if err != nil {
		return err
	}
	show := r.show
	if t.n == 1 {
		show = r.reply
	}
	if len(c.Guardians) == 0 {
		return show(ctx, r.html("MailReplyNobody", "Child", c.Name), nil)
	}
	if err := r.at(ctx, b.mail.recording, replyAnswers{about: about{Home: t.home, Child: t.child}}); err != nil {
		return err
	}
	return show(ctx, r.html("MailReplyAsk", "Child", c.Name, "Max", homelink.MaxReplyItems), rows(r.cancelButton()))
}

// replyRecorded keeps one item of the reply and says so, offering to send
// what was recorded.
func (b *Bot) replyRecorded(ctx context.Context, r *request, t target, in input) error {
	a := answersOf[replyAnswers](r)
	kb := rows(b.mail.send.button(r, r.text("MailSendButton"), target{}), r.cancelButton())
	if len(a.Items) >= homelink.MaxReplyItems {
		return r.reply(ctx, r.html("MailReplyFull", "Max", homelink.MaxReplyItems), kb)
	}
	k := replyKinds[in.kind]
	it := homelink.MailItem{Kind: k.kind, FileID: in.fileID}
	if in.kind == inText {
		text, ok, err := r.typed(ctx, in, homelink.MaxMailText, true)
		if !ok {
			return err
		}
		it.Text = text
	} else if caption, err := homelink.CleanText(in.text, homelink.MaxMailText); err == nil {
		it.Text = caption // a caption that cannot be kept is left off, not the medium
	}
	a.Items = append(a.Items, it)
	if err := r.at(ctx, b.mail.recording, a); err != nil {
		return err
	}
	return r.reply(ctx, r.html("MailRecorded", "Kind", r.text(k.name), "Count", len(a.Items)), kb)
}

// replySend hands the recorded reply to the store, which keeps it and
// plans its delivery, and names who it goes to.
func (b *Bot) replySend(ctx context.Context, r *request, t target) error {
	a := answersOf[replyAnswers](r)
	if len(a.Items) == 0 {
		return r.answer(ctx, r.text("MailReplyEmpty"))
	}
	c, err := b.Store.Child(ctx, t.home, t.child)
	if err != nil {
		return err
	}
	kept, err := b.Store.Reply(ctx, r.by(), t.home, t.child, a.Items)
	if err != nil {
		return err
	}
	if err := r.endFlow(ctx); err != nil {
		return err
	}
	if len(kept) == 0 || len(kept[0].To) == 0 {
		return r.show(ctx, r.html("MailReplyNobody", "Child", c.Name), nil)
	}
	who, err := b.guardianNames(ctx, r, c, kept[0].To)
	if err != nil {
		return err
	}
	return r.show(ctx, r.html("MailReplySent", "Child", c.Name, "Who", who), nil)
}

// guardianNames names users, guardians of c, for a teacher: "李秀兰
// (Mother), Jian (Father)".
func (b *Bot) guardianNames(ctx context.Context, r *request, c homelink.Child, users []int64) (string, error) {
	names, err := b.Store.Names(ctx, users)
	if err != nil {
		return "", fmt.Errorf("bot: names of child %d's guardians: %w", c.ID, err)
	}
	labels := make([]string, len(users))
	for i, u := range users {
		g, _ := c.Guardian(u)
		labels[i] = guardianLabel(r, names[u], g.Relationship)
	}
	return joinList(r, labels), nil
}

// errNoReply is a reply whose items are all gone (the child was removed
// meanwhile): nothing to deliver.
var errNoReply = errors.New("bot: the reply is gone")

// replyItems reads the reply's items for delivery, with the child and the
// home; errNoReply when nothing is left to send.
func (b *Bot) replyItems(ctx context.Context, h, c int64, ids []int64) ([]homelink.MailItem, homelink.Child, homelink.Home, error) {
	items, err := b.Store.MailItems(ctx, h, c, ids)
	if err != nil {
		return nil, homelink.Child{}, homelink.Home{}, fmt.Errorf("bot: reply of child %d: %w", c, err)
	}
	child, err := b.Store.Child(ctx, h, c)
	if errors.Is(err, homelink.ErrNotFound) || err == nil && len(items) == 0 {
		return nil, child, homelink.Home{}, errNoReply
	}
	if err != nil {
		return nil, child, homelink.Home{}, fmt.Errorf("bot: reply of child %d: %w", c, err)
	}
	home, err := b.Store.Home(ctx, h)
	if errors.Is(err, homelink.ErrNotFound) {
		return nil, child, home, errNoReply
	}
	if err != nil {
		return nil, child, home, fmt.Errorf("bot: reply of child %d: %w", c, err)
	}
	return items, child, home, nil
}

// replyMessages are one guardian's messages of the reply, in rd's
// language: who it is from and through whom, then the items, the last one
// carrying kb.
func replyMessages(rd *request, child homelink.Child, home homelink.Home, teacher string, items []homelink.MailItem,
	silent bool, kb [][]outbox.Button) []outbox.Message {
	base := outbox.Message{Lane: outbox.Bulk, ChatID: rd.user.ID, Silent: silent}
	header := base
	if teacher != "" {
		header.Text = rd.html("MailReplyHeader", "Child", child.Name, "Home", home.Name, "Teacher", teacher)
	} else {
		header.Text = rd.html("MailReplyHeaderHome", "Child", child.Name, "Home", home.Name)
	}
	ms := []outbox.Message{header}
	for _, it := range items {
		ms = append(ms, itemMessages(base, "", it)...)
	}
	ms[len(ms)-1].Keyboard = kb
	return ms
}
