package bot

import (
	"strings"

	"github.com/go-telegram/bot/models"
)

// inputKind is what a person sent: text or one kind of media. A step
// declares the kinds it accepts as a set.
type inputKind uint8

// The kinds of input a step can ask for.
const (
	inText inputKind = 1 << iota
	inVoice
	inPhoto
	inVideo
	inVideoNote
	inDocument
)

// inputNames are the kinds in the order a hint lists them, with the
// message id that names each.
var inputNames = []struct {
	kind inputKind
	id   string
}{
	{inText, "Input_text"}, {inVoice, "Input_voice"}, {inPhoto, "Input_photo"},
	{inVideo, "Input_video"}, {inVideoNote, "Input_videoNote"}, {inDocument, "Input_document"},
}

// input is one answer as sent: text, or media by Telegram's file id with
// its caption.
type input struct {
	kind inputKind
	// text is the text, or a medium's caption.
	text   string
	fileID string
}

// inputOf reads what a message carries; ok is false for anything no step
// takes (a sticker, a location, a contact).
func inputOf(m *models.Message) (input, bool) {
	switch {
	case m.Text != "":
		return input{kind: inText, text: m.Text}, true
	case m.Voice != nil:
		return input{kind: inVoice, fileID: m.Voice.FileID, text: m.Caption}, true
	case len(m.Photo) > 0:
		// Telegram lists sizes smallest first: keep the largest.
		return input{kind: inPhoto, fileID: m.Photo[len(m.Photo)-1].FileID, text: m.Caption}, true
	case m.Video != nil:
		return input{kind: inVideo, fileID: m.Video.FileID, text: m.Caption}, true
	case m.VideoNote != nil:
		return input{kind: inVideoNote, fileID: m.VideoNote.FileID}, true
	case m.Document != nil:
		return input{kind: inDocument, fileID: m.Document.FileID, text: m.Caption}, true
	}
	return input{}, false
}

// expected names the kinds a step accepts, in the user's language: "a
// text message or a voice note"; "a text message, a voice note or a
// photo" ("文字、语音或照片") for more than two.
func (r *request) expected(kinds inputKind) string {
	var names []string
	for _, n := range inputNames {
		if kinds&n.kind != 0 {
			names = append(names, r.text(n.id))
		}
	}
	if len(names) <= 2 {
		return strings.Join(names, r.text("InputOr"))
	}
	last := len(names) - 1
	return strings.Join(names[:last], r.text("ListSeparator")) + r.text("InputOr") + names[last]
}
