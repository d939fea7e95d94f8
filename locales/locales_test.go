package locales

import (
	"io/fs"
	"sort"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
)

// messages reads every locale file: language → message id → plural form → text.
func messages(t *testing.T) map[string]map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]map[string]string{}
	names, _ := fs.Glob(Files(), "active.*.toml")
	if len(names) < 2 {
		t.Fatalf("want at least zh-Hans and en, found %v", names)
	}
	for _, name := range names {
		raw, _ := fs.ReadFile(Files(), name)
		var m map[string]map[string]string
		if err := toml.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[strings.TrimSuffix(strings.TrimPrefix(name, "active."), ".toml")] = m
	}
	return out
}

func TestEveryMessageInEveryLocaleAndPluralForm(t *testing.T) {
	all := messages(t)
	ids := map[string]bool{}
	plural := map[string]bool{}
	for _, m := range all {
		for id, forms := range m {
			ids[id] = true
			for form := range forms {
				if form != "other" && form != "description" {
					plural[id] = true
				}
			}
		}
	}
	c, err := Load("zh-Hans")
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range c.Languages() {
		loc := c.Localizer(lang)
		for id := range ids {
			counts := []any{nil}
			if plural[id] {
				counts = []any{0, 1, 2, 3, 5, 11, 21, 22, 100, 101}
			}
			for _, n := range counts {
				s, err := loc.Localize(&i18n.LocalizeConfig{MessageID: id, PluralCount: n,
					TemplateData: map[string]any{"Count": n}})
				if err != nil {
					t.Errorf("%s: %s (count %v): %v", lang, id, n, err)
					continue
				}
				if strings.TrimSpace(s) == "" {
					t.Errorf("%s: %s (count %v) is empty", lang, id, n)
				}
			}
		}
	}
}

func TestLocaleFilesAgree(t *testing.T) {
	all := messages(t)
	var langs []string
	for l := range all {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, a := range langs {
		for _, b := range langs {
			for id := range all[a] {
				if _, ok := all[b][id]; !ok {
					t.Errorf("%s has %s, %s lacks it", a, id, b)
				}
			}
		}
	}
}

func TestLoadRejectsUnknownDefault(t *testing.T) {
	if _, err := Load("fr"); err == nil {
		t.Fatal("Load(fr) succeeded without a French locale")
	}
	c, err := Load("en")
	if err != nil || c.Fallback() != "en" || !c.Supported("zh-Hans") || c.Supported("de") {
		t.Fatalf("Load(en) = %+v, %v", c, err)
	}
}
