package sandbox

import (
	"context"
	"embed"
	"encoding/json"
	"html"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/homelink/homelink/emulator"
)

//go:embed web
var webFiles embed.FS

// The web page's API, all JSON. Only the page itself may call it (guard):
// a request must name the sandbox as its Host, come from the sandbox's own
// origin, and POST with Content-Type: application/json.
//
//	GET  /api/state                    the clock and every phone's chat
//	GET  /api/events                   server-sent events: "changed" when anything did
//	POST /api/people                   {"name","lang"}: add a person
//	POST /api/people/{id}/type         {"text"}: the person sends text
//	POST /api/people/{id}/tap          {"message","data"}: the person taps an inline button
//	                                   on message "message" of their chat (404 if there is none)
//	POST /api/people/{id}/voice        the person sends a sample voice note
//	POST /api/people/{id}/photo        the person sends a sample photo
//	POST /api/people/{id}/language     {"lang"}: the person's Telegram language
//	POST /api/clock                    {"add":"1h"} or {"set":"2026-12-05T09:00"} (DEFAULT_TIMEZONE)
//	GET  /files/{id}/{message}         the file the bot sent in that message (/mydata's), or the
//	                                   photo in it (a report's chart; a photo the person sent)
//	GET  /sound.wav                    the sample sound every voice note plays (the emulator keeps no sound)
func (s *Sandbox) handler() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(webFiles, "web")
	mux.Handle("GET /", http.FileServerFS(static))
	mux.HandleFunc("GET /api/state", s.state)
	mux.HandleFunc("GET /api/events", s.events)
	mux.HandleFunc("POST /api/people", s.addPerson)
	mux.HandleFunc("POST /api/people/{id}/{action}", s.act)
	mux.HandleFunc("POST /api/clock", s.moveClock)
	mux.HandleFunc("GET /files/{id}/{message}", s.file)
	mux.HandleFunc("GET /sound.wav", s.sound)
	return mux
}

type stateView struct {
	Now    string       `json:"now"`
	Zone   string       `json:"zone"`
	People []personView `json:"people"`
}

type personView struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// Role is what the store says the person is now ("teacher, parent"),
	// empty for someone who holds no role.
	Role     string        `json:"role"`
	Lang     string        `json:"lang"`
	Messages []messageView `json:"messages"`
	// Answers are the bot's latest answers to the person's taps that showed
	// something, oldest first: the page shows a new one as a toast.
	Answers []answerView `json:"answers,omitempty"`
}

// answerView is a notice the bot showed for a tap (answerCallbackQuery).
type answerView struct {
	ID      string `json:"id"`
	Message int    `json:"message"`
	Text    string `json:"text"`
	Alert   bool   `json:"alert,omitempty"`
	Time    string `json:"time"`
}

// answersShown is how many of a person's latest answers the page is sent.
const answersShown = 20

type messageView struct {
	ID       int    `json:"id"`
	FromBot  bool   `json:"fromBot"`
	Kind     string `json:"kind"`
	HTML     string `json:"html"`
	FileName string `json:"fileName,omitempty"`
	// File is where to open the file the bot sent (a document), or to
	// load a photo whose picture the emulator keeps.
	File     string         `json:"file,omitempty"`
	Keyboard [][]buttonView `json:"keyboard,omitempty"`
	// Dead is set when the last tap on the keyboard was answered with only
	// a notice and the message has not changed since: the bot refused the
	// button (it expired, or is not for this person). The page greys it.
	Dead   string `json:"dead,omitempty"`
	Edited bool   `json:"edited,omitempty"`
	// Silent is set when the bot sent it without a notification sound
	// (quiet hours): the page marks it 🔕.
	Silent bool `json:"silent,omitempty"`
	// Time is when it came, home time, with the weekday: after the clock
	// jumps days, the day tells the messages apart.
	Time string `json:"time"`
}

type buttonView struct {
	Text string `json:"text"`
	Data string `json:"data,omitempty"`
	URL  string `json:"url,omitempty"`
}

func (s *Sandbox) state(w http.ResponseWriter, r *http.Request) {
	zone := s.cfg.DefaultTimezone
	v := stateView{Now: s.Clock.Now().In(zone).Format("2006-01-02 15:04 Mon"), Zone: zone.String()}
	s.mu.Lock()
	people := append([]*person(nil), s.people...)
	s.mu.Unlock()
	for _, p := range people {
		pv := personView{ID: p.user.ID, Name: p.name, Role: s.roles(r.Context(), p.user.ID), Lang: p.user.Language()}
		answers := p.user.Answers()
		for _, m := range s.tg.Transcript(p.user.ID) {
			mv := viewOf(m, zone)
			if mv.Kind != "text" && len(m.File) > 0 {
				mv.File = "/files/" + strconv.FormatInt(p.user.ID, 10) + "/" + strconv.Itoa(m.ID)
			}
			if len(mv.Keyboard) > 0 {
				mv.Dead = refused(m, answers)
			}
			pv.Messages = append(pv.Messages, mv)
		}
		for _, a := range answers {
			if a.Text != "" {
				pv.Answers = append(pv.Answers, answerView{ID: a.Query, Message: a.Message, Text: a.Text, Alert: a.Alert,
					Time: a.At.In(zone).Format("15:04")})
			}
		}
		if n := len(pv.Answers); n > answersShown {
			pv.Answers = pv.Answers[n-answersShown:]
		}
		v.People = append(v.People, pv)
	}
	writeJSON(w, v)
}

// refused is the notice the bot answered the last tap on m with, when that
// was all it did: m is as it was when tapped. A Telegram app keeps showing
// such buttons; their user learns they are dead only by tapping, and the
// page greys them once they have. Which buttons the bot still honours is
// the bot's business (a newer menu retires an older one, a notice's buttons
// keep working), so the page does not guess before the tap.
func refused(m emulator.Message, answers []emulator.Answer) string {
	for i := len(answers) - 1; i >= 0; i-- {
		if a := answers[i]; a.Message == m.ID {
			if a.Text != "" && a.Edits == m.Edits {
				return a.Text
			}
			return ""
		}
	}
	return ""
}

// roles is what the store says a person is now, for the phone's label.
func (s *Sandbox) roles(ctx context.Context, id int64) string {
	u, err := s.app.Store.User(ctx, id)
	if err != nil {
		return ""
	}
	var out []string
	if slices.Contains(s.cfg.AdminIDs, id) {
		out = append(out, "admin")
	}
	if u.Roles.IsCoordinator() {
		out = append(out, "coordinator")
	}
	if u.Roles.IsTeacher() {
		out = append(out, "teacher")
	}
	if u.Roles.IsGuardian() {
		out = append(out, "parent")
	}
	return strings.Join(out, ", ")
}

// viewOf is a message as a phone shows it: the bot's Telegram HTML as sent
// (the page keeps only Telegram's tags), a person's text escaped.
func viewOf(m emulator.Message, zone *time.Location) messageView {
	mv := messageView{ID: m.ID, FromBot: m.FromBot, Kind: m.Kind, FileName: m.FileName,
		Edited: m.Edits > 0, Silent: m.DisableNotification, Time: m.Date.In(zone).Format("Mon 15:04")}
	if m.FromBot && m.ParseMode == "HTML" {
		mv.HTML = m.Raw
	} else {
		mv.HTML = html.EscapeString(m.Text)
	}
	for _, row := range m.Keyboard {
		var out []buttonView
		for _, b := range row {
			out = append(out, buttonView{Text: b.Text, Data: b.CallbackData, URL: b.URL})
		}
		mv.Keyboard = append(mv.Keyboard, out)
	}
	return mv
}

// events tells the page when to ask for the state again.
func (s *Sandbox) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	keepAlive := time.NewTicker(15 * time.Second)
	defer keepAlive.Stop()
	for {
		s.mu.Lock()
		mine := s.changed
		s.mu.Unlock()
		emulator := s.tg.Changed()
		if _, err := w.Write([]byte("data: changed\n\n")); err != nil {
			return
		}
		flusher.Flush()
		select {
		case <-r.Context().Done():
			return
		case <-mine:
		case <-emulator:
		case <-keepAlive.C:
		}
		// Let a burst of changes (a reply and its edit) settle into one.
		time.Sleep(30 * time.Millisecond)
	}
}

func (s *Sandbox) addPerson(w http.ResponseWriter, r *http.Request) {
	var in struct{ Name, Lang string }
	if !readJSON(w, r, &in) {
		return
	}
	name := strings.TrimSpace(in.Name)
	if name == "" || utf8.RuneCountInString(name) > 32 || len(in.Lang) > 16 {
		http.Error(w, "a name of 1 to 32 characters and a language code such as en or zh-hans", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	id := s.nextID
	s.nextID++
	p := &person{user: s.tg.NewUser(id, name, in.Lang), name: name}
	s.people = append(s.people, p)
	s.mu.Unlock()
	s.notify()
	writeJSON(w, map[string]int64{"id": id})
}

func (s *Sandbox) act(w http.ResponseWriter, r *http.Request) {
	p := s.person(r.PathValue("id"))
	if p == nil {
		http.Error(w, "no such person", http.StatusNotFound)
		return
	}
	var in struct {
		Text    string
		Lang    string
		Message int
		Data    string
	}
	if r.ContentLength != 0 && !readJSON(w, r, &in) {
		return
	}
	switch r.PathValue("action") {
	case "type":
		if strings.TrimSpace(in.Text) == "" || utf8.RuneCountInString(in.Text) > 4096 {
			http.Error(w, "text of 1 to 4096 characters", http.StatusBadRequest)
			return
		}
		p.user.Types(in.Text)
	case "tap":
		if in.Data == "" || len(in.Data) > 64 {
			http.Error(w, "the button's callback data", http.StatusBadRequest)
			return
		}
		if !s.shows(p, in.Message) {
			http.Error(w, "no such message on this phone", http.StatusNotFound)
			return
		}
		p.user.TapsData(in.Message, in.Data)
	case "voice":
		p.user.SendsVoice()
	case "photo":
		p.user.SendsPhoto("")
	case "language":
		if len(in.Lang) > 16 {
			http.Error(w, "a language code such as en or zh-hans", http.StatusBadRequest)
			return
		}
		p.user.SetLanguage(in.Lang)
	default:
		http.NotFound(w, r)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// shows reports whether the bot's message msg is on p's phone.
func (s *Sandbox) shows(p *person, msg int) bool {
	_, ok := s.message(p, msg)
	return ok
}

func (s *Sandbox) message(p *person, msg int) (emulator.Message, bool) {
	for _, m := range s.tg.Transcript(p.user.ID) {
		if m.ID == msg && m.FromBot {
			return m, true
		}
	}
	return emulator.Message{}, false
}

// file sends the file the bot sent in a message, as the person's Telegram
// app would open it. It is served as a download (or, for JSON and plain
// text, shown as text) and never run as a page of this site.
func (s *Sandbox) file(w http.ResponseWriter, r *http.Request) {
	p := s.person(r.PathValue("id"))
	n, err := strconv.Atoi(r.PathValue("message"))
	if p == nil || err != nil {
		http.NotFound(w, r)
		return
	}
	m, ok := s.message(p, n)
	if !ok {
		m, ok = s.ownPhoto(p, n)
	}
	if !ok || len(m.File) == 0 {
		http.Error(w, "no file in that message", http.StatusNotFound)
		return
	}
	name := m.FileName
	if name == "" {
		name = "file"
	}
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	switch ext := strings.ToLower(path.Ext(name)); {
	case m.Kind == "photo" && photoTypes[http.DetectContentType(m.File)]:
		// A photo shows in the chat as a picture (an <img>), never as a page.
		h.Set("Content-Type", http.DetectContentType(m.File))
	case ext == ".json":
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": name}))
	case ext == ".txt":
		h.Set("Content-Type", "text/plain; charset=utf-8")
		h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": name}))
	default:
		h.Set("Content-Type", "application/octet-stream")
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	}
	w.Write(m.File)
}

// photoTypes are the pictures a photo is served as.
var photoTypes = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true}

// ownPhoto is a photo the person sent in their chat (message msg).
func (s *Sandbox) ownPhoto(p *person, msg int) (emulator.Message, bool) {
	for _, m := range s.tg.Transcript(p.user.ID) {
		if m.ID == msg && !m.FromBot && m.Kind == "photo" {
			return m, true
		}
	}
	return emulator.Message{}, false
}

func (s *Sandbox) person(id string) *person {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.people {
		if p.user.ID == n {
			return p
		}
	}
	return nil
}

func (s *Sandbox) moveClock(w http.ResponseWriter, r *http.Request) {
	var in struct{ Add, Set string }
	if !readJSON(w, r, &in) {
		return
	}
	switch {
	case in.Add != "":
		d, err := time.ParseDuration(in.Add)
		if err != nil || d <= 0 || d > 366*24*time.Hour {
			http.Error(w, "add: a duration such as 1h or 24h", http.StatusBadRequest)
			return
		}
		s.Clock.Advance(d)
	case in.Set != "":
		t, err := time.ParseInLocation("2006-01-02T15:04", in.Set, s.cfg.DefaultTimezone)
		if err != nil {
			http.Error(w, "set: a time such as 2026-12-05T09:00", http.StatusBadRequest)
			return
		}
		if !s.Clock.Set(t) {
			http.Error(w, "set: time only moves forward", http.StatusBadRequest)
			return
		}
	default:
		http.Error(w, "add or set", http.StatusBadRequest)
		return
	}
	// Let the scheduler look at once rather than at its next tick.
	s.app.RunJobs()
	s.notify()
	w.WriteHeader(http.StatusNoContent)
}

func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(v); err != nil {
		http.Error(w, "a JSON body", http.StatusBadRequest)
		return false
	}
	return true
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}
