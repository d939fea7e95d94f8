package bot

import (
	"context"
	"errors"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// Every change to a home's hours is read, change, write: the write is
// refused when someone else saved the hours in between (ErrStateChanged,
// by their version), and the change is then made again on a fresh
// reading, so two staff editing /hours at once both keep what they did.

// hoursTries bounds how often a change is made again on fresh hours.
const hoursTries = 3

// hoursRefused is a change the hours do not take (it does not fit them,
// or no longer applies): nothing was written.
type hoursRefused struct{ err error }

func (e hoursRefused) Error() string { return "bot: hours refused: " + e.err.Error() }
func (e hoursRefused) Unwrap() error { return e.err }

// errNothingToChange: the change no longer applies (what it removes is
// gone); nothing is written.
var errNothingToChange = errors.New("bot: nothing to change in the hours")

// changeHours reads home h's hours, applies change and saves them as r's
// user, again from a fresh reading when someone saved them meanwhile, up
// to hoursTries times. An error of change, or of Validate on the changed
// hours, comes back as hoursRefused, and nothing is written.
func (b *Bot) changeHours(ctx context.Context, r *request, h int64, change func(*homelink.Hours) error) (homelink.Hours, error) {
	err := homelink.ErrStateChanged
	for range hoursTries {
		hrs, rerr := b.Store.Hours(ctx, h)
		if rerr != nil {
			return hrs, rerr
		}
		if cerr := change(&hrs); cerr != nil {
			return hrs, hoursRefused{cerr}
		}
		if verr := hrs.Validate(); verr != nil {
			return hrs, hoursRefused{verr}
		}
		hrs.Set = true
		if err = b.Store.SetHours(ctx, r.by(), h, hrs); !errors.Is(err, homelink.ErrStateChanged) {
			return hrs, err
		}
	}
	return homelink.Hours{}, err
}

// saveHours changes home h's hours and shows them with notice. A change
// the hours refuse is answered by refuse (nil: the reason, and the way
// back to the hours) and nothing is written; one that no longer applies
// shows the hours as they are.
func (b *Bot) saveHours(ctx context.Context, r *request, h int64, change func(*homelink.Hours) error, refuse func(error) error, notice func() string) error {
	_, err := b.changeHours(ctx, r, h, change)
	var refused hoursRefused
	switch {
	case errors.Is(err, errNothingToChange):
		return b.showHours(ctx, r, h, "")
	case errors.As(err, &refused):
		if refuse != nil {
			return refuse(refused.err)
		}
		return r.show(ctx, r.typedError(refused.err, ""), [][]outbox.Button{b.backToHours(r, h)})
	case errors.Is(err, homelink.ErrNotFound):
		return r.show(ctx, r.html("Gone"), nil)
	case err != nil:
		return err
	}
	return b.showHours(ctx, r, h, notice()) // and out of any question
}
