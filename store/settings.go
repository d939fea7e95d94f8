package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/homelink/homelink"
)

// A person's own settings live in their user hash: tz (an IANA zone) and
// shifts (JSON of homelink.Shifts). Neither is a role: the scripts and
// userFromHash that read roles from the hash pass them by.

// SetTimeZone sets the zone user reads times in; "" returns them to the
// default (their home's). A name homelink.CheckTimeZone refuses is
// homelink.ErrBadTimeZone and changes nothing.
func (s *Store) SetTimeZone(ctx context.Context, user int64, zone string) error {
	var err error
	if zone == "" {
		err = s.rdb.HDel(ctx, s.k.user(user), "tz").Err()
	} else {
		loc, cerr := homelink.CheckTimeZone(zone)
		if cerr != nil {
			return cerr
		}
		err = s.rdb.HSet(ctx, s.k.user(user), "tz", loc.String()).Err()
	}
	if err != nil {
		return fmt.Errorf("store: set time zone of %d: %w", user, err)
	}
	return nil
}

// SetShifts sets a guardian's work shifts; the zero Shifts clears them.
func (s *Store) SetShifts(ctx context.Context, user int64, sh homelink.Shifts) error {
	var err error
	if sh.IsZero() {
		err = s.rdb.HDel(ctx, s.k.user(user), "shifts").Err()
	} else {
		b, merr := json.Marshal(sh)
		if merr != nil {
			return fmt.Errorf("store: set shifts of %d: %w", user, merr)
		}
		err = s.rdb.HSet(ctx, s.k.user(user), "shifts", b).Err()
	}
	if err != nil {
		return fmt.Errorf("store: set shifts of %d: %w", user, err)
	}
	return nil
}

// readSettings fills u's settings from its user hash m; shifts that no
// longer parse (an older layout) are read as none.
func readSettings(u *homelink.User, m map[string]string) {
	u.TimeZone = m["tz"]
	u.Quiet = quietFrom(m["quiet"])
	u.DayAheadOff = m["dayoff"] == "1"
	if v := m["shifts"]; v != "" {
		var sh homelink.Shifts
		if json.Unmarshal([]byte(v), &sh) == nil {
			u.Shifts = sh
		}
	}
}
