package outbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/redis/go-redis/v9"

	"github.com/homelink/homelink/metrics"
)

// call sends m through the Bot API and returns Telegram's message id.
func (o *Outbox) call(ctx context.Context, m Message) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, o.opt.RequestTimeout)
	defer cancel()
	kb := keyboard(m.Keyboard)
	paid := o.opt.PaidBroadcast && m.Lane == Bulk
	var sent *models.Message
	var err error
	switch m.Kind {
	case Text, "":
		sent, err = o.api.SendMessage(ctx, &bot.SendMessageParams{ChatID: m.ChatID, Text: m.Text,
			ParseMode: models.ParseModeHTML, ReplyMarkup: kb, DisableNotification: m.Silent,
			AllowPaidBroadcast: paid, LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: bot.True()}})
	case EditText:
		sent, err = o.api.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: m.ChatID,
			MessageID: m.MessageID, Text: m.Text, ParseMode: models.ParseModeHTML, ReplyMarkup: kb,
			LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: bot.True()}})
	case Photo:
		sent, err = o.api.SendPhoto(ctx, &bot.SendPhotoParams{ChatID: m.ChatID, Photo: upload(m),
			Caption: m.Text, ParseMode: models.ParseModeHTML, ReplyMarkup: kb, DisableNotification: m.Silent, AllowPaidBroadcast: paid})
	case Voice:
		sent, err = o.api.SendVoice(ctx, &bot.SendVoiceParams{ChatID: m.ChatID, Voice: file(m.FileID),
			Caption: m.Text, ParseMode: models.ParseModeHTML, ReplyMarkup: kb, DisableNotification: m.Silent, AllowPaidBroadcast: paid})
	case Video:
		sent, err = o.api.SendVideo(ctx, &bot.SendVideoParams{ChatID: m.ChatID, Video: file(m.FileID),
			Caption: m.Text, ParseMode: models.ParseModeHTML, ReplyMarkup: kb, DisableNotification: m.Silent, AllowPaidBroadcast: paid})
	case VideoNote:
		sent, err = o.api.SendVideoNote(ctx, &bot.SendVideoNoteParams{ChatID: m.ChatID, VideoNote: file(m.FileID),
			ReplyMarkup: kb, DisableNotification: m.Silent, AllowPaidBroadcast: paid})
	case Document:
		sent, err = o.api.SendDocument(ctx, &bot.SendDocumentParams{ChatID: m.ChatID, Document: upload(m),
			Caption: m.Text, ParseMode: models.ParseModeHTML, ReplyMarkup: kb, DisableNotification: m.Silent, AllowPaidBroadcast: paid})
	case Copy:
		var id *models.MessageID
		params := &bot.CopyMessageParams{ChatID: m.ChatID, FromChatID: m.FromChatID, MessageID: m.FromMessageID,
			ReplyMarkup: kb, DisableNotification: m.Silent, AllowPaidBroadcast: paid}
		if m.Text != "" {
			params.Caption, params.ParseMode = m.Text, models.ParseModeHTML
		}
		if id, err = o.api.CopyMessage(ctx, params); err == nil {
			return id.ID, nil
		}
	default:
		return 0, fmt.Errorf("%w, unknown message kind %q", bot.ErrorBadRequest, m.Kind)
	}
	if err != nil {
		return 0, err
	}
	return sent.ID, nil
}

func file(id string) models.InputFile { return &models.InputFileString{Data: id} }

// upload is m's file: its FileData uploaded (multipart) when it has
// some, else its FileID.
func upload(m Message) models.InputFile {
	if m.FileData != nil {
		return &models.InputFileUpload{Filename: m.FileName, Data: bytes.NewReader(m.FileData)}
	}
	return file(m.FileID)
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

// result is what to do after a send.
type result struct {
	// outcome: sent, retry, paused, migrate, blocked or failed.
	outcome string
	// result names it for metrics.
	result string
	reason string
	// after is how long until it may go again (retry, paused).
	after time.Duration
	// pauseChat is the chat a pause holds, 0 for the whole bot.
	pauseChat int64
	migrateTo int64
}

// classify turns the Bot API's answer into what to do next.
func classify(err error, m Message) result {
	var tooMany *bot.TooManyRequestsError
	var migrate *bot.MigrateError
	switch {
	case err == nil:
		return result{outcome: "sent", result: "sent"}
	case errors.As(err, &tooMany):
		// A private chat is paced well under its own limit, so a 429 there
		// means the bot-wide one; a group has its own.
		var chat int64
		if m.ChatID < 0 {
			chat = m.ChatID
		}
		after := time.Duration(max(tooMany.RetryAfter, 1)) * time.Second
		return result{outcome: "paused", result: "too_many_requests", reason: err.Error(), after: after, pauseChat: chat}
	case errors.As(err, &migrate) && !m.Migrated:
		return result{outcome: "migrate", result: "migrated", migrateTo: int64(migrate.MigrateToChatID)}
	case errors.Is(err, bot.ErrorForbidden):
		return result{outcome: "blocked", result: "dead_letter_blocked", reason: refusal(ReasonBlocked, err)}
	case errors.Is(err, bot.ErrorBadRequest) && m.Kind == EditText && strings.Contains(err.Error(), "message is not modified"):
		return result{outcome: "sent", result: "sent"} // the user already sees it
	case errors.Is(err, bot.ErrorNotFound):
		return result{outcome: "failed", result: "dead_letter_bad_request", reason: refusal(ReasonNotFound, err)}
	case errors.Is(err, bot.ErrorBadRequest), errors.As(err, &migrate):
		return result{outcome: "failed", result: "dead_letter_bad_request", reason: refusal(ReasonBadRequest, err)}
	default: // 5xx, timeouts, network
		return result{outcome: "retry", result: "retried", reason: err.Error()}
	}
}

func (o *Outbox) metrics() *metrics.Metrics { return o.opt.Metrics }

func errAttr(err error) slog.Attr { return slog.Any("err", err) }

func chatAttr(chat int64) slog.Attr { return slog.Int64("chat", chat) }

// flag is a boolean as a script argument.
func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func redisZ(score float64, member string) redis.Z { return redis.Z{Score: score, Member: member} }
