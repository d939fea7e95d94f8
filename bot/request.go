package bot

import (
	"context"
	"errors"
	"log/slog"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// request is one update with what we know about its sender.
type request struct {
	b       *Bot
	update  *models.Update
	user    homelink.User
	session homelink.Session
	lang    string
	chatID  int64
	// args is what followed the command ("/start <args>").
	args string
	// answered is set once a callback query got its answer.
	answered bool
	// standing is set while a standing button is handled.
	standing bool
}

// newRequest identifies the sender of u and loads what we keep about them,
// unless known already holds it. It returns nil for updates homelink does
// not act on: anything outside a private chat with a person.
func (b *Bot) newRequest(ctx context.Context, u *models.Update, known *homelink.Actor) (*request, error) {
	from, chat := sender(u)
	if from == nil || from.IsBot || chat == nil || chat.Type != models.ChatTypePrivate {
		return nil, nil
	}
	var user homelink.User
	var session homelink.Session
	if known != nil && known.User.ID == from.ID {
		user, session = known.User, known.Session
	} else {
		var err error
		if user, session, err = b.Store.UserAndSession(ctx, from.ID); err != nil {
			return nil, err
		}
	}
	user.Roles.Admin = b.isAdmin(from.ID)
	r := &request{b: b, update: u, user: user, session: session, chatID: chat.ID}
	if user.Name == "" && user.Roles.Any() {
		// Members are shown to others by name: their Telegram first name
		// until they choose one (people who joined before names were kept).
		if err := r.nameIfNone(ctx); err != nil {
			return nil, err
		}
	}
	r.lang = homelink.PreferredLanguage(user.Language, from.LanguageCode, b.Catalog.Fallback(), b.Catalog.Supported)
	return r, nil
}

// nameIfNone gives the person their Telegram first name as display name,
// unless they have one.
func (r *request) nameIfNone(ctx context.Context) error {
	from, _ := sender(r.update)
	name, err := homelink.CleanName(from.FirstName, homelink.MaxPersonName)
	if err != nil || r.user.Name != "" {
		return nil // a name that cannot be shown is not kept; they can set one
	}
	if err := r.b.Store.NameIfNone(ctx, r.user.ID, name); err != nil {
		return err
	}
	r.user.Name = name
	return nil
}

// bareRequest is a request built from the update alone, for apologising
// when the store cannot be read; nil outside a private chat.
func (b *Bot) bareRequest(u *models.Update) *request {
	from, chat := sender(u)
	if from == nil || chat == nil || chat.Type != models.ChatTypePrivate {
		return nil
	}
	lang := homelink.PreferredLanguage("", from.LanguageCode, b.Catalog.Fallback(), b.Catalog.Supported)
	return &request{b: b, update: u, user: homelink.User{ID: from.ID}, lang: lang, chatID: chat.ID}
}

// sender finds who sent an update and in which chat.
func sender(u *models.Update) (*models.User, *models.Chat) {
	switch {
	case u.Message != nil:
		return u.Message.From, &u.Message.Chat
	case u.CallbackQuery != nil:
		if m := u.CallbackQuery.Message.Message; m != nil {
			return &u.CallbackQuery.From, &m.Chat
		}
		if m := u.CallbackQuery.Message.InaccessibleMessage; m != nil {
			return &u.CallbackQuery.From, &m.Chat
		}
	case u.MyChatMember != nil:
		return &u.MyChatMember.From, &u.MyChatMember.Chat
	}
	return nil, nil
}

// html is message id in the user's language, as Telegram HTML.
func (r *request) html(id string, kv ...any) string { return r.b.Renderer.HTML(r.lang, id, kv...) }

// text is message id in the user's language, as plain text.
func (r *request) text(id string, kv ...any) string { return r.b.Renderer.Text(r.lang, id, kv...) }

// render renders template name in the user's language.
func (r *request) render(name string, data any) (string, error) {
	return r.b.Renderer.Render(r.lang, name, data)
}

// reply sends a new message to the user.
func (r *request) reply(ctx context.Context, text string, kb [][]outbox.Button) error {
	_, err := r.b.Sender.Send(ctx, outbox.Message{ChatID: r.chatID, Text: text, Keyboard: kb, Reply: true})
	return r.delivered(ctx, err)
}

// hint answers something the bot did not ask for (unexpected text, a
// stranger's message): it is not queued while anything else waits for
// the chat, so someone who floods the bot hears it once, not forty times,
// and their backlog stays out of everyone else's way.
func (r *request) hint(ctx context.Context, text string) error {
	_, err := r.b.Sender.Send(ctx, outbox.Message{ChatID: r.chatID, Text: text, Reply: true, Droppable: true})
	return r.delivered(ctx, err)
}

// replace edits the message whose button was tapped, or sends a new one
// when Telegram no longer lets us edit it (too old, or deleted by the user).
func (r *request) replace(ctx context.Context, text string, kb [][]outbox.Button) error {
	cq := r.update.CallbackQuery
	if cq == nil || cq.Message.Message == nil {
		return r.reply(ctx, text, kb)
	}
	err := r.b.Sender.Edit(ctx, outbox.Edit{ChatID: r.chatID, MessageID: cq.Message.Message.ID, Text: text, Keyboard: kb, Reply: true})
	if err != nil && uneditable(err) {
		return r.reply(ctx, text, kb)
	}
	return r.delivered(ctx, err)
}

// uneditable reports whether Telegram refused an edit because the message
// can no longer be edited; its descriptions are the only way to tell.
func uneditable(err error) bool {
	s := err.Error()
	return strings.Contains(s, "message to edit not found") || strings.Contains(s, "message can't be edited")
}

// answer stops the spinner on the tapped button, with an optional notice.
func (r *request) answer(ctx context.Context, notice string) error {
	r.answered = true
	return r.b.Sender.AnswerCallback(ctx, r.update.CallbackQuery.ID, notice)
}

// delivered records a user who blocked the bot; that is not a failure.
func (r *request) delivered(ctx context.Context, err error) error {
	if errors.Is(err, outbox.ErrBlocked) {
		r.b.Log.Info("user blocked the bot", slog.Int64("user", r.user.ID))
		return nil
	}
	return err
}

// by is the user as the store checks them: who asks, and whether the
// deployment made them an admin.
func (r *request) by() homelink.By {
	return homelink.By{User: r.user.ID, Admin: r.user.Roles.Admin}
}
