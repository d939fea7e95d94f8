// Package outbox is the one way out: every message, edit and callback answer
// homelink sends to Telegram goes through it. Nothing else calls the Bot
// API's send or edit methods.
//
// Messages wait in Redis in three lanes of strict priority (interactive,
// reminder, bulk) and are sent by workers on every replica, paced by one
// limiter that all replicas share: the bot-wide rate, about one a second
// per private chat with a short burst, and 20 a minute per group. A 429
// pauses its scope on every replica for retry_after; 5xx and timeouts are
// retried with backoff and jitter; a 403 marks the chat unreachable; any
// other refusal ends in a dead letter with Telegram's reason.
//
// The outbox is the one owner of whether a chat can be reached: a 403
// marks it unreachable, and nothing but replies is sent to it until a
// reply to the chat a person just wrote from (Message.Reply) or
// SetReachable clears the mark. Options.OnReachability hears of every
// change. A worker
// that dies loses nothing: its lease runs out and another worker sends.
//
// An interactive message takes a fast path when nothing stands in its way:
// one Redis round trip reserves a slot, then the caller sends it at once.
// Its durability is the update's: the update stays in its inbox until it
// was handled, so a crash before the send handles it again. While Redis
// is away, replies go at a quarter of the bot-wide rate per replica.
//
// Messages of a broadcast share a batch (Message.Batch): Batch counts
// them, the failed ones by the class of their reason (ReasonClasses), in
// one read whatever the batch's size; CancelBatch stops it, withdrawing
// what still waits and leaving out whatever is queued into it later.
//
// What became of a message is recorded by the claim that holds it and by
// no other, and a record retried while Redis is away (for as long as the
// message's lease allows) takes effect once: a message is sent again only
// when a replica dies between Telegram's answer and the record.
package outbox

import (
	"context"
	crand "crypto/rand"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-telegram/bot"
	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink/metrics"
)

//go:embed *.lua
var scriptFS embed.FS

// ErrBlocked means the user blocked the bot or deleted their account:
// nothing but replies is sent to them until they write again.
var ErrBlocked = errors.New("outbox: recipient blocked the bot")

// ErrBacklog means an interactive message was not queued: too many
// messages wait for its chat already (Options.ChatBacklog), or anything
// does and the message is Droppable.
var ErrBacklog = errors.New("outbox: the chat's backlog is full")

// ErrCancelled means a message was not queued: its batch was cancelled
// (CancelBatch).
var ErrCancelled = errors.New("outbox: the message's batch was cancelled")

// Lane is a message's priority.
type Lane int

// The lanes, highest priority first.
const (
	// Interactive is an answer to what a user just did.
	Interactive Lane = iota
	// Reminder is time-critical.
	Reminder
	// Bulk is broadcasts, reports and nudges.
	Bulk
)

var laneNames = [...]string{"interactive", "reminder", "bulk"}

func (l Lane) String() string {
	if l < Interactive || l > Bulk {
		return "unknown"
	}
	return laneNames[l]
}

// Kind is what a message is.
type Kind string

// The kinds of message.
const (
	Text      Kind = "text"
	Photo     Kind = "photo"
	Voice     Kind = "voice"
	Video     Kind = "video"
	VideoNote Kind = "video_note"
	Document  Kind = "document"
	Copy      Kind = "copy"
	EditText  Kind = "edit"
)

// Button is one inline keyboard button: a callback button when Data is set,
// a link when URL is.
type Button struct {
	Text string `json:"t"`
	Data string `json:"d,omitempty"`
	URL  string `json:"u,omitempty"`
}

// Message is one thing to send. Text is Telegram HTML (the caption for
// media). Media go by FileID; Copy copies FromChatID/FromMessageID;
// EditText replaces the text and keyboard of MessageID.
type Message struct {
	Lane   Lane   `json:"l"`
	ChatID int64  `json:"c"`
	Kind   Kind   `json:"k,omitempty"`
	Text   string `json:"x,omitempty"`
	FileID string `json:"f,omitempty"`
	// FileName and FileData upload a small document (Kind Document) or
	// photo (Kind Photo: a PNG or JPEG of at most 10 MB, a chart of a
	// weekly report) instead of sending one by FileID; it is kept in Redis,
	// sealed, until sent, so keep it small (tens of kB).
	FileName      string     `json:"fn,omitempty"`
	FileData      []byte     `json:"fd,omitempty"`
	FromChatID    int64      `json:"fc,omitempty"`
	FromMessageID int        `json:"fm,omitempty"`
	MessageID     int        `json:"m,omitempty"`
	Keyboard      [][]Button `json:"kb,omitempty"`
	// Batch groups messages (a broadcast) for Batch's counters.
	Batch string `json:"b,omitempty"`
	// Silent sends without a notification sound.
	Silent bool `json:"s,omitempty"`
	// Migrated is set once the message was redirected to a supergroup.
	Migrated bool `json:"mg,omitempty"`
	// Queued is when it was queued (unix ms), for the queue-time metric.
	Queued int64 `json:"q,omitempty"`
	// Reply marks an answer into the chat of the person whose update is
	// being handled: they just wrote, so they can be reached. A reply to
	// a chat marked unreachable clears the mark (in the same script that
	// reserves or queues it) instead of being refused.
	Reply bool `json:"r,omitempty"`
	// Droppable marks an interactive message that may be left unsent
	// when its chat already has messages waiting: a hint about text the
	// bot did not expect, whose sender will hear from the bot soon anyway.
	// It is the first to go when one chat floods the bot.
	Droppable bool `json:"dr,omitempty"`
}

// Edit replaces the text and keyboard of a message the bot sent earlier.
type Edit struct {
	ChatID    int64
	MessageID int
	Text      string
	Keyboard  [][]Button
	// Reply is Message.Reply: the edit answers the person who just wrote.
	Reply bool
}

// Command is one entry of the commands menu.
type Command struct {
	Name        string
	Description string
}

// Options tune an Outbox; zero values take the defaults.
type Options struct {
	// Prefix starts every key ("hl:").
	Prefix string
	// RatePerSecond is the bot-wide limit (30).
	RatePerSecond float64
	// ChatPerSecond and ChatBurst pace one private chat (1/s, burst 3).
	ChatPerSecond float64
	ChatBurst     int
	// GroupPerMinute paces one group (20), with that many at once.
	GroupPerMinute float64
	// PaidBroadcast sets allow_paid_broadcast on bulk messages, which then
	// have their own ceiling, PaidRatePerSecond (1000), paid in Stars.
	PaidBroadcast     bool
	PaidRatePerSecond float64
	// Workers per replica (8).
	Workers int
	// Lease is how long a worker may hold a message (30s).
	Lease time.Duration
	// MaxAttempts bounds retries of 5xx and timeouts (8).
	MaxAttempts int
	// Backoff is the first retry's wait, doubling up to MaxBackoff (1s, 5m).
	Backoff, MaxBackoff time.Duration
	// RequestTimeout bounds one Bot API call (15s).
	RequestTimeout time.Duration
	// RecordTTL is how long a message's record is kept (7 days).
	RecordTTL time.Duration
	// PayloadKey seals queued messages' payloads in Redis (AES-256-GCM,
	// PayloadKeySize bytes; DeriveKey makes one from a secret). Every
	// replica must share it, and Redis must never hold it. Without one,
	// every Outbox of this process uses a key made up for the process:
	// enough for tests, but queued messages are then lost with the process
	// and no other process can send them (New logs a warning).
	PayloadKey []byte
	// PreviousPayloadKey opens payloads sealed before a key rotation.
	PreviousPayloadKey []byte
	// ChatBacklog caps the messages that may wait for one chat before an
	// interactive message to it is dropped instead of queued (20): a
	// person who floods the bot gets no more than that many answers
	// queued, each paced at the chat's own limit. A Droppable message is
	// dropped as soon as anything waits for its chat.
	ChatBacklog int
	// OnReachability is told whenever a chat's reachability changes: false
	// when a 403 (or SetReachable) marks it unreachable, true when a reply
	// (or SetReachable) clears the mark. It is called once per change, on
	// the goroutine that made it; it must be quick. Forget does not call it.
	OnReachability func(ctx context.Context, chat int64, reachable bool)
	Log            *slog.Logger
	Metrics        *metrics.Metrics
}

func (o *Options) defaults() {
	def := func(v *float64, d float64) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.RatePerSecond, 30)
	def(&o.ChatPerSecond, 1)
	def(&o.GroupPerMinute, 20)
	def(&o.PaidRatePerSecond, 1000)
	if o.ChatBacklog <= 0 {
		o.ChatBacklog = 20
	}
	if o.ChatBurst <= 0 {
		o.ChatBurst = 3
	}
	if o.Workers <= 0 {
		o.Workers = 8
	}
	if o.Lease <= 0 {
		o.Lease = 30 * time.Second
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 8
	}
	if o.Backoff <= 0 {
		o.Backoff = time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 5 * time.Minute
	}
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = 15 * time.Second
	}
	if o.RecordTTL <= 0 {
		o.RecordTTL = 7 * 24 * time.Hour
	}
	if o.Prefix == "" {
		o.Prefix = "hl:"
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Metrics == nil {
		o.Metrics = metrics.New()
	}
}

// processKey is the payload key of outboxes given none.
var processKey = sync.OnceValue(func() []byte {
	key := make([]byte, PayloadKeySize)
	crand.Read(key)
	return key
})

// Outbox sends to Telegram.
type Outbox struct {
	api     *bot.Bot
	rdb     *redis.Client
	k       keys
	opt     Options
	scripts map[string]*redis.Script
	seal    sealer
	local   *localPace
	// lastAnswer is when Redis last answered a claim or a reservation
	// (unix ns): while it does, nothing is sent at the local pace.
	lastAnswer atomic.Int64
	// sleep waits for a reserved slot (wait); a test makes it oversleep,
	// as a busy machine does.
	sleep func(context.Context, time.Duration)
	wake  chan struct{}
	wg    sync.WaitGroup
}

// New returns an Outbox sending through api and queueing in rdb. Call Run
// to start its workers. It panics on a payload key of the wrong size.
func New(api *bot.Bot, rdb *redis.Client, opt Options) *Outbox {
	opt.defaults()
	if opt.PayloadKey == nil {
		opt.PayloadKey = processKey()
		opt.Log.Warn("outbox: no payload key given; queued messages are lost with this process")
	}
	seal, err := newSealer(opt.PayloadKey, opt.PreviousPayloadKey)
	if err != nil {
		panic(err)
	}
	o := &Outbox{api: api, rdb: rdb, k: keys{p: opt.Prefix}, opt: opt, seal: seal,
		scripts: map[string]*redis.Script{}, local: newLocalPace(opt), sleep: wait, wake: make(chan struct{}, 1)}
	// Files named _*.lua are helpers (key names, limiter), prepended to
	// every script in name order.
	var helpers strings.Builder
	entries, _ := scriptFS.ReadDir(".")
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "_") {
			src, _ := scriptFS.ReadFile(e.Name())
			helpers.Write(src)
			helpers.WriteString("\n")
		}
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "_") {
			continue
		}
		src, _ := scriptFS.ReadFile(e.Name())
		o.scripts[strings.TrimSuffix(e.Name(), ".lua")] = redis.NewScript(helpers.String() + string(src))
	}
	return o
}

// LoadScripts loads the scripts into Redis ahead of their first use.
func (o *Outbox) LoadScripts(ctx context.Context) error {
	for name, sc := range o.scripts {
		if err := sc.Load(ctx, o.rdb).Err(); err != nil {
			return fmt.Errorf("outbox: load script %s: %w", name, err)
		}
	}
	return nil
}

// pacing is the share of a limit the outbox uses: 2.5% below it, so that
// jitter between our slots and Telegram's clock never puts a second over
// the limit. At 2% a busy 2-core machine now and then saw 301 arrivals in
// one sliding second at a 300/s limit; at 2.5% the busiest second stays at
// 297–299 while the achieved rate is 97.3–97.5%. A chat's own limit
// gets the same margin: at its exact rate, a send that arrived a few ms
// late and the next one on time met Telegram's count of the chat at its
// last token.
const pacing = 0.975

func (o *Outbox) intervals() (global, paid, chat, group float64) {
	global = 1000 / (o.opt.RatePerSecond * pacing)
	if o.opt.PaidBroadcast {
		paid = 1000 / (o.opt.PaidRatePerSecond * pacing)
	}
	return global, paid, 1000 / (o.opt.ChatPerSecond * pacing), 60000 / (o.opt.GroupPerMinute * pacing)
}

// Send delivers m. An interactive message goes out at once when the
// limits allow (the Telegram message id is returned); anything else, or an
// interactive message that must wait, is queued (id 0). It returns
// ErrBlocked for a chat that blocked the bot, unless m is a Reply. While
// Redis is away an interactive message is sent at this replica's own,
// slower pace (reserveOrFallback), or not at all when ctx ends first.
func (o *Outbox) Send(ctx context.Context, m Message) (int, error) {
	if m.Kind == "" {
		m.Kind = Text
	}
	if m.Lane != Interactive {
		_, err := o.Enqueue(ctx, m)
		return 0, err
	}
	res, local, err := o.reserveOrFallback(ctx, m)
	if err != nil {
		return 0, fmt.Errorf("outbox: send to %d: %w", m.ChatID, err)
	}
	if local {
		return o.sendUnqueued(ctx, m)
	}
	switch res[0] {
	case "blocked":
		return 0, ErrBlocked
	case "queue":
		if res[1].(int64) == 1 {
			o.reachability(ctx, m.ChatID, true)
		}
		return 0, o.enqueueReply(ctx, m)
	}
	if res[2].(int64) == 1 {
		o.reachability(ctx, m.ChatID, true)
	}
	if !o.waitForSlot(ctx, time.Duration(res[1].(int64))*time.Millisecond) {
		err := o.enqueueReply(ctx, m)
		if err == nil {
			return 0, nil
		}
		// Redis went away meanwhile (a failover): the reserved slot,
		// late, is better than no answer at all.
		o.opt.Log.Warn("a late reply could not be queued; sent in its late slot", chatAttr(m.ChatID), errAttr(err))
	}
	start := time.Now()
	id, callErr := o.call(ctx, m)
	out := classify(callErr, m)
	o.count(m.Lane, out.result, start)
	switch out.outcome {
	case "sent":
		return id, nil
	case "blocked":
		o.markUnreachable(ctx, m.ChatID)
		return 0, fmt.Errorf("outbox: send: %w", ErrBlocked)
	case "failed":
		if _, err := o.deadLetter(ctx, m, out.reason); err != nil {
			o.opt.Log.Error("could not record a dead letter", slog.Int64("chat", m.ChatID), slog.Any("err", err))
		}
		return 0, fmt.Errorf("outbox: send: %s", out.reason)
	}
	// Telegram asked us to wait, or had trouble: the workers take over.
	if out.outcome == "paused" {
		o.pause(ctx, out)
	}
	return 0, o.enqueueReply(ctx, m)
}

// waitForSlot waits delay for a slot the shared limiter reserved, and
// reports whether the message may still go: not when it woke more than
// lateness after the slot (a busy machine held it up), for it would go in
// a bunch with the sends of the slots after its own. Like a worker late
// for its slot (deliver), it is queued instead and goes in a slot of its
// own.
func (o *Outbox) waitForSlot(ctx context.Context, delay time.Duration) bool {
	if delay <= 0 {
		return true
	}
	slot := time.Now().Add(delay)
	o.sleep(ctx, delay)
	return time.Since(slot) <= lateness
}

// enqueueReply queues an interactive message that could not go at once.
// One its chat's backlog left out is not an error to its caller: the
// person flooded the bot, and will hear from it about what came first.
func (o *Outbox) enqueueReply(ctx context.Context, m Message) error {
	_, err := o.Enqueue(ctx, m)
	if errors.Is(err, ErrBacklog) {
		return nil
	}
	return err
}

// Edit changes a message the bot sent, as an interactive message.
func (o *Outbox) Edit(ctx context.Context, e Edit) error {
	_, err := o.Send(ctx, Message{Lane: Interactive, Kind: EditText, ChatID: e.ChatID,
		MessageID: e.MessageID, Text: e.Text, Keyboard: e.Keyboard, Reply: e.Reply})
	return err
}

// AnswerCallback stops the spinner on a tapped button, showing text as a
// short notice when it is not empty. It is not a message, so no limit.
func (o *Outbox) AnswerCallback(ctx context.Context, queryID, text string) error {
	_, err := o.api.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: queryID, Text: text})
	return wrap("answer callback", err)
}

func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, bot.ErrorForbidden) {
		return fmt.Errorf("outbox: %s: %w", op, ErrBlocked)
	}
	return fmt.Errorf("outbox: %s: %w", op, err)
}

// wait sleeps d unless ctx ends first.
func wait(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
