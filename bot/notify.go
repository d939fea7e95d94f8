package bot

import (
	"context"
	"errors"
	"log/slog"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// msgRef is a message id passed as a value to notify: it is translated in
// the recipient's language, not the sender's.
type msgRef string

// guardianRef is a guardian named for a notice's reader: name and
// relationship in the reader's language ("李秀兰（妈妈）").
type guardianRef struct {
	name string
	rel  homelink.Relationship
}

// resolve turns the values that depend on the reader (message ids, named
// guardians) into text in r's language.
func (r *request) resolve(kv []any) []any {
	out := make([]any, len(kv))
	for i, v := range kv {
		switch ref := v.(type) {
		case msgRef:
			v = r.text(string(ref))
		case guardianRef:
			v = guardianLabel(r, ref.name, ref.rel)
		}
		out[i] = v
	}
	return out
}

// notify tells another user something in their language, with the
// standing buttons kb builds for them (nil for none). A notice that cannot
// be sent is logged and does not undo what the user did.
func (b *Bot) notify(ctx context.Context, user int64, id string, kb func(*request) [][]outbox.Button, kv ...any) {
	b.notifyWith(ctx, user, func(_ context.Context, reader *request) string {
		return reader.html(id, reader.resolve(kv)...)
	}, kb)
}

// notifyEach is notify with text built for its reader: what depends on
// more than their language (a time in their own zone).
func (b *Bot) notifyEach(ctx context.Context, user int64, text func(ctx context.Context, reader *request) string) {
	b.notifyWith(ctx, user, text, nil)
}

func (b *Bot) notifyWith(ctx context.Context, user int64, text func(context.Context, *request) string, kb func(*request) [][]outbox.Button) {
	u, err := b.Store.User(ctx, user)
	if err != nil {
		b.Log.Warn("could not read a user to notify", slog.Int64("user", user), slog.Any("err", err))
		return
	}
	lang := homelink.PreferredLanguage(u.Language, "", b.Catalog.Fallback(), b.Catalog.Supported)
	reader := &request{b: b, user: u, lang: lang, chatID: user}
	m := outbox.Message{ChatID: user, Text: text(ctx, reader), Silent: b.hushed(ctx, reader)}
	if kb != nil {
		m.Keyboard = kb(reader)
	}
	_, err = b.Sender.Send(ctx, m)
	if errors.Is(err, outbox.ErrBlocked) {
		err = nil
	}
	if err != nil {
		b.Log.Warn("could not notify a user", slog.Int64("user", user), slog.Any("err", err))
	}
}

// refreshMenu sets a user's commands menu to what their roles now allow.
func (b *Bot) refreshMenu(ctx context.Context, user int64) {
	u, err := b.Store.User(ctx, user)
	if err == nil {
		err = b.Sender.SetCommands(ctx, user, "", b.ChatMenu(u))
	}
	if err != nil {
		b.Log.Warn("could not set a user's commands menu", slog.Int64("user", user), slog.Any("err", err))
	}
}

func (b *Bot) isAdmin(user int64) bool {
	for _, id := range b.AdminIDs {
		if id == user {
			return true
		}
	}
	return false
}
