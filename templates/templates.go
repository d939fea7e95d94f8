// Package templates renders the messages homelink sends, from *.tmpl files
// embedded in the binary. Each template is parsed once per language at start
// with a translate function, t, bound to that language, and renders in
// Telegram's HTML parse mode.
//
// Templates use html/template, the standard text/template engine with
// contextual escaping: every value a template prints is HTML-escaped, so a
// child's name can never break or inject markup. Locale texts are trusted
// markup; values passed to them through t are escaped first.
package templates

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/homelink/homelink/locales"
)

//go:embed *.tmpl
var files embed.FS

// Renderer renders templates and single messages in a user's language.
type Renderer struct {
	catalog *locales.Catalog
	byLang  map[string]*template.Template
}

// New parses every template for every language of catalog. It fails when a
// template does not parse.
func New(catalog *locales.Catalog) (*Renderer, error) {
	r := &Renderer{catalog: catalog, byLang: map[string]*template.Template{}}
	for _, lang := range catalog.Languages() {
		loc := catalog.Localizer(lang)
		tmpl, err := template.New("").Funcs(funcMap(loc)).ParseFS(files, "*.tmpl")
		if err != nil {
			return nil, fmt.Errorf("templates: %w", err)
		}
		r.byLang[lang] = tmpl
	}
	return r, nil
}

// funcMap is what templates may call: t translates in the template's
// language.
func funcMap(loc *i18n.Localizer) template.FuncMap {
	return template.FuncMap{
		"t": func(id string, kv ...any) (template.HTML, error) {
			return translate(loc, id, kv, true)
		},
		"inc": func(i int) int { return i + 1 },
		// tgUser links to a Telegram account by id: the reader's app shows
		// the person, homelink keeps no name.
		"tgUser": func(id int64) template.URL { return template.URL("tg://user?id=" + strconv.FormatInt(id, 10)) },
	}
}

// Render renders the template name (without .tmpl) in lang.
func (r *Renderer) Render(lang, name string, data any) (string, error) {
	tmpl, ok := r.byLang[lang]
	if !ok {
		tmpl = r.byLang[r.catalog.Fallback()]
	}
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, name+".tmpl", data); err != nil {
		return "", fmt.Errorf("templates: render %s in %s: %w", name, lang, err)
	}
	return spaced(lang, strings.TrimSpace(buf.String())), nil
}

// HTML returns one message in lang as Telegram HTML; string values in kv
// (alternating names and values) are escaped.
func (r *Renderer) HTML(lang, id string, kv ...any) string {
	s, _ := translate(r.catalog.Localizer(lang), id, kv, true)
	return spaced(lang, string(s))
}

// Text returns one message in lang as plain text, for places Telegram shows
// without parsing markup: button labels, alerts, the commands menu.
func (r *Renderer) Text(lang, id string, kv ...any) string {
	s, _ := translate(r.catalog.Localizer(lang), id, kv, false)
	return spaced(lang, string(s))
}

// Chinese puts a space between Han characters and Latin letters, so a
// name or a home typed in Latin letters stands apart ("家长 Li Wei 已加入");
// digits keep their place (3月8日). Bold and italic tags between the two
// are looked through: the space goes after them, just before the letter
// or the character ("的<b> Anna</b>").

// spaced applies that rule to text in a Chinese language. It is one pass
// over the text (every message anyone reads in Chinese goes through it; a
// regular expression took a tenth of a reminder's time), and returns s
// itself when nothing needs a space.
func spaced(lang, s string) string {
	if !strings.HasPrefix(lang, "zh") {
		return s
	}
	var b strings.Builder
	done := 0 // s[:done] is in b
	for i, r := range s {
		var want func(rune) bool
		switch {
		case isLatinLetter(r):
			want = isHanChar
		case unicode.Is(unicode.Han, r):
			want = isLatinLetter
		default:
			continue
		}
		before, _ := utf8.DecodeLastRuneInString(s[:tagsBefore(s, i)])
		if !want(before) {
			continue
		}
		if done == 0 {
			b.Grow(len(s) + 8)
		}
		b.WriteString(s[done:i])
		b.WriteByte(' ')
		done = i
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

func isLatinLetter(r rune) bool {
	return r < utf8.RuneSelf && ('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z')
}
func isHanChar(r rune) bool { return unicode.Is(unicode.Han, r) }

// tagsBefore is where the run of tags (<b>, </b>: "</?[a-z]+>") that ends
// at i begins; i when none does.
func tagsBefore(s string, i int) int {
	for {
		j := i - 1
		if j < 0 || s[j] != '>' {
			return i
		}
		for j--; j >= 0 && 'a' <= s[j] && s[j] <= 'z'; j-- {
		}
		if j == i-2 { // no letters
			return i
		}
		if j >= 0 && s[j] == '/' {
			j--
		}
		if j < 0 || s[j] != '<' {
			return i
		}
		i = j
	}
}

// translate localizes id. A message missing in the language falls back to
// the default language's text (the locale tests make that never happen);
// only a message missing everywhere is an error.
func translate(loc *i18n.Localizer, id string, kv []any, escape bool) (template.HTML, error) {
	cfg := &i18n.LocalizeConfig{MessageID: id}
	if len(kv)%2 != 0 {
		return "", fmt.Errorf("t %s: odd number of arguments", id)
	}
	if len(kv) > 0 {
		data := map[string]any{}
		for i := 0; i < len(kv); i += 2 {
			name, _ := kv[i].(string)
			v := kv[i+1]
			if s, ok := v.(string); ok && escape {
				v = html.EscapeString(s)
			}
			if name == "Count" {
				cfg.PluralCount = v
			}
			data[name] = v
		}
		cfg.TemplateData = data
	}
	s, err := loc.Localize(cfg)
	var notFound *i18n.MessageNotFoundErr
	if err != nil && !(errors.As(err, &notFound) && s != "") {
		return "", fmt.Errorf("t %s: %w", id, err)
	}
	return template.HTML(s), nil
}

// Names lists the template names (without .tmpl), for tests.
func Names() []string {
	names, _ := fs.Glob(files, "*.tmpl")
	for i, n := range names {
		names[i] = strings.TrimSuffix(n, ".tmpl")
	}
	return names
}

// Files is the embedded template folder, for tests.
func Files() fs.FS { return files }
