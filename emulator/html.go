package emulator

import (
	"fmt"
	"html"
	"strings"
	"unicode/utf16"
)

// allowedTags is Telegram's HTML subset (Bot API "HTML style").
var allowedTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "span": true, "tg-spoiler": true,
	"a": true, "code": true, "pre": true, "blockquote": true, "tg-emoji": true,
	"tg-time": true,
}

// ParseHTML checks text the way Telegram parses parse_mode=HTML and returns
// the plain text a user sees. It rejects unsupported tags, unbalanced tags
// and bare '<' or '&' that do not start a tag or an entity, with Telegram's
// wording.
func ParseHTML(text string) (string, error) {
	var out strings.Builder
	var stack []string
	for i := 0; i < len(text); {
		switch c := text[i]; c {
		case '<':
			end := strings.IndexByte(text[i:], '>')
			if end < 0 {
				return "", fmt.Errorf("can't parse entities: Unclosed start tag at byte offset %d", i)
			}
			tag := text[i+1 : i+end]
			closing := strings.HasPrefix(tag, "/")
			name := strings.ToLower(strings.Fields(strings.TrimPrefix(tag, "/") + " ")[0])
			if !allowedTags[name] {
				return "", fmt.Errorf("can't parse entities: Unsupported start tag \"%s\" at byte offset %d", name, i)
			}
			if closing {
				if len(stack) == 0 || stack[len(stack)-1] != name {
					return "", fmt.Errorf("can't parse entities: Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", i, top(stack), name)
				}
				stack = stack[:len(stack)-1]
			} else {
				stack = append(stack, name)
			}
			i += end + 1
		case '&':
			end := strings.IndexByte(text[i:], ';')
			if end < 0 || end > 10 {
				out.WriteByte('&') // Telegram keeps a lone ampersand as text
				i++
				continue
			}
			ent := text[i : i+end+1]
			dec := html.UnescapeString(ent)
			if dec == ent {
				return "", fmt.Errorf("can't parse entities: Unsupported entity at byte offset %d", i)
			}
			out.WriteString(dec)
			i += end + 1
		case '>':
			out.WriteByte(c)
			i++
		default:
			out.WriteByte(c)
			i++
		}
	}
	if len(stack) > 0 {
		return "", fmt.Errorf("can't parse entities: Can't find end tag corresponding to start tag \"%s\"", stack[len(stack)-1])
	}
	return out.String(), nil
}

func top(stack []string) string {
	if len(stack) == 0 {
		return ""
	}
	return stack[len(stack)-1]
}

// utf16Len is the length Telegram uses for text limits and entity offsets.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
