package sandbox

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// request is one HTTP request to the sandbox as a browser or another
// program might send it; host, when set, replaces the Host header.
type request struct {
	method, path, host, contentType, body string
	header                                map[string]string
}

func (c client) send(r request) (int, string) {
	c.t.Helper()
	req, err := http.NewRequest(r.method, c.url+r.path, strings.NewReader(r.body))
	if err != nil {
		c.t.Fatal(err)
	}
	if r.host != "" {
		req.Host = r.host
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// typed is every text the person has sent, as their phone shows it. The
// emulator puts a message on the phone as the request is handled, so a
// refused request's text would be there by the time it was answered.
func (c client) typed(id int64) []string {
	var out []string
	for _, m := range c.phone(id).Messages {
		if !m.FromBot {
			out = append(out, m.HTML)
		}
	}
	return out
}

// A page on another site, or a site whose name resolves to this machine,
// cannot make the phones act or move the clock: each such request is
// refused with a reason and changes nothing, while the page's own requests
// (same origin, JSON, by address, localhost or an allowed name) still work.
func TestSandboxRefusesOtherSites(t *testing.T) {
	_, c, stop := start(t, Options{Seed: true, AllowedHosts: []string{"Sandbox.LAN"}})
	defer stop()
	const dad = 1004
	own := c.url // http://127.0.0.1:port
	port := own[strings.LastIndex(own, ":")+1:]
	typeAs := func(text string) string { return `{"text":"` + text + `"}` }
	people := len(c.state().People)
	clock := c.state().Now

	for _, tc := range []struct {
		name string
		req  request
		want int
	}{
		{"a cross-origin post", request{contentType: "application/json", body: typeAs("cross-origin"),
			header: map[string]string{"Origin": "https://evil.example"}}, http.StatusForbidden},
		{"a cross-site post without Origin", request{contentType: "application/json", body: typeAs("cross-site"),
			header: map[string]string{"Sec-Fetch-Site": "cross-site"}}, http.StatusForbidden},
		{"a post from a sandboxed frame", request{contentType: "application/json", body: typeAs("null-origin"),
			header: map[string]string{"Origin": "null"}}, http.StatusForbidden},
		{"a text/plain post (a form on another site)", request{contentType: "text/plain", body: typeAs("plain")},
			http.StatusUnsupportedMediaType},
		{"a form post", request{contentType: "application/x-www-form-urlencoded", body: "text=form"},
			http.StatusUnsupportedMediaType},
		{"a post without a Content-Type", request{body: typeAs("untyped")}, http.StatusUnsupportedMediaType},
		{"a foreign Host (DNS rebinding)", request{host: "evil.example:" + port, contentType: "application/json",
			body: typeAs("rebound"), header: map[string]string{"Origin": "http://evil.example:" + port}}, http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.req.method, tc.req.path = http.MethodPost, "/api/people/1004/type"
			code, body := c.send(tc.req)
			if code != tc.want || !strings.HasPrefix(body, "refused: ") {
				t.Fatalf("answered %d %q, want %d and a reason", code, body, tc.want)
			}
			if typed := c.typed(dad); len(typed) != 0 {
				t.Fatalf("the phone typed %q", typed)
			}
		})
	}

	// The clock and the people are as safe as the phones.
	for path, body := range map[string]string{"/api/clock": `{"add":"24h"}`, "/api/people": `{"name":"Mallory","lang":"en"}`} {
		code, _ := c.send(request{method: http.MethodPost, path: path, contentType: "application/json", body: body,
			header: map[string]string{"Origin": "https://evil.example"}})
		if code != http.StatusForbidden {
			t.Errorf("cross-origin %s: %d", path, code)
		}
		if code, _ := c.send(request{method: http.MethodPost, path: path, contentType: "text/plain", body: body}); code != http.StatusUnsupportedMediaType {
			t.Errorf("text/plain %s: %d", path, code)
		}
	}
	st := c.state()
	if len(st.People) != people {
		t.Errorf("%d people, was %d", len(st.People), people)
	}
	if mustParse(t, st.Now).Sub(mustParse(t, clock)) >= time.Hour {
		t.Errorf("the clock moved from %s to %s", clock, st.Now)
	}

	// A rebound name cannot read the chats or load the page either.
	for _, path := range []string{"/api/state", "/", "/app.js"} {
		code, body := c.send(request{method: http.MethodGet, path: path, host: "evil.example:" + port})
		if code != http.StatusForbidden || strings.Contains(body, "Zhang Jian") {
			t.Errorf("GET %s as evil.example: %d %.80q", path, code, body)
		}
	}

	// The page's own requests, by each name it may be reached by.
	for i, host := range []string{"", "localhost:" + port, "sandbox.lan:" + port, "[::1]:" + port} {
		origin := own
		if host != "" {
			origin = "http://" + host
		}
		text := "hello " + string(rune('a'+i))
		code, body := c.send(request{method: http.MethodPost, path: "/api/people/1004/type", host: host,
			contentType: "application/json; charset=utf-8", body: typeAs(text),
			header: map[string]string{"Origin": origin, "Sec-Fetch-Site": "same-origin"}})
		if code != http.StatusNoContent {
			t.Fatalf("the page at %s: %d %s", origin, code, body)
		}
		if typed := c.typed(dad); !slices.Contains(typed, text) {
			t.Fatalf("the page at %s typed %q; the phone shows %q", origin, text, typed)
		}
	}
}

func mustParse(t *testing.T, now string) time.Time {
	t.Helper()
	v, err := time.Parse("2006-01-02 15:04 Mon", now)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The names the page answers to: addresses and localhost always, the
// listening host and the allowed names; any other name is a rebinding.
func TestSandboxHostPolicy(t *testing.T) {
	p := newHostPolicy("mybox.local:8080", []string{" Sandbox.LAN ", "", "laptop.home:8080"})
	for host, want := range map[string]bool{
		"127.0.0.1:8080":       true,
		"[::1]:8080":           true,
		"192.168.1.20:8080":    true,
		"localhost:8080":       true,
		"LOCALHOST.":           true,
		"app.localhost:8080":   true,
		"mybox.local:9000":     true,
		"sandbox.lan":          true,
		"laptop.home:8081":     true,
		"evil.example:8080":    false,
		"localhost.evil.com":   false,
		"127.0.0.1.nip.io":     false,
		"sandbox.lan.evil.com": false,
		"":                     false,
	} {
		if got := p.allows(host); got != want {
			t.Errorf("Host %q: allowed %v, want %v", host, got, want)
		}
	}
}
