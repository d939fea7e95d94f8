package scheduler

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// MenuStore keeps the menu walk: the version every chat menu has, how far
// a walk got, and who walks (package store).
type MenuStore interface {
	StartMenuWalk(ctx context.Context, version, token string, lease time.Duration) (after int64, ok bool, err error)
	AdvanceMenuWalk(ctx context.Context, version, token string, after int64, lease time.Duration) (bool, error)
	FinishMenuWalk(ctx context.Context, version, token string) (bool, error)
	ReleaseMenuWalk(ctx context.Context, token string) error
	KnownUsers(ctx context.Context, after int64, limit int) ([]homelink.User, error)
	User(ctx context.Context, id int64) (homelink.User, error)
}

// MenuSender sets one chat's menu at the bulk lane's pace (package outbox).
type MenuSender interface {
	SetCommandsPaced(ctx context.Context, chatID int64, lang string, cmds []outbox.Command) error
}

// Menus are the running release's menus (package bot).
type Menus interface {
	ChatMenu(u homelink.User) []outbox.Command
	MenuVersion() string
}

// MenuRefresh brings every known user's chat menu to the running
// release's menus, once per release that changes them. It ticks on every
// replica; each tick is one read when the stored version is current. When
// it is not, one replica at a time (a lease, extended after each batch)
// walks the known users in id order, Batch at a time, setting each chat's
// menu at the outbox's bulk pace, and records how far it got after each
// batch: a replica that dies, or stops, is followed from that point by
// the next one to tick, which redoes at most one batch (setting a menu
// twice is harmless). The stored version changes only when a walk reaches
// the end.
//
// Who is walked: known users with something stored (a chosen language or a
// role). Someone with nothing stored has no menu of their own: Telegram
// shows them the per-language menu for all private chats, which
// RegisterCommands sets at every start; a chat menu in the default
// language would hide it. Unreachable chats are skipped by the outbox
// without a call, as are chats Telegram refuses (400, 404). People who ran
// /forget are no longer known users.
type MenuRefresh struct {
	Store  MenuStore
	Sender MenuSender
	Menus  Menus
	Log    *slog.Logger
	// Batch is how many users are read, set and recorded at once (100).
	Batch int
	// Lease is how long a walker may go silent before another takes over
	// (1 minute); it must outlast one batch at the bulk pace.
	Lease time.Duration
}

// Run is the job: one tick.
func (m *MenuRefresh) Run(ctx context.Context) error {
	batch, lease := m.Batch, m.Lease
	if batch <= 0 {
		batch = 100
	}
	if lease <= 0 {
		lease = time.Minute
	}
	version, token := m.Menus.MenuVersion(), newToken()
	after, ok, err := m.Store.StartMenuWalk(ctx, version, token, lease)
	if err != nil || !ok {
		return err
	}
	done := false
	defer func() {
		if !done { // stopping or failing: let another replica go on now
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
			defer cancel()
			m.Store.ReleaseMenuWalk(rctx, token)
		}
	}()
	m.log().Info("refreshing chat menus", slog.String("version", version), slog.Int64("after", after))
	for {
		users, err := m.Store.KnownUsers(ctx, after, batch)
		if err != nil {
			return err
		}
		if len(users) == 0 {
			done, err = m.Store.FinishMenuWalk(ctx, version, token)
			if done {
				m.log().Info("chat menus refreshed", slog.String("version", version))
			}
			return err
		}
		if err := m.setMenus(ctx, users); err != nil {
			return err
		}
		after = users[len(users)-1].ID
		if ok, err := m.Store.AdvanceMenuWalk(ctx, version, token, after, lease); err != nil || !ok {
			return err // !ok: the lease went to another replica, which goes on
		}
	}
}

// setMenus sets each user's chat menu; an error means "try again later".
func (m *MenuRefresh) setMenus(ctx context.Context, users []homelink.User) error {
	for _, u := range users {
		if !hasOwnMenu(u) {
			continue
		}
		// Read them again at their turn: a batch takes a while at the
		// bulk pace, and a role given meanwhile must not be undone.
		u, err := m.Store.User(ctx, u.ID)
		if err != nil {
			return fmt.Errorf("scheduler: chat menu of %d: %w", u.ID, err)
		}
		if !hasOwnMenu(u) {
			continue
		}
		err = m.Sender.SetCommandsPaced(ctx, u.ID, "", m.Menus.ChatMenu(u))
		switch {
		case errors.Is(err, outbox.ErrBlocked):
		case errors.Is(err, outbox.ErrRefused):
			m.log().Warn("Telegram refused a chat menu", slog.Int64("user", u.ID), slog.Any("err", err))
		case err != nil:
			return fmt.Errorf("scheduler: chat menu of %d: %w", u.ID, err)
		}
	}
	return nil
}

// hasOwnMenu reports whether something is stored about u that shapes
// their menu: a chosen language or a role.
func hasOwnMenu(u homelink.User) bool {
	return u.Language != "" || u.Roles.IsStaff() || u.Roles.IsGuardian()
}

func (m *MenuRefresh) log() *slog.Logger {
	if m.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return m.Log
}

func newToken() string {
	b := make([]byte, 8)
	crand.Read(b)
	return hex.EncodeToString(b)
}
