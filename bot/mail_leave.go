package bot

import (
	"context"
	"errors"
	"fmt"
	"html"
	"maps"
	"slices"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// /message: a guardian leaves messages in a child's mailbox at the home.
// The child is asked only when they have several; then one step takes
// texts, voice notes, photos (with caption), videos and round video
// messages, as many as they like: each is kept at once (by Telegram's
// file_id, never downloaded) and acknowledged, until [Done]. A standing
// [✉️ Leave a message] (on their call cards, their reminders, a heard
// receipt and a reply from the child) opens the same step for its child.

// mailLeaveParts are the flow and buttons of leaving messages.
type mailLeaveParts struct {
	flow           *flow
	child, compose *step
	// open is the standing [✉️ Leave a message]; pick chooses the child,
	// done ends the step.
	open, pick, done *action
}

// mailAnswers are the answers of /message: the child, with its name and
// its home's, read once when the step opens (each item's acknowledgement
// names them).
type mailAnswers struct {
	about
	ChildName string `json:"cn,omitempty"`
	HomeName  string `json:"hn,omitempty"`
}

// mailInputs are what a mailbox keeps, and the kind each becomes.
var mailInputs = map[inputKind]homelink.MailKind{
	inText: homelink.MailText, inVoice: homelink.MailVoice, inPhoto: homelink.MailPhoto,
	inVideo: homelink.MailVideo, inVideoNote: homelink.MailVideoNote,
}

// mailFewLeft is how few items left today make an acknowledgement say how
// many more may be left.
const mailFewLeft = 5

// mailLeaveActions declares /message's flow, its steps and its buttons.
func (b *Bot) mailLeaveActions() {
	m, add := &b.leave, b.acts.add
	m.child = &step{name: "child", need: guardian, ask: b.askMailChild}
	m.compose = &step{name: "compose", accepts: inText | inVoice | inPhoto | inVideo | inVideoNote,
		need: guardsChild, answer: b.mailItemSent, ask: b.askMailCompose}
	m.flow = b.flows.add(&flow{name: "mail.leave", steps: []*step{m.child, m.compose}, cancelled: mailLeaveCancelled})
	hc := []arg{argHome, argChild}
	m.pick = add(&action{name: "mail.leave.child", code: "Gc", args: hc, need: guardsChild, run: b.mailChildChosen, at: m.child})
	m.done = add(&action{name: "mail.leave.done", code: "Gd", need: guardsChild, run: b.mailDoneTapped, at: m.compose})
	m.open = add(&action{name: "mail.leave", code: "Gm", args: hc, need: guardsChild, run: b.mailLeaveTapped,
		standing: true, exists: b.childThere})
}

// leaveMessageButton is the standing [✉️ Leave a message] for child c of
// home h, in rd's language: it opens /message's compose step for that
// child, for a guardian of the child (anyone else is refused at the tap).
// rd is the message's reader (b.reader, b.readerOf, or the request).
// It sits on a guardian's call cards and reminders, on the receipt that
// the child heard their messages, and on each reply from the child.
func (b *Bot) leaveMessageButton(rd *request, h, c int64) outbox.Button {
	return b.leave.open.button(rd, rd.text("MailLeaveButton"), target{home: h, child: c})
}

// messageCommand starts /message: the compose step at once for a guardian
// of one child, else the choice of the child.
func (b *Bot) messageCommand(ctx context.Context, r *request) error {
	if err := r.openMenu(ctx); err != nil {
		return err
	}
	kids := slices.Sorted(maps.Keys(r.user.Roles.Guards))
	if len(kids) == 1 {
		return b.mailFor(ctx, r, target{home: r.user.Roles.Guards[kids[0]].HomeID, child: kids[0]})
	}
	return r.moveTo(ctx, b.leave.child, mailAnswers{}, target{})
}

// mailLeaveTapped opens the compose step from a standing button, in a new
// message under a menu of its own, so the message it sits on stays.
func (b *Bot) mailLeaveTapped(ctx context.Context, r *request, t target) error {
	if err := r.openMenu(ctx); err != nil {
		return err
	}
	return b.mailFor(ctx, r, t)
}

// mailChildChosen opens the compose step for the child chosen.
func (b *Bot) mailChildChosen(ctx context.Context, r *request, t target) error {
	return b.mailFor(ctx, r, t)
}

// mailFor opens the compose step for t's child.
func (b *Bot) mailFor(ctx context.Context, r *request, t target) error {
	c, h, err := b.childAndHome(ctx, t)
	if errors.Is(err, homelink.ErrNotFound) {
		if err := r.endFlow(ctx); err != nil {
			return err
		}
		return r.present(ctx, r.html("Gone"), nil)
	}
	if err != nil {
		return fmt.Errorf("bot: message for child %d: %w", t.child, err)
	}
	a := mailAnswers{about: about{Home: h.ID, Child: c.ID}, ChildName: c.Name, HomeName: h.Name}
	return r.moveTo(ctx, b.leave.compose, a, t)
}

// askMailChild lists the guardian's children, each by name, with the home
// beside it when their children are at more than one home.
func (b *Bot) askMailChild(ctx context.Context, r *request, _ target) error {
	homes := map[int64]bool{}
	for _, g := range r.user.Roles.Guards {
		homes[g.HomeID] = true
	}
	var bs []outbox.Button
	err := b.eachChild(ctx, r, func(t target, c homelink.Child, h homelink.Home) {
		label := c.Name
		if len(homes) > 1 {
			label = r.text("MailChildAtHome", "Child", c.Name, "Home", h.Name)
		}
		bs = append(bs, b.leave.pick.button(r, label, t))
	})
	if err != nil {
		return err
	}
	return r.present(ctx, r.html("MailChildAsk"), append(rows(bs...), []outbox.Button{r.cancelButton()}))
}

// askMailCompose says what the step takes and what becomes of it.
func (b *Bot) askMailCompose(ctx context.Context, r *request, _ target) error {
	a := answersOf[mailAnswers](r)
	row := []outbox.Button{r.cancelButton()}
	if len(r.user.Roles.Guards) > 1 {
		row = r.backButton()
	}
	return r.present(ctx, r.html("MailComposeAsk", "Child", a.ChildName, "Home", a.HomeName), [][]outbox.Button{row})
}

// mailItemSent keeps one item in the child's mailbox and acknowledges it;
// text beyond homelink.MaxMailText, or the day's last item past the daily
// limit, is refused with nothing kept.
func (b *Bot) mailItemSent(ctx context.Context, r *request, t target, in input) error {
	a := answersOf[mailAnswers](r)
	it := homelink.MailItem{Kind: mailInputs[in.kind], FileID: in.fileID, From: r.user.ID,
		Rel: r.user.Roles.Guards[t.child].Relationship}
	if in.kind == inText || in.text != "" {
		s, ok, err := r.typed(ctx, in, homelink.MaxMailText, true)
		if !ok {
			return err
		}
		it.Text = s
	}
	day := homelink.MailDay(b.Clock.Now(), b.zoneOf(ctx, r.user))
	_, left, err := b.Store.LeaveMessage(ctx, r.by(), t.home, t.child, it, day, b.MailDailyLimit)
	if errors.Is(err, homelink.ErrMailLimit) {
		return r.reply(ctx, r.html("MailLimit", "Count", b.MailDailyLimit, "Child", a.ChildName), nil)
	}
	if err != nil {
		return fmt.Errorf("bot: leave a message for child %d: %w", t.child, err)
	}
	text := r.html("MailKept", "Child", a.ChildName, "Kind", r.text(inputName(in.kind)))
	switch {
	case left <= 0:
		text += "\n" + r.html("MailKeptLast")
	case left <= mailFewLeft:
		text += "\n" + r.html("MailKeptLeft", "Count", left)
	}
	return r.reply(ctx, text, rows(b.leave.done.button(r, r.text("MailDoneButton"), target{})))
}

// inputName is the message id naming one kind of input ("a voice note").
func inputName(k inputKind) string {
	for _, n := range inputNames {
		if n.kind == k {
			return n.id
		}
	}
	return "Input_text"
}

// mailDoneTapped ends the step: the acknowledgement tapped keeps its line
// and says where the messages wait and what comes next.
func (b *Bot) mailDoneTapped(ctx context.Context, r *request, _ target) error {
	a := answersOf[mailAnswers](r)
	if err := r.endFlow(ctx); err != nil {
		return err
	}
	done := r.html("MailDone", "Child", a.ChildName, "Home", a.HomeName)
	if m := r.update.CallbackQuery.Message.Message; m != nil && m.Text != "" {
		done = html.EscapeString(m.Text) + "\n\n" + done
	}
	return r.show(ctx, done, nil)
}

// mailLeaveCancelled is what leaving /message says: each item was kept as
// it came, and stays for the child.
func mailLeaveCancelled(r *request) string {
	a := answersOf[mailAnswers](r)
	if a.ChildName == "" {
		return r.html("CancelDone") // still choosing the child
	}
	return r.html("MailCancelKept", "Child", a.ChildName)
}

// eachChild calls do for each child the guardian is linked to, in id
// order, with its home; a child removed meanwhile is left out.
func (b *Bot) eachChild(ctx context.Context, r *request, do func(t target, c homelink.Child, h homelink.Home)) error {
	for _, cid := range slices.Sorted(maps.Keys(r.user.Roles.Guards)) {
		t := target{home: r.user.Roles.Guards[cid].HomeID, child: cid}
		c, h, err := b.childAndHome(ctx, t)
		if errors.Is(err, homelink.ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("bot: children of %d: %w", r.user.ID, err)
		}
		do(t, c, h)
	}
	return nil
}
