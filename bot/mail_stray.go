package bot

import (
	"context"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// A parent who opens the chat and sends a voice note, a photo or a few
// words, outside any question, most likely means it for their child. They
// are asked, with one tap per child, whether to leave it in the child's
// mailbox; nothing is kept until they say so (the item waits in their
// session, as its file id and caption). Keeping it opens /message's
// compose step for that child, so more can follow. What a mailbox cannot
// keep (a sticker, a document) is said plainly not to be carried.

// strayParts are the offer's flow and its button.
type strayParts struct {
	flow  *flow
	offer *step
	keep  *action
}

// strayAnswers are the item offered.
type strayAnswers struct {
	about
	Kind homelink.MailKind `json:"k"`
	File string            `json:"f,omitempty"`
	Text string            `json:"x,omitempty"`
}

// mailStrayActions declares the offer of a stray message and its button.
func (b *Bot) mailStrayActions() {
	s := &b.stray
	s.offer = &step{name: "offer", need: guardian}
	s.flow = b.flows.add(&flow{name: "mail.stray", steps: []*step{s.offer}})
	s.keep = b.acts.add(&action{name: "mail.stray.keep", code: "Gk", args: []arg{argHome, argChild},
		need: guardsChild, run: b.strayKept, at: s.offer})
}

// offerStray asks a guardian whether what they just sent is for one of
// their children; false when it is nothing a mailbox keeps.
func (b *Bot) offerStray(ctx context.Context, r *request) (bool, error) {
	in, ok := inputOf(r.update.Message)
	kind, keeps := mailInputs[in.kind]
	if !ok || !keeps {
		return false, nil
	}
	if err := r.openMenu(ctx); err != nil {
		return true, err
	}
	if err := r.at(ctx, b.stray.offer, strayAnswers{Kind: kind, File: in.fileID, Text: in.text}); err != nil {
		return true, err
	}
	var bs []outbox.Button
	err := b.eachChild(ctx, r, func(t target, c homelink.Child, _ homelink.Home) {
		bs = append(bs, b.stray.keep.button(r, r.text("StrayKeepButton", "Child", c.Name), t))
	})
	if err != nil {
		return true, err
	}
	if len(bs) == 0 {
		return false, r.leaveFlow(ctx)
	}
	what := r.text(inputName(in.kind))
	return true, r.reply(ctx, r.html("StrayAsk", "What", what), append(rows(bs...), []outbox.Button{r.cancelButton()}))
}

// strayKept keeps the item offered for t's child and goes on to the
// compose step, so more can follow.
func (b *Bot) strayKept(ctx context.Context, r *request, t target) error {
	a := answersOf[strayAnswers](r)
	in := input{text: a.Text, fileID: a.File}
	for k, mk := range mailInputs {
		if mk == a.Kind {
			in.kind = k
		}
	}
	if in.kind == 0 {
		return r.expired(ctx)
	}
	if err := b.mailFor(ctx, r, t); err != nil {
		return err
	}
	if r.session.Flow != b.leave.flow.name {
		return nil // the child is gone: mailFor said so
	}
	return b.mailItemSent(ctx, r, t, in)
}
