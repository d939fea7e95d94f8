package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink"
)

// Reminders are agenda items the call scripts put, move and withdraw in
// the same step as the change to the call (remind_plan in _calls.lua), all
// keyed "<home>.<call>" like the call's other items: only a confirmed
// call has them, each at its time while that is still ahead.
const (
	// KindRemindDay reminds the guardian who booked a call a day ahead
	// (the home's Reminders.DayAhead; not when they switched it off).
	KindRemindDay = "call.remind.day"
	// KindRemindSoon reminds them soon before it (Reminders.Soon).
	KindRemindSoon = "call.remind.soon"
	// KindRemindStart tells them at the start, with the home's calling
	// instructions.
	KindRemindStart = "call.remind.start"
	// KindRemindNudge nudges the home's teachers (Reminders.Nudge).
	KindRemindNudge = "call.remind.nudge"
	// KindDigest is a home's morning digest, keyed "<home>", due at
	// homelink.DigestMinute home time; its run plans one KindDigestTo per
	// teacher and the next digest (PlanDigest).
	KindDigest = "home.digest"
	// KindDigestTo is one teacher's digest, keyed "<home>.<teacher>", its
	// payload the day (YYYY-MM-DD, home time).
	KindDigestTo = "home.digest.to"
)

// ReminderKinds are the kinds of a call's reminders.
var ReminderKinds = []string{KindRemindDay, KindRemindSoon, KindRemindStart, KindRemindNudge}

// AnswerCall keeps what the guardian who booked confirmed call id of home
// h answered its reminder. homelink.ErrNotAllowed for anyone else (or a
// guardian no longer the child's), homelink.ErrStateChanged when the call
// is no longer confirmed or is over, homelink.ErrNotFound when it is gone.
func (s *Store) AnswerCall(ctx context.Context, by homelink.By, h, id int64, ans homelink.CallAnswer) (homelink.Booking, error) {
	if ans != homelink.AnswerYes && ans != homelink.AnswerNo {
		return homelink.Booking{}, fmt.Errorf("store: answer %q: %w", ans, homelink.ErrNotAllowed)
	}
	return s.callOp(ctx, "answer call", "call_answer", nil, s.clock.Now().UnixMilli(), h, id, by.User, string(ans))
}

// SetDayAhead switches guardian user's reminder a day ahead on or off;
// their confirmed calls ahead gain or lose it in the same step.
func (s *Store) SetDayAhead(ctx context.Context, user int64, on bool) error {
	off := "1"
	if on {
		off = "0"
	}
	if err := s.run(ctx, "remind_dayoff", nil, user, off, s.clock.Now().UnixMilli()).Err(); err != nil {
		return fmt.Errorf("store: reminder a day ahead of %d: %w", user, err)
	}
	return nil
}

// SetQuietHours sets user's quiet hours; nil returns them to
// homelink.DefaultQuietHours.
func (s *Store) SetQuietHours(ctx context.Context, user int64, q *homelink.QuietHours) error {
	var err error
	if q == nil {
		err = s.rdb.HDel(ctx, s.k.user(user), "quiet").Err()
	} else {
		err = s.rdb.HSet(ctx, s.k.user(user), "quiet", strconv.Itoa(q.Start)+"-"+strconv.Itoa(q.End)).Err()
	}
	if err != nil {
		return fmt.Errorf("store: quiet hours of %d: %w", user, err)
	}
	return nil
}

// quietFrom reads a user hash's quiet field ("<start>-<end>", minutes);
// nil when unset or unreadable (the default).
func quietFrom(v string) *homelink.QuietHours {
	a, b, ok := strings.Cut(v, "-")
	start, err1 := strconv.Atoi(a)
	end, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || start < 0 || end < 0 || start >= 24*60 || end >= 24*60 {
		return nil
	}
	return &homelink.QuietHours{Start: start, End: end}
}

// PlanDigest plans home h's morning digest of day (YYYY-MM-DD, home time):
// one for each teacher in to, due when that teacher may be told; and the
// home's next digest at next, for nextDay. One step (digest_plan.lua).
func (s *Store) PlanDigest(ctx context.Context, h int64, day string, to map[int64]time.Time, next time.Time, nextDay string) error {
	args := []any{h, day, next.UnixMilli(), nextDay}
	for uid, at := range to {
		args = append(args, uid, at.UnixMilli())
	}
	if err := s.run(ctx, "digest_plan", nil, args...).Err(); err != nil {
		return fmt.Errorf("store: plan digest of %d: %w", h, err)
	}
	return nil
}

// EnsureDigests gives every home without a morning digest planned one,
// at the next homelink.DigestMinute in its zone: at startup (homes from
// before digests), and every hour (a digest whose run failed past its
// retries). Two round trips whatever the number of homes.
func (s *Store) EnsureDigests(ctx context.Context) error {
	ids, err := s.rdb.SMembers(ctx, s.k.homes()).Result()
	if err != nil {
		return fmt.Errorf("store: digests: %w", err)
	}
	now := s.clock.Now()
	// The homes' zones in one round trip.
	pipe := s.rdb.Pipeline()
	zones := make(map[int64]*redis.StringCmd, len(ids))
	for _, v := range ids {
		if h, err := strconv.ParseInt(v, 10, 64); err == nil {
			zones[h] = pipe.HGet(ctx, s.k.home(h), "tz")
		}
	}
	if _, err := pipe.Exec(ctx); err != nil && !isNil(err) {
		return fmt.Errorf("store: digests: %w", err)
	}
	args := make([]any, 0, 2*len(zones))
	for h, tz := range zones {
		args = append(args, h, homelink.NextDigest(now, s.zoneFrom(tz)).UnixMilli())
	}
	if len(args) == 0 {
		return nil
	}
	if err := s.run(ctx, "digest_ensure", nil, args...).Err(); err != nil {
		return fmt.Errorf("store: digests: %w", err)
	}
	return nil
}

// DueCall reads call id of home h with what its reminders need, in one
// round trip (remind_read.lua), checking in the same step that the
// reminder's agenda item (kind, key) is still the claim's (homelink.ErrMovedOn
// otherwise); homelink.ErrNotFound when the call is gone.
func (s *Store) DueCall(ctx context.Context, h, id int64, kind, key, claim string) (homelink.DueCall, error) {
	res, err := s.run(ctx, "remind_read", nil, h, id, kind, key, claim).Slice()
	if err != nil {
		return homelink.DueCall{}, fmt.Errorf("store: call %d of %d: %w", id, h, err)
	}
	if len(res) == 1 {
		return homelink.DueCall{}, homelink.ErrMovedOn
	}
	if len(res) < 8 {
		return homelink.DueCall{}, homelink.ErrNotFound
	}
	part := func(i int) []any { v, _ := res[i].([]any); return v }
	strs := func(i int) []string {
		out := make([]string, 0, len(part(i)))
		for _, v := range part(i) {
			if str, ok := v.(string); ok {
				out = append(out, str)
			}
		}
		return out
	}
	call := bookingFrom(flatMap(part(0)))
	// The offsets the call's reminders were planned with; unset, the
	// default (as remind_offsets in _calls.lua reads them).
	rem, offsets := homelink.DefaultReminders, part(1)
	for i, d := range []*time.Duration{&rem.DayAhead, &rem.Soon, &rem.Nudge} {
		if i >= len(offsets) {
			break
		}
		v, _ := offsets[i].(string)
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && v != "" {
			*d = time.Duration(n) * time.Millisecond
		}
	}
	child, _ := childFrom(h, call.ChildID, flatMap(part(5)), flatMap(part(6)))
	return homelink.DueCall{Call: call, Reminders: rem, Home: homeFrom(h, flatMap(part(2)), strs(3), strs(4)),
		Child: child, Guardian: userFromHash(call.Guardian, flatMap(part(7)))}, nil
}
