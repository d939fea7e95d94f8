package homelink

import (
	"errors"
	"fmt"
	"html"
	"strconv"
	"strings"
	"time"
)

// Broadcasts: a coordinator (or a teacher, for their own home) writes one
// message and sends it to many people of their homes: now, once at a set
// time, or on a repeating schedule, each home at its own local time. The
// audience is taken when it is sent, so people who joined since are
// included. Delivery goes in chunks through the agenda into the outbox's
// bulk lane, behind replies and reminders.

// Audience is who a broadcast goes to, within the homes it names.
type Audience string

// The audiences a sender may choose.
const (
	// AudienceGuardians: the guardians of the broadcast's homes (one home,
	// or all the sender's homes).
	AudienceGuardians Audience = "guardians"
	// AudienceTeachers: the teachers of the broadcast's homes.
	AudienceTeachers Audience = "teachers"
	// AudienceEveryone: guardians, teachers and coordinators of the
	// broadcast's homes.
	AudienceEveryone Audience = "everyone"
)

// Valid reports whether a is one of the audiences.
func (a Audience) Valid() bool {
	return a == AudienceGuardians || a == AudienceTeachers || a == AudienceEveryone
}

// BroadcastVersion is the broadcast in one language: Telegram HTML text,
// or a photo (its file_id) with the text as caption.
type BroadcastVersion struct {
	Lang  string `json:"l"`
	Text  string `json:"x,omitempty"`
	Photo string `json:"p,omitempty"`
}

// MaxBroadcastText and MaxBroadcastCaption are Telegram's limits on a
// message's text and a photo's caption, in characters, before the
// placeholders are filled; a filled text longer than the limit is cut.
const (
	MaxBroadcastText    = 4096
	MaxBroadcastCaption = 1024
)

// BroadcastState is where a broadcast stands.
type BroadcastState string

// The states of a broadcast.
const (
	// BroadcastWaiting: due once, or repeating, and not paused.
	BroadcastWaiting BroadcastState = "waiting"
	// BroadcastPaused: a repeating or once-at broadcast paused by its sender.
	BroadcastPaused BroadcastState = "paused"
	// BroadcastDone: sent (once, or now) and not to be sent again.
	BroadcastDone BroadcastState = "done"
)

// Broadcast is one message to many, as its sender composed it.
type Broadcast struct {
	// ID is unique within the deployment (seq:bc).
	ID int64 `json:"id"`
	// From is the sender, a coordinator of every home in Homes or a
	// teacher of its only home.
	From int64 `json:"u"`
	// FromName is the sender's name when it was saved, shown to the
	// recipients above the message.
	FromName string `json:"fn,omitempty"`
	// Homes are the homes it goes to, fixed when composed. Each is checked
	// again at send time: a home the sender no longer manages or teaches
	// at is left out.
	Homes    []int64  `json:"h"`
	Audience Audience `json:"a"`
	// Versions holds the text in one language or two; a recipient gets
	// the version in their language, else the first.
	Versions []BroadcastVersion `json:"v"`
	// Urgent (coordinators only) is not held by the recipients' quiet
	// hours.
	Urgent bool `json:"ur,omitempty"`
	// Once is, for a broadcast due once later, the local wall time it is
	// due at in each home's zone ("2006-01-02 15:04"); "" otherwise.
	Once string `json:"o,omitempty"`
	// Rule is, for a repeating broadcast, its rule (agenda/rule's text,
	// "every Friday at 18:00" or a cron spec), read in each home's zone;
	// "" otherwise. A broadcast with neither is sent now.
	Rule    string         `json:"r,omitempty"`
	State   BroadcastState `json:"s"`
	Created time.Time      `json:"-"`
}

// Version is the version of b for a reader of lang.
func (b Broadcast) Version(lang string) BroadcastVersion {
	for _, v := range b.Versions {
		if v.Lang == lang {
			return v
		}
	}
	if len(b.Versions) == 0 {
		return BroadcastVersion{}
	}
	return b.Versions[0]
}

// OnceLayout is the layout of Broadcast.Once.
const OnceLayout = "2006-01-02 15:04"

// RunState is where one run of a broadcast stands.
type RunState string

// The states of a run.
const (
	RunSending   RunState = "sending"
	RunCancelled RunState = "cancelled"
	RunDone      RunState = "done"
)

// BroadcastRun is one sending of a broadcast: once for one sent now or
// once; one per firing and zone for a repeating one (homes of one zone
// fire together).
type BroadcastRun struct {
	Broadcast int64 `json:"b"`
	// N numbers the broadcast's runs from 1.
	N       int64     `json:"n"`
	Homes   []int64   `json:"h"`
	State   RunState  `json:"s"`
	Started time.Time `json:"-"`
	Ended   time.Time `json:"-"`
	// Total is how many recipients it was found to have at send time.
	Total int `json:"t"`
	// Queued is how many were handed to the outbox so far; Held how many
	// wait for their quiet hours to end.
	Queued int `json:"q"`
	Held   int `json:"hd"`
	// Delivered, Failed (by reason), Blocked (the person blocked the bot)
	// and Cancelled (withdrawn by a cancel before they went) are the
	// outbox's counts; Failed includes neither Blocked nor Cancelled.
	Delivered int            `json:"d"`
	Failed    map[string]int `json:"f,omitempty"`
	Blocked   int            `json:"bl"`
	Cancelled int            `json:"c"`
	// Chat and Message are the sender's progress message, edited as it
	// goes (0 until sent; -1 when it could not be sent); ProgressID is
	// its outbox id while it waits to be sent.
	Chat       int64  `json:"pc,omitempty"`
	Message    int    `json:"pm,omitempty"`
	ProgressID string `json:"-"`
	// Shown is a digest of what the progress message shows now.
	Shown string `json:"-"`
	// From is the sender; Placed how many recipients its chunks dealt
	// with (queued, held or skipped), Skipped those gone since it began.
	From    int64 `json:"-"`
	Placed  int   `json:"-"`
	Skipped int   `json:"-"`
}

// FailedTotal sums Failed.
func (r BroadcastRun) FailedTotal() int {
	n := 0
	for _, v := range r.Failed {
		n += v
	}
	return n
}

// Pending is how many recipients are neither delivered nor failed,
// blocked or cancelled yet.
func (r BroadcastRun) Pending() int {
	p := r.Total - r.Delivered - r.FailedTotal() - r.Blocked - r.Cancelled
	if p < 0 {
		return 0
	}
	return p
}

// ProgressEvery is the least time between two edits of a run's progress
// message.
const ProgressEvery = 5 * time.Second

// BroadcastChunk is how many recipients one agenda item of a run queues.
const BroadcastChunk = 200

// MaxRunsKept is how many runs of one broadcast keep their report.
const MaxRunsKept = 12

// Recipient is one person a run reaches, with what its placeholders and
// quiet hours need, read at send time.
type Recipient struct {
	User int64
	Home int64
	// Role is the role they are reached in at Home (guardian, teacher or
	// coordinator).
	Role     Role
	Name     string
	Lang     string
	Zone     string
	Quiet    QuietHours
	HomeName string
	// Children are the names of their children at Home (guardians only).
	Children []string
	// NextCall is the start of their next confirmed call at Home (zero:
	// none); NextCallChild the child it is with.
	NextCall      time.Time
	NextCallChild string
}

// The placeholders a broadcast may use, filled per recipient.
const (
	PlaceParentName = "parent_name"
	PlaceChildNames = "child_names"
	PlaceHomeName   = "home_name"
	PlaceNextCall   = "next_call"
)

// Placeholders are every placeholder's name, in the order they are offered.
var Placeholders = []string{PlaceParentName, PlaceChildNames, PlaceHomeName, PlaceNextCall}

// ErrUnknownPlaceholder means a text names a placeholder that is not one
// of Placeholders.
var ErrUnknownPlaceholder = errors.New("unknown placeholder")

// placeholderAt reads a placeholder at the start of s ("{name}", name of
// ASCII letters, digits and underscores, 1 to 32 of them) and returns its
// name and length, or "", 0.
func placeholderAt(s string) (string, int) {
	if len(s) < 3 || s[0] != '{' {
		return "", 0
	}
	for i := 1; i < len(s) && i <= 33; i++ {
		c := s[i]
		switch {
		case c == '}' && i > 1:
			return s[1:i], i + 1
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
		default:
			return "", 0
		}
	}
	return "", 0
}

// UnknownPlaceholders lists the placeholders text names that are not
// known, each once, in order; nil when all are known. Braces around
// anything but a name (a "{" alone, "{ }", "{第一}") are plain text.
func UnknownPlaceholders(text string) []string {
	var out []string
	seen := map[string]bool{}
	for i := 0; i < len(text); i++ {
		name, n := placeholderAt(text[i:])
		if n == 0 {
			continue
		}
		if !isPlaceholder(name) && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
		i += n - 1
	}
	return out
}

func isPlaceholder(name string) bool {
	for _, p := range Placeholders {
		if p == name {
			return true
		}
	}
	return false
}

// FillPlaceholders replaces each known placeholder in text (Telegram
// HTML) with its value from values, HTML-escaped; an unknown one stays as
// it was.
func FillPlaceholders(text string, values map[string]string) string {
	if !strings.Contains(text, "{") {
		return text
	}
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		name, n := placeholderAt(text[i:])
		if n > 0 && isPlaceholder(name) {
			b.WriteString(html.EscapeString(values[name]))
			i += n - 1
			continue
		}
		b.WriteByte(text[i])
	}
	return b.String()
}

// BroadcastKey reads a key naming a broadcast's parts,
// "<id>.<a>[.<b>…]" (an agenda item's key, a run in the active set), into
// its n numbers; ok is false unless it holds exactly n of them, none
// negative.
func BroadcastKey(key string, n int) ([]int64, bool) {
	parts := strings.Split(key, ".")
	if len(parts) != n {
		return nil, false
	}
	out := make([]int64, n)
	for i, p := range parts {
		v, err := strconv.ParseInt(p, 10, 64)
		if err != nil || v < 0 {
			return nil, false
		}
		out[i] = v
	}
	return out, true
}

// RunBatch is the outbox batch of run n of broadcast id.
func RunBatch(id, n int64) string {
	return "bc" + strconv.FormatInt(id, 10) + "." + strconv.FormatInt(n, 10)
}

// RunRef is one recipient of a run as its chunk names them.
type RunRef struct {
	Home, User int64
	Role       Role
}

var roleCodes = map[string]Role{"g": RoleGuardian, "t": RoleTeacher, "c": RoleCoordinator}

// ParseChunk reads a chunk's payload ("<home>:<user>:<role>,…", role g,
// t or c); entries it cannot read are left out.
func ParseChunk(payload string) []RunRef {
	var out []RunRef
	for _, e := range strings.Split(payload, ",") {
		f := strings.Split(e, ":")
		if len(f) != 3 {
			continue
		}
		h, err1 := strconv.ParseInt(f[0], 10, 64)
		u, err2 := strconv.ParseInt(f[1], 10, 64)
		role, ok := roleCodes[f[2]]
		if err1 != nil || err2 != nil || !ok {
			continue
		}
		out = append(out, RunRef{Home: h, User: u, Role: role})
	}
	return out
}

// FormatChunk writes refs as a chunk's payload (a held part's).
func FormatChunk(refs []RunRef) string {
	var b strings.Builder
	for i, r := range refs {
		if i > 0 {
			b.WriteByte(',')
		}
		code := "g"
		switch r.Role {
		case RoleTeacher:
			code = "t"
		case RoleCoordinator:
			code = "c"
		}
		fmt.Fprintf(&b, "%d:%d:%s", r.Home, r.User, code)
	}
	return b.String()
}

// RunID names one run of a broadcast.
type RunID struct{ Broadcast, N int64 }
