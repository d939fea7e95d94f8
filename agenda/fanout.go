package agenda

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrNotCurrent means the item a handler holds was withdrawn, replaced or
// claimed again: the handler must not act on it.
var ErrNotCurrent = errors.New("agenda: item no longer current")

// Chunk is one step of a job split by FanOut.
type Chunk struct {
	Key     string
	Payload []byte
}

// FanOut splits the job a handler holds into chunk items of kind, due at
// due, and retires the job, atomically: big work (a broadcast to 100,000
// people) runs as many short items, none holding a lease for long, and a
// crash resumes from the chunks not yet done. Chunk keys should name the
// job ("<job>:<n>"). It returns ErrNotCurrent, having done nothing, when
// the claim no longer holds the job.
func (a *Agenda) FanOut(ctx context.Context, job Item, kind string, due time.Time, chunks []Chunk) error {
	args := []any{job.Kind, job.Key, job.token, kind, due.UnixMilli()}
	for _, c := range chunks {
		if err := checkName(kind, c.Key); err != nil {
			return err
		}
		args = append(args, c.Key, c.Payload)
	}
	n, err := a.run(ctx, "fanout", args...).Int()
	if err != nil {
		return fmt.Errorf("agenda: fan out %s %s: %w", job.Kind, job.Key, err)
	}
	if n == 0 {
		return fmt.Errorf("agenda: fan out %s %s: %w", job.Kind, job.Key, ErrNotCurrent)
	}
	return nil
}
