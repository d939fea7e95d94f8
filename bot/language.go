package bot

import (
	"context"
	"log/slog"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

const flowLanguage = "lang"

// languageStart offers every language we speak, each named in itself.
func (b *Bot) languageStart(ctx context.Context, r *request) error {
	next, err := b.Store.SaveSession(ctx, r.user.ID, homelink.Session{
		Flow: flowLanguage, Step: "choose", Nonce: newNonce(), Version: r.session.Version,
	})
	if err != nil {
		return err
	}
	var row []outbox.Button
	for _, lang := range b.Catalog.Languages() {
		row = append(row, outbox.Button{
			Text: b.Renderer.Text(lang, "LanguageName"),
			Data: callbackData(flowLanguage, next.Nonce, lang),
		})
	}
	return r.reply(ctx, r.html("LanguagePrompt"), [][]outbox.Button{row})
}

// languageChosen records the language and confirms in it, in place of the
// question.
func (b *Bot) languageChosen(ctx context.Context, r *request) error {
	lang := r.args
	if !b.Catalog.Supported(lang) {
		return r.answer(ctx, r.text("ButtonExpired"))
	}
	if _, err := b.Store.SaveSessionAndLanguage(ctx, r.user.ID, endOf(r.session), lang); err != nil {
		return err
	}
	r.lang = lang
	if err := r.answer(ctx, ""); err != nil {
		return err
	}
	if err := r.replace(ctx, r.html("LanguageSet"), nil); err != nil {
		return err
	}
	// The menu in the new language is a nicety: the choice is made and
	// confirmed even if Telegram refuses it now.
	if err := b.Sender.SetCommands(ctx, r.chatID, "", b.menu(lang, r.user.Roles)); err != nil {
		b.Log.Warn("could not set the chat's commands menu", slog.Int64("user", r.user.ID), slog.Any("err", err))
	}
	return nil
}

// endOf is the write that ends the flow in s.
func endOf(s homelink.Session) homelink.Session { return homelink.Session{Version: s.Version} }
