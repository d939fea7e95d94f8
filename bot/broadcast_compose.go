package bot

import (
	"context"
	"maps"
	"slices"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// /broadcast: a coordinator (or a teacher, for their own home) writes one
// message to many. Its steps, each with buttons and typing as the
// fallback, every question edited in place of the one before:
//
//	audience  parents, teachers or everyone; of one home or of all theirs
//	home      which home, when the audience is of one home
//	content   a text with its formatting, or one photo with a caption
//	offer     a second version in the other language, or not
//	second    that version
//	preview   the message as a recipient will read it (sent above), how
//	          many it reaches and how long it takes; urgent (coordinators);
//	          [Send now] [Once at…] [Every…]
//	once      a date and time: quick choices, or typed
//	every     days (buttons), then a time (buttons or typed); or typed
//	          days and time, or a cron expression
//	confirm   the schedule echoed in words, to confirm
//
// Nothing is kept until [Send now] or the confirmation: then the store
// keeps the broadcast and plans its sending in the same step, and the
// engine sends it (never this handler). The homes are fixed here; the
// people are taken when it is sent.

// bcParts are /broadcast's flow, steps and buttons.
type bcParts struct {
	flow                                                                  *flow
	audience, home, content, offer, second, preview, once, every, confirm *step

	pickAudience, pickHome, addVersion, oneVersion    *action
	urgent, sendNow, onceAsk, everyAsk                *action
	onceAt, everyDay, everyTime, everyCron, everyBack *action
	schedule, confirmBack                             *action
}

// bcAnswers are /broadcast's answers so far.
type bcAnswers struct {
	// about.Home is the home when the broadcast goes to one.
	about
	// Homes are the homes it goes to: one, or all the sender's.
	Homes    []int64           `json:"hs,omitempty"`
	Audience homelink.Audience `json:"a,omitempty"`
	// One: the audience is of one home, chosen at the home step.
	One      bool                        `json:"one,omitempty"`
	Versions []homelink.BroadcastVersion `json:"v,omitempty"`
	Urgent   bool                        `json:"ur,omitempty"`
	Once     string                      `json:"o,omitempty"`
	Rule     string                      `json:"r,omitempty"`
	// Days are the days chosen at the every step, a bit per weekday;
	// Cron is set while the step asks for a cron expression.
	Days uint8 `json:"d,omitempty"`
	Cron bool  `json:"cr,omitempty"`
}

// broadcast is the broadcast the answers describe, from user.
func (a bcAnswers) broadcast(user int64) homelink.Broadcast {
	return homelink.Broadcast{From: user, Homes: a.Homes, Audience: a.Audience, Versions: a.Versions,
		Urgent: a.Urgent, Once: a.Once, Rule: a.Rule}
}

// audienceChoices are the audiences, in the order of their buttons' codes:
// a choice n is audienceChoices[n/2], of one home when n is odd.
var audienceChoices = []homelink.Audience{homelink.AudienceGuardians, homelink.AudienceTeachers, homelink.AudienceEveryone}

// broadcastActions declares /broadcast's flow, its steps and its buttons.
func (b *Bot) broadcastActions() {
	b.commands["broadcast"] = slashCommand{broadcaster, b.broadcastCommand}
	p, add := &b.bc, b.acts.add
	p.audience = &step{name: "audience", need: broadcaster, ask: b.askBcAudience}
	p.home = &step{name: "home", need: broadcaster, ask: b.askBcHome}
	p.content = &step{name: "content", accepts: inText | inPhoto, need: composesFor, answer: b.bcContentSent, ask: b.askBcContent}
	p.offer = &step{name: "offer", need: composesFor, ask: b.askBcOffer}
	p.second = &step{name: "second", accepts: inText | inPhoto, need: composesFor, answer: b.bcSecondSent, ask: b.askBcSecond}
	p.preview = &step{name: "preview", need: composesFor, ask: b.askBcPreview}
	p.once = &step{name: "once", accepts: inText, need: composesFor, answer: b.bcOnceTyped, ask: b.askBcOnce}
	p.every = &step{name: "every", accepts: inText, need: composesFor, answer: b.bcEveryTyped, ask: b.askBcEvery}
	p.confirm = &step{name: "confirm", need: composesFor, ask: b.askBcConfirm}
	p.flow = b.flows.add(&flow{name: "broadcast", steps: []*step{p.audience, p.home, p.content, p.offer, p.second,
		p.preview, p.once, p.every, p.confirm}})
	choice := []arg{argChoice}
	p.pickAudience = add(&action{name: "broadcast.audience", code: "Xa", args: choice, need: broadcaster, run: b.bcAudienceChosen, at: p.audience})
	p.pickHome = add(&action{name: "broadcast.home", code: "Xb", args: []arg{argHome}, need: sendsToHome, run: b.bcHomeChosen, at: p.home})
	p.addVersion = add(&action{name: "broadcast.addVersion", code: "Xc", need: composesFor, run: b.bcAddVersion, at: p.offer})
	p.oneVersion = add(&action{name: "broadcast.oneVersion", code: "Xd", need: composesFor, run: b.bcOneVersion, at: p.offer})
	p.urgent = add(&action{name: "broadcast.urgent", code: "Xe", need: marksUrgent, run: b.bcUrgentSwitched, at: p.preview})
	p.sendNow = add(&action{name: "broadcast.sendNow", code: "Xf", need: composesFor, run: b.bcSendNow, at: p.preview})
	p.onceAsk = add(&action{name: "broadcast.once", code: "Xg", need: composesFor, run: b.bcOnceTapped, at: p.preview})
	p.everyAsk = add(&action{name: "broadcast.every", code: "Xh", need: composesFor, run: b.bcEveryTapped, at: p.preview})
	p.onceAt = add(&action{name: "broadcast.once.at", code: "Xi", args: []arg{argTime}, need: composesFor, run: b.bcOnceChosen, at: p.once})
	p.everyDay = add(&action{name: "broadcast.every.day", code: "Xj", args: choice, need: composesFor, run: b.bcEveryDayChosen, at: p.every})
	p.everyTime = add(&action{name: "broadcast.every.time", code: "Xk", args: choice, need: composesFor, run: b.bcEveryTimeChosen, at: p.every})
	p.everyCron = add(&action{name: "broadcast.every.cron", code: "Xl", need: composesFor, run: b.bcCronTapped, at: p.every})
	p.everyBack = add(&action{name: "broadcast.every.back", code: "Xm", need: composesFor, run: b.bcEveryBack, at: p.every})
	p.schedule = add(&action{name: "broadcast.schedule", code: "Xn", need: composesFor, run: b.bcSchedule, at: p.confirm})
	p.confirmBack = add(&action{name: "broadcast.confirm.back", code: "Xo", need: composesFor, run: b.bcConfirmBack, at: p.confirm})
}

// broadcastHelp speaks to a coordinator of their homes, to a teacher of
// their own.
func broadcastHelp(r homelink.Roles) string {
	if r.IsCoordinator() {
		return "Help_broadcast_coordinator"
	}
	return "Help_broadcast_teacher"
}

// broadcastCommand starts /broadcast with the choice of audience.
func (b *Bot) broadcastCommand(ctx context.Context, r *request) error {
	if err := r.openMenu(ctx); err != nil {
		return err
	}
	return r.moveTo(ctx, b.bc.audience, bcAnswers{}, target{})
}

// allHomes are the homes "all my homes" names: those the user
// coordinates, else the one home they teach at (none when they teach at
// several: they choose one).
func allHomes(roles homelink.Roles) []int64 {
	if len(roles.Coordinates) > 0 {
		return slices.Sorted(maps.Keys(roles.Coordinates))
	}
	if len(roles.Teaches) == 1 {
		return slices.Collect(maps.Keys(roles.Teaches))
	}
	return nil
}

// sendableHomes are every home the user may send something to, in id
// order: those they coordinate or teach at.
func sendableHomes(roles homelink.Roles) []int64 {
	set := maps.Clone(roles.Coordinates)
	if set == nil {
		set = map[int64]bool{}
	}
	for h := range roles.Teaches {
		set[h] = true
	}
	return slices.Sorted(maps.Keys(set))
}

// askBcAudience offers the audiences the user may choose: by name of the
// home when all theirs is one home; else of one home or of all.
func (b *Bot) askBcAudience(ctx context.Context, r *request, _ target) error {
	roles := r.user.Roles
	if len(sendableHomes(roles)) == 0 {
		if err := r.endFlow(ctx); err != nil {
			return err
		}
		return r.show(ctx, r.html("BcNoHomes"), nil)
	}
	var bs []outbox.Button
	offer := func(id string, a homelink.Audience, one bool, kv ...any) {
		n := slices.Index(audienceChoices, a) * 2
		if one {
			n++
		}
		bs = append(bs, b.bc.pickAudience.button(r, r.text(id, kv...), target{n: n}))
	}
	all := allHomes(roles)
	if len(all) == 1 {
		home, err := b.Store.Home(ctx, all[0])
		if err != nil {
			return err
		}
		offer("BcToGuardiansAt", homelink.AudienceGuardians, false, "Home", home.Name)
		if roles.ManagesHome(home.ID) {
			offer("BcToTeachersAt", homelink.AudienceTeachers, false, "Home", home.Name)
		}
		offer("BcToEveryoneAt", homelink.AudienceEveryone, false, "Home", home.Name)
	} else {
		offer("BcToGuardiansOfOne", homelink.AudienceGuardians, true)
		if len(all) > 0 {
			offer("BcToGuardiansOfAll", homelink.AudienceGuardians, false)
			offer("BcToTeachersOfAll", homelink.AudienceTeachers, false)
			offer("BcToEveryoneOfAll", homelink.AudienceEveryone, false)
		} else {
			offer("BcToEveryoneOfOne", homelink.AudienceEveryone, true)
		}
	}
	return r.show(ctx, r.html("BcAudienceAsk"), append(rows(bs...), []outbox.Button{r.cancelButton()}))
}

// bcAudienceChosen keeps the audience and asks for the home, or, for all
// the user's homes, for the message.
func (b *Bot) bcAudienceChosen(ctx context.Context, r *request, t target) error {
	if t.n < 0 || t.n >= 2*len(audienceChoices) {
		return r.expired(ctx)
	}
	a := answersOf[bcAnswers](r)
	a.Audience, a.One, a.Homes, a.Home, a.Urgent = audienceChoices[t.n/2], t.n%2 == 1, nil, 0, false
	if a.One {
		return r.moveTo(ctx, b.bc.home, a, t)
	}
	homes := allHomes(r.user.Roles)
	if !maySend(r.user.Roles, homes, a.Audience, false) || len(homes) == 0 {
		return r.denied(ctx)
	}
	a.Homes = homes
	if len(homes) == 1 {
		a.Home = homes[0]
	}
	return r.moveTo(ctx, b.bc.content, a, target{home: a.Home})
}

// askBcHome offers each home the audience may be of. Reached by Back from
// the message of a broadcast to all the user's homes, it asks the
// audience instead: no home was chosen.
func (b *Bot) askBcHome(ctx context.Context, r *request, t target) error {
	a := answersOf[bcAnswers](r)
	if !a.One {
		return r.moveTo(ctx, b.bc.audience, a, t)
	}
	homes, err := b.Store.Homes(ctx, sendableHomes(r.user.Roles))
	if err != nil {
		return err
	}
	var bs []outbox.Button
	for _, h := range homes {
		if maySend(r.user.Roles, []int64{h.ID}, a.Audience, false) {
			bs = append(bs, b.bc.pickHome.button(r, h.Name, target{home: h.ID}))
		}
	}
	return r.show(ctx, r.html("BcHomeAsk"), append(rows(bs...), r.backButton()))
}

// bcHomeChosen keeps the home and asks for the message.
func (b *Bot) bcHomeChosen(ctx context.Context, r *request, t target) error {
	a := answersOf[bcAnswers](r)
	a.Home, a.Homes = t.home, []int64{t.home}
	return r.moveTo(ctx, b.bc.content, a, t)
}
