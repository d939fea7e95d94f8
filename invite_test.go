package homelink

import (
	"strings"
	"testing"
	"time"
)

func TestInviteCodesFitTelegramAndCarryEnoughRandomness(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		link, typed := NewInviteCodes()
		if !ValidLinkCode(link) || len(link) != 22 {
			t.Fatalf("link code %q does not fit a start payload", link)
		}
		if len(typed) != 12 || strings.ContainsAny(typed, "01OIL") {
			t.Fatalf("typed code %q", typed)
		}
		if got, ok := NormalizeTypedCode(FormatTypedCode(typed)); !ok || got != typed {
			t.Fatalf("%q reads back as %q, %v", FormatTypedCode(typed), got, ok)
		}
		if seen[link] || seen[typed] {
			t.Fatal("a code repeated")
		}
		seen[link], seen[typed] = true, true
	}
}

func TestTypedCodesAreReadAsPeopleTypeThem(t *testing.T) {
	good := map[string]string{
		"ABCD-EFGH-JKMN": "ABCDEFGHJKMN",
		"abcd efgh jkmn": "ABCDEFGHJKMN",
		" abcdefghjkmn ": "ABCDEFGHJKMN",
		"ABCD－EFGH　JKMN": "ABCDEFGHJKMN", // full-width dash and space from a Chinese keyboard
	}
	for in, want := range good {
		if got, ok := NormalizeTypedCode(in); !ok || got != want {
			t.Errorf("NormalizeTypedCode(%q) = %q, %v", in, got, ok)
		}
	}
	for _, bad := range []string{"", "ABCD-EFGH", "ABCD-EFGH-JKM0", "ABCD-EFGH-JKMNP", "hello there!", "我想和孩子说话"} {
		if _, ok := NormalizeTypedCode(bad); ok {
			t.Errorf("NormalizeTypedCode(%q) accepted", bad)
		}
	}
	for _, bad := range []string{"", strings.Repeat("a", 65), "a b", "abc$", "链接"} {
		if ValidLinkCode(bad) {
			t.Errorf("ValidLinkCode(%q) accepted", bad)
		}
	}
}

func FuzzNormalizeTypedCode(f *testing.F) {
	for _, s := range []string{"ABCD-EFGH-JKMN", "abcd efgh jkmn", "", "0000", "ＡＢＣＤ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, ok := NormalizeTypedCode(s)
		if !ok {
			return
		}
		if len(code) != 12 || strings.Trim(code, typedAlphabet) != "" {
			t.Fatalf("%q normalized to %q", s, code)
		}
	})
}

func TestNamesAreTrimmedAndChecked(t *testing.T) {
	cases := []struct {
		in   string
		max  int
		want string
		err  error
	}{
		{"  小明 ", 32, "小明", nil},
		{"", 32, "", ErrTextEmpty},
		{" \t ", 32, "", ErrTextEmpty},
		{strings.Repeat("明", 32), 32, strings.Repeat("明", 32), nil},
		{strings.Repeat("明", 33), 32, "", ErrTextTooLong},
		{"Li\nLi", 32, "", ErrTextControl},
		{"Li\u200eLi", 32, "", ErrTextControl},
		{"Li\x00", 32, "", ErrTextControl},
		{"\xff", 32, "", ErrTextControl},
		{"妈妈👨\u200d👩\u200d👧", 32, "妈妈👨\u200d👩\u200d👧", nil}, // a family emoji's joiners
		{"❤\ufe0f\u200d🔥", 32, "❤\ufe0f\u200d🔥", nil},
		{"Ali\u200dce", 32, "", ErrTextControl}, // a joiner hiding between letters
		{"\u200d👩", 32, "", ErrTextControl},
	}
	for _, c := range cases {
		got, err := CleanName(c.in, c.max)
		if got != c.want || err != c.err {
			t.Errorf("CleanName(%q) = %q, %v; want %q, %v", c.in, got, err, c.want, c.err)
		}
	}
	if got, err := CleanText("Phone: 0851\nSat 9–12", 100); err != nil || got != "Phone: 0851\nSat 9–12" {
		t.Errorf("CleanText kept lines? %q %v", got, err)
	}
}

func FuzzCleanName(f *testing.F) {
	f.Add("小明")
	f.Add(" a\tb ")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := CleanName(s, MaxChildName)
		if err != nil {
			return
		}
		if got == "" || strings.TrimSpace(got) != got || strings.ContainsAny(got, "\n\r\x00") || len([]rune(got)) > MaxChildName {
			t.Fatalf("CleanName(%q) accepted %q", s, got)
		}
	})
}

func TestTimeZonesAreIANANames(t *testing.T) {
	for _, ok := range []string{"Asia/Shanghai", "Asia/Chongqing", "Europe/London", "UTC", " Asia/Urumqi "} {
		if _, err := CheckTimeZone(ok); err != nil {
			t.Errorf("CheckTimeZone(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "Local", "CST", "Mars/Olympus", "../../etc/passwd", strings.Repeat("A/", 40)} {
		if _, err := CheckTimeZone(bad); err == nil {
			t.Errorf("CheckTimeZone(%q) accepted", bad)
		}
	}
	for _, z := range TimeZoneChoices {
		if _, err := CheckTimeZone(z); err != nil {
			t.Errorf("offered zone %s: %v", z, err)
		}
	}
}

func FuzzCheckTimeZone(f *testing.F) {
	f.Add("Asia/Shanghai")
	f.Add("TZ=UTC")
	f.Fuzz(func(t *testing.T, s string) {
		CheckTimeZone(s) // must not panic
	})
}

func TestBirthYears(t *testing.T) {
	now := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	for in, want := range map[string]int{"2016": 2016, " 2026 ": 2026, "2008": 2008, "２０１６": 2016, "2016年": 2016, "２０１６ 年": 2016} {
		if got, err := ParseBirthYear(in, now); err != nil || got != want {
			t.Errorf("ParseBirthYear(%q) = %d, %v", in, got, err)
		}
	}
	for _, bad := range []string{"2027", "2007", "16", "二〇一六", ""} {
		if _, err := ParseBirthYear(bad, now); err == nil {
			t.Errorf("ParseBirthYear(%q) accepted", bad)
		}
	}
}

func TestRelationshipsAndRoles(t *testing.T) {
	for _, r := range Relationships {
		if !r.Valid() {
			t.Errorf("%s invalid", r)
		}
	}
	if Relationship("uncle").Valid() || Role("admin").Valid() {
		t.Error("unknown values accepted")
	}
	r := Roles{Teaches: map[int64]bool{1: true}, Guards: map[int64]Guardianship{5: {HomeID: 1}}}
	if !r.TeachesAt(1) || r.TeachesAt(2) || !r.GuardianOf(5) || r.GuardianOf(6) || r.IsCoordinator() || !r.IsStaff() {
		t.Errorf("roles %+v", r)
	}
}
