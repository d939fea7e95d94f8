package templates

import (
	"html/template"
	"io/fs"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"text/template/parse"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/homelink/homelink/locales"
)

// usedIDs walks a template's parse tree for the message ids given to t.
func usedIDs(node parse.Node, out map[string]bool) {
	switch n := node.(type) {
	case *parse.ListNode:
		if n != nil {
			for _, c := range n.Nodes {
				usedIDs(c, out)
			}
		}
	case *parse.ActionNode:
		usedIDs(n.Pipe, out)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, cmd := range n.Cmds {
			if len(cmd.Args) >= 2 {
				if id, ok := cmd.Args[0].(*parse.IdentifierNode); ok && id.Ident == "t" {
					if s, ok := cmd.Args[1].(*parse.StringNode); ok {
						out[s.Text] = true
					}
				}
			}
			for _, a := range cmd.Args {
				usedIDs(a, out)
			}
		}
	case *parse.IfNode:
		usedIDs(n.Pipe, out)
		usedIDs(n.List, out)
		usedIDs(n.ElseList, out)
	case *parse.RangeNode:
		usedIDs(n.Pipe, out)
		usedIDs(n.List, out)
		usedIDs(n.ElseList, out)
	case *parse.WithNode:
		usedIDs(n.Pipe, out)
		usedIDs(n.List, out)
		usedIDs(n.ElseList, out)
	case *parse.TemplateNode:
		usedIDs(n.Pipe, out)
	}
}

func TestEveryMessageIDATemplateUsesExists(t *testing.T) {
	cat, err := locales.Load("zh-Hans")
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := template.New("").Funcs(funcMap(nil)).ParseFS(files, "*.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	names, _ := fs.Glob(files, "*.tmpl")
	if len(names) == 0 {
		t.Fatal("no templates")
	}
	for _, name := range names {
		ids := map[string]bool{}
		usedIDs(tmpl.Lookup(name).Tree.Root, ids)
		if len(ids) == 0 {
			t.Errorf("%s uses no message: every word must come from a locale", name)
		}
		for id := range ids {
			for _, lang := range cat.Languages() {
				if _, err := cat.Localizer(lang).Localize(&i18n.LocalizeConfig{MessageID: id}); err != nil {
					t.Errorf("%s uses %s, missing in %s: %v", name, id, lang, err)
				}
			}
		}
	}
}

func TestRenderEscapesValues(t *testing.T) {
	cat, _ := locales.Load("en")
	r, err := New(cat)
	if err != nil {
		t.Fatal(err)
	}
	// A template prints a hostile value escaped.
	tmpl := template.Must(r.byLang["en"].Clone())
	template.Must(tmpl.New("probe.tmpl").Parse(`{{t "HelpTitle"}} {{.}}`))
	r.byLang["en"] = tmpl
	out, err := r.Render("en", "probe", `<script>&"x"`)
	if err != nil {
		t.Fatal(err)
	}
	if want := `<b>What I can do</b> &lt;script&gt;&amp;&#34;x&#34;`; out != want {
		t.Fatalf("rendered %q, want %q", out, want)
	}
	// Values given to a message through t are escaped too.
	got, err := translate(cat.Localizer("en"), "HelpTitle", []any{"Name", "<i>"}, true)
	if err != nil || got != "<b>What I can do</b>" {
		t.Fatalf("translate = %q, %v", got, err)
	}
	if _, err := translate(cat.Localizer("en"), "NoSuchMessage", nil, true); err == nil {
		t.Fatal("an unknown message id rendered")
	}
}

// Chinese text puts a space between Han characters and Latin letters,
// through bold tags, but not around digits; English is left alone.
func TestChineseSpacesLatinLetters(t *testing.T) {
	for in, want := range map[string]string{
		"家长Li Wei已加入":            "家长 Li Wei 已加入",
		"<b>Qingxi Home</b>的老师":  "<b>Qingxi Home</b> 的老师",
		"的<b>Anna</b>":           "的<b> Anna</b>",
		"3月8日 15:04":             "3月8日 15:04",
		"发送 /help 看看":            "发送 /help 看看",
		"Children&#39;s Home的孩子": "Children&#39;s Home 的孩子",
	} {
		if got := spaced("zh-Hans", in); got != want {
			t.Errorf("spaced(%q) = %q, want %q", in, got, want)
		}
	}
	if got := spaced("en", "Li Wei的"); got != "Li Wei的" {
		t.Errorf("English changed: %q", got)
	}
}

// spaced gives exactly what the two regular expressions it replaced gave,
// on every text made of Han, Latin letters, digits, tags and their pieces,
// punctuation and broken UTF-8.
func TestSpacedIsTheRegularExpressions(t *testing.T) {
	hanThenLatin := regexp.MustCompile(`(\p{Han})((?:</?[a-z]+>)*)([A-Za-z])`)
	latinThenHan := regexp.MustCompile(`([A-Za-z])((?:</?[a-z]+>)*)(\p{Han})`)
	want := func(s string) string {
		s = hanThenLatin.ReplaceAllString(s, "$1$2 $3")
		return latinThenHan.ReplaceAllString(s, "$1$2 $3")
	}
	pieces := []string{"中", "文", "a", "Z", "b", "<", ">", "/", "<b>", "</b>", "<i>", "</i>", "<a href=\"x\">",
		" ", "1", "。", "：", "\xff", "&#39;", "é", "ｂ"}
	rng := rand.New(rand.NewPCG(14, 14))
	for n := 0; n < 200000; n++ {
		var b strings.Builder
		for range rng.IntN(10) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		in := b.String()
		if got, w := spaced("zh-Hans", in), want(in); got != w {
			t.Fatalf("spaced(%q) = %q, want %q", in, got, w)
		}
	}
}

func BenchmarkSpaced(b *testing.B) {
	in := "<b>提醒：小明的通话还有 1 小时</b>\n\n孩子：小明\n家长：Li Wei（妈妈）\n时间：12月5日 周六 10:00\n方式：视频通话\n\n请拨打 0851-1234。"
	for b.Loop() {
		spaced("zh-Hans", in)
	}
}
