package homelink

import "testing"

func TestPreferredLanguage(t *testing.T) {
	supported := func(l string) bool { return l == "zh-Hans" || l == "en" }
	cases := []struct {
		name, chosen, tg, want string
	}{
		{"stored choice wins", "en", "zh-hans", "en"},
		{"zh-hans from Telegram", "", "zh-hans", "zh-Hans"},
		{"zh-TW maps to zh-Hans", "", "zh-TW", "zh-Hans"},
		{"plain zh", "", "zh", "zh-Hans"},
		{"english variant", "", "en-GB", "en"},
		{"unsupported falls back", "", "fr", "zh-Hans"},
		{"empty falls back", "", "", "zh-Hans"},
		{"unsupported stored choice ignored", "de", "en", "en"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := PreferredLanguage(c.chosen, c.tg, "zh-Hans", supported); got != c.want {
				t.Fatalf("PreferredLanguage(%q, %q) = %q, want %q", c.chosen, c.tg, got, c.want)
			}
		})
	}
}

func TestSessionAccepts(t *testing.T) {
	s := Session{Flow: "language", Nonce: "abc"}
	if !s.Accepts("language", "abc") {
		t.Fatal("current flow's button refused")
	}
	for _, c := range [][2]string{{"language", "old"}, {"other", "abc"}, {"language", ""}} {
		if s.Accepts(c[0], c[1]) {
			t.Fatalf("Accepts(%q, %q) = true for a stale button", c[0], c[1])
		}
	}
	if (Session{}).Accepts("", "") {
		t.Fatal("empty session accepted a button")
	}
}
