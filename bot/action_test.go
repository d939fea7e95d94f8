package bot

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Each action's wire code is written once in the code: where the action
// is declared. Every button is built from the action value.
func TestEachActionCodeIsWrittenOnce(t *testing.T) {
	b := New(Config{ButtonKey: []byte("test-key-16bytes")})
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var src strings.Builder
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src.Write(raw)
	}
	for code, a := range b.acts {
		if n := strings.Count(src.String(), strconv.Quote(code)); n != 1 {
			t.Errorf("the code %q of %s is written %d times", code, a.name, n)
		}
	}
}

// Every button's callback data fits Telegram's 64 bytes, with ids as long
// as they can grow: Telegram user ids of up to 52 bits (16 digits), and
// homes, children and invitations numbering in the billions.
func TestButtonDataFitsTelegram(t *testing.T) {
	b := New(Config{ButtonKey: []byte("test-key-16bytes")})
	r := &request{b: b}
	r.session.Nonce = newNonce()
	big := target{home: 9_999_999_999, child: 9_999_999_999, user: 1<<52 - 1, invite: 9_999_999_999, n: 99}
	for _, a := range b.acts {
		if d := a.button(r, "x", big).Data; len(d) > 64 {
			t.Errorf("%s: %d bytes: %s", a.name, len(d), d)
		}
	}
}
