// Package outbox is the one way out: every message, edit and callback answer
// homelink sends to Telegram goes through it, so the rules for talking to
// Telegram (what a blocked user means, which errors are harmless) live in
// one place. Nothing else calls the Bot API's send or edit methods.
//
// Sends go straight to the Bot API for now; the durable queue with priority
// lanes and one rate limit shared by all replicas is built here next.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// ErrBlocked means the user blocked the bot or deleted their account:
// nothing more should be sent to them until they write again.
var ErrBlocked = errors.New("outbox: recipient blocked the bot")

// Button is one inline keyboard button: a callback button when Data is set,
// a link when URL is.
type Button struct {
	Text string
	Data string
	URL  string
}

// Message is a text message in Telegram's HTML parse mode.
type Message struct {
	ChatID   int64
	Text     string
	Keyboard [][]Button
}

// Edit replaces the text and keyboard of a message the bot sent earlier.
type Edit struct {
	ChatID    int64
	MessageID int
	Text      string
	Keyboard  [][]Button
}

// Command is one entry of the commands menu.
type Command struct {
	Name        string
	Description string
}

// Outbox sends to Telegram through the go-telegram/bot client.
type Outbox struct {
	api *bot.Bot
}

// New returns an Outbox using api.
func New(api *bot.Bot) *Outbox { return &Outbox{api: api} }

// Send sends m and returns Telegram's message id.
func (o *Outbox) Send(ctx context.Context, m Message) (int, error) {
	sent, err := o.api.SendMessage(ctx, &bot.SendMessageParams{
		ChatID: m.ChatID, Text: m.Text, ParseMode: models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: bot.True()},
		ReplyMarkup:        keyboard(m.Keyboard),
	})
	if err != nil {
		return 0, classify("send", err)
	}
	return sent.ID, nil
}

// Edit changes a message the bot sent. Editing to the same content is not
// an error: the user already sees what we wanted.
func (o *Outbox) Edit(ctx context.Context, e Edit) error {
	_, err := o.api.EditMessageText(ctx, &bot.EditMessageTextParams{
		ChatID: e.ChatID, MessageID: e.MessageID, Text: e.Text, ParseMode: models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: bot.True()},
		ReplyMarkup:        keyboard(e.Keyboard),
	})
	if err != nil && strings.Contains(err.Error(), "message is not modified") {
		return nil
	}
	return classify("edit", err)
}

// AnswerCallback stops the spinner on a tapped button, showing text as a
// short notice when it is not empty.
func (o *Outbox) AnswerCallback(ctx context.Context, queryID, text string) error {
	_, err := o.api.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: queryID, Text: text})
	return classify("answer callback", err)
}

// SetCommands sets the commands menu in lang ("" for users whose language
// has no menu of its own), for one chat when chatID is not 0, else for all
// private chats.
func (o *Outbox) SetCommands(ctx context.Context, chatID int64, lang string, cmds []Command) error {
	var scope models.BotCommandScope = &models.BotCommandScopeAllPrivateChats{}
	if chatID != 0 {
		scope = &models.BotCommandScopeChat{ChatID: chatID}
	}
	list := make([]models.BotCommand, len(cmds))
	for i, c := range cmds {
		list[i] = models.BotCommand{Command: c.Name, Description: c.Description}
	}
	_, err := o.api.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: list, Scope: scope, LanguageCode: lang})
	return classify("set commands", err)
}

func keyboard(rows [][]Button) models.ReplyMarkup {
	if len(rows) == 0 {
		return nil
	}
	kb := make([][]models.InlineKeyboardButton, len(rows))
	for i, row := range rows {
		for _, b := range row {
			kb[i] = append(kb[i], models.InlineKeyboardButton{Text: b.Text, CallbackData: b.Data, URL: b.URL})
		}
	}
	return &models.InlineKeyboardMarkup{InlineKeyboard: kb}
}

func classify(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, bot.ErrorForbidden) {
		return fmt.Errorf("outbox: %s: %w", op, ErrBlocked)
	}
	return fmt.Errorf("outbox: %s: %w", op, err)
}
