package bot

import (
	"context"
	"strconv"
	"strings"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// flowMenu is the flow of every menu: homes, children, invitations,
// consent, deleting one's data. A command opens a fresh one, so the
// buttons of older menus expire; steps that wait for typed text keep the
// flow's nonce, so the menu they came from still works.
const flowMenu = "m"

// step is a typed answer a flow waits for.
type step struct {
	need need
	run  func(ctx context.Context, r *request, t target, text string) error
}

// menuAction runs the action a menu button names, if its user may.
func (b *Bot) menuAction(ctx context.Context, r *request) error {
	name, args, _ := strings.Cut(r.args, ".")
	a, known := b.actions[name]
	t, parsed := parseTarget(a.args, args)
	if !known || !parsed {
		return r.answer(ctx, r.text("ButtonExpired"))
	}
	if ok, err := r.gate(ctx, a.need, t); !ok || err != nil {
		return err
	}
	if !a.keepsStep && r.session.Step != "" {
		if err := r.setStep(ctx, "", nil); err != nil {
			return err
		}
	}
	if err := a.run(ctx, r, t); err != nil {
		return err
	}
	if !r.answered {
		return r.answer(ctx, "")
	}
	return nil
}

// typed hands typed text to the step the flow waits at.
func (b *Bot) typed(ctx context.Context, r *request, text string) error {
	s, ok := b.steps[r.session.Step]
	if !ok {
		return b.unexpected(ctx, r)
	}
	t := sessionTarget(r.session)
	ok, err := r.gate(ctx, s.need, t)
	if err != nil {
		return err
	}
	if !ok {
		return r.endFlow(ctx)
	}
	return s.run(ctx, r, t, text)
}

// sessionTarget is what the flow's answers so far name.
func sessionTarget(s homelink.Session) target {
	num := func(k string) int64 { n, _ := strconv.ParseInt(s.Data[k], 10, 64); return n }
	return target{home: num("h"), child: num("c"), invite: num("i")}
}

// openMenu starts a fresh menu flow and returns its nonce.
func (r *request) openMenu(ctx context.Context) (string, error) {
	next, err := r.b.Store.SaveSession(ctx, r.user.ID, homelink.Session{
		Flow: flowMenu, Nonce: newNonce(), Version: r.session.Version,
	})
	if err != nil {
		return "", err
	}
	r.session = next
	return next.Nonce, nil
}

// setStep records what typed text the flow waits for next, and its answers
// so far; "" waits for none.
func (r *request) setStep(ctx context.Context, name string, data map[string]string) error {
	next := r.session
	if next.Flow != flowMenu {
		next = homelink.Session{Flow: flowMenu, Nonce: newNonce(), Version: r.session.Version}
	}
	next.Step, next.Data = name, data
	saved, err := r.b.Store.SaveSession(ctx, r.user.ID, next)
	if err != nil {
		return err
	}
	r.session = saved
	return nil
}

// ask records the step the flow waits at (with its answers so far) and
// shows its question.
func (r *request) ask(ctx context.Context, step string, answers map[string]string, question string, kb [][]outbox.Button) error {
	if err := r.setStep(ctx, step, answers); err != nil {
		return err
	}
	return r.show(ctx, question, kb)
}

// endFlow ends the flow in progress.
func (r *request) endFlow(ctx context.Context) error {
	saved, err := r.b.Store.SaveSession(ctx, r.user.ID, endOf(r.session))
	if err != nil {
		return err
	}
	r.session = saved
	return nil
}

// show puts a menu on screen: in place of the tapped message, or as a new
// message after typed text.
func (r *request) show(ctx context.Context, text string, kb [][]outbox.Button) error {
	if r.update.CallbackQuery != nil {
		return r.replace(ctx, text, kb)
	}
	return r.reply(ctx, text, kb)
}

// btn is one menu button.
func (r *request) btn(label, name string, args ...int64) outbox.Button {
	return outbox.Button{Text: label, Data: button(r.session.Nonce, name, args...)}
}

// rows lays buttons out one per row.
func rows(bs ...outbox.Button) [][]outbox.Button {
	out := make([][]outbox.Button, 0, len(bs))
	for _, b := range bs {
		out = append(out, []outbox.Button{b})
	}
	return out
}

// data builds a flow's answers from alternating keys and values.
func data(kv ...any) map[string]string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		k, _ := kv[i].(string)
		switch v := kv[i+1].(type) {
		case string:
			m[k] = v
		case int64:
			m[k] = strconv.FormatInt(v, 10)
		case int:
			m[k] = strconv.Itoa(v)
		}
	}
	return m
}

// textError is what the user reads when typed text is refused.
func (r *request) textError(err error, max int) string {
	switch err {
	case homelink.ErrTextEmpty:
		return r.html("TextEmpty")
	case homelink.ErrTextTooLong:
		return r.html("TextTooLong", "Max", max)
	}
	return r.html("TextControl")
}
