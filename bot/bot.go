// Package bot is homelink's Telegram adapter: it recognises who sent an
// update and what they are doing, runs the matching flow, and answers in
// their language through the outbox. It holds no state of its own: the
// user's language and conversation live in the store, so any replica can
// take the next update.
//
// The bot never reads updates from Telegram itself; package intake takes
// them (webhook or long polling), orders them per user and hands each to
// Handle exactly once.
package bot

import (
	"context"
	"errors"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/locales"
	"github.com/homelink/homelink/metrics"
	"github.com/homelink/homelink/outbox"
	"github.com/homelink/homelink/templates"
)

// Store is what the bot keeps and reads, feature by feature, in domain
// terms.
type Store interface {
	People
	HomeStore
	ChildStore
	InviteStore
	SettingsStore
	HoursStore
	BookingStore
	ReminderStore
	MailboxStore
	BroadcastStore
	BroadcastRunStore
	ReportStore
}

// SettingsStore keeps a person's own settings.
type SettingsStore interface {
	// SetTimeZone sets the person's zone; "" returns to the default.
	SetTimeZone(ctx context.Context, user int64, zone string) error
	// SetShifts sets a guardian's work shifts; the zero Shifts clears them.
	SetShifts(ctx context.Context, user int64, s homelink.Shifts) error
	// SetQuietHours sets the person's quiet hours; nil returns them to
	// homelink.DefaultQuietHours.
	SetQuietHours(ctx context.Context, user int64, q *homelink.QuietHours) error
	// SetDayAhead switches a guardian's reminder a day ahead of their
	// calls on or off; their confirmed calls gain or lose it at once.
	SetDayAhead(ctx context.Context, user int64, on bool) error
}

// HoursStore keeps each home's call hours.
type HoursStore interface {
	// Hours are the home's hours, DefaultHours when none were set, with
	// their Version.
	Hours(ctx context.Context, h int64) (homelink.Hours, error)
	// SetHours replaces the home's hours, for a teacher or coordinator of
	// it (ErrNotAllowed otherwise); hours that fail Validate are refused.
	// Hours whose Version (non-zero) is no longer the stored one are
	// refused with ErrStateChanged: someone saved them meanwhile.
	SetHours(ctx context.Context, by homelink.By, h int64, hrs homelink.Hours) error
}

// BookingStore keeps calls. Every change is one atomic step that also
// puts, moves or withdraws the call's agenda items and counts it in the
// home's week; a change someone else made first is ErrStateChanged, with
// the call as it now is.
type BookingStore interface {
	// Availability reads, in one round trip, what listing the free slots
	// of home h for child in [from, to) needs.
	Availability(ctx context.Context, h, child int64, from, to time.Time) (homelink.Availability, error)
	// Book requests a call for by.User, a guardian of the child (checked
	// as it writes). It is Confirmed at once when the home auto-confirms.
	// ErrSlotTaken, ErrChildBusy, ErrTooManyUpcoming, ErrSlotPast,
	// ErrClosed or ErrNotAllowed refuse it and change nothing.
	Book(ctx context.Context, by homelink.By, req homelink.BookingRequest) (homelink.Booking, error)
	// BookSeries makes a standing weekly call and books its occurrences
	// SeriesWeeks ahead; occurrences that cannot be booked (closed, taken)
	// are skipped and returned. The first occurrence must be bookable.
	BookSeries(ctx context.Context, by homelink.By, req homelink.BookingRequest) (homelink.Series, []homelink.Booking, []time.Time, error)
	Booking(ctx context.Context, h, id int64) (homelink.Booking, error)
	Series(ctx context.Context, h, id int64) (homelink.Series, error)
	// Decide confirms or declines a requested call (a teacher of the
	// home); confirming the first occurrence of a series confirms it.
	Decide(ctx context.Context, by homelink.By, h, id int64, to homelink.BookingState) (homelink.Booking, error)
	// Propose keeps other times a teacher offers for a requested call.
	Propose(ctx context.Context, by homelink.By, h, id int64, times []time.Time) (homelink.Booking, error)
	// Reschedule moves an active call to start: the old slot is freed
	// only when the new one is taken. to is the state after the move:
	// Requested when a guardian moves a request in a home that does not
	// auto-confirm; Confirmed when the call was confirmed already, when
	// they chose a teacher's proposal, or when staff move it.
	Reschedule(ctx context.Context, by homelink.By, h, id int64, start time.Time, to homelink.BookingState) (homelink.Booking, error)
	// Cancel cancels an active call, by the guardian who booked it or the
	// home's staff.
	Cancel(ctx context.Context, by homelink.By, h, id int64, reason string) (homelink.Booking, error)
	// CancelSeries ends a standing call and cancels its upcoming
	// occurrences, returned.
	CancelSeries(ctx context.Context, by homelink.By, h, id int64, reason string) (homelink.Series, []homelink.Booking, error)
	// MoveSeries moves a standing call to start's weekday and time, for
	// the guardian who booked it (ErrNotAllowed otherwise), in one step:
	// a new one is booked there (refused as BookSeries refuses, the old
	// one's occurrences not counting against it) and only then is the old
	// one ended and its upcoming occurrences cancelled. It returns the new
	// one, its booked occurrences and the skipped times; ErrStateChanged
	// when the old one had ended.
	MoveSeries(ctx context.Context, by homelink.By, h, series int64, start time.Time) (homelink.Series, []homelink.Booking, []time.Time, error)
	// Mark records a confirmed call held or missed (a teacher, after its
	// start).
	Mark(ctx context.Context, by homelink.By, h, id int64, to homelink.BookingState) (homelink.Booking, error)
	// Expire expires a request still unanswered (the agenda's item).
	Expire(ctx context.Context, h, id int64) (homelink.Booking, bool, error)
	// RenewSeries books the occurrence SeriesWeeks ahead (the agenda's
	// weekly item): the booked one, or the skipped time.
	RenewSeries(ctx context.Context, h, id int64) ([]homelink.Booking, []time.Time, error)
	// GuardianHistory is every call a guardian booked that is still kept.
	GuardianHistory(ctx context.Context, user int64) ([]homelink.Booking, error)
	// GuardianCalls are the upcoming calls a guardian booked.
	GuardianCalls(ctx context.Context, user int64) ([]homelink.Booking, error)
	// HomeCalls are the home's calls starting in [from, to).
	HomeCalls(ctx context.Context, h int64, from, to time.Time) ([]homelink.Booking, error)
	// NoteRequestMessages keeps which outbox message told each teacher of
	// a request, so the others' copies can be edited when one decides.
	NoteRequestMessages(ctx context.Context, h, id int64, msgs map[int64]string) error
	RequestMessages(ctx context.Context, h, id int64) (map[int64]string, error)
	// WeekCounts are the home's counts of one week (WeekOf), by state.
	WeekCounts(ctx context.Context, h int64, week string) (map[homelink.BookingState]int, error)
}

// People are accounts and their conversations.
type People interface {
	User(ctx context.Context, id int64) (homelink.User, error)
	UserAndSession(ctx context.Context, id int64) (homelink.User, homelink.Session, error)
	SaveSession(ctx context.Context, id int64, next homelink.Session) (homelink.Session, error)
	SaveSessionAndLanguage(ctx context.Context, id int64, next homelink.Session, lang string) (homelink.Session, error)
	NameIfNone(ctx context.Context, id int64, name string) error
	SetName(ctx context.Context, id int64, name string) error
	Names(ctx context.Context, ids []int64) (map[int64]string, error)
	// Forget deletes everything about an account.
	Forget(ctx context.Context, user int64) ([]homelink.Departure, error)
}

// HomeStore keeps homes and their staff.
type HomeStore interface {
	CreateHome(ctx context.Context, by homelink.By, h homelink.Home) (homelink.Home, error)
	UpdateHome(ctx context.Context, by homelink.By, h int64, f homelink.HomeField, value string) error
	Home(ctx context.Context, h int64) (homelink.Home, error)
	Homes(ctx context.Context, ids []int64) ([]homelink.Home, error)
	Orphans(ctx context.Context) ([]homelink.Home, error)
	RemoveTeacher(ctx context.Context, by homelink.By, h, user int64) (bool, error)
}

// ChildStore keeps a home's children and their guardians.
type ChildStore interface {
	AddChild(ctx context.Context, by homelink.By, c homelink.Child) (homelink.Child, error)
	Children(ctx context.Context, h int64) ([]homelink.Child, error)
	Child(ctx context.Context, h, c int64) (homelink.Child, error)
	RemoveChild(ctx context.Context, by homelink.By, h, c int64) ([]int64, error)
	UnlinkGuardian(ctx context.Context, h, c, user, by, link int64) (bool, error)
	Unlinked(ctx context.Context, h, c, user int64) (homelink.Acted, bool, error)
	LinkedBy(ctx context.Context, h, c, user int64) (int64, error)
	PlanJoinNotice(ctx context.Context, n homelink.JoinNotice, due time.Time) error
	TakeJoinNotice(ctx context.Context, n homelink.JoinNotice) (bool, error)
	ClaimJoinNotices(ctx context.Context, limit int, lease time.Duration) ([]homelink.JoinNotice, error)
	AckJoinNotice(ctx context.Context, n homelink.JoinNotice) error
	SetRelationship(ctx context.Context, h, c, user int64, rel homelink.Relationship) error
}

// InviteStore keeps invitations and the throttle on wrong codes.
type InviteStore interface {
	CreateInvite(ctx context.Context, inv homelink.Invite) (homelink.Invite, error)
	InviteByCode(ctx context.Context, code string) (homelink.Invite, error)
	Invite(ctx context.Context, id int64) (homelink.Invite, error)
	RedeemInvite(ctx context.Context, id, user int64, lang string) (homelink.Invite, error)
	RevokeInvite(ctx context.Context, by homelink.By, h, id int64) (bool, error)
	Revoked(ctx context.Context, id int64) (homelink.Invite, homelink.Acted, bool, error)
	OpenInvites(ctx context.Context, h int64, role homelink.Role, child int64) ([]homelink.Invite, error)
	CodeFailures(ctx context.Context, user int64) (int, error)
	CodeFailed(ctx context.Context, user int64, window time.Duration) (int, error)
}

// Sender is how the bot talks back.
type Sender interface {
	Send(ctx context.Context, m outbox.Message) (int, error)
	// Enqueue queues a message and returns its outbox id; Status reads
	// what became of it (Telegram's message id once sent), so a notice
	// sent to several people can be edited later.
	Enqueue(ctx context.Context, m outbox.Message) (string, error)
	// EnqueueAll queues several messages in order, all or none, in one
	// round trip (a page of a child's mailbox, a reply to its family):
	// their ids, "" for one its chat's backlog left out.
	EnqueueAll(ctx context.Context, ms []outbox.Message) ([]string, error)
	// EnqueueAllOnce is EnqueueAll once per key: a retry of the same work
	// gets outbox.ErrQueuedBefore and queues nothing again.
	EnqueueAllOnce(ctx context.Context, key string, ms []outbox.Message) ([]string, error)
	Status(ctx context.Context, id string) (outbox.Status, error)
	Edit(ctx context.Context, e outbox.Edit) error
	AnswerCallback(ctx context.Context, queryID, text string) error
	SetCommands(ctx context.Context, chatID int64, lang string, cmds []outbox.Command) error
	SetReachable(ctx context.Context, chatID int64, reachable bool) error
	Forget(ctx context.Context, chatID int64) error
	Queued(ctx context.Context, chatID int64) ([]outbox.Queued, error)
	// Batch counts what became of a batch's messages (a broadcast run);
	// CancelBatch withdraws what of it still waits and drops whatever is
	// queued into it later, returning how many it withdrew.
	Batch(ctx context.Context, batch string) (outbox.BatchStatus, error)
	CancelBatch(ctx context.Context, batch string) (int, error)
}

// Config is what a Bot is built from.
type Config struct {
	// Username is the bot's Telegram username, for "/help@username".
	Username string
	Store    Store
	Sender   Sender
	Catalog  *locales.Catalog
	Renderer *templates.Renderer
	Clock    homelink.Clock
	Log      *slog.Logger
	Metrics  *metrics.Metrics
	// AdminIDs may invite coordinators from Telegram.
	AdminIDs []int64
	// InviteTTL is how long an invitation stays valid.
	InviteTTL time.Duration
	// Zone is the deployment's default time zone, for dates outside any home.
	Zone *time.Location
	// ButtonKey signs standing buttons, so their data cannot be altered.
	// Every replica must share it; app derives it from the bot token.
	ButtonKey []byte
	// MaxUpcoming is how many upcoming calls a guardian may hold per
	// child (MAX_UPCOMING_PER_CHILD; homelink.DefaultMaxUpcoming when 0).
	MaxUpcoming int
	// HistoryRetention is how long a call is kept after its time
	// (BOOKING_HISTORY_RETENTION), as the consent text says.
	HistoryRetention time.Duration
	// MailDailyLimit is how many items a guardian may leave for one child
	// in a day (MAILBOX_DAILY_LIMIT; homelink.DefaultMailDailyLimit when 0).
	MailDailyLimit int
	// MailRetention is how long a mailbox item is kept after it arrived
	// (MAILBOX_RETENTION; homelink.DefaultMailRetention when 0).
	MailRetention time.Duration
	// BroadcastRate is how many messages a second the outbox sends a
	// broadcast's (its RATE_PER_SECOND, or PAID_RATE_PER_SECOND with paid
	// broadcasts), for the time a broadcast's preview estimates;
	// defaultBroadcastRate when 0.
	BroadcastRate float64
	// Wake, when set, asks the agenda to look for due work now rather
	// than at its next tick (a broadcast's chunks, due at once).
	Wake func()
	// ContactGapDays is how many days without a contact put a child in
	// the contact-gap alert (CONTACT_GAP_DAYS;
	// homelink.DefaultContactGapDays when 0).
	ContactGapDays int
}

// Bot handles updates.
type Bot struct {
	Config
	commands map[string]slashCommand
	acts     actions
	flows    flows

	// The actions of each feature, by their names in the code.
	home       homeActs
	share      shareActs
	kids       childActs
	invite     inviteActs
	rights     rightsActs
	joined     joinedActs
	settings   settingsActs
	calls      callParts
	hours      hoursActs
	mail       mailActs
	leave      mailLeaveParts
	stray      strayParts
	bc         bcParts
	bcl        bcListParts
	bcRun      broadcastRunActs
	report     reportActs
	language   *action
	back       *action
	cancelFlow *action

	// The flows of each feature.
	homeFlows  homeFlows
	childFlows childFlows
	hoursFlows hoursFlows
	shareFlow  *flow
	consent    *flow
}

// slashCommand is a command and who may use it.
type slashCommand struct {
	need need
	run  handlerFunc
}

// handlerFunc handles one update for a request.
type handlerFunc func(ctx context.Context, r *request) error

// New returns a Bot with homelink's commands, actions and flows.
func New(cfg Config) *Bot {
	if len(cfg.ButtonKey) < 16 {
		panic("bot: ButtonKey must be at least 16 bytes: it signs standing buttons")
	}
	if cfg.InviteTTL <= 0 {
		cfg.InviteTTL = homelink.DefaultInviteTTL
	}
	if cfg.HistoryRetention <= 0 {
		cfg.HistoryRetention = homelink.DefaultHistoryRetention
	}
	if cfg.MaxUpcoming <= 0 {
		cfg.MaxUpcoming = homelink.DefaultMaxUpcoming
	}
	if cfg.MailDailyLimit <= 0 {
		cfg.MailDailyLimit = homelink.DefaultMailDailyLimit
	}
	if cfg.MailRetention <= 0 {
		cfg.MailRetention = homelink.DefaultMailRetention
	}
	if cfg.BroadcastRate <= 0 {
		cfg.BroadcastRate = defaultBroadcastRate
	}
	if cfg.ContactGapDays <= 0 {
		cfg.ContactGapDays = homelink.DefaultContactGapDays
	}
	b := &Bot{Config: cfg, acts: actions{}, flows: flows{}}
	b.commands = map[string]slashCommand{
		"start":    {anyone, b.start},
		"help":     {anyone, b.help},
		"language": {anyone, b.languageStart},
		"cancel":   {anyone, b.cancel},
		"mydata":   {anyone, b.myData},
		"forget":   {anyone, b.forgetStart},
		"homes":    {coordinator, b.homesCommand},
		"invite":   {coordinatorOrAdmin, b.inviteCommand},
		"children": {teacherOrGuardian, b.childrenCommand},
		"settings": {anyone, b.settingsCommand},
		"book":     {guardian, b.bookCommand},
		"message":  {guardian, b.messageCommand},
		"calls":    {callsReader, b.callsCommand},
		"hours":    {staff, b.hoursCommand},
		"mailbox":  {anyTeacher, b.mailboxCommand},
		"report":   {staff, b.reportCommand},
	}
	b.back = b.acts.add(&action{name: "flow.back", code: "bk", need: anyone, run: b.goBack})
	b.cancelFlow = b.acts.add(&action{name: "flow.cancel", code: "fc", need: anyone, run: b.cancelTapped})
	b.language = b.acts.add(&action{name: "language.choose", code: "lg", args: []arg{argChoice}, need: anyone, run: b.languageChosen})
	b.homeActions()
	b.broadcastRunActions()
	b.shareActions()
	b.childActions()
	b.inviteActions()
	b.rightsActions()
	b.joinedActions()
	b.settingsActions()
	b.callActions()
	b.hoursActions()
	b.mailActions()
	b.mailLeaveActions()
	b.mailStrayActions()
	b.broadcastActions()
	b.broadcastsListActions()
	b.reportActions()
	return b
}

// Handle handles one update. known is what the store held about the
// update's actor, read with the update (nil: the bot reads it). It never
// panics and never returns an error: whatever goes wrong is logged,
// counted, and told to the user in their language, and the update counts
// as done. It returns the outcome for the updates metric.
func (b *Bot) Handle(ctx context.Context, u *models.Update, known *homelink.Actor) (outcome string) {
	outcome = "handled"
	var r *request
	defer func() {
		if p := recover(); p != nil {
			outcome = "panic"
			b.Log.Error("handler panicked", slog.Int64("update", u.ID), slog.Any("panic", p),
				slog.String("stack", string(debug.Stack())))
			b.apologise(ctx, r)
		}
	}()
	var err error
	r, err = b.newRequest(ctx, u, known)
	if err == nil && r == nil {
		return "ignored"
	}
	if err != nil {
		// We could not read what we know about the user (Redis away):
		// still say so, in the language their Telegram reports.
		r = b.bareRequest(u)
	}
	if err == nil {
		err = b.route(ctx, r)
	}
	if errors.Is(err, errIgnored) {
		return "ignored"
	}
	if errors.Is(err, homelink.ErrNotAllowed) {
		// The store refused a change: the right the handler saw with the
		// update was gone by the time it wrote (removed meanwhile).
		if err = r.refused(ctx); err == nil {
			return "denied"
		}
	}
	if err != nil {
		b.Log.Error("handling update failed", slog.Int64("update", u.ID), slog.Any("err", err))
		b.apologise(ctx, r)
		return "failed"
	}
	return outcome
}

// errIgnored marks an update homelink has nothing to say about.
var errIgnored = errors.New("bot: update ignored")

// route sends the update to the handler for what the user did.
func (b *Bot) route(ctx context.Context, r *request) error {
	u := r.update
	switch {
	case u.CallbackQuery != nil:
		return b.callback(ctx, r)
	case u.MyChatMember != nil:
		return b.memberChanged(ctx, r)
	case u.Message != nil:
		return b.message(ctx, r)
	}
	return errIgnored
}

func (b *Bot) message(ctx context.Context, r *request) error {
	msg := r.update.Message
	if cmd, ok := parseCommand(msg, b.Username); ok {
		if c, known := b.commands[cmd.Name]; known {
			r.args = cmd.Args
			if !r.user.Roles.Any() {
				// Someone who has not joined (or has left) hears how to
				// join, not that something is not for them.
				if ok, err := c.need(ctx, r, target{}); err != nil || !ok {
					return errors.Join(err, b.welcome(ctx, r))
				}
			}
			if ok, err := r.gate(ctx, c.need, target{}); !ok || err != nil {
				return err
			}
			return c.run(ctx, r)
		}
		return b.unexpected(ctx, r)
	}
	if answered, err := b.takeInput(ctx, r); answered || err != nil {
		return err
	}
	if code, ok := homelink.NormalizeTypedCode(msg.Text); ok {
		return b.redeemCode(ctx, r, code)
	}
	return b.unexpected(ctx, r)
}

// unexpected answers anything the bot did not ask for: someone who has
// not joined hears what homelink is and how to join; a parent's message
// that no step takes is offered to their child's mailbox (offerStray), or,
// when no mailbox keeps it, said plainly not to be carried, with how to
// reach the child instead; anyone else gets a short hint.
func (b *Bot) unexpected(ctx context.Context, r *request) error {
	switch {
	case !r.user.Roles.Any():
		return b.welcome(ctx, r)
	case r.user.Roles.IsGuardian() && r.update.Message != nil && !isCommand(r.update.Message):
		if offered, err := b.offerStray(ctx, r); offered || err != nil {
			return err
		}
		return b.notCarried(ctx, r)
	}
	return r.hint(ctx, r.html("UnknownText"))
}

func isCommand(m *models.Message) bool { return strings.HasPrefix(strings.TrimSpace(m.Text), "/") }

// apologise tells the user something went wrong, if we know who they are.
func (b *Bot) apologise(ctx context.Context, r *request) {
	if r == nil || r.chatID == 0 {
		return
	}
	if r.update.CallbackQuery != nil && !r.answered {
		b.Sender.AnswerCallback(ctx, r.update.CallbackQuery.ID, r.text("SomethingWrong"))
		return
	}
	if _, err := b.Sender.Send(ctx, outbox.Message{ChatID: r.chatID, Text: r.html("SomethingWrong"), Reply: true}); err != nil {
		b.Log.Warn("could not apologise", slog.Int64("user", r.user.ID), slog.Any("err", err))
	}
}
