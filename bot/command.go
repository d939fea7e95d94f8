package bot

import (
	"strings"
	"unicode/utf16"

	"github.com/go-telegram/bot/models"
)

// command is a bot command at the start of a message.
type command struct {
	// Name is the command without slash or @mention, lower-cased.
	Name string
	// Args is the text after the command, trimmed.
	Args string
}

// parseCommand reads a command at the start of msg's text. It honours
// Telegram's bot_command entity, whose offsets count UTF-16 code units,
// accepts "/cmd@ThisBot", and refuses a command addressed to another bot.
func parseCommand(msg *models.Message, username string) (command, bool) {
	text := msg.Text
	token := ""
	for _, e := range msg.Entities {
		if e.Type == models.MessageEntityTypeBotCommand && e.Offset == 0 {
			token = utf16Slice(text, 0, e.Length)
			break
		}
	}
	if token == "" {
		trimmed := strings.TrimLeft(text, " ")
		if !strings.HasPrefix(trimmed, "/") {
			return command{}, false
		}
		text = trimmed
		token, _, _ = strings.Cut(trimmed, " ")
		token, _, _ = strings.Cut(token, "\n")
	}
	name, mention, hasMention := strings.Cut(strings.TrimPrefix(token, "/"), "@")
	if name == "" || hasMention && !strings.EqualFold(mention, username) {
		return command{}, false
	}
	args := strings.TrimSpace(strings.TrimPrefix(text, token))
	return command{Name: strings.ToLower(name), Args: args}, true
}

// utf16Slice returns s[from:to] counted in UTF-16 code units, as Telegram
// counts entity offsets.
func utf16Slice(s string, from, to int) string {
	u := utf16.Encode([]rune(s))
	from, to = min(max(from, 0), len(u)), min(max(to, 0), len(u))
	if from >= to {
		return ""
	}
	return string(utf16.Decode(u[from:to]))
}
