package bot

import (
	"context"
	"encoding/json"
	"html"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// rightsActs are the buttons of /forget, and closing a menu.
type rightsActs struct {
	forgetYes, forgetNo, close *action
}

func (b *Bot) rightsActions() {
	add := b.acts.add
	b.rights = rightsActs{
		forgetYes: add(&action{name: "forget.yes", code: "fy", need: anyone, run: b.forgetYes}),
		forgetNo:  add(&action{name: "forget.no", code: "fn", need: anyone, run: b.forgetNo}),
		close:     add(&action{name: "menu.close", code: "x", need: anyone, run: b.closeMenu}),
	}
}

// myDataDoc is everything homelink stores about a user, as /mydata sends it.
type myDataDoc struct {
	Account struct {
		TelegramID int64  `json:"telegram_id"`
		Name       string `json:"name,omitempty"`
		Language   string `json:"language,omitempty"`
		TimeZone   string `json:"time_zone,omitempty"`
		// Shifts are the work shifts they set, as stored.
		Shifts *homelink.Shifts `json:"work_shifts,omitempty"`
		// QuietHours are the quiet hours they chose ("22:00-07:00", or
		// "off"); none when they keep the default.
		QuietHours string `json:"quiet_hours,omitempty"`
		// DayAheadOff: they switched off the reminder the day before a call.
		DayAheadOff bool `json:"no_reminder_the_day_before,omitempty"`
	} `json:"account"`
	Consents    []consentDoc `json:"consents,omitempty"`
	Coordinator bool         `json:"coordinator,omitempty"`
	Manages     []homeDoc    `json:"manages_homes,omitempty"`
	TeachesAt   []homeDoc    `json:"teaches_at,omitempty"`
	Children    []childDoc   `json:"guardian_of,omitempty"`
	// Calls are the calls they booked that are still kept, in any state.
	Calls []callDoc `json:"calls_you_booked,omitempty"`
	// MailLeft are the messages they left for a child that are still
	// kept; MailReplies the children's replies sent to them; MailRecorded
	// the replies they recorded for a child, as a teacher.
	MailLeft     []mailLeftDoc  `json:"messages_you_left,omitempty"`
	MailReplies  []mailReplyDoc `json:"replies_sent_to_you,omitempty"`
	MailRecorded []mailReplyDoc `json:"replies_you_recorded,omitempty"`
	Flow         *sessionDoc    `json:"conversation_in_progress,omitempty"`
	// Broadcasts are those they sent that are kept.
	Broadcasts []broadcastDoc `json:"broadcasts_you_sent,omitempty"`
	// WrongCodes counts invitation codes they typed wrong this hour (the
	// throttle; /forget keeps it until the hour ends).
	WrongCodes int `json:"wrong_invitation_codes_this_hour,omitempty"`
	// Queued lists messages to them that wait to be sent (not their text).
	Queued []queuedDoc `json:"queued_messages,omitempty"`
	Stored []string    `json:"what_else_is_stored"`
	Note   string      `json:"note"`
}

// consentDoc is when the person agreed to a role: as "guardian" of a child
// (Of names the child), "teacher" at a home (Of names the home), or
// "coordinator"; At is in the deployment's time zone.
type consentDoc struct {
	Role string `json:"as"`
	Of   string `json:"of,omitempty"`
	At   string `json:"agreed_at"`
}

// queuedDoc is a message waiting to be sent to the person; Since is in
// the deployment's time zone.
type queuedDoc struct {
	Kind  string `json:"kind"`
	Lane  string `json:"lane"`
	Since string `json:"queued_at"`
}

type homeDoc struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type childDoc struct {
	Name         string  `json:"name"`
	BirthYear    int     `json:"birth_year,omitempty"`
	Home         homeDoc `json:"home"`
	Relationship string  `json:"your_relationship,omitempty"`
	Guardians    int     `json:"linked_guardians"`
}

// callDoc is one call a guardian booked; times are in their zone.
type callDoc struct {
	Child   string `json:"child"`
	Home    string `json:"home"`
	Start   string `json:"starts_at"`
	Minutes int    `json:"minutes"`
	Kind    string `json:"kind"`
	State   string `json:"state"`
	Note    string `json:"your_note,omitempty"`
	Weekly  bool   `json:"weekly,omitempty"`
	Booked  string `json:"booked_at"`
	Reason  string `json:"cancellation_reason,omitempty"`
	// Answer is what they answered a reminder of it (yes, no).
	Answer string `json:"your_answer_to_the_reminder,omitempty"`
}

type sessionDoc struct {
	Flow    string          `json:"flow"`
	Step    string          `json:"step,omitempty"`
	Answers json.RawMessage `json:"answers,omitempty"`
}

// myData sends the user a JSON file of everything stored about them and,
// for a guardian, about their children.
func (b *Bot) myData(ctx context.Context, r *request) error {
	doc, err := b.collectData(ctx, r)
	if err != nil {
		return err
	}
	body, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	_, err = b.Sender.Send(ctx, outbox.Message{ChatID: r.chatID, Kind: outbox.Document, Reply: true,
		FileName: "homelink-my-data.json", FileData: body, Text: r.html("MyDataCaption")})
	return r.delivered(ctx, err)
}

func (b *Bot) collectData(ctx context.Context, r *request) (myDataDoc, error) {
	var doc myDataDoc
	u := r.user
	doc.Account.TelegramID, doc.Account.Name, doc.Account.Language = u.ID, u.Name, u.Language
	doc.Account.TimeZone = u.TimeZone
	if !u.Shifts.IsZero() {
		doc.Account.Shifts = &u.Shifts
	}
	if q := u.Quiet; q != nil {
		doc.Account.QuietHours = "off"
		if !q.Off() {
			doc.Account.QuietHours = clockText(q.Start) + "-" + clockText(q.End)
		}
	}
	doc.Account.DayAheadOff = u.DayAheadOff
	zone := b.Zone
	if zone == nil {
		zone = time.UTC
	}
	for _, c := range u.Consents {
		doc.Consents = append(doc.Consents, consentDoc{Role: string(c.Role), Of: b.consentOf(ctx, u, c), At: c.At.In(zone).Format(time.RFC3339)})
	}
	slices.SortFunc(doc.Consents, func(a, b consentDoc) int { return strings.Compare(a.At, b.At) })
	doc.Coordinator = u.Roles.Coordinator
	for _, set := range []struct {
		ids map[int64]bool
		out *[]homeDoc
	}{{u.Roles.Coordinates, &doc.Manages}, {u.Roles.Teaches, &doc.TeachesAt}} {
		homes, err := b.Store.Homes(ctx, slices.Collect(maps.Keys(set.ids)))
		if err != nil {
			return doc, err
		}
		for _, h := range homes {
			*set.out = append(*set.out, homeDoc{h.ID, h.Name})
		}
	}
	for _, cid := range slices.Sorted(maps.Keys(u.Roles.Guards)) {
		g := u.Roles.Guards[cid]
		c, h, err := b.childAndHome(ctx, target{home: g.HomeID, child: cid})
		if err != nil {
			continue
		}
		doc.Children = append(doc.Children, childDoc{Name: c.Name, BirthYear: c.BirthYear,
			Home: homeDoc{h.ID, h.Name}, Relationship: relationshipName(r, g.Relationship), Guardians: len(c.Guardians)})
	}
	calls, err := b.callDocs(ctx, r)
	if err != nil {
		return doc, err
	}
	doc.Calls = calls
	if doc.MailLeft, doc.MailReplies, doc.MailRecorded, err = b.mailDocs(ctx, r); err != nil {
		return doc, err
	}
	if doc.Broadcasts, err = b.broadcastDocs(ctx, r); err != nil {
		return doc, err
	}
	if s := r.session; s.Active() {
		doc.Flow = &sessionDoc{Flow: s.Flow, Step: s.Step, Answers: s.Answers}
	}
	wrong, err := b.Store.CodeFailures(ctx, u.ID)
	if err != nil {
		return doc, err
	}
	doc.WrongCodes = wrong
	queued, err := b.Sender.Queued(ctx, r.chatID)
	if err != nil {
		return doc, err
	}
	for _, q := range queued {
		doc.Queued = append(doc.Queued, queuedDoc{string(q.Kind), q.Lane.String(), q.Since.In(zone).Format(time.RFC3339)})
	}
	doc.Stored = []string{r.text("MyDataStoredUpdates"), r.text("MyDataStoredOutbox")}
	doc.Note = r.text("MyDataNote")
	return doc, nil
}

// consentOf names what a consent was for: the child, or the home.
func (b *Bot) consentOf(ctx context.Context, u homelink.User, c homelink.Consent) string {
	switch c.Role {
	case homelink.RoleGuardian:
		if g, ok := u.Roles.Guards[c.ID]; ok {
			if child, err := b.Store.Child(ctx, g.HomeID, c.ID); err == nil {
				return child.Name
			}
		}
	case homelink.RoleTeacher:
		if h, err := b.Store.Home(ctx, c.ID); err == nil {
			return h.Name
		}
	}
	return ""
}

// relationshipName is a relationship as the reader's language says it;
// "" when none was chosen.
func relationshipName(r *request, rel homelink.Relationship) string {
	if rel == "" {
		return ""
	}
	return r.text("Rel_" + string(rel))
}

// forgetStart asks before deleting everything.
func (b *Bot) forgetStart(ctx context.Context, r *request) error {
	if err := r.openMenu(ctx); err != nil {
		return err
	}
	text, err := r.render("forget", map[string]any{"Guardian": r.user.Roles.IsGuardian(), "Staff": r.user.Roles.IsStaff()})
	if err != nil {
		return err
	}
	return r.reply(ctx, text, [][]outbox.Button{{
		b.rights.forgetYes.button(r, r.text("ForgetYesButton"), target{}), b.rights.forgetNo.button(r, r.text("NoButton"), target{}),
	}})
}

// forgetYes deletes the user, their links and pending items, tells the
// teachers of their children's homes that a guardian left, and confirms.
func (b *Bot) forgetYes(ctx context.Context, r *request, _ target) error {
	type notice struct {
		teachers []int64
		child    string
		rel      homelink.Relationship
		home     homelink.Home
	}
	// Read what the notices need before it is gone.
	notices := map[int64]*notice{}
	for cid, g := range r.user.Roles.Guards {
		c, h, err := b.childAndHome(ctx, target{home: g.HomeID, child: cid})
		if err == nil {
			notices[cid] = &notice{h.Teachers, c.Name, g.Relationship, h}
		}
	}
	departed, err := b.Store.Forget(ctx, r.user.ID)
	if err != nil {
		return err
	}
	cancelled := map[int64][]homelink.Booking{}
	for _, d := range departed {
		cancelled[d.ChildID] = append(cancelled[d.ChildID], d.Cancelled...)
		for _, c := range d.Cancelled {
			if ci, err := b.infoOf(ctx, c); err == nil {
				b.editRequestCopies(ctx, nil, ci) // their requests' buttons go
			}
		}
	}
	// Before the confirmation is sent: Forget drops what waits for the
	// chat, and the confirmation may have to wait.
	if err := b.Sender.Forget(ctx, r.chatID); err != nil {
		return err
	}
	for cid, n := range notices {
		// Named, so a teacher knows which of a child's parents left, and
		// which of their calls no longer happen.
		who, calls, zone := guardianRef{r.user.Name, n.rel}, cancelled[cid], b.homeZone(n.home)
		for _, t := range n.teachers {
			b.notifyEach(ctx, t, func(ctx context.Context, rd *request) string {
				text := rd.html("GuardianLeftNotice", rd.resolve([]any{"Child", n.child, "Relationship", who})...)
				if len(calls) == 0 {
					return text
				}
				var times []string
				for _, c := range calls {
					times = append(times, rd.callTime(c.Start, b.zoneOf(ctx, rd.user), zone))
				}
				return text + "\n" + rd.html("GuardianLeftCallsCancelled", "Count", len(calls),
					"Times", strings.Join(times, rd.text("ListSeparator")))
			})
		}
	}
	if err := r.answer(ctx, ""); err != nil {
		return err
	}
	if err := r.replace(ctx, r.html("Forgotten"), nil); err != nil {
		return err
	}
	if err := b.Sender.SetCommands(ctx, r.chatID, "", b.menu(r.lang, homelink.Roles{})); err != nil {
		b.Log.Warn("could not reset the chat's commands menu", slog.Int64("user", r.user.ID), slog.Any("err", err))
	}
	// The confirmation's pacing names the chat: drop it too, unless the
	// confirmation still waits (its pacing then expires within a minute).
	if waiting, err := b.Sender.Queued(ctx, r.chatID); err != nil || len(waiting) > 0 {
		return err
	}
	return b.Sender.Forget(ctx, r.chatID)
}

func (b *Bot) forgetNo(ctx context.Context, r *request, _ target) error {
	return r.endWith(ctx, "ForgetKept")
}

// closeMenu ends the flow and removes the menu's buttons.
func (b *Bot) closeMenu(ctx context.Context, r *request, _ target) error {
	if err := r.endFlow(ctx); err != nil {
		return err
	}
	if m := r.update.CallbackQuery.Message.Message; m != nil {
		err := b.Sender.Edit(ctx, outbox.Edit{ChatID: r.chatID, MessageID: m.ID, Text: html.EscapeString(m.Text), Reply: true})
		if err != nil && uneditable(err) {
			return nil // nothing left on screen to close
		}
		return err
	}
	return nil
}

// callDocs are the calls the user booked, for /mydata.
func (b *Bot) callDocs(ctx context.Context, r *request) ([]callDoc, error) {
	calls, err := b.Store.GuardianHistory(ctx, r.user.ID)
	if err != nil {
		return nil, err
	}
	zone := b.zoneOf(ctx, r.user)
	var out []callDoc
	for _, c := range calls {
		d := callDoc{Start: c.Start.In(zone).Format(time.RFC3339), Minutes: c.Minutes, Kind: string(c.Kind),
			State: string(c.State), Note: c.Note, Weekly: c.Series != 0,
			Booked: c.CreatedAt.In(zone).Format(time.RFC3339), Reason: c.Reason, Answer: string(c.Answer)}
		if child, h, err := b.childAndHome(ctx, target{home: c.HomeID, child: c.ChildID}); err == nil {
			d.Child, d.Home = child.Name, h.Name
		}
		out = append(out, d)
	}
	return out, nil
}
