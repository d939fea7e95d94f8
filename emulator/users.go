package emulator

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// User is a Telegram user in a private chat with the bot, driven by a test.
type User struct {
	s            *Server
	ID           int64
	FirstName    string
	LanguageCode string
}

// NewUser creates a user with a private chat with the bot. languageCode is
// what their Telegram app reports ("zh-hans", "en", "").
func (s *Server) NewUser(id int64, firstName, languageCode string) *User {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := &User{s: s, ID: id, FirstName: firstName, LanguageCode: languageCode}
	s.chats[id] = &chat{id: id, kind: "private", user: u}
	return u
}

// NewGroup creates a group chat (negative id) the bot is in.
func (s *Server) NewGroup(id int64, title string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chats[id] = &chat{id: id, kind: "group", title: title}
}

func (u *User) wire() map[string]any {
	w := map[string]any{"id": u.ID, "is_bot": false, "first_name": u.FirstName}
	if u.LanguageCode != "" {
		w["language_code"] = u.LanguageCode
	}
	return w
}

// Types sends text to the bot as this user and returns the update id.
func (u *User) Types(text string) int64 {
	return u.say(u.ID, &Message{Kind: "text", Text: text, Raw: text})
}

// TypesInGroup sends text to a group the bot is in.
func (u *User) TypesInGroup(group int64, text string) int64 {
	return u.say(group, &Message{Kind: "text", Text: text, Raw: text})
}

// SendsVoice sends a voice note.
func (u *User) SendsVoice() int64 {
	return u.say(u.ID, &Message{Kind: "voice", FileID: fmt.Sprintf("voice-%d", rand.Int64())})
}

// SendsPhoto sends a photo with an optional caption: a sample picture
// the fake keeps, so the bot may send it on by its file id and whoever
// gets it sees it.
func (u *User) SendsPhoto(caption string) int64 {
	s := u.s
	s.mu.Lock()
	f, aerr := s.keepPhoto(newFileID("photo"), "photo.png", samplePhoto())
	s.mu.Unlock()
	if aerr != nil {
		panic("emulator: the sample photo: " + aerr.description)
	}
	last := f.sizes[len(f.sizes)-1]
	return u.say(u.ID, &Message{Kind: "photo", FileID: last.FileID, Text: caption, File: f.data, Sizes: f.sizes})
}

// SendsVideo sends a video with an optional caption.
func (u *User) SendsVideo(caption string) int64 {
	return u.say(u.ID, &Message{Kind: "video", FileID: fmt.Sprintf("video-%d", rand.Int64()), Text: caption})
}

// SendsVideoNote sends a round video message (no caption).
func (u *User) SendsVideoNote() int64 {
	return u.say(u.ID, &Message{Kind: "video_note", FileID: fmt.Sprintf("videonote-%d", rand.Int64())})
}

// SendsSticker sends a sticker.
func (u *User) SendsSticker() int64 {
	return u.say(u.ID, &Message{Kind: "sticker", FileID: fmt.Sprintf("sticker-%d", rand.Int64())})
}

func (u *User) say(chatID int64, m *Message) int64 {
	s := u.s
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	m.Date = s.now()
	c.add(m)
	return s.push("message", m.wire(c, u.wire()))
}

// Taps presses the button labelled label on the newest bot message that
// shows it, and returns the callback query's update id.
func (u *User) Taps(label string) (int64, error) {
	s := u.s
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[u.ID]
	for i := len(c.messages) - 1; i >= 0; i-- {
		m := c.messages[i]
		if !m.FromBot || m.Deleted {
			continue
		}
		if b, ok := m.button(label); ok && b.CallbackData != "" {
			return u.tap(c, m, b.CallbackData), nil
		}
	}
	return 0, fmt.Errorf("emulator: user %d sees no button %q", u.ID, label)
}

// TapsData presses a button on message msgID carrying data, as a forged or
// replayed callback would (Telegram delivers whatever data the button had).
func (u *User) TapsData(msgID int, data string) int64 {
	s := u.s
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[u.ID]
	m := c.find(msgID)
	if m == nil {
		m = &Message{ID: msgID, ChatID: u.ID, FromBot: true, Kind: "text", Text: "?", Date: s.now()}
	}
	return u.tap(c, m, data)
}

func (u *User) tap(c *chat, m *Message, data string) int64 {
	s := u.s
	s.nextQuery++
	id := fmt.Sprintf("q%d", s.nextQuery)
	s.queries[id] = &callbackQuery{id: id, seq: s.nextQuery, user: u.ID, message: m.ID, edits: m.Edits}
	return s.push("callback_query", map[string]any{
		"id": id, "from": u.wire(), "message": m.wire(c, s.botUser()),
		"chat_instance": fmt.Sprintf("ci%d", u.ID), "data": data,
	})
}

// Blocks blocks the bot: sends fail with 403 and the bot gets a
// my_chat_member update with status "kicked".
func (u *User) Blocks() int64 { return u.memberUpdate("member", "kicked", true) }

// Unblocks restarts the bot after blocking it.
func (u *User) Unblocks() int64 { return u.memberUpdate("kicked", "member", false) }

func (u *User) memberUpdate(old, new string, blocked bool) int64 {
	s := u.s
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[u.ID] = blocked
	bot := s.botUser()
	return s.push("my_chat_member", map[string]any{
		"chat": s.chats[u.ID].wire(), "from": u.wire(), "date": s.now().Unix(),
		"old_chat_member": map[string]any{"status": old, "user": bot},
		"new_chat_member": map[string]any{"status": new, "user": bot, "until_date": 0},
	})
}

// Messages returns the bot's messages in this user's chat, edits applied,
// oldest first.
func (u *User) Messages() []Message {
	s := u.s
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.chats[u.ID].messages {
		if m.FromBot && !m.Deleted {
			out = append(out, *m)
		}
	}
	return out
}

// Last returns the bot's newest message to this user (zero when none).
func (u *User) Last() Message {
	ms := u.Messages()
	if len(ms) == 0 {
		return Message{}
	}
	return ms[len(ms)-1]
}

// Alerts lists the texts of the bot's answers to this user's button taps
// that showed something, in order.
func (u *User) Alerts() []string {
	var out []string
	for _, a := range u.Answers() {
		if a.Text != "" {
			out = append(out, a.Text)
		}
	}
	return out
}

// Answer is the bot's answer to one button tap (answerCallbackQuery):
// what the user's Telegram app showed, if anything.
type Answer struct {
	// Query is the callback query's id; later taps have later ids.
	Query string
	// Message is the tapped message's id, and Edits how many times it had
	// been edited when it was tapped.
	Message, Edits int
	// Text is the notice shown (empty: only the spinner stopped); Alert
	// shows it as a dialog to dismiss rather than a passing toast.
	Text  string
	Alert bool
	// At is when the bot answered.
	At time.Time
}

// Answers lists the bot's answers to this user's button taps, in the
// order of the taps; taps not yet answered are left out.
func (u *User) Answers() []Answer {
	s := u.s
	s.mu.Lock()
	defer s.mu.Unlock()
	var qs []*callbackQuery
	for _, q := range s.queries {
		if q.user == u.ID && q.answered {
			qs = append(qs, q)
		}
	}
	slices.SortFunc(qs, func(a, b *callbackQuery) int { return a.seq - b.seq })
	out := make([]Answer, 0, len(qs))
	for _, q := range qs {
		out = append(out, Answer{Query: q.id, Message: q.message, Edits: q.edits, Text: q.text, Alert: q.alert, At: q.at})
	}
	return out
}

// Answered reports whether every button tap of this user was answered
// (Telegram shows a spinner until it is).
func (u *User) Answered() bool {
	s := u.s
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, q := range s.queries {
		if q.user == u.ID && !q.answered {
			return false
		}
	}
	return true
}

// WaitForMessage waits until the bot has sent this user n messages, or an
// edit or message containing substr when substr is not empty, and returns
// the newest bot message. It fails the wait after timeout.
func (u *User) WaitForMessage(substr string, timeout time.Duration) (Message, bool) {
	var found Message
	ok := u.s.WaitFor(timeout, func() bool {
		for _, m := range u.Messages() {
			if strings.Contains(m.Text, substr) {
				found = m
				return true
			}
		}
		return false
	})
	return found, ok
}

// WaitForCount waits until the bot has sent this user at least n messages.
func (u *User) WaitForCount(n int, timeout time.Duration) bool {
	return u.s.WaitFor(timeout, func() bool { return len(u.Messages()) >= n })
}

// SetLanguage changes the language this user's Telegram app reports, as
// when they switch the app's language.
func (u *User) SetLanguage(code string) {
	u.s.mu.Lock()
	defer u.s.mu.Unlock()
	u.LanguageCode = code
	u.s.notify()
}

// Language is the language this user's Telegram app reports now.
func (u *User) Language() string {
	u.s.mu.Lock()
	defer u.s.mu.Unlock()
	return u.LanguageCode
}
