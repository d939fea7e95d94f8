// Package locales holds every word homelink says, one go-i18n TOML file per
// language (active.<tag>.toml), embedded in the binary. Adding a language is
// adding a file; the tests fail until it has every message id.
package locales

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed *.toml
var files embed.FS

// Catalog is the loaded set of translations.
type Catalog struct {
	bundle     *i18n.Bundle
	languages  []string
	localizers map[string]*i18n.Localizer
	fallback   string
}

// Load reads every embedded locale file. fallback is the language used when
// a user's language has no translation; it must be one of the files.
func Load(fallback string) (*Catalog, error) {
	tag, err := language.Parse(fallback)
	if err != nil {
		return nil, fmt.Errorf("locales: default language %q: %w", fallback, err)
	}
	b := i18n.NewBundle(tag)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	names, err := fs.Glob(files, "active.*.toml")
	if err != nil {
		return nil, err
	}
	c := &Catalog{bundle: b, localizers: map[string]*i18n.Localizer{}, fallback: fallback}
	for _, name := range names {
		if _, err := b.LoadMessageFileFS(files, name); err != nil {
			return nil, fmt.Errorf("locales: %s: %w", name, err)
		}
		lang := strings.TrimSuffix(strings.TrimPrefix(name, "active."), ".toml")
		c.languages = append(c.languages, lang)
		c.localizers[lang] = i18n.NewLocalizer(b, lang)
	}
	sort.Strings(c.languages)
	if !c.Supported(fallback) {
		return nil, fmt.Errorf("locales: default language %q has no locale file (have %s)", fallback, strings.Join(c.languages, ", "))
	}
	return c, nil
}

// Languages lists the language tags with a locale file, sorted.
func (c *Catalog) Languages() []string { return c.languages }

// Supported reports whether lang has a locale file.
func (c *Catalog) Supported(lang string) bool {
	_, ok := c.localizers[lang]
	return ok
}

// Fallback is the deployment's default language.
func (c *Catalog) Fallback() string { return c.fallback }

// Localizer returns the localizer for lang, or the fallback's.
func (c *Catalog) Localizer(lang string) *i18n.Localizer {
	if l, ok := c.localizers[lang]; ok {
		return l
	}
	return c.localizers[c.fallback]
}

// Files lists the embedded locale files, for tests that check them.
func Files() fs.FS { return files }
