package bot

import (
	"context"
	"log/slog"

	"github.com/homelink/homelink/outbox"
)

// languageStart offers every language we speak, each named in itself.
func (b *Bot) languageStart(ctx context.Context, r *request) error {
	if err := r.openMenu(ctx); err != nil {
		return err
	}
	return b.languageMenu(ctx, r, target{})
}

// languageMenu shows the languages, in place of a tapped menu.
func (b *Bot) languageMenu(ctx context.Context, r *request, _ target) error {
	return b.showLanguages(ctx, r)
}

// showLanguages shows the languages, each named in itself, above more
// rows of buttons (a way back).
func (b *Bot) showLanguages(ctx context.Context, r *request, more ...[]outbox.Button) error {
	var row []outbox.Button
	for i, lang := range b.Catalog.Languages() {
		row = append(row, b.language.button(r, b.Renderer.Text(lang, "LanguageName"), target{n: i}))
	}
	return r.show(ctx, r.html("LanguagePrompt"), append([][]outbox.Button{row}, more...))
}

// languageChosen records the language and confirms in it, in place of the
// question.
func (b *Bot) languageChosen(ctx context.Context, r *request, t target) error {
	langs := b.Catalog.Languages()
	if t.n >= len(langs) {
		return r.expired(ctx)
	}
	lang := langs[t.n]
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
