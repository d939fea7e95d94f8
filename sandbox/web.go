package sandbox

import (
	"embed"
	"encoding/json"
	"html"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/homelink/homelink/emulator"
)

//go:embed web
var webFiles embed.FS

// The web page's API, all JSON:
//
//	GET  /api/state                    the clock and every phone's chat
//	GET  /api/events                   server-sent events: "changed" when anything did
//	POST /api/people                   {"name","lang"}: add a person
//	POST /api/people/{id}/type         {"text"}: the person sends text
//	POST /api/people/{id}/tap          {"message","data"}: the person taps an inline button
//	POST /api/people/{id}/voice        the person sends a sample voice note
//	POST /api/people/{id}/photo        the person sends a sample photo
//	POST /api/people/{id}/language     {"lang"}: the person's Telegram language
//	POST /api/clock                    {"add":"1h"} or {"set":"2026-12-05T09:00"} (DEFAULT_TIMEZONE)
func (s *Sandbox) handler() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(webFiles, "web")
	mux.Handle("GET /", http.FileServerFS(static))
	mux.HandleFunc("GET /api/state", s.state)
	mux.HandleFunc("GET /api/events", s.events)
	mux.HandleFunc("POST /api/people", s.addPerson)
	mux.HandleFunc("POST /api/people/{id}/{action}", s.act)
	mux.HandleFunc("POST /api/clock", s.moveClock)
	return mux
}

type stateView struct {
	Now    string       `json:"now"`
	Zone   string       `json:"zone"`
	People []personView `json:"people"`
}

type personView struct {
	ID       int64         `json:"id"`
	Name     string        `json:"name"`
	Role     string        `json:"role"`
	Lang     string        `json:"lang"`
	Messages []messageView `json:"messages"`
}

type messageView struct {
	ID       int            `json:"id"`
	FromBot  bool           `json:"fromBot"`
	Kind     string         `json:"kind"`
	HTML     string         `json:"html"`
	FileName string         `json:"fileName,omitempty"`
	Keyboard [][]buttonView `json:"keyboard,omitempty"`
	Edited   bool           `json:"edited,omitempty"`
	Time     string         `json:"time"`
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
		pv := personView{ID: p.user.ID, Name: p.name, Role: p.role, Lang: p.user.Language()}
		for _, m := range s.tg.Transcript(p.user.ID) {
			pv.Messages = append(pv.Messages, viewOf(m, zone))
		}
		v.People = append(v.People, pv)
	}
	writeJSON(w, v)
}

// viewOf is a message as a phone shows it: the bot's Telegram HTML as sent
// (the page keeps only Telegram's tags), a person's text escaped.
func viewOf(m emulator.Message, zone *time.Location) messageView {
	mv := messageView{ID: m.ID, FromBot: m.FromBot, Kind: m.Kind, FileName: m.FileName,
		Edited: m.Edits > 0, Time: m.Date.In(zone).Format("15:04")}
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
