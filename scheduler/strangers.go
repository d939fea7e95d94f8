package scheduler

import (
	"context"
	"log/slog"
	"time"

	"github.com/homelink/homelink"
)

// StrangerStore forgets people with no role who fell silent (package store).
type StrangerStore interface {
	DueStrangers(ctx context.Context, before time.Time, limit int) ([]int64, error)
	ForgetStrangers(ctx context.Context, before time.Time, people []int64) ([]int64, error)
}

// ChatForgetter drops what the outbox keeps about a chat (package outbox).
type ChatForgetter interface {
	Forget(ctx context.Context, chat int64) error
}

// Strangers forgets the people who hold no role and have not written for
// After: someone who only ran /language, or blocked the bot, is not kept
// forever. Each run takes them a batch at a time until none is left; it
// may run on every replica at once (each batch is one script, and a person
// is forgotten once). What the outbox keeps about their chat (an
// unreachable mark, its pacing) goes with them.
type Strangers struct {
	Store  StrangerStore
	Outbox ChatForgetter
	Clock  homelink.Clock
	After  time.Duration
	Log    *slog.Logger
}

// strangersBatch is how many silent people one script looks at.
const strangersBatch = 500

// Run forgets every stranger silent for longer than After.
func (s *Strangers) Run(ctx context.Context) error {
	before := s.Clock.Now().Add(-s.After)
	total := 0
	defer func() {
		if total > 0 {
			s.Log.Info("forgot people with no role who had been silent", slog.Int("people", total), slog.Duration("after", s.After))
		}
	}()
	for ctx.Err() == nil {
		due, err := s.Store.DueStrangers(ctx, before, strangersBatch)
		if err != nil || len(due) == 0 {
			return err
		}
		// The outbox lets go of their chats first: should that fail, they
		// are still known and the next run tries again.
		for _, id := range due {
			if err := s.Outbox.Forget(ctx, id); err != nil {
				return err
			}
		}
		gone, err := s.Store.ForgetStrangers(ctx, before, due)
		if err != nil {
			return err
		}
		total += len(gone)
	}
	return ctx.Err()
}
