package homelink

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what people type.
const (
	MaxHomeName     = 64
	MaxChildName    = 32
	MaxInstructions = 500
)

// Errors for typed text that cannot be taken.
var (
	ErrTextEmpty   = errors.New("homelink: text is empty")
	ErrTextTooLong = errors.New("homelink: text is too long")
	ErrTextControl = errors.New("homelink: text has control characters")
)

// CleanName trims a typed name and checks it: 1 to max characters, one
// line, no control or invisible formatting characters.
func CleanName(s string, max int) (string, error) {
	return clean(s, max, false)
}

// CleanText trims typed free text such as calling instructions: 1 to max
// characters; line breaks are allowed, other control characters are not.
func CleanText(s string, max int) (string, error) {
	return clean(s, max, true)
}

func clean(s string, max int, lines bool) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", ErrTextEmpty
	}
	if !utf8.ValidString(s) {
		return "", ErrTextControl
	}
	runes := []rune(s)
	for i, r := range runes {
		if lines && (r == '\n' || r == '\t') {
			continue
		}
		if r == '\u200d' && emojiJoin(runes, i) {
			continue // the joiner inside an emoji such as 👨‍👩‍👧
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029' {
			return "", ErrTextControl
		}
	}
	if utf8.RuneCountInString(s) > max {
		return "", ErrTextTooLong
	}
	return s, nil
}

// emojiJoin reports whether the zero-width joiner at i joins two emoji
// (a symbol, perhaps with a skin tone or a variation selector, then a
// symbol), rather than hiding between letters.
func emojiJoin(rs []rune, i int) bool {
	if i == 0 || i+1 >= len(rs) {
		return false
	}
	prev, next := rs[i-1], rs[i+1]
	symbol := func(r rune) bool { return unicode.Is(unicode.So, r) }
	return (symbol(prev) || unicode.Is(unicode.Sk, prev) || prev == '\ufe0f') && symbol(next)
}

// ASCIIDigits turns the full-width digits a Chinese keyboard types
// (０–９) into ASCII ones, so numbers are understood however typed.
func ASCIIDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		return r
	}, s)
}
