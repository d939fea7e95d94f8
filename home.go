package homelink

import (
	"errors"
	"strings"
	"sync"
	"time"
)

// Home is a village Children's Home: where children spend weekends and
// call their parents.
type Home struct {
	ID   int64
	Name string
	// TimeZone is an IANA name; calls and reminders use it.
	TimeZone string
	// Instructions tell parents how the call reaches the home (its phone,
	// its video account).
	Instructions string
	Teachers     []int64
	Coordinators []int64
	// Children and Guardians count the home's children and their linked
	// guardians.
	Children, Guardians int
}

// TimeZoneChoices are offered as buttons; anything else is typed.
var TimeZoneChoices = []string{"Asia/Shanghai", "Asia/Urumqi", "Asia/Hong_Kong", "Asia/Taipei"}

// ErrBadTimeZone means a typed time zone is not an IANA name we know.
var ErrBadTimeZone = errors.New("homelink: unknown time zone")

// CheckTimeZone validates an IANA time zone name such as "Asia/Shanghai".
// "Local" and abbreviations are refused: a home's clock must not depend on
// the server's.
func CheckTimeZone(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	if name == "" || name == "Local" || len(name) > 64 || !(strings.Contains(name, "/") || name == "UTC") {
		return nil, ErrBadTimeZone
	}
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, ErrBadTimeZone
	}
	zones.Store(name, loc)
	return loc, nil
}

// zones keeps the zones CheckTimeZone loaded, by name: time.LoadLocation
// reads and parses the zone's file on every call, and every time shown to
// someone asks for their zone. Only zones that exist are kept, so it holds
// at most the few hundred the tz database names.
var zones sync.Map

// HomeField names what a coordinator may change of a home.
type HomeField string

// The fields of a home a coordinator edits.
const (
	HomeName         HomeField = "name"
	HomeTimeZone     HomeField = "tz"
	HomeInstructions HomeField = "instr"
)
