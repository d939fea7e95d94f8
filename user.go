package homelink

import (
	"strings"
	"time"
)

// User is one Telegram account as homelink knows it. It holds the least we
// need: no name, no phone number.
type User struct {
	ID int64
	// Name is how the person is shown to others who need to know who is
	// who: their Telegram first name when they joined, or what they chose
	// in /settings. It is never logged.
	Name string
	// Language is the language the user chose with /language; empty until
	// they choose one.
	Language string
	// TimeZone is the IANA zone the person chose in /settings; empty
	// means their home's (see Zone), else the deployment's default.
	TimeZone string
	// Shifts are a guardian's work shifts, when they set them: /book
	// offers only slots outside them.
	Shifts Shifts
	// Quiet are the quiet hours they chose in /settings (nil: the
	// default, see QuietHours).
	Quiet *QuietHours
	// DayAheadOff is set when a guardian switched off the reminder a day
	// ahead of their calls.
	DayAheadOff bool
	// Consents are when they agreed to each role they hold.
	Consents []Consent
	// Roles is what the account may do. Admin is not stored: it comes from
	// the deployment's configuration.
	Roles Roles
}

// PreferredLanguage picks the language to speak to a user in: the one they
// chose, else the one their Telegram app reports, else the deployment's
// default. supported says whether a language tag has a translation.
func PreferredLanguage(chosen, telegramCode, fallback string, supported func(string) bool) string {
	if chosen != "" && supported(chosen) {
		return chosen
	}
	if lang := languageFromTelegram(telegramCode); lang != "" && supported(lang) {
		return lang
	}
	return fallback
}

// languageFromTelegram maps Telegram's IETF language_code to one of our
// language tags: every Chinese variant to zh-Hans (our only Chinese locale),
// otherwise the primary subtag ("en-GB" → "en").
func languageFromTelegram(code string) string {
	code = strings.ToLower(strings.TrimSpace(code))
	if code == "" {
		return ""
	}
	primary, _, _ := strings.Cut(strings.ReplaceAll(code, "_", "-"), "-")
	if primary == "zh" {
		return "zh-Hans"
	}
	return primary
}

// Acted records who acted first on something several people could act on
// (two teachers tapping the same button), and when.
type Acted struct {
	By int64
	At time.Time
}

// Consent records when a person agreed to what an invitation stores: as a
// guardian of a child (ID the child), a teacher of a home (ID the home),
// or a coordinator (ID 0).
type Consent struct {
	Role Role
	ID   int64
	At   time.Time
}

// MaxPersonName bounds a display name.
const MaxPersonName = 32
