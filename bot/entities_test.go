package bot

import (
	"testing"

	"github.com/go-telegram/bot/models"

	"github.com/homelink/homelink/emulator"
)

func ent(kind models.MessageEntityType, offset, length int) models.MessageEntity {
	return models.MessageEntity{Type: kind, Offset: offset, Length: length}
}

// A sender's formatting comes back as Telegram HTML that Telegram reads as
// the same text: offsets in UTF-16 units (Chinese one each, emoji two),
// nested and overlapping entities, every character escaped.
func TestEntitiesHTML(t *testing.T) {
	link := ent(models.MessageEntityTypeTextLink, 0, 4)
	link.URL = `https://example.org/?a=1&b="2"`
	pre := ent(models.MessageEntityTypePre, 0, 6)
	pre.Language = "go"
	mention := ent(models.MessageEntityTypeTextMention, 0, 2)
	mention.User = &models.User{ID: 42, FirstName: "小明"}
	for _, c := range []struct {
		name, text string
		ents       []models.MessageEntity
		want       string
	}{
		{"plain", "a < b & c > d", nil, "a &lt; b &amp; c &gt; d"},
		{"bold", "Hello world", []models.MessageEntity{ent("bold", 6, 5)}, "Hello <b>world</b>"},
		{"chinese", "你好，世界", []models.MessageEntity{ent("bold", 3, 2)}, "你好，<b>世界</b>"},
		{"after an emoji", "👋 Hi 小明", []models.MessageEntity{ent("bold", 3, 2), ent("italic", 6, 2)}, "👋 <b>Hi</b> <i>小明</i>"},
		{"an emoji inside", "a👍b", []models.MessageEntity{ent("bold", 1, 2)}, "a<b>👍</b>b"},
		{"a family emoji", "👨‍👩‍👧 家", []models.MessageEntity{ent("underline", 0, 8), ent("bold", 9, 1)}, "<u>👨‍👩‍👧</u> <b>家</b>"},
		{"nested", "Hello world", []models.MessageEntity{ent("bold", 0, 11), ent("italic", 6, 5)}, "<b>Hello <i>world</i></b>"},
		{"nested, inner listed first", "Hello world", []models.MessageEntity{ent("italic", 6, 5), ent("bold", 0, 11)}, "<b>Hello <i>world</i></b>"},
		{"overlapping", "abcdefghijk", []models.MessageEntity{ent("bold", 0, 7), ent("italic", 4, 7)},
			"<b>abcd<i>efg</i></b><i>hijk</i>"},
		{"same range", "abc", []models.MessageEntity{ent("italic", 0, 3), ent("bold", 0, 3)}, "<b><i>abc</i></b>"},
		{"all kinds", "b i u s p c", []models.MessageEntity{ent("bold", 0, 1), ent("italic", 2, 1), ent("underline", 4, 1),
			ent("strikethrough", 6, 1), ent("spoiler", 8, 1), ent("code", 10, 1)},
			"<b>b</b> <i>i</i> <u>u</u> <s>s</s> <tg-spoiler>p</tg-spoiler> <code>c</code>"},
		{"pre with its language", "x := 1", []models.MessageEntity{pre}, `<pre><code class="language-go">x := 1</code></pre>`},
		{"pre without", "a<b>", []models.MessageEntity{ent("pre", 0, 4)}, "<pre>a&lt;b&gt;</pre>"},
		{"nothing inside code", "abc", []models.MessageEntity{ent("code", 0, 3), ent("bold", 1, 1)}, "<code>abc</code>"},
		{"a link", "here & there", []models.MessageEntity{link}, `<a href="https://example.org/?a=1&amp;b=&quot;2&quot;">here</a> &amp; there`},
		{"quotes", "q1\nq2", []models.MessageEntity{ent("blockquote", 0, 2), ent("expandable_blockquote", 3, 2)},
			"<blockquote>q1</blockquote>\n<blockquote expandable>q2</blockquote>"},
		{"bold across a quote's end", "quote after", []models.MessageEntity{ent("blockquote", 0, 5), ent("bold", 3, 5)},
			"<blockquote>quo<b>te</b></blockquote><b> af</b>ter"},
		{"no quote in a quote", "abc", []models.MessageEntity{ent("blockquote", 0, 3), ent("blockquote", 1, 1)}, "<blockquote>abc</blockquote>"},
		{"a mention is plain", "小明 hi", []models.MessageEntity{mention}, "小明 hi"},
		{"found again by Telegram", "see https://x.org #tag", []models.MessageEntity{ent("url", 4, 13), ent("hashtag", 18, 4)}, "see https://x.org #tag"},
		{"past the end", "abc", []models.MessageEntity{ent("bold", 1, 10), ent("italic", 5, 2), ent("underline", -1, 2)}, "<u>a</u><b>bc</b>"},
		{"placeholders stay", "Dear {parent_name}", []models.MessageEntity{ent("bold", 5, 13)}, "Dear <b>{parent_name}</b>"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := entitiesHTML(c.text, c.ents)
			if got != c.want {
				t.Fatalf("got  %s\nwant %s", got, c.want)
			}
			seen, err := emulator.ParseHTML(got)
			if err != nil {
				t.Fatalf("Telegram would refuse %s: %v", got, err)
			}
			if seen != c.text {
				t.Fatalf("Telegram would show %q, the sender wrote %q", seen, c.text)
			}
		})
	}
}
