package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/homelink/homelink/outbox"
)

// menu is the commands menu in lang.
func (b *Bot) menu(lang string) []outbox.Command {
	return []outbox.Command{
		{Name: "start", Description: b.Renderer.Text(lang, "CommandStart")},
		{Name: "help", Description: b.Renderer.Text(lang, "CommandHelp")},
		{Name: "language", Description: b.Renderer.Text(lang, "CommandLanguage")},
		{Name: "cancel", Description: b.Renderer.Text(lang, "CommandCancel")},
	}
}

// RegisterCommands sets the commands menu for private chats in every
// language, keyed by the two-letter code Telegram apps report, and in the
// default language for everyone else.
func (b *Bot) RegisterCommands(ctx context.Context) error {
	if err := b.Sender.SetCommands(ctx, 0, "", b.menu(b.Catalog.Fallback())); err != nil {
		return fmt.Errorf("bot: commands menu: %w", err)
	}
	for _, lang := range b.Catalog.Languages() {
		code, _, _ := strings.Cut(strings.ToLower(lang), "-")
		if err := b.Sender.SetCommands(ctx, 0, code, b.menu(lang)); err != nil {
			return fmt.Errorf("bot: commands menu %s: %w", lang, err)
		}
	}
	return nil
}

// memberChanged notes when a user blocks or restarts the bot.
func (b *Bot) memberChanged(ctx context.Context, r *request) error {
	switch r.update.MyChatMember.NewChatMember.Type {
	case models.ChatMemberTypeBanned, models.ChatMemberTypeLeft:
		if err := b.Sender.SetReachable(ctx, r.chatID, false); err != nil {
			return err
		}
		return b.Store.SetBlocked(ctx, r.user.ID, true)
	case models.ChatMemberTypeMember:
		if err := b.Sender.SetReachable(ctx, r.chatID, true); err != nil {
			return err
		}
		return b.Store.SetBlocked(ctx, r.user.ID, false)
	}
	return errIgnored
}
