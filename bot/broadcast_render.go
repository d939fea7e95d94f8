package bot

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// What one recipient of a broadcast reads: the version in their language
// (else the first), its placeholders filled for them, cut to Telegram's
// limits once filled. The sending engine calls broadcastMessage for every
// recipient of a run, hundreds of thousands at a time, so it reads nothing
// from Redis: the recipient carries all it needs.
//
// The placeholders are filled in the language of the version they stand
// in, which is the recipient's whenever the sender wrote one in it; when
// they did not, the recipient reads the other version, and a name list or
// a date in that version's language is what reads as one sentence.

// defaultBroadcastRate is the outbox's bot-wide rate when the bot is told
// none: Telegram's 30 messages a second.
const defaultBroadcastRate = 30

// broadcastMessage is the message r gets of bc: in the outbox's bulk lane,
// with sound (quiet hours are the engine's to keep), a photo with its
// caption or a text.
func (b *Bot) broadcastMessage(bc homelink.Broadcast, r homelink.Recipient) outbox.Message {
	// Someone who never chose a language reads the bot in the fallback
	// language, and so this too.
	v := bc.Version(homelink.PreferredLanguage(r.Lang, "", b.Catalog.Fallback(), b.Catalog.Supported))
	text := v.Text
	lang := v.Lang
	if lang == "" {
		lang = r.Lang
	}
	rd := &request{b: b, lang: homelink.PreferredLanguage(lang, "", b.Catalog.Fallback(), b.Catalog.Supported)}
	if strings.Contains(text, "{") {
		text = homelink.FillPlaceholders(text, b.placeholderValues(rd, r))
	}
	// Who sent it, above it: a parent trusts, and can answer, a message
	// they know is from their child's home.
	if r.HomeName != "" {
		text = rd.html("BcFromLine", "Home", r.HomeName, "Name", bc.FromName) + "\n\n" + text
	}
	m := outbox.Message{Lane: outbox.Bulk, ChatID: r.User, Kind: outbox.Text}
	if v.Photo != "" {
		m.Kind, m.FileID, m.Text = outbox.Photo, v.Photo, cutHTML(text, homelink.MaxBroadcastCaption)
		return m
	}
	m.Text = cutHTML(text, homelink.MaxBroadcastText)
	return m
}

// placeholderValues are r's values of the placeholders, in rd's language.
func (b *Bot) placeholderValues(rd *request, r homelink.Recipient) map[string]string {
	name := r.Name
	if name == "" {
		name = rd.text("BcNoName")
	}
	return map[string]string{
		homelink.PlaceParentName: name,
		homelink.PlaceChildNames: childNames(rd, r.Children),
		homelink.PlaceHomeName:   r.HomeName,
		homelink.PlaceNextCall:   b.nextCallText(rd, r),
	}
}

// childNames lists names as rd's language does: "小明、Lili" and "Anna,
// Ben and Lili"; "the children" for someone with no child at the home (a
// teacher, or a parent whose child has left).
func childNames(rd *request, names []string) string {
	switch len(names) {
	case 0:
		return rd.text("BcTheChildren")
	case 1:
		return names[0]
	}
	last := len(names) - 1
	return strings.Join(names[:last], rd.text("ListSeparator")) + rd.text("BcNamesLast") + names[last]
}

// nextCallText is r's next confirmed call in their own zone, with the
// child's name: "Sat 5 Dec 15:00 with 小明", "12月5日 周六 15:00（小明）".
func (b *Bot) nextCallText(rd *request, r homelink.Recipient) string {
	if r.NextCall.IsZero() {
		return rd.text("BcNoCallYet")
	}
	loc, err := homelink.CheckTimeZone(r.Zone)
	if err != nil || r.Zone == "" {
		loc = b.defaultZone()
	}
	when := rd.day(r.NextCall, loc) + " " + r.NextCall.In(loc).Format("15:04")
	if r.NextCallChild == "" {
		return when
	}
	return rd.text("BcNextCallWith", "When", when, "Child", r.NextCallChild)
}

// cutHTML cuts Telegram HTML whose text is longer than max (in UTF-16
// units, as Telegram counts, tags and escapes not counted) to max, ending
// in "…" with the tags open there closed; shorter HTML comes back as it
// is.
func cutHTML(s string, max int) string {
	if n, _, _ := walkHTML(s, -1); n <= max {
		return s
	}
	_, at, open := walkHTML(s, max-1)
	var b strings.Builder
	b.WriteString(s[:at])
	b.WriteString("…")
	for k := len(open) - 1; k >= 0; k-- {
		b.WriteString("</" + open[k] + ">")
	}
	return b.String()
}

// walkHTML reads well-formed Telegram HTML (the bot's own: entitiesHTML
// and filled placeholders) and returns its text's length; with limit >= 0
// it stops before the character that would pass limit and returns where,
// with the tags open there.
func walkHTML(s string, limit int) (n, at int, open []string) {
	for i := 0; i < len(s); {
		width, size := 0, 0
		switch s[i] {
		case '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				return n, i, open
			}
			tag := s[i+1 : i+end]
			if name, closing := strings.CutPrefix(tag, "/"); closing {
				if k := len(open) - 1; k >= 0 && open[k] == name {
					open = open[:k]
				}
			} else {
				name, _, _ := strings.Cut(tag, " ")
				open = append(open, name)
			}
			i += end + 1
			continue
		case '&':
			if end := strings.IndexByte(s[i:], ';'); end > 0 && end <= 10 {
				width, size = 1, end+1
			}
		}
		if size == 0 {
			r, sz := utf8.DecodeRuneInString(s[i:])
			width, size = utf16.RuneLen(r), sz
			if width < 0 {
				width = 1
			}
		}
		if limit >= 0 && n+width > limit {
			return n, i, open
		}
		n += width
		i += size
	}
	return n, len(s), open
}
