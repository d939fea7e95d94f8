package app

import (
	"context"
	"errors"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/agenda"
	"github.com/homelink/homelink/bot"
	"github.com/homelink/homelink/store"
)

// registerBroadcasts hands the agenda's broadcast work to the bot: a run
// starting (bc.send for one sent now or once, bc.every on its rule in each
// zone group's time: agenda.Recurring puts the next firing), its chunks
// (bc.chunk) and the parts held by quiet hours (bc.held). The progress
// job runs every second on every replica; each run's turn lets one
// replica at a time edit its message.
func (a *App) registerBroadcasts() error {
	// A broadcast deleted or paused meanwhile starts nothing; a repeating
	// one's series then ends (agenda.ErrStop), rather than coming back
	// every week for nothing.
	once := func(ctx context.Context, d bot.Due) error {
		if err := a.Bot.BroadcastStart(ctx, d); !errors.Is(err, homelink.ErrNotFound) {
			return err
		}
		return nil
	}
	every := func(ctx context.Context, d bot.Due) error {
		err := a.Bot.BroadcastStart(ctx, d)
		if errors.Is(err, homelink.ErrNotFound) {
			return agenda.ErrStop
		}
		return err
	}
	a.Agenda.Register(store.KindBroadcastSend, a.dueHandler(once, noHome))
	// A repeating one found more than broadcastLate after its time (the
	// service was down over it) is skipped, and the series goes on: a
	// Friday evening's news is not sent on Monday, nor two weeks' worth at
	// once.
	weekly := a.dueHandler(every, noHome)
	weekly.UsefulFor = broadcastLate
	a.Agenda.Register(store.KindBroadcastEvery, a.Agenda.Recurring(weekly))
	a.Agenda.Register(store.KindBroadcastChunk, a.dueHandler(a.Bot.BroadcastChunk, noHome))
	a.Agenda.Register(store.KindBroadcastHeld, a.dueHandler(a.Bot.BroadcastHeld, noHome))
	return a.sched.Add("broadcast-progress", "@every 1s", a.Bot.BroadcastProgress)
}

// broadcastLate is how late a repeating broadcast's run is still sent.
const broadcastLate = 6 * time.Hour

// noHome: a broadcast's agenda key names no home; the bot reads the key.
func noHome(string) (int64, int64, bool) { return 0, 0, true }

// wakeAgenda runs a tick now, in the background, unless one it started is
// still running: a broadcast's chunks are due at once, and the first
// recipients should not wait for the next second's tick.
func (a *App) wakeAgenda() {
	if a.Agenda == nil || !a.waking.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer a.waking.Store(false)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = a.Agenda.Tick(ctx)
	}()
}
