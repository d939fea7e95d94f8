package homelink

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// Child is a child registered at a home. homelink keeps a display name only:
// no surname, no identity numbers. Children have no account.
type Child struct {
	ID     int64
	HomeID int64
	Name   string
	// BirthYear is 0 when the teacher did not give it.
	BirthYear int
	Guardians []Guardian
}

// Guardian is one account linked to a child.
type Guardian struct {
	UserID       int64
	Relationship Relationship
}

// Guardian returns user's link to the child, if they are linked.
func (c Child) Guardian(user int64) (Guardian, bool) {
	for _, g := range c.Guardians {
		if g.UserID == user {
			return g, true
		}
	}
	return Guardian{}, false
}

// ErrBadBirthYear means a typed birth year is not a year a child at a home
// could be born in.
var ErrBadBirthYear = errors.New("homelink: birth year out of range")

// MaxChildAge bounds the birth years accepted.
const MaxChildAge = 18

// ParseBirthYear reads a typed birth year: a child under MaxChildAge now.
func ParseBirthYear(s string, now time.Time) (int, error) {
	s = strings.TrimSuffix(strings.TrimSpace(ASCIIDigits(s)), "年")
	y, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || y > now.Year() || y < now.Year()-MaxChildAge {
		return 0, ErrBadBirthYear
	}
	return y, nil
}
