package outbox

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// ErrRefused means Telegram refused a request for good (400, 404): trying
// again will not help.
var ErrRefused = errors.New("outbox: Telegram refused the request")

// SetCommands sets the commands menu in lang ("" for users whose language
// has no menu of its own), for one chat when chatID is not 0, else for all
// private chats. It is sent at once, unpaced: for the few calls a start or
// a change of someone's roles makes.
func (o *Outbox) SetCommands(ctx context.Context, chatID int64, lang string, cmds []Command) error {
	return wrap("set commands", o.setCommands(ctx, chatID, lang, cmds))
}

// SetCommandsPaced sets one chat's commands menu at the bulk lane's pace:
// it first takes a slot of the limiter every replica shares, as a bulk
// message would (so replies and reminders keep their rate), waiting for
// one as long as ctx allows. It is for walking many chats (a release that
// changes the menus). Nothing is asked of Telegram for an unreachable
// chat: ErrBlocked. A 403 marks the chat unreachable (ErrBlocked), a 400
// or 404 is ErrRefused; other errors (5xx, a 429) are worth another try
// later. A 429 here does not pause messages: Telegram may limit this
// method on its own, and replies must not wait for a menu.
func (o *Outbox) SetCommandsPaced(ctx context.Context, chatID int64, lang string, cmds []Command) error {
	if err := o.bulkSlot(ctx, chatID); err != nil {
		return fmt.Errorf("outbox: set commands for %d: %w", chatID, err)
	}
	start := time.Now()
	err := o.setCommands(ctx, chatID, lang, cmds)
	out := classify(err, Message{Lane: Bulk, ChatID: chatID})
	o.count(Bulk, out.result, start)
	switch out.outcome {
	case "sent":
		return nil
	case "blocked":
		o.markUnreachable(ctx, chatID)
		return fmt.Errorf("outbox: set commands for %d: %w", chatID, ErrBlocked)
	case "failed", "migrate":
		return fmt.Errorf("outbox: set commands for %d: %w: %v", chatID, ErrRefused, err)
	}
	return fmt.Errorf("outbox: set commands for %d: %w", chatID, err)
}

// bulkSlot waits for a bulk-paced slot of the shared limiter for a call
// into chat; ErrBlocked when the chat is unreachable.
func (o *Outbox) bulkSlot(ctx context.Context, chat int64) error {
	global, _, _, _ := o.intervals()
	for {
		res, err := o.scripts["bulk_slot"].Run(ctx, o.rdb, []string{o.k.tat(), o.k.pause(), o.k.unreachable()},
			o.k.base(), chat, global).Slice()
		if err != nil {
			return err
		}
		switch res[0] {
		case "blocked":
			return ErrBlocked
		case "go":
			wait(ctx, time.Duration(res[1].(int64))*time.Millisecond)
			return ctx.Err()
		}
		wait(ctx, min(time.Duration(res[1].(int64))*time.Millisecond, 100*time.Millisecond))
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

func (o *Outbox) setCommands(ctx context.Context, chatID int64, lang string, cmds []Command) error {
	ctx, cancel := context.WithTimeout(ctx, o.opt.RequestTimeout)
	defer cancel()
	var scope models.BotCommandScope = &models.BotCommandScopeAllPrivateChats{}
	if chatID != 0 {
		scope = &models.BotCommandScopeChat{ChatID: chatID}
	}
	list := make([]models.BotCommand, len(cmds))
	for i, c := range cmds {
		list[i] = models.BotCommand{Command: c.Name, Description: c.Description}
	}
	_, err := o.api.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: list, Scope: scope, LanguageCode: lang})
	return err
}
