package bot

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

func msg(text string, ents ...models.MessageEntity) *models.Message {
	return &models.Message{Text: text, Entities: ents}
}

func cmdEntity(offset, length int) models.MessageEntity {
	return models.MessageEntity{Type: models.MessageEntityTypeBotCommand, Offset: offset, Length: length}
}

func TestParseCommand(t *testing.T) {
	cases := []struct {
		name       string
		m          *models.Message
		want, args string
		ok         bool
	}{
		{"plain", msg("/help", cmdEntity(0, 5)), "help", "", true},
		{"mention of this bot", msg("/help@HomeLink_Bot", cmdEntity(0, 18)), "help", "", true},
		{"mention of another bot", msg("/help@other_bot", cmdEntity(0, 15)), "", "", false},
		{"payload", msg("/start abc_DEF-123", cmdEntity(0, 6)), "start", "abc_DEF-123", true},
		{"upper case", msg("/HELP", cmdEntity(0, 5)), "help", "", true},
		{"chinese args", msg("/start 你好", cmdEntity(0, 6)), "start", "你好", true},
		{"emoji before is not a command", msg("😀 /help", cmdEntity(3, 5)), "", "", false},
		{"chinese before is not a command", msg("你好 /help", cmdEntity(3, 5)), "", "", false},
		{"no entities", msg("/language"), "language", "", true},
		{"no entities with args", msg("/start x\ny"), "start", "x\ny", true},
		{"text", msg("hello"), "", "", false},
		{"slash only", msg("/"), "", "", false},
		{"entity past the end", msg("/a", cmdEntity(0, 50)), "a", "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := parseCommand(c.m, "homelink_bot")
			if ok != c.ok || got.Name != c.want || got.Args != c.args {
				t.Fatalf("parseCommand(%q) = %+v, %v; want %q %q %v", c.m.Text, got, ok, c.want, c.args, c.ok)
			}
		})
	}
}

func FuzzParseCommand(f *testing.F) {
	f.Add("/start abc", 0, 6)
	f.Add("你好 /help", 3, 5)
	f.Add("😀/x@y z", 2, 4)
	f.Fuzz(func(t *testing.T, text string, offset, length int) {
		cmd, ok := parseCommand(msg(text, cmdEntity(offset, length)), "homelink_bot")
		if ok && (cmd.Name == "" || !utf8.ValidString(cmd.Name) && utf8.ValidString(text)) {
			t.Fatalf("bad command %+v from %q", cmd, text)
		}
	})
}

// Any callback data decodes to an action and target that encode and
// decode to the same again, or to nothing; it never panics.
func FuzzButtonData(f *testing.F) {
	b := New(Config{ButtonKey: []byte("fuzz-key-16bytes")})
	f.Add("hv.12")
	f.Add("rel.1.2.3")
	f.Add("ju.1.2.99999999999")
	f.Add("..")
	f.Add("hv.-1")
	f.Fuzz(func(t *testing.T, data string) {
		a, tg, ok := b.acts.decode(data)
		if !ok {
			return
		}
		again, tg2, ok := b.acts.decode(a.encode(tg))
		if !ok || again != a || tg2 != tg {
			t.Fatalf("%q: round trip gave %v %+v", data, ok, tg2)
		}
	})
}

// A standing button's MAC holds its data: any change to it fails.
func FuzzStandingButtonMAC(f *testing.F) {
	b := New(Config{ButtonKey: []byte("fuzz-key-16bytes")})
	f.Add("ju.1.2.3", "ju.1.2.4")
	f.Add("juy.10.20.30", "juy.10.20.3")
	f.Fuzz(func(t *testing.T, payload, altered string) {
		signed := strings.TrimPrefix(b.sign(payload), "s:")
		if got, ok := b.verify(signed); !ok || got != payload {
			t.Fatalf("%q does not verify", signed)
		}
		i := strings.LastIndexByte(signed, ':')
		if altered != payload {
			if _, ok := b.verify(altered + signed[i:]); ok {
				t.Fatalf("%q verified with the MAC of %q", altered, payload)
			}
		}
	})
}
