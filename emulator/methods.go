package emulator

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// limited methods count against the send limits.
func limited(method string) bool {
	return strings.HasPrefix(method, "send") && method != "sendchataction" ||
		strings.HasPrefix(method, "edit") || strings.HasPrefix(method, "copymessage") ||
		strings.HasPrefix(method, "forwardmessage")
}

var mediaKinds = map[string]string{
	"sendphoto": "photo", "sendvoice": "voice", "sendvideo": "video", "sendvideonote": "video_note",
	"senddocument": "document", "sendaudio": "audio", "sendanimation": "animation", "sendsticker": "sticker",
}

func (s *Server) call(r *http.Request, method string, p params) (any, *apiError) {
	m := strings.ToLower(method)
	if m == "getupdates" {
		return s.getUpdates(r, p)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if aerr := s.injectedFault(m); aerr != nil {
		return nil, aerr
	}
	if limited(m) {
		if aerr := s.checkSend(p); aerr != nil {
			return nil, aerr
		}
	}
	switch m {
	case "getme":
		return s.botUser(), nil
	case "sendmessage":
		return s.sendMessage(p)
	case "editmessagetext":
		return s.editMessageText(p)
	case "editmessagereplymarkup":
		return s.editReplyMarkup(p)
	case "answercallbackquery":
		return s.answerCallbackQuery(p)
	case "copymessage":
		return s.copyMessage(p)
	case "deletemessage":
		return s.deleteMessage(p)
	case "sendchataction":
		return true, nil
	case "setmycommands":
		return s.setMyCommands(p)
	case "getmycommands":
		return s.commands[commandsKey(p)], nil
	case "deletemycommands":
		delete(s.commands, commandsKey(p))
		return true, nil
	case "setwebhook":
		return s.setWebhook(p)
	case "deletewebhook":
		return s.deleteWebhook(p)
	case "getwebhookinfo":
		return s.webhookInfo(), nil
	case "getfile":
		return s.getFile(p)
	}
	if kind, ok := mediaKinds[m]; ok {
		return s.sendMedia(kind, p)
	}
	return nil, &apiError{code: 404, description: "Not Found"}
}

func (s *Server) injectedFault(method string) *apiError {
	for i, f := range s.faults {
		if f.method != method && !(f.method == "" && limited(method)) {
			continue
		}
		if f.remaining < 0 {
			if rand.Float64() >= f.fraction {
				continue
			}
		} else if f.remaining--; f.remaining <= 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		return &apiError{code: f.code, description: f.description, retryAfter: f.retryAfter}
	}
	return nil
}

// checkSend applies the target chat's state and the send limits.
func (s *Server) checkSend(p params) *apiError {
	id, err := p.int64("chat_id")
	if err != nil {
		return badRequest("chat_id is empty")
	}
	if to, ok := s.migrated[id]; ok {
		return &apiError{code: 400, description: "Bad Request: group chat was upgraded to a supergroup chat", migrateTo: to}
	}
	c, ok := s.chats[id]
	if !ok {
		return badRequest("chat not found")
	}
	if c.kind == "private" && s.blocked[id] {
		return &apiError{code: 403, description: "Forbidden: bot was blocked by the user"}
	}
	if ok, after := s.limiter.allow(id, s.now()); !ok {
		return &apiError{code: 429, description: fmt.Sprintf("Too Many Requests: retry after %d", after), retryAfter: after}
	}
	return nil
}

func (s *Server) botUser() map[string]any {
	return map[string]any{"id": BotID, "is_bot": true, "first_name": "homelink", "username": BotUsername,
		"can_join_groups": false, "can_read_all_group_messages": false, "supports_inline_queries": false}
}

func (s *Server) sendMessage(p params) (any, *apiError) {
	c := s.chats[mustID(p)]
	plain, aerr := checkText(p.str("text"), p.str("parse_mode"), 4096, false)
	if aerr != nil {
		return nil, aerr
	}
	kb, aerr := inlineKeyboard(p.str("reply_markup"))
	if aerr != nil {
		return nil, aerr
	}
	m := c.add(&Message{FromBot: true, Date: s.now(), Kind: "text", Text: plain, Raw: p.str("text"),
		ParseMode: p.str("parse_mode"), Keyboard: kb, DisableNotification: p.bool("disable_notification")})
	s.sent(*m)
	return m.wire(c, s.botUser()), nil
}

// sendMedia sends a file by file id or uploaded (multipart). An upload is
// kept (a photo checked as Telegram checks it first), and so is sent
// again with its bytes when its file id is.
func (s *Server) sendMedia(kind string, p params) (any, *apiError) {
	c := s.chats[mustID(p)]
	field := kind
	fileID := p.str(field)
	up, uploaded := p.uploads[field]
	var f *storedFile
	if uploaded {
		fileID = newFileID("upload-" + kind)
		if kind == "photo" {
			var aerr *apiError
			if f, aerr = s.keepPhoto(fileID, up.name, up.data); aerr != nil {
				return nil, aerr
			}
		} else {
			f = s.keepFile(fileID, kind, up.name, up.data)
		}
	} else if known, ok := s.files[fileID]; ok && known.kind == kind {
		f = known
	}
	if fileID == "" {
		return nil, badRequest("there is no " + kind + " in the request")
	}
	plain, aerr := checkText(p.str("caption"), p.str("parse_mode"), 1024, true)
	if aerr != nil {
		return nil, aerr
	}
	kb, aerr := inlineKeyboard(p.str("reply_markup"))
	if aerr != nil {
		return nil, aerr
	}
	m := &Message{FromBot: true, Date: s.now(), Kind: kind, FileID: fileID, Text: plain,
		Raw: p.str("caption"), ParseMode: p.str("parse_mode"), Keyboard: kb, DisableNotification: p.bool("disable_notification")}
	if f != nil {
		m.File, m.Sizes = f.data, f.sizes
		if kind != "photo" {
			m.FileName = f.name
		}
	}
	c.add(m)
	s.sent(*m)
	return m.wire(c, s.botUser()), nil
}

func (s *Server) copyMessage(p params) (any, *apiError) {
	c := s.chats[mustID(p)]
	from, err := p.int64("from_chat_id")
	if err != nil {
		return nil, badRequest(err.Error())
	}
	msgID, _ := p.int64("message_id")
	fc, ok := s.chats[from]
	if !ok {
		return nil, badRequest("chat not found")
	}
	orig := fc.find(int(msgID))
	if orig == nil {
		return nil, badRequest("message to copy not found")
	}
	cp := *orig
	cp.FromBot, cp.Date, cp.Edits, cp.Keyboard = true, s.now(), 0, nil
	cp.DisableNotification = p.bool("disable_notification")
	if p.has("caption") {
		plain, aerr := checkText(p.str("caption"), p.str("parse_mode"), 1024, true)
		if aerr != nil {
			return nil, aerr
		}
		cp.Text, cp.Raw = plain, p.str("caption")
	}
	kb, aerr := inlineKeyboard(p.str("reply_markup"))
	if aerr != nil {
		return nil, aerr
	}
	cp.Keyboard = kb
	m := c.add(&cp)
	s.sent(*m)
	return map[string]any{"message_id": m.ID}, nil
}

// editable finds a bot message to edit.
func (s *Server) editable(p params) (*chat, *Message, *apiError) {
	if p.str("inline_message_id") != "" {
		return nil, nil, badRequest("inline messages are not supported by the fake")
	}
	c := s.chats[mustID(p)]
	id, _ := p.int64("message_id")
	m := c.find(int(id))
	if m == nil {
		return nil, nil, badRequest("message to edit not found")
	}
	if !m.FromBot {
		return nil, nil, badRequest("message can't be edited")
	}
	return c, m, nil
}

const notModified = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"

func (s *Server) editMessageText(p params) (any, *apiError) {
	c, m, aerr := s.editable(p)
	if aerr != nil {
		return nil, aerr
	}
	if m.Kind != "text" {
		return nil, badRequest("there is no text in the message to edit")
	}
	plain, aerr := checkText(p.str("text"), p.str("parse_mode"), 4096, false)
	if aerr != nil {
		return nil, aerr
	}
	kb, aerr := inlineKeyboard(p.str("reply_markup"))
	if aerr != nil {
		return nil, aerr
	}
	if plain == m.Text && sameKeyboard(kb, m.Keyboard) {
		return nil, badRequest(notModified)
	}
	m.Text, m.Raw, m.ParseMode, m.Keyboard = plain, p.str("text"), p.str("parse_mode"), kb
	m.Edits++
	s.sent(*m)
	return m.wire(c, s.botUser()), nil
}

func (s *Server) editReplyMarkup(p params) (any, *apiError) {
	c, m, aerr := s.editable(p)
	if aerr != nil {
		return nil, aerr
	}
	kb, aerr := inlineKeyboard(p.str("reply_markup"))
	if aerr != nil {
		return nil, aerr
	}
	if sameKeyboard(kb, m.Keyboard) {
		return nil, badRequest(notModified)
	}
	m.Keyboard = kb
	m.Edits++
	s.sent(*m)
	return m.wire(c, s.botUser()), nil
}

func sameKeyboard(a, b [][]Button) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}

func (s *Server) deleteMessage(p params) (any, *apiError) {
	id, err := p.int64("chat_id")
	if err != nil {
		return nil, badRequest("chat_id is empty")
	}
	c, ok := s.chats[id]
	if !ok {
		return nil, badRequest("chat not found")
	}
	msgID, _ := p.int64("message_id")
	m := c.find(int(msgID))
	if m == nil {
		return nil, badRequest("message to delete not found")
	}
	m.Deleted = true
	s.notify()
	return true, nil
}

type callbackQuery struct {
	id       string
	seq      int
	user     int64
	message  int // the tapped message's id
	edits    int // its edits when it was tapped
	answered bool
	text     string
	alert    bool
	at       time.Time // when it was answered
}

func (s *Server) answerCallbackQuery(p params) (any, *apiError) {
	q, ok := s.queries[p.str("callback_query_id")]
	if !ok || q.answered {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	if utf16Len(p.str("text")) > 200 {
		return nil, badRequest("MESSAGE_TOO_LONG")
	}
	q.answered, q.text, q.alert, q.at = true, p.str("text"), p.bool("show_alert"), s.now()
	return true, nil
}

// BotCommand is one entry of the commands menu.
type BotCommand struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

var commandNameRE = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

func (s *Server) setMyCommands(p params) (any, *apiError) {
	var cmds []BotCommand
	if err := p.json("commands", &cmds); err != nil {
		return nil, badRequest("can't parse commands JSON object")
	}
	if len(cmds) > 100 {
		return nil, badRequest("too many commands")
	}
	for _, c := range cmds {
		if !commandNameRE.MatchString(c.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := utf16Len(c.Description); n < 1 || n > 256 {
			return nil, badRequest("command description is invalid")
		}
	}
	if lc := p.str("language_code"); lc != "" && !regexp.MustCompile(`^[a-z]{2}$`).MatchString(lc) {
		return nil, badRequest("invalid language code specified")
	}
	s.commands[commandsKey(p)] = cmds
	return true, nil
}

// commandsKey names a commands menu by its scope and language.
func commandsKey(p params) string {
	var scope struct {
		Type   string `json:"type"`
		ChatID any    `json:"chat_id"`
	}
	p.json("scope", &scope)
	if scope.Type == "" {
		scope.Type = "default"
	}
	key := scope.Type
	if scope.ChatID != nil {
		key += fmt.Sprintf(":%v", scope.ChatID)
	}
	return key + "|" + p.str("language_code")
}

// Commands returns the commands menu set for a scope ("default",
// "all_private_chats", or "chat:<id>") and language code ("" for all).
func (s *Server) Commands(scope, lang string) []BotCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commands[scope+"|"+lang]
}

// sent records a bot message change and tells the OnSend hook; the caller
// holds mu, so the hook runs on its own goroutine.
func (s *Server) sent(m Message) {
	s.notify()
	if f := s.onSend; f != nil {
		go f(m)
	}
}

func mustID(p params) int64 {
	id, _ := p.int64("chat_id")
	return id
}
