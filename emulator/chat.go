package emulator

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Message is one message in a chat as a user sees it, with edits applied.
type Message struct {
	ID      int
	ChatID  int64
	FromBot bool
	Date    time.Time
	// Text is what the user reads: the text or caption with markup parsed.
	Text string
	// Raw is the text as sent, with its markup, and ParseMode how to read it.
	Raw       string
	ParseMode string
	// Kind is "text", or the media kind: "photo", "voice", "video",
	// "video_note", "document", "audio", "animation", "sticker".
	Kind   string
	FileID string
	// FileName and File are an uploaded file's name and bytes; File is
	// also set for a file sent by the file id of one the fake keeps (an
	// upload, or a user's photo). A photo has no name.
	FileName string
	File     []byte
	// Sizes are a photo's sizes, smallest first, when the fake knows them
	// (the photo's bytes are File): the last one's id is FileID.
	Sizes    []PhotoSize
	Keyboard [][]Button
	// DisableNotification is the send's disable_notification: the user
	// got the message without a sound. An edit keeps it (Telegram never
	// notifies an edit).
	DisableNotification bool
	Edits               int
	Deleted             bool
}

// Button is one inline keyboard button.
type Button struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data,omitempty"`
	URL          string `json:"url,omitempty"`
}

// HasButton reports whether the message shows a button labelled label.
func (m Message) HasButton(label string) bool {
	_, ok := m.button(label)
	return ok
}

// Button finds the message's button labelled label.
func (m Message) Button(label string) (Button, bool) { return m.button(label) }

func (m Message) button(label string) (Button, bool) {
	for _, row := range m.Keyboard {
		for _, b := range row {
			if b.Text == label {
				return b, true
			}
		}
	}
	return Button{}, false
}

// Buttons lists the labels of the message's buttons, row by row.
func (m Message) Buttons() []string {
	var out []string
	for _, row := range m.Keyboard {
		for _, b := range row {
			out = append(out, b.Text)
		}
	}
	return out
}

type chat struct {
	id        int64
	kind      string // private, group, supergroup, channel
	title     string
	user      *User // the private chat's user
	messages  []*Message
	nextMsgID int
}

func (c *chat) add(m *Message) *Message {
	c.nextMsgID++
	m.ID = c.nextMsgID
	m.ChatID = c.id
	c.messages = append(c.messages, m)
	return m
}

func (c *chat) find(id int) *Message {
	for _, m := range c.messages {
		if m.ID == id && !m.Deleted {
			return m
		}
	}
	return nil
}

// wireChat is the chat as Telegram writes it in JSON.
func (c *chat) wire() map[string]any {
	w := map[string]any{"id": c.id, "type": c.kind}
	if c.kind == "private" && c.user != nil {
		w["first_name"] = c.user.FirstName
	} else {
		w["title"] = c.title
	}
	return w
}

// wire is the message as Telegram writes it in JSON.
func (m *Message) wire(c *chat, from map[string]any) map[string]any {
	w := map[string]any{"message_id": m.ID, "date": m.Date.Unix(), "chat": c.wire(), "from": from}
	if m.Edits > 0 {
		w["edit_date"] = m.Date.Unix()
	}
	switch m.Kind {
	case "text":
		w["text"] = m.Text
		if !m.FromBot {
			if ents := commandEntities(m.Text); len(ents) > 0 {
				w["entities"] = ents
			}
		}
	case "photo":
		if len(m.Sizes) > 0 {
			w["photo"] = wireSizes(m.Sizes)
		} else {
			w["photo"] = []map[string]any{{"file_id": m.FileID, "file_unique_id": "u" + m.FileID, "width": 640, "height": 480}}
		}
	default:
		w[m.Kind] = map[string]any{"file_id": m.FileID, "file_unique_id": "u" + m.FileID, "duration": 5}
	}
	if m.Kind != "text" && m.Text != "" {
		w["caption"] = m.Text
	}
	if len(m.Keyboard) > 0 {
		w["reply_markup"] = map[string]any{"inline_keyboard": m.Keyboard}
	}
	return w
}

var commandRE = regexp.MustCompile(`(^|\s)/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?`)

// commandEntities marks bot commands the way Telegram does, with offsets
// and lengths in UTF-16 code units.
func commandEntities(text string) []map[string]any {
	var out []map[string]any
	for _, loc := range commandRE.FindAllStringIndex(text, -1) {
		start := loc[0]
		if text[start] != '/' {
			_, size := utf8.DecodeRuneInString(text[start:])
			start += size
		}
		out = append(out, map[string]any{
			"type": "bot_command", "offset": utf16Len(text[:start]), "length": utf16Len(text[start:loc[1]]),
		})
	}
	return out
}

// inlineKeyboard reads and checks reply_markup as Telegram does.
func inlineKeyboard(raw string) ([][]Button, *apiError) {
	if strings.TrimSpace(raw) == "" {
		return nil, nil
	}
	var markup struct {
		InlineKeyboard [][]map[string]json.RawMessage `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(raw), &markup); err != nil {
		return nil, badRequest("can't parse reply keyboard markup JSON object")
	}
	var rows [][]Button
	for _, row := range markup.InlineKeyboard {
		var out []Button
		for _, b := range row {
			btn, err := inlineButton(b)
			if err != nil {
				return nil, err
			}
			out = append(out, btn)
		}
		rows = append(rows, out)
	}
	return rows, nil
}

func inlineButton(fields map[string]json.RawMessage) (Button, *apiError) {
	var b Button
	json.Unmarshal(fields["text"], &b.Text)
	if strings.TrimSpace(b.Text) == "" {
		return b, badRequest("text buttons are unallowed in the inline keyboard")
	}
	actions := 0
	for name, raw := range fields {
		switch name {
		case "text", "style", "icon_custom_emoji_id":
		case "copy_text":
			// go-telegram/bot sends "copy_text":{"text":""} on every button;
			// Telegram accepts it and treats it as absent.
			var ct struct {
				Text string `json:"text"`
			}
			json.Unmarshal(raw, &ct)
			if ct.Text != "" {
				actions++
			}
		case "callback_data":
			json.Unmarshal(raw, &b.CallbackData)
			if n := len(b.CallbackData); n < 1 || n > 64 {
				return b, badRequest("BUTTON_DATA_INVALID")
			}
			actions++
		case "url":
			json.Unmarshal(raw, &b.URL)
			if b.URL == "" {
				return b, badRequest("BUTTON_URL_INVALID")
			}
			actions++
		case "pay":
			if string(raw) == "true" {
				actions++
			}
		default:
			if string(raw) != "null" && string(raw) != `""` {
				actions++
			}
		}
	}
	if actions != 1 {
		return b, badRequest("text buttons are unallowed in the inline keyboard")
	}
	return b, nil
}

// checkText parses a text or caption and checks its length.
func checkText(text, parseMode string, limit int, emptyOK bool) (string, *apiError) {
	plain := text
	switch strings.ToLower(parseMode) {
	case "":
	case "html":
		var err error
		if plain, err = ParseHTML(text); err != nil {
			return "", badRequest(err.Error())
		}
	case "markdown", "markdownv2":
	default:
		return "", badRequest(fmt.Sprintf("unsupported parse_mode %q", parseMode))
	}
	if strings.TrimSpace(plain) == "" && !emptyOK {
		return "", badRequest("message text is empty")
	}
	if utf16Len(plain) > limit {
		if limit == 4096 {
			return "", badRequest("message is too long")
		}
		return "", badRequest("message caption is too long")
	}
	return plain, nil
}
