package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink"
)

// A home's call hours are one hash: json (homelink.Hours) and v, a version
// every SetHours bumps. Booking checks a slot against the hours in Go and
// hands the version to its script, which refuses to write if the hours
// changed in between.

// Hours are home h's call hours, with their Version; homelink.DefaultHours
// (Version 0) when none were set.
func (s *Store) Hours(ctx context.Context, h int64) (homelink.Hours, error) {
	vals, err := s.rdb.HMGet(ctx, s.k.hours(h), "json", "v").Result()
	if err != nil {
		return homelink.Hours{}, fmt.Errorf("store: hours of %d: %w", h, err)
	}
	raw, _ := vals[0].(string)
	v, _ := vals[1].(string)
	hrs := hoursFrom(raw)
	hrs.Version, _ = strconv.ParseInt(v, 10, 64)
	return hrs, nil
}

// SetHours replaces home h's hours, for its teachers and coordinators
// (checked as it writes: homelink.ErrNotAllowed otherwise;
// homelink.ErrNotFound when the home is gone). Hours that fail Validate
// are refused with its error and change nothing. hrs.Version is the
// version the change was made against (Hours fills it): when the stored
// hours have another one, someone changed them meanwhile and the change
// is refused with homelink.ErrStateChanged, nothing written; Version 0
// writes without that check.
func (s *Store) SetHours(ctx context.Context, by homelink.By, h int64, hrs homelink.Hours) error {
	if err := hrs.Validate(); err != nil {
		return err
	}
	version := hrs.Version
	hrs.Set, hrs.Version = true, 0
	b, err := json.Marshal(hrs)
	if err != nil {
		return fmt.Errorf("store: set hours of %d: %w", h, err)
	}
	rem := hrs.ReminderOffsets()
	v, err := s.run(ctx, "hours_set", []string{s.k.hours(h), s.k.home(h)}, h, by.User, b, version,
		rem.DayAhead.Milliseconds(), rem.Soon.Milliseconds(), rem.Nudge.Milliseconds(), s.clock.Now().UnixMilli()).Int()
	if err != nil {
		return fmt.Errorf("store: set hours of %d: %w", h, err)
	}
	switch {
	case v == -2:
		return fmt.Errorf("store: set hours of %d: %w", h, homelink.ErrStateChanged)
	case v <= 0:
		return written(v)
	}
	return nil
}

// hoursFrom reads stored hours; none (or unreadable) are the defaults.
func hoursFrom(raw string) homelink.Hours {
	if raw == "" {
		return homelink.DefaultHours()
	}
	var hrs homelink.Hours
	if json.Unmarshal([]byte(raw), &hrs) != nil {
		return homelink.DefaultHours()
	}
	return hrs
}

// slotRules is what checking a slot of a home needs: its hours, their
// version and its zone.
type slotRules struct {
	hrs     homelink.Hours
	version string
	zone    *time.Location
}

// zoneFrom is the zone a home's tz field names, else the default zone.
func (s *Store) zoneFrom(tz *redis.StringCmd) *time.Location {
	if loc, err := homelink.CheckTimeZone(tz.Val()); err == nil {
		return loc
	}
	return s.zone
}

// homeZone reads home h's zone.
func (s *Store) homeZone(ctx context.Context, h int64) (*time.Location, error) {
	tz := s.rdb.HGet(ctx, s.k.home(h), "tz")
	if err := tz.Err(); err != nil && !isNil(err) {
		return nil, fmt.Errorf("store: zone of %d: %w", h, err)
	}
	return s.zoneFrom(tz), nil
}

// clockArgs is the clock block every call script takes (see _calls.lua):
// now, the week it is counted in (in zone), the history retention and
// homelink.MarkAgainAfter, the durations in ms.
func (s *Store) clockArgs(now time.Time, zone *time.Location) []any {
	return []any{now.UnixMilli(), homelink.WeekOf(now, zone), s.retention.Milliseconds(),
		homelink.MarkAgainAfter.Milliseconds()}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
