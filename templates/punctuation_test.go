package templates

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"testing"
	ttemplate "text/template"
	"text/template/parse"
	"unicode"

	"github.com/BurntSushi/toml"

	"github.com/homelink/homelink/locales"
)

// Chinese screens get Chinese punctuation. These tests walk every message of
// every Chinese locale (every id, every plural form, rendered with sample
// values) and every template (its literal text, and rendered in Chinese with
// sample data), and fail on an ASCII comma, colon, semicolon, question or
// exclamation mark, full stop or parenthesis next to Chinese text, a space
// before or after full-width punctuation, or Chinese written against Latin
// letters without a space. <code> examples, links and /commands may keep
// their ASCII.

// sampleValues fills every placeholder a message uses. A message with a
// placeholder that is not here fails: add a sample for it.
var sampleValues = map[string]any{
	// Broadcasts: a run's progress and report.
	"Title":        "“家长会改到周六”",
	"Done":         "640",
	"Reasons":      "Telegram 拒收 2 人",
	"Reason":       "Telegram 拒收",
	"Answer":       "会准时参加",
	"Child":        "小明",
	"Guardian":     "李秀兰（妈妈）",
	"Children":     2,
	"Code":         "ABCD-EFGH-JKMN",
	"Command":      "/children",
	"Count":        3,
	"Date":         "2026-03-08 15:04",
	"Dates":        "2月10日至2月17日",
	"End":          "10:15",
	"In":           "1小时",
	"Instructions": "电话 0851-1234567",
	"Day":          8,
	"Days":         "周一至周六",
	"What":         "语音",
	"KeepDays":     365,
	"MailDays":     90,
	"HeardDays":    30,
	"Times":        "12月5日 周六 10:00、12月6日 周日 15:00",
	"From":         "2月10日",
	"Did":          "确认了这次通话",
	"Guardians":    3,
	"Home":         "青溪村儿童之家",
	"Hours":        "周六 09:00–11:30",
	"Homes":        "青溪村儿童之家、山口儿童之家",
	"How":          "电话 0851-1234567（周六 9–12 点）",
	"Kind":         "视频通话",
	"Kinds":        "文字或语音",
	"Label":        "妈妈",
	"Language":     "英文", // the other language, named in the reader's: the zh sender is offered an English version
	"Line":         2,
	"Link":         "tg://user?id=42",
	"Max":          64,
	"MaxClosed":    30,
	"MaxWindows":   28,
	"Min":          2008,
	"Minutes":      15,
	"Month":        3,
	"MonthName":    "3月",
	"N":            3,
	"Name":         "小明",
	"Note":         "春节",
	"Own":          "3月8日 周日 08:00",
	"Shifts":       "周一至周六 07:00–19:00",
	"Shown":        10,
	"Start":        "09:00",
	"Relationship": "妈妈",
	"State":        "已确认",
	"Teacher":      "王老师",
	"Teachers":     1,
	"Text":         "查看这份说明",
	"To":           "2月17日",
	"Until":        "2026-03-08 15:04",
	"Weekday":      "周日",
	"Time":         "15:00",
	"Total":        13,
	"Weekly":       "每周六 15:00",
	"When":         "2026-03-08 15:04",
	"Who":          "小明的家长",
	"Why":          "结束时间早于开始时间",
	"Year":         2016,
	"Zone":         "中国（北京时间）",
	// Weekly reports and contact gaps.
	"Requested":  6,
	"Confirmed":  5,
	"Held":       4,
	"Missed":     1,
	"Cancelled":  1,
	"ToChild":    12,
	"FromChild":  3,
	"Reached":    8,
	"NotReached": 2,
	"GapDays":    14,
	"Messages":   15,
	"Gaps":       3,
	"Names":      "小明（21 天）、丽丽（来了 30 天，还没联系过），还有 3 个",
}

var (
	codeRE    = regexp.MustCompile(`(?s)<code>.*?</code>`)
	urlRE     = regexp.MustCompile(`(?:https?|tg)://[^\s"<>]+`)
	tagRE     = regexp.MustCompile(`<[^>]*>`)
	commandRE = regexp.MustCompile(`/[a-z][a-z_]*`)
)

// asciiPunct is ASCII punctuation that must not stand next to Chinese.
const asciiPunct = ",:;?!.()"

// isChinese is a Han character or a full-width (CJK) punctuation mark.
func isChinese(r rune) bool { return unicode.Is(unicode.Han, r) || isFullWidthPunct(r) }

// isFullWidthPunct is Chinese punctuation: 、。《》「」【】 and the like,
// the full-width forms ，：；？！（）, and the quotes, dash and ellipsis
// Chinese text uses (“”‘’—…).
func isFullWidthPunct(r rune) bool {
	switch {
	case r >= 0x3001 && r <= 0x303F:
		return true
	case r >= 0xFF01 && r <= 0xFF0F, r >= 0xFF1A && r <= 0xFF20, r >= 0xFF3B && r <= 0xFF40, r >= 0xFF5B && r <= 0xFF65:
		return true
	}
	return strings.ContainsRune("“”‘’—…", r)
}

// visible is what a reader sees of Telegram HTML, with the parts allowed
// to keep ASCII (code examples, links, commands) replaced by a neutral 0.
func visible(s string) string {
	s = codeRE.ReplaceAllString(s, "0")
	s = urlRE.ReplaceAllString(s, "0")
	s = tagRE.ReplaceAllString(s, "")
	s = commandRE.ReplaceAllString(s, "0")
	return html.UnescapeString(s)
}

// chineseProblems lists what is wrong with the punctuation of s, a Chinese
// text in Telegram HTML.
func chineseProblems(s string) []string {
	rs := []rune(visible(s))
	var out []string
	near := func(i int) string {
		lo, hi := max(i-6, 0), min(i+7, len(rs))
		return strings.ReplaceAll(string(rs[lo:hi]), "\n", "⏎")
	}
	// neighbour returns the nearest rune before (step -1) or after (step 1)
	// i, skipping spaces, or 0.
	neighbour := func(i, step int) rune {
		for j := i + step; j >= 0 && j < len(rs); j += step {
			if rs[j] != ' ' {
				return rs[j]
			}
		}
		return 0
	}
	for i, r := range rs {
		switch {
		case strings.ContainsRune(asciiPunct, r) && (isChinese(neighbour(i, -1)) || isChinese(neighbour(i, 1))):
			out = append(out, fmt.Sprintf("ASCII %q next to Chinese in %q", r, near(i)))
		case isFullWidthPunct(r) && ((i > 0 && rs[i-1] == ' ') || (i+1 < len(rs) && rs[i+1] == ' ')):
			out = append(out, fmt.Sprintf("space beside %q in %q", r, near(i)))
		case unicode.Is(unicode.Han, r) && i+1 < len(rs) && isLatin(rs[i+1]),
			isLatin(r) && i+1 < len(rs) && unicode.Is(unicode.Han, rs[i+1]):
			out = append(out, fmt.Sprintf("no space between Chinese and Latin in %q", near(i)))
		}
	}
	return out
}

func isLatin(r rune) bool { return r < 0x80 && unicode.IsLetter(r) }

func TestChineseCheckCatchesMistakes(t *testing.T) {
	for _, bad := range []string{
		"小明, 青溪村", "时区: 上海", "<b>小明</b>: 妈妈", "小明 (2016)", "您接受吗?", "好的！ 谢谢", "家长： 妈妈",
		"请输入 ，", "使用homelink", "homelink的孩子",
	} {
		if len(chineseProblems(bad)) == 0 {
			t.Errorf("%q passed", bad)
		}
	}
	for _, good := range []string{
		"例如 <code>Asia/Shanghai</code>。", "发送 /help 看看我能做什么。", "<a href=\"tg://user?id=1\">妈妈</a>：好",
		"有效期至 2026-03-08 15:04。", "3月8日 15:04", "使用 homelink，", "« 返回", "Guardians: none",
	} {
		if p := chineseProblems(good); len(p) > 0 {
			t.Errorf("%q refused: %v", good, p)
		}
	}
}

// chineseLocales lists the Chinese locale files' language tags.
func chineseLocales(t *testing.T) []string {
	names, _ := fs.Glob(locales.Files(), "active.zh*.toml")
	var langs []string
	for _, n := range names {
		langs = append(langs, strings.TrimSuffix(strings.TrimPrefix(n, "active."), ".toml"))
	}
	if len(langs) == 0 {
		t.Fatal("no Chinese locale file")
	}
	return langs
}

func TestChineseMessagesUseChinesePunctuation(t *testing.T) {
	placeholder := regexp.MustCompile(`\{\{\s*\.(\w+)`)
	for _, lang := range chineseLocales(t) {
		raw, _ := fs.ReadFile(locales.Files(), "active."+lang+".toml")
		var msgs map[string]map[string]string
		if err := toml.Unmarshal(raw, &msgs); err != nil {
			t.Fatal(err)
		}
		ids := make([]string, 0, len(msgs))
		for id := range msgs {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			for form, text := range msgs[id] {
				switch form {
				case "description", "hash", "leftdelim", "rightdelim":
					continue
				}
				for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
					if _, ok := sampleValues[m[1]]; !ok {
						t.Errorf("%s %s.%s: no sample value for {{.%s}}: add one to sampleValues", lang, id, form, m[1])
					}
				}
				tmpl, err := ttemplate.New(id).Option("missingkey=zero").Parse(text)
				if err != nil {
					t.Errorf("%s %s.%s: %v", lang, id, form, err)
					continue
				}
				var buf bytes.Buffer
				if err := tmpl.Execute(&buf, sampleValues); err != nil {
					t.Errorf("%s %s.%s: %v", lang, id, form, err)
					continue
				}
				for _, p := range chineseProblems(buf.String()) {
					t.Errorf("%s %s.%s: %s", lang, id, form, p)
				}
			}
		}
	}
}

// literalText joins a template's literal text, with \x00 where an action
// prints something.
func literalText(node parse.Node, b *strings.Builder) {
	switch n := node.(type) {
	case *parse.ListNode:
		if n != nil {
			for _, c := range n.Nodes {
				literalText(c, b)
			}
		}
	case *parse.TextNode:
		b.Write(n.Text)
	case *parse.ActionNode, *parse.TemplateNode:
		b.WriteByte(0)
	case *parse.IfNode:
		literalText(n.List, b)
		literalText(n.ElseList, b)
	case *parse.RangeNode:
		literalText(n.List, b)
		literalText(n.ElseList, b)
	case *parse.WithNode:
		literalText(n.List, b)
		literalText(n.ElseList, b)
	}
}

// A template's own text is the same in every language, so it carries no
// punctuation at all: separators belong in each locale's messages.
func TestTemplatesLeaveSeparatorsToLocales(t *testing.T) {
	tmpl, err := template.New("").Funcs(funcMap(nil)).ParseFS(files, "*.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range Names() {
		var b strings.Builder
		literalText(tmpl.Lookup(name+".tmpl").Tree.Root, &b)
		text := []rune(tagRE.ReplaceAllString(b.String(), ""))
		for i, r := range text {
			if strings.ContainsRune(asciiPunct, r) {
				t.Errorf("%s.tmpl prints %q in every language (near %q): move it into a locale message",
					name, r, strings.ReplaceAll(string(text[max(i-8, 0):min(i+8, len(text))]), "\x00", "{{…}}"))
				break
			}
		}
	}
}

// templateSamples are data for each template, as the bot passes them (maps
// stand in for the bot's structs; field names are the same).
func templateSamples(r *Renderer, lang string) map[string][]any {
	g := func(id int, label string) map[string]any {
		return map[string]any{"Link": template.URL(fmt.Sprintf("tg://user?id=%d", id)), "Label": label}
	}
	home := map[string]any{"Name": "青溪村儿童之家", "TimeZone": "中国（北京时间）", "Instructions": "电话 0851-1234567（周六 9–12 点）",
		"Children": 2, "Guardians": 3, "Teachers": []int64{11, 12}}
	bare := map[string]any{"Name": "山口儿童之家", "TimeZone": "Asia/Urumqi", "Instructions": "", "Children": 0, "Guardians": 0, "Teachers": []int64{}}
	notice := template.HTML(r.HTML(lang, "Unlinked"))
	call := func(guardian, weekly, note string, footer template.HTML) map[string]any {
		return map[string]any{"Title": template.HTML(r.HTML(lang, "NewRequestTitle")), "Footer": footer, "Child": "小明",
			"When": "12月5日 周六 08:00（儿童之家时间 15:00）", "Kind": "视频通话", "Note": note, "Guardian": guardian, "Weekly": weekly}
	}
	return map[string][]any{
		"call": {call("李秀兰（妈妈）", "每周六 15:00", "小明最近感冒了，麻烦老师提醒。", template.HTML(r.HTML(lang, "ReasonLine", "Text", "临时加班"))),
			call("", "", "", "")},
		"calls": {map[string]any{"Mine": true, "Home": "",
			"Lines": []template.HTML{template.HTML(r.HTML(lang, "MyCallLine", "When", "12月5日 周六 15:00", "Child", "小明", "Kind", "视频通话", "State", "已确认"))}},
			map[string]any{"Mine": false, "Home": "青溪村儿童之家", "Lines": []template.HTML(nil)}},
		"child": {
			map[string]any{"Notice": notice, "Child": map[string]any{"Name": "小明", "BirthYear": 2016, "Guardians": []any{g(1, "妈妈"), g(2, "爸爸")}}},
			map[string]any{"Notice": template.HTML(""), "Child": map[string]any{"Name": "丽丽", "BirthYear": 0, "Guardians": []any{}}},
		},
		"children": {
			map[string]any{"Home": home, "Children": []any{
				map[string]any{"Name": "小明", "BirthYear": 2016, "Guardians": []any{g(1, "妈妈"), g(2, "爸爸")}},
				map[string]any{"Name": "丽丽", "BirthYear": 0, "Guardians": []any{}},
			}},
			map[string]any{"Home": bare, "Children": []any{}},
		},
		"consent": {
			map[string]any{"Role": "guardian", "Child": "小明", "Home": "青溪村儿童之家", "KeepDays": 365, "MailDays": 90, "HeardDays": 30},
			map[string]any{"Role": "teacher", "Home": "青溪村儿童之家"},
			map[string]any{"Role": "coordinator", "Home": "青溪村儿童之家、山口儿童之家"},
		},
		"forget": {map[string]any{"Guardian": true, "Staff": true}, map[string]any{"Guardian": false, "Staff": false}},
		"help": {map[string]any{"Lines": []string{
			"/help" + r.Text(lang, "HelpSeparator") + r.Text(lang, "Help_help"),
			"/children" + r.Text(lang, "HelpSeparator") + r.Text(lang, "Help_children_guardian"),
		}}},
		"home": {map[string]any{"Notice": notice, "Home": home, "Zone": "中国（北京时间）"},
			map[string]any{"Notice": template.HTML(""), "Home": bare, "Zone": "Asia/Urumqi"}},
		"homes":      {map[string]any{"Homes": []any{home, bare}}, map[string]any{"Homes": []any{}}},
		"invitation": {map[string]any{"Who": r.Text(lang, "InviteForGuardian", "Child", "小明"), "Link": "https://t.me/homelink_bot?start=Zx9", "Code": "ABCD-EFGH-JKMN", "Until": "2026-03-08 15:04"}},
		"mychildren": {map[string]any{"Children": []any{
			map[string]any{"Name": "小明", "Home": "青溪村儿童之家", "Relationship": "妈妈"},
			map[string]any{"Name": "丽丽", "Home": "山口儿童之家", "Relationship": ""},
		}}},
		"notcarried": {map[string]any{"Homes": []any{home, bare}}},
		"teachers": {map[string]any{"Home": home, "Invites": 2, "Teachers": []any{
			map[string]any{"ID": int64(11), "Name": "王老师"}, map[string]any{"ID": int64(12), "Name": ""}}},
			map[string]any{"Home": bare, "Invites": 0, "Teachers": []any{}}},
		"settings": {map[string]any{"Notice": notice, "Member": true, "Name": "李秀兰", "Language": "简体中文",
			"Zone": "西班牙（马德里）", "OwnZone": true, "Guardian": true, "Shifts": "周一至周六 07:00–19:00",
			"Quiet": "08:00–16:00", "DayAheadOff": true},
			map[string]any{"Notice": template.HTML(""), "Member": true, "Name": "王老师", "Language": "简体中文",
				"Zone": "中国（北京时间）", "OwnZone": false, "Guardian": false, "Quiet": ""},
			map[string]any{"Notice": template.HTML(""), "Member": false, "Name": "", "Language": "简体中文"}},
		"hours": {map[string]any{"Notice": notice, "Home": "青溪村儿童之家", "Days": []string{"周六 09:00–11:30", "周日 14:00–17:00"},
			"Slot": 15, "Lines": 2, "Closed": []string{"2月10日至2月17日（春节）"}, "Auto": true, "Zone": "中国（北京时间）",
			"Reminders": "家长在通话前 24小时、1小时和开始时；老师在通话前 10分钟"},
			map[string]any{"Notice": template.HTML(""), "Home": "山口儿童之家", "Days": []string{}, "Slot": 15, "Lines": 1,
				"Closed": []string{}, "Auto": false, "Zone": "Asia/Urumqi"}},
		"closed": {map[string]any{"Notice": notice, "Home": "青溪村儿童之家", "Closed": []string{"2月10日至2月17日（春节）", "5月1日"}},
			map[string]any{"Notice": template.HTML(""), "Home": "山口儿童之家", "Closed": []string{}}},
		"shifts": {map[string]any{"Notice": notice, "Shifts": "白班 2 天 07:00–19:00，夜班 2 天 19:00–07:00，休 2 天，从 12月1日 起"},
			map[string]any{"Notice": template.HTML(""), "Shifts": "还没有设置"}},
		"digest": {map[string]any{"Title": template.HTML(r.HTML(lang, "DigestTitle", "Home", "青溪村儿童之家", "Day", "12月5日 周六", "Count", 2)),
			"Lines": []template.HTML{
				template.HTML(r.HTML(lang, "DigestLine", "Time", "10:00", "Child", "小明", "Guardian", "李秀兰（妈妈）", "Kind", "视频通话",
					"Answer", r.Text(lang, "DigestAnswer_Yes"))),
				template.HTML(r.HTML(lang, "DigestLine", "Time", "15:00", "Child", "丽丽", "Guardian", "张建（爸爸）", "Kind", "语音通话",
					"Answer", r.Text(lang, "DigestWaiting")))},
			"Waiting": template.HTML(r.HTML(lang, "DigestWaitingLine", "Count", 1)), "Late": template.HTML(r.HTML(lang, "RemindLateLine"))},
			map[string]any{"Title": template.HTML(r.HTML(lang, "DigestTitle", "Home", "山口儿童之家", "Day", "12月6日 周日", "Count", 1)),
				"Lines": []template.HTML{template.HTML(r.HTML(lang, "DigestLine", "Time", "09:00", "Child", "小明", "Guardian", "妈妈",
					"Kind", "视频通话", "Answer", r.Text(lang, "DigestAnswer_None")))}, "Waiting": "", "Late": ""}},
		"quiet": {map[string]any{"Notice": notice, "Off": false, "Hours": "22:00–07:00"},
			map[string]any{"Notice": template.HTML(""), "Off": true, "Hours": "00:00–00:00"}},
		"remindtimes": {map[string]any{"Notice": notice, "Home": "青溪村儿童之家", "Reminders": "家长只在通话开始时；老师的提醒已关闭"}},
		"welcome": {
			map[string]any{"Roles": map[string]any{"IsStaff": false, "IsGuardian": false}},
			map[string]any{"Roles": map[string]any{"IsStaff": true, "IsGuardian": false}},
		},
	}
}

func TestChineseTemplatesRenderChinesePunctuation(t *testing.T) {
	cat, err := locales.Load("zh-Hans")
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(cat)
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range chineseLocales(t) {
		samples := templateSamples(r, lang)
		for _, name := range Names() {
			if len(samples[name]) == 0 {
				t.Errorf("%s.tmpl has no sample data in templateSamples: add some so its Chinese is checked", name)
			}
			for i, data := range samples[name] {
				out, err := r.Render(lang, name, data)
				if err != nil {
					t.Errorf("%s %s #%d: %v", lang, name, i, err)
					continue
				}
				for _, p := range chineseProblems(out) {
					t.Errorf("%s %s.tmpl #%d: %s", lang, name, i, p)
				}
			}
		}
	}
}
