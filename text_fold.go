package homelink

// Typed hours, shifts and dates come from phone keyboards in two
// languages: full-width digits and punctuation, several kinds of dash,
// capital letters. The parsers read a folded copy of the text, one rune
// for one rune, so a position in the folded text is a position in the
// typed one (a closed date's note keeps its case).

// foldRune turns one typed rune into its plain form: full-width ASCII to
// ASCII, dashes to '-', waves to '~', the ideographic space and tabs to
// ' ', ASCII letters to lower case.
func foldRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
	case r == '\u3000' || r == '\t' || r == '\u00a0':
		return ' '
	case r == '–' || r == '—' || r == '‐' || r == '‑' || r == '−' || r == '﹣' || r == '―':
		return '-'
	case r == '〜' || r == '∼':
		return '~'
	}
	if r >= 'A' && r <= 'Z' {
		r += 'a' - 'A'
	}
	return r
}

// foldLine is the folded runes of line.
func foldLine(line string) []rune {
	rs := []rune(line)
	for i, r := range rs {
		rs[i] = foldRune(r)
	}
	return rs
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isLetter(r rune) bool { return r >= 'a' && r <= 'z' }

// digitsAt reads the run of ASCII digits at rs[i:]: its value (capped, so
// a long run cannot overflow) and its length.
func digitsAt(rs []rune, i int) (value, n int) {
	for i+n < len(rs) && isDigit(rs[i+n]) {
		if value < 1e6 {
			value = value*10 + int(rs[i+n]-'0')
		}
		n++
	}
	return value, n
}

// wordAt reads the run of ASCII letters at rs[i:].
func wordAt(rs []rune, i int) string {
	j := i
	for j < len(rs) && isLetter(rs[j]) {
		j++
	}
	return string(rs[i:j])
}

// skipSpaces returns the index of the first rune at or after i that is
// not a space.
func skipSpaces(rs []rune, i int) int {
	for i < len(rs) && rs[i] == ' ' {
		i++
	}
	return i
}

// hasPrefixAt reports whether rs[i:] starts with p.
func hasPrefixAt(rs []rune, i int, p string) bool {
	for _, r := range p {
		if i >= len(rs) || rs[i] != r {
			return false
		}
		i++
	}
	return true
}

// splitLines splits text at line breaks (\n, \r\n, \r).
func splitLines(text string) []string {
	var out []string
	start := 0
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' || text[i] == '\r' {
			out = append(out, text[start:i])
			if text[i] == '\r' && i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
			start = i + 1
		}
	}
	return append(out, text[start:])
}
