package bot

import (
	"context"
	"html"
	"strconv"
	"strings"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// The router: every button and every typed or sent answer comes through
// here, is matched to its action or step, checked against its need, and
// handed over.

// callback routes a button tap.
func (b *Bot) callback(ctx context.Context, r *request) error {
	kind, rest, _ := strings.Cut(r.update.CallbackQuery.Data, ":")
	switch kind {
	case "b":
		nonce, code, ok := strings.Cut(rest, ":")
		if !ok || nonce == "" || nonce != r.session.Nonce {
			return r.expired(ctx)
		}
		a, t, ok := b.acts.decode(code)
		if !ok || a.standing {
			return r.expired(ctx)
		}
		return b.press(ctx, r, a, t)
	case "s":
		a, t, ok := b.standingOf(rest)
		if !ok {
			return r.expired(ctx)
		}
		return b.pressStanding(ctx, r, a, t)
	}
	return r.expired(ctx)
}

// press runs a menu button's action, if its user may.
func (b *Bot) press(ctx context.Context, r *request, a *action, t target) error {
	open := b.flows.step(r.session)
	if a.at != nil || a == b.back || a == b.cancelFlow {
		if open == nil || a.at != nil && open != a.at {
			return r.expired(ctx)
		}
		// A flow's button acts on what the flow is about, and on the
		// choice it carries.
		t = merge(sessionTarget(r.session), t, a.args)
	}
	if ok, err := r.gate(ctx, a.need, t); !ok || err != nil {
		return err
	}
	if a.at != nil { // and whoever may press it may answer the step
		if ok, err := r.gate(ctx, a.at.need, t); !ok || err != nil {
			return err
		}
	}
	if a.at == nil && a != b.back && a != b.cancelFlow {
		if err := r.leaveFlow(ctx); err != nil {
			return err
		}
	}
	if err := a.run(ctx, r, t); err != nil {
		return err
	}
	return r.done(ctx)
}

// pressStanding runs a standing button's action. It leaves the tapper's
// menus and flows alone: the button acts on the thing it names, checked
// as that thing is now.
func (b *Bot) pressStanding(ctx context.Context, r *request, a *action, t target) error {
	r.standing = true
	if there, err := a.exists(ctx, t); err != nil || !there {
		if err != nil {
			return err
		}
		return r.settled(ctx, r.text("Gone"), r.html("Gone"))
	}
	if ok, err := r.gate(ctx, a.need, t); !ok || err != nil {
		return err
	}
	if err := a.run(ctx, r, t); err != nil {
		return err
	}
	return r.done(ctx)
}

// settled answers a tap on a standing button whose thing was dealt with or
// is gone: notice pops up, line is added to the message, and the message
// loses its buttons.
func (r *request) settled(ctx context.Context, notice, line string) error {
	if !r.standing {
		return r.show(ctx, line, nil)
	}
	if err := r.answer(ctx, notice); err != nil {
		return err
	}
	if m := r.update.CallbackQuery.Message.Message; m != nil {
		return r.replace(ctx, html.EscapeString(m.Text)+"\n\n"+line, nil)
	}
	return nil
}

// whoActed is what a later tapper is told about the first one: the notice
// to pop up and the line for the message. what names the act's messages:
// <what>ByYou, <what>ByName (who has a name), and <what>ByOther and
// <what>ByOtherLink (who has none).
func (b *Bot) whoActed(ctx context.Context, r *request, acted homelink.Acted, zone, what string) (notice, line string) {
	when := r.date(acted.At, zone)
	if acted.By == r.user.ID {
		return r.text(what+"ByYou", "When", when), r.html(what+"ByYou", "When", when)
	}
	if name := b.nameOf(ctx, acted.By); name != "" {
		return r.text(what+"ByName", "Name", name, "When", when), r.html(what+"ByName", "Name", name, "When", when)
	}
	link := "tg://user?id=" + strconv.FormatInt(acted.By, 10)
	return r.text(what+"ByOther", "When", when), r.html(what+"ByOtherLink", "Link", link, "When", when)
}

// merge is the flow's target with the button's own arguments over it.
func merge(flow, button target, args []arg) target {
	for _, x := range args {
		flow.set(x, button.get(x))
	}
	return flow
}

// takeInput hands what the user typed or sent to the step their flow
// waits at. ok is false when no step waits for input.
func (b *Bot) takeInput(ctx context.Context, r *request) (bool, error) {
	s := b.flows.step(r.session)
	if s == nil || s.accepts == 0 {
		return false, nil
	}
	in, ok := inputOf(r.update.Message)
	if !ok || in.kind&s.accepts == 0 {
		return true, r.reply(ctx, r.html("InputExpected", "Kinds", r.expected(s.accepts)), nil)
	}
	t := sessionTarget(r.session)
	ok, err := r.gate(ctx, s.need, t)
	if err != nil {
		return true, err
	}
	if !ok {
		return true, r.endFlow(ctx)
	}
	return true, s.answer(ctx, r, t, in)
}

// goBack returns to the step before the one open, with the answers so far.
func (b *Bot) goBack(ctx context.Context, r *request, t target) error {
	prev := b.flows.step(r.session).previous()
	if prev == nil || prev.ask == nil {
		return r.expired(ctx)
	}
	if ok, err := r.gate(ctx, prev.need, t); !ok || err != nil {
		return err
	}
	next := r.session
	next.Step = prev.name
	if err := r.save(ctx, next); err != nil {
		return err
	}
	return prev.ask(ctx, r, t)
}

// backButton goes back one step of the flow open, beside Cancel, which
// leaves it.
func (r *request) backButton() []outbox.Button {
	return []outbox.Button{r.b.back.button(r, r.text("BackButton"), target{}), r.cancelButton()}
}

// cancelButton leaves the flow open, as /cancel does.
func (r *request) cancelButton() outbox.Button {
	return r.b.cancelFlow.button(r, r.text("CancelButton"), target{})
}

// cancelTapped leaves the flow open, in place of its question.
func (b *Bot) cancelTapped(ctx context.Context, r *request, _ target) error {
	text := b.cancelText(r)
	if err := r.endFlow(ctx); err != nil {
		return err
	}
	return r.show(ctx, text, nil)
}

// cancelText is what leaving the flow open says: its own words, or that
// nothing was changed.
func (b *Bot) cancelText(r *request) string {
	if f, ok := b.flows[r.session.Flow]; ok && f.cancelled != nil {
		return f.cancelled(r)
	}
	return r.html("CancelDone")
}

// expired tells the user a button no longer works.
func (r *request) expired(ctx context.Context) error {
	return r.answer(ctx, r.text("ButtonExpired"))
}

// done stops the spinner on the tapped button if nothing else did.
func (r *request) done(ctx context.Context) error {
	if r.answered {
		return nil
	}
	return r.answer(ctx, "")
}
