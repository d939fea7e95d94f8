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
