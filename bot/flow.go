package bot

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// A flow is a conversation declared once: its name, its steps in order,
// and a typed struct for its answers (see homeNewAnswers). The session
// keeps which flow and step a user is at, and the answers as JSON; the
// router hands every typed answer and every button of a step to it.
type flow struct {
	// name is the flow's name in the session and in the code.
	name  string
	steps []*step
	// cancelled, when set, is what leaving the flow says (HTML), for a
	// flow where something was kept, or will be lost, on the way: "Nothing
	// was changed" would not be true.
	cancelled func(r *request) string
}

// A step is one question of a flow.
type step struct {
	// flow is the flow it belongs to, name its name within.
	flow *flow
	name string
	// accepts is what a typed answer may be; none means buttons only.
	accepts inputKind
	// need is who may answer, checked against what the answers so far
	// name (their about).
	need need
	// answer takes a typed (or sent) answer.
	answer func(ctx context.Context, r *request, t target, in input) error
	// ask shows the question; a step that moveTo or Back never reaches
	// (one asked with details only its flow's start knows) may have none.
	ask func(ctx context.Context, r *request, t target) error
}

// id is the step's name in the authorization matrix: "flow/step".
func (s *step) id() string { return s.flow.name + "/" + s.name }

// flows finds every declared flow by name.
type flows map[string]*flow

// add registers a flow and links its steps to it.
func (fs flows) add(f *flow) *flow {
	if _, dup := fs[f.name]; dup {
		panic("bot: flow " + f.name + " declared twice")
	}
	for _, s := range f.steps {
		if s.need == nil || (s.accepts != 0) != (s.answer != nil) {
			panic("bot: step " + f.name + "/" + s.name + " is incomplete")
		}
		s.flow = f
	}
	fs[f.name] = f
	return f
}

// step returns the step the session waits at, if any.
func (fs flows) step(s homelink.Session) *step {
	f, ok := fs[s.Flow]
	if !ok {
		return nil
	}
	for _, st := range f.steps {
		if st.name == s.Step {
			return st
		}
	}
	return nil
}

// previous is the step before s in its flow; nil for the first.
func (s *step) previous() *step {
	for i, st := range s.flow.steps {
		if st == s && i > 0 {
			return s.flow.steps[i-1]
		}
	}
	return nil
}

// about names what a flow acts on; every flow's answers embed it, so each
// step's need is checked against it.
type about struct {
	Home   int64 `json:"h,omitempty"`
	Child  int64 `json:"c,omitempty"`
	Invite int64 `json:"i,omitempty"`
	// Booking is the call a flow changes (cancelling, moving it).
	Booking int64 `json:"b,omitempty"`
}

func (a about) target() target {
	return target{home: a.Home, child: a.Child, invite: a.Invite, booking: a.Booking}
}

// sessionTarget is what the flow's answers so far name.
func sessionTarget(s homelink.Session) target {
	var a about
	if len(s.Answers) > 0 {
		json.Unmarshal(s.Answers, &a)
	}
	return a.target()
}

// answersOf decodes the session's answers into a flow's answers struct.
func answersOf[A any](r *request) A {
	var a A
	if len(r.session.Answers) > 0 {
		if err := json.Unmarshal(r.session.Answers, &a); err != nil {
			r.b.Log.Warn("flow answers unreadable; starting them afresh")
		}
	}
	return a
}

// menu is the session flow of a menu with no question open: its buttons
// work until a newer menu opens.
const menu = "menu"

// newNonce returns 8 random characters for a new menu.
func newNonce() string {
	b := make([]byte, 5)
	rand.Read(b)
	return strings.ToLower(base32.StdEncoding.EncodeToString(b))
}

// openMenu starts a fresh menu, so the buttons of older menus expire.
func (r *request) openMenu(ctx context.Context) error {
	return r.save(ctx, homelink.Session{Flow: menu, Nonce: newNonce(), Version: r.session.Version})
}

// save writes the session and keeps the saved one.
func (r *request) save(ctx context.Context, next homelink.Session) error {
	saved, err := r.b.Store.SaveSession(ctx, r.user.ID, next)
	if err != nil {
		return err
	}
	r.session = saved
	return nil
}

// at moves the user to step s of its flow with answers a, keeping the
// menu's nonce so the buttons on screen go on working.
func (r *request) at(ctx context.Context, s *step, a any) error {
	raw, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("bot: answers of %s: %w", s.id(), err)
	}
	next := r.session
	if next.Nonce == "" {
		next.Nonce = newNonce()
	}
	next.Flow, next.Step, next.Answers = s.flow.name, s.name, raw
	return r.save(ctx, next)
}

// moveTo moves the user to step s with answers a and asks its question.
func (r *request) moveTo(ctx context.Context, s *step, a any, t target) error {
	if err := r.at(ctx, s, a); err != nil {
		return err
	}
	return s.ask(ctx, r, t)
}

// leaveFlow closes the question open, keeping the menu on screen working.
func (r *request) leaveFlow(ctx context.Context) error {
	if r.session.Flow == menu || r.session.Flow == "" {
		return nil
	}
	return r.save(ctx, homelink.Session{Flow: menu, Nonce: r.session.Nonce, Version: r.session.Version})
}

// endFlow ends the flow and the menu in progress.
func (r *request) endFlow(ctx context.Context) error {
	return r.save(ctx, endOf(r.session))
}

// endWith ends the flow and the menu in progress and shows message id in
// their place.
func (r *request) endWith(ctx context.Context, id string) error {
	if err := r.endFlow(ctx); err != nil {
		return err
	}
	return r.show(ctx, r.html(id), nil)
}

// endOf is the write that ends the flow in s.
func endOf(s homelink.Session) homelink.Session { return homelink.Session{Version: s.Version} }

// show puts a menu on screen: in place of the tapped message, or as a new
// message after typed text.
func (r *request) show(ctx context.Context, text string, kb [][]outbox.Button) error {
	if r.update.CallbackQuery != nil {
		return r.replace(ctx, text, kb)
	}
	return r.reply(ctx, text, kb)
}

// rows lays buttons out one per row.
func rows(bs ...outbox.Button) [][]outbox.Button {
	out := make([][]outbox.Button, 0, len(bs))
	for _, b := range bs {
		out = append(out, []outbox.Button{b})
	}
	return out
}

// typed cleans a typed name (one line) or text (multiline) of at most max
// characters; when it is refused, the user is told why and ok is false.
func (r *request) typed(ctx context.Context, in input, max int, multiline bool) (s string, ok bool, err error) {
	clean := homelink.CleanName
	if multiline {
		clean = homelink.CleanText
	}
	s, bad := clean(in.text, max)
	if bad != nil {
		return "", false, r.reply(ctx, r.textError(bad, max), nil)
	}
	return s, true, nil
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
