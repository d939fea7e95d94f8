package bot

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

// Formatting as a sender wrote it: Telegram hands a message's text (or a
// photo's caption) as plain text with entities beside it, each an offset
// and a length in UTF-16 code units. entitiesHTML writes the same text as
// Telegram HTML, so a broadcast keeps its bold, links and quotes when the
// bot sends it on.
//
// Entities may nest and may overlap; HTML may only nest. At every point
// where the set of entities in force changes, the tags that no longer hold
// close (and those opened inside them close first and open again), and the
// new ones open, the longest first, so overlapping ranges come out as
// several properly nested pieces that show the same. Nothing opens inside
// code or pre, and no quote inside another quote, as Telegram allows
// neither. Entities Telegram finds by itself again (links typed out,
// @mentions, hashtags) and those that name a person (text_mention) or a
// custom emoji become plain text.

// entityTags are the formats kept, with their opening and closing tags;
// rank orders the ones starting together, outermost first.
var entityTags = map[models.MessageEntityType]struct {
	open, close string
	rank        int
}{
	models.MessageEntityTypeBlockquote:           {"<blockquote>", "</blockquote>", 0},
	models.MessageEntityTypeExpandableBlockquote: {"<blockquote expandable>", "</blockquote>", 0},
	models.MessageEntityTypePre:                  {"<pre>", "</pre>", 1},
	models.MessageEntityTypeTextLink:             {"", "</a>", 2},
	models.MessageEntityTypeBold:                 {"<b>", "</b>", 3},
	models.MessageEntityTypeItalic:               {"<i>", "</i>", 4},
	models.MessageEntityTypeUnderline:            {"<u>", "</u>", 5},
	models.MessageEntityTypeStrikethrough:        {"<s>", "</s>", 6},
	models.MessageEntityTypeSpoiler:              {"<tg-spoiler>", "</tg-spoiler>", 7},
	models.MessageEntityTypeCode:                 {"<code>", "</code>", 8},
}

// entitySpan is one kept entity, in UTF-16 units [start, end).
type entitySpan struct {
	start, end int
	e          models.MessageEntity
	order      int
}

func (s entitySpan) open() string {
	switch s.e.Type {
	case models.MessageEntityTypeTextLink:
		return `<a href="` + escapeAttr(s.e.URL) + `">`
	case models.MessageEntityTypePre:
		if s.e.Language != "" {
			return `<pre><code class="language-` + escapeAttr(s.e.Language) + `">`
		}
	}
	return entityTags[s.e.Type].open
}

func (s entitySpan) close() string {
	if s.e.Type == models.MessageEntityTypePre && s.e.Language != "" {
		return "</code></pre>"
	}
	return entityTags[s.e.Type].close
}

// literal reports whether nothing may open inside s.
func (s entitySpan) literal() bool {
	return s.e.Type == models.MessageEntityTypeCode || s.e.Type == models.MessageEntityTypePre
}

func (s entitySpan) quote() bool {
	return s.e.Type == models.MessageEntityTypeBlockquote || s.e.Type == models.MessageEntityTypeExpandableBlockquote
}

// entitiesHTML is text with its entities as Telegram HTML, every other
// character escaped.
func entitiesHTML(text string, entities []models.MessageEntity) string {
	spans, bounds := keptSpans(text, entities)
	if len(spans) == 0 {
		return escapeText(text)
	}
	var b strings.Builder
	b.Grow(len(text) + 16*len(spans))
	var stack []entitySpan
	unit, next := 0, 0 // the UTF-16 offset of the rune at i; the next bound
	for _, r := range text {
		if next < len(bounds) && unit >= bounds[next] {
			for next < len(bounds) && unit >= bounds[next] {
				next++
			}
			stack = retag(&b, stack, spans, unit)
		}
		writeEscaped(&b, r)
		unit += utf16.RuneLen(r)
	}
	for k := len(stack) - 1; k >= 0; k-- {
		b.WriteString(stack[k].close())
	}
	return b.String()
}

// keptSpans are the entities kept, clamped to the text, and every offset
// where one starts or ends, in order.
func keptSpans(text string, entities []models.MessageEntity) ([]entitySpan, []int) {
	total := utf16Len(text)
	var spans []entitySpan
	var bounds []int
	for i, e := range entities {
		if _, kept := entityTags[e.Type]; !kept {
			continue
		}
		s := entitySpan{start: max(e.Offset, 0), end: min(e.Offset+e.Length, total), e: e, order: i}
		if s.start >= s.end {
			continue
		}
		spans = append(spans, s)
		bounds = append(bounds, s.start, s.end)
	}
	slices.Sort(bounds)
	return spans, slices.Compact(bounds)
}

// retag changes the open tags to the spans in force at unit: it closes
// from the top of the stack down to the deepest tag no longer in force,
// then opens what is in force and not open, outermost first.
func retag(b *strings.Builder, stack, spans []entitySpan, unit int) []entitySpan {
	in := func(s entitySpan) bool { return s.start <= unit && unit < s.end }
	cut := len(stack)
	for k, s := range stack {
		if !in(s) {
			cut = k
			break
		}
	}
	for k := len(stack) - 1; k >= cut; k-- {
		b.WriteString(stack[k].close())
	}
	stack = stack[:cut]
	var opening []entitySpan
	for _, s := range spans {
		if in(s) && !slices.ContainsFunc(stack, func(o entitySpan) bool { return o.order == s.order }) {
			opening = append(opening, s)
		}
	}
	slices.SortFunc(opening, func(x, y entitySpan) int {
		return cmp.Or(cmp.Compare(y.end, x.end), cmp.Compare(entityTags[x.e.Type].rank, entityTags[y.e.Type].rank),
			cmp.Compare(x.order, y.order))
	})
	for _, s := range opening {
		if !mayOpen(stack, s) {
			continue
		}
		b.WriteString(s.open())
		stack = append(stack, s)
	}
	return stack
}

// mayOpen reports whether s may open inside the tags of stack.
func mayOpen(stack []entitySpan, s entitySpan) bool {
	for _, o := range stack {
		if o.literal() || o.quote() && s.quote() || o.e.Type == models.MessageEntityTypeTextLink && s.e.Type == o.e.Type {
			return false
		}
	}
	return true
}

// escapeText escapes what Telegram HTML reads as markup: <, > and &.
func escapeText(s string) string {
	if !strings.ContainsAny(s, "<>&") {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		writeEscaped(&b, r)
	}
	return b.String()
}

func writeEscaped(b *strings.Builder, r rune) {
	switch r {
	case '<':
		b.WriteString("&lt;")
	case '>':
		b.WriteString("&gt;")
	case '&':
		b.WriteString("&amp;")
	case utf8.RuneError:
		b.WriteRune('\uFFFD')
	default:
		b.WriteRune(r)
	}
}

// escapeAttr escapes an attribute's value, quotes included.
func escapeAttr(s string) string {
	return strings.ReplaceAll(escapeText(s), `"`, "&quot;")
}
