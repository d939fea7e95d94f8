package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink"
)

// The agenda's kinds of a call's due work, keyed "<home>.<call>" (CallKey
// reads one back), and of a standing call's weekly renewal, keyed
// "<home>.<series>". The scripts that change a call put, move and withdraw
// them in the same step.
const (
	// KindCallExpire expires a request still unanswered (Expire).
	KindCallExpire = "call.expire"
	// KindCallEnded is a confirmed call's end: the teachers are asked to
	// mark it held or missed.
	KindCallEnded = "call.ended"
	// KindCallUnmarked asks the teachers again, homelink.MarkAgainAfter
	// after the end, when it is still not marked.
	KindCallUnmarked = "call.unmarked"
	// KindCallForget deletes a call the history retention after its end
	// (ForgetCall).
	KindCallForget = "call.forget"
	// KindSeriesRenew books a standing call's next occurrence
	// (RenewSeries).
	KindSeriesRenew = "series.renew"
)

// CallKey reads an agenda key of a call (or a standing call): its home and
// id.
func CallKey(key string) (home, id int64, ok bool) {
	h, c, found := strings.Cut(key, ".")
	if !found {
		return 0, 0, false
	}
	home, err1 := strconv.ParseInt(h, 10, 64)
	id, err2 := strconv.ParseInt(c, 10, 64)
	if err1 != nil || err2 != nil || home <= 0 || id <= 0 {
		return 0, 0, false
	}
	return home, id, true
}

// weekTTL is how long a home's week counts are kept (WEEK_TTL in
// _calls.lua): long enough for a year's reports.
const weekTTL = 400 * 24 * time.Hour

// errHoursChanged: the hours changed between reading them and writing;
// the booking is tried once more with the new ones.
var errHoursChanged = errors.New("store: the hours changed meanwhile")

// callStatus turns a call script's status into the error it means.
func callStatus(status string) error {
	switch status {
	case "ok":
		return nil
	case "notfound":
		return homelink.ErrNotFound
	case "notallowed":
		return homelink.ErrNotAllowed
	case "changed", "early":
		return homelink.ErrStateChanged
	case "taken":
		return homelink.ErrSlotTaken
	case "busy":
		return homelink.ErrChildBusy
	case "toomany":
		return homelink.ErrTooManyUpcoming
	case "hours":
		return errHoursChanged
	}
	return fmt.Errorf("store: unknown answer %q", status)
}

// callOp runs a call script whose answer is {status, fields…} and returns
// the call as the script left it, with the error its status means.
func (s *Store) callOp(ctx context.Context, op, name string, keys []string, args ...any) (homelink.Booking, error) {
	res, err := s.run(ctx, name, keys, args...).Slice()
	if err != nil {
		return homelink.Booking{}, fmt.Errorf("store: %s: %w", op, err)
	}
	if len(res) == 0 {
		return homelink.Booking{}, fmt.Errorf("store: %s: empty answer", op)
	}
	status, _ := res[0].(string)
	b := bookingFrom(flatMap(res[1:]))
	if err := callStatus(status); err != nil {
		return b, err
	}
	return b, nil
}

// flatMap reads a flat field/value list that a script returned.
func flatMap(vals []any) map[string]string {
	m := make(map[string]string, len(vals)/2)
	for i := 0; i+1 < len(vals); i += 2 {
		k, _ := vals[i].(string)
		v, _ := vals[i+1].(string)
		m[k] = v
	}
	return m
}

// bookingFrom reads a call's hash (see keys.go).
func bookingFrom(m map[string]string) homelink.Booking {
	num := func(k string) int64 { n, _ := strconv.ParseInt(m[k], 10, 64); return n }
	b := homelink.Booking{ID: num("id"), HomeID: num("home"), ChildID: num("child"), Guardian: num("g"),
		Start: msTime(m["start"]), Minutes: int(num("min")), Kind: homelink.CallKind(m["kind"]),
		Note: m["note"], State: homelink.BookingState(m["state"]), Series: num("series"),
		CreatedAt: msTime(m["created"]), By: num("by"), At: msTime(m["at"]), Reason: m["reason"],
		Answer: homelink.CallAnswer(m["ans"]), AnsweredAt: msTime(m["ansat"])}
	for p := range strings.SplitSeq(m["props"], ",") {
		if p != "" {
			b.Proposals = append(b.Proposals, msTime(p))
		}
	}
	return b
}

// msTime reads unix ms as a UTC time; "" is the zero time.
func msTime(v string) time.Time {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || v == "" {
		return time.Time{}
	}
	return time.UnixMilli(n).UTC()
}

// Booking reads call id of home h; homelink.ErrNotFound when there is none.
func (s *Store) Booking(ctx context.Context, h, id int64) (homelink.Booking, error) {
	m, err := s.rdb.HGetAll(ctx, s.k.call(h, id)).Result()
	if err != nil {
		return homelink.Booking{}, fmt.Errorf("store: call %d of %d: %w", id, h, err)
	}
	if len(m) == 0 {
		return homelink.Booking{}, homelink.ErrNotFound
	}
	return bookingFrom(m), nil
}

// readCalls reads calls named "<home>.<call>", in that order, in one round
// trip; calls gone meanwhile are left out.
func (s *Store) readCalls(ctx context.Context, refs []string) ([]homelink.Booking, error) {
	if len(refs) == 0 {
		return nil, nil
	}
	pipe := s.rdb.Pipeline()
	cmds := make([]*redis.MapStringStringCmd, 0, len(refs))
	for _, ref := range refs {
		if h, id, ok := CallKey(ref); ok {
			cmds = append(cmds, pipe.HGetAll(ctx, s.k.call(h, id)))
		}
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("store: read calls: %w", err)
	}
	out := make([]homelink.Booking, 0, len(cmds))
	for _, c := range cmds {
		if m := c.Val(); len(m) > 0 {
			out = append(out, bookingFrom(m))
		}
	}
	return out, nil
}

// GuardianCalls are the calls user booked that are active and end after
// now, by start.
func (s *Store) GuardianCalls(ctx context.Context, user int64) ([]homelink.Booking, error) {
	now := s.clock.Now()
	refs, err := s.rdb.ZRangeByScore(ctx, s.k.userCalls(user), &redis.ZRangeBy{
		Min: "(" + itoa(now.Add(-homelink.MaxSlotMinutes*time.Minute).UnixMilli()), Max: "+inf"}).Result()
	if err != nil {
		return nil, fmt.Errorf("store: calls of %d: %w", user, err)
	}
	calls, err := s.readCalls(ctx, refs)
	if err != nil {
		return nil, err
	}
	out := calls[:0]
	for _, c := range calls {
		if c.Upcoming(now) {
			out = append(out, c)
		}
	}
	return out, nil
}

// GuardianHistory is every call user booked that is still kept, in any
// state, by start: for /mydata.
func (s *Store) GuardianHistory(ctx context.Context, user int64) ([]homelink.Booking, error) {
	refs, err := s.rdb.ZRange(ctx, s.k.userCalls(user), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("store: call history of %d: %w", user, err)
	}
	return s.readCalls(ctx, refs)
}

// HomeCalls are home h's calls starting in [from, to), in every state, by
// start.
func (s *Store) HomeCalls(ctx context.Context, h int64, from, to time.Time) ([]homelink.Booking, error) {
	ids, err := s.rdb.ZRangeByScore(ctx, s.k.homeCalls(h), &redis.ZRangeBy{
		Min: itoa(from.UnixMilli()), Max: "(" + itoa(to.UnixMilli())}).Result()
	if err != nil {
		return nil, fmt.Errorf("store: calls of home %d: %w", h, err)
	}
	refs := make([]string, len(ids))
	for i, id := range ids {
		refs[i] = itoa(h) + "." + id
	}
	return s.readCalls(ctx, refs)
}

// NoteRequestMessages keeps which outbox message showed request id of home
// h to each teacher, replacing what was kept; nothing when the call is
// gone.
func (s *Store) NoteRequestMessages(ctx context.Context, h, id int64, msgs map[int64]string) error {
	b, err := json.Marshal(msgs)
	if err != nil {
		return fmt.Errorf("store: note request messages of %d: %w", id, err)
	}
	args := append([]any{b}, s.clockArgs(s.clock.Now(), s.zone)...)
	if err := s.run(ctx, "call_note", []string{s.k.call(h, id)}, args...).Err(); err != nil {
		return fmt.Errorf("store: note request messages of %d: %w", id, err)
	}
	return nil
}

// RequestMessages are the messages NoteRequestMessages kept, by teacher.
func (s *Store) RequestMessages(ctx context.Context, h, id int64) (map[int64]string, error) {
	raw, err := s.rdb.HGet(ctx, s.k.call(h, id), "tmsgs").Result()
	if isNil(err) {
		return map[int64]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: request messages of %d: %w", id, err)
	}
	out := map[int64]string{}
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		return nil, fmt.Errorf("store: request messages of %d: %w", id, err)
	}
	return out, nil
}

// WeekCounts are home h's counts of week (homelink.WeekOf in the home's
// zone), by state; states nothing reached are left out. Each change is
// counted in the week it happens, by one rule: requested, confirmed,
// declined and expired count requests once each (a standing call is one
// request: its renewals and occurrences, a reschedule or a move add no
// request, and a call or standing call is counted confirmed only the
// first time); held, missed and cancelled count calls that would have
// been held, per occurrence (cancelled only when cancelled before its
// end; the occurrences a move replaces are not cancelled in the counts).
// keys.go spells the rule out.
func (s *Store) WeekCounts(ctx context.Context, h int64, week string) (map[homelink.BookingState]int, error) {
	m, err := s.rdb.HGetAll(ctx, s.k.week(h, week)).Result()
	if err != nil {
		return nil, fmt.Errorf("store: counts of %d in %s: %w", h, week, err)
	}
	out := map[homelink.BookingState]int{}
	for _, st := range homelink.BookingStates {
		if n, err := strconv.Atoi(m[string(st)]); err == nil && n > 0 {
			out[st] = n
		}
	}
	return out, nil
}

// ForgetCall deletes call id of home h once the history retention after
// its end has passed (the agenda's call.forget): its hash, its places in
// every index, its agenda items. A call gone, or moved later since, is
// left alone.
func (s *Store) ForgetCall(ctx context.Context, h, id int64) error {
	zone, err := s.homeZone(ctx, h)
	if err != nil {
		return err
	}
	args := append(s.clockArgs(s.clock.Now(), zone), h, id)
	if err := s.run(ctx, "call_forget", []string{s.k.call(h, id)}, args...).Err(); err != nil {
		return fmt.Errorf("store: forget call %d of %d: %w", id, h, err)
	}
	return nil
}
