package agenda

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/homelink/homelink/agenda/rule"
)

// recurring is the payload of a recurring item: its rule (canonical text,
// see rule.Rule.String), the zone it is read in, and the handler's own data.
type recurring struct {
	Rule string `json:"r"`
	Zone string `json:"z"`
	Data []byte `json:"d,omitempty"`
}

// PutRecurring schedules kind/key at r's first time after after, carrying
// data; handled through Recurring, it is put again at each next time.
func (a *Agenda) PutRecurring(ctx context.Context, kind, key string, r rule.Rule, after time.Time, data []byte) error {
	payload, err := recurringPayload(r, data)
	if err != nil {
		return fmt.Errorf("agenda: put %s %s: %w", kind, key, err)
	}
	return a.Put(ctx, kind, key, r.Next(after), payload)
}

// PutRecurringIfAbsent is PutRecurring unless kind/key waits or is claimed
// already (PutIfAbsent): a standing series made sure of at every start
// keeps its time. It reports whether it put the item.
func (a *Agenda) PutRecurringIfAbsent(ctx context.Context, kind, key string, r rule.Rule, after time.Time, data []byte) (bool, error) {
	payload, err := recurringPayload(r, data)
	if err != nil {
		return false, fmt.Errorf("agenda: put if absent %s %s: %w", kind, key, err)
	}
	return a.PutIfAbsent(ctx, kind, key, r.Next(after), payload)
}

// RecurringPayload is the payload of a recurring item of rule r carrying
// data, for a script that puts the item itself (agenda.Lua's agenda_put)
// atomically with its own change; handled through Recurring.
func RecurringPayload(r rule.Rule, data []byte) ([]byte, error) { return recurringPayload(r, data) }

func recurringPayload(r rule.Rule, data []byte) ([]byte, error) {
	return json.Marshal(recurring{Rule: r.String(), Zone: r.Location().String(), Data: data})
}

// ErrStop, returned by the handler of a recurring item, ends its series:
// the run is acknowledged and no next one is put (what the item stood
// for is gone, such as a deleted weekly broadcast).
var ErrStop = errors.New("agenda: the series ends")

// Recurring makes a handler of a recurring kind: handle gets the item with
// its own data as Payload; when it succeeds, or the run is skipped as too
// late (h.UsefulFor past its time), the item is put again at its rule's
// next time after the time it was due, not after now, so a late run skips
// no period and a skipped one does not end the series. The re-put
// replaces the item in one step, and the run's acknowledgement leaves the
// new one alone.
func (a *Agenda) Recurring(h Handler) Handler {
	inner, useful := h.Handle, h.UsefulFor
	h.UsefulFor = 0 // judged here, so a late run still puts the next one
	h.Handle = func(ctx context.Context, it Item) error {
		var p recurring
		if err := json.Unmarshal(it.Payload, &p); err != nil {
			return fmt.Errorf("agenda: recurring %s %s: %w", it.Kind, it.Key, err)
		}
		loc, err := time.LoadLocation(p.Zone)
		if err != nil {
			return fmt.Errorf("agenda: recurring %s %s: zone: %w", it.Kind, it.Key, err)
		}
		r, err := rule.Parse(p.Rule, loc)
		if err != nil {
			return fmt.Errorf("agenda: recurring %s %s: %w", it.Kind, it.Key, err)
		}
		if useful <= 0 || a.clock.Now().Sub(it.Due) <= useful {
			own := it
			own.Payload = p.Data
			if err := inner(ctx, own); errors.Is(err, ErrStop) {
				return nil // the series ends: no next one
			} else if err != nil {
				return err
			}
		}
		return a.Put(ctx, it.Kind, it.Key, r.Next(it.Due), it.Payload)
	}
	return h
}
