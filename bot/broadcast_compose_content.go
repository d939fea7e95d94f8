package bot

import (
	"context"
	"html/template"
	"strings"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// The message of a broadcast: a text with the sender's formatting, or one
// photo with a caption, in the sender's language; then, if they like, a
// second version in the other language. Each is refused with the reason,
// and the step stays open, when it names a placeholder that is not one,
// is empty, or is longer than Telegram allows.

// askBcContent asks for the message, listing the placeholders.
func (b *Bot) askBcContent(ctx context.Context, r *request, _ target) error {
	a := answersOf[bcAnswers](r)
	who, err := b.bcWho(ctx, r, a)
	if err != nil {
		return err
	}
	text := r.html("BcContentAsk", "Who", who) + "\n\n" + r.html("BcPlaceholders")
	return r.show(ctx, text, [][]outbox.Button{r.backButton()})
}

// bcContentSent keeps the message as its first version, in the sender's
// language, and offers a second.
func (b *Bot) bcContentSent(ctx context.Context, r *request, t target, in input) error {
	v, refusal := b.bcVersion(r, in, r.lang)
	if refusal != "" {
		return r.reply(ctx, refusal, [][]outbox.Button{r.backButton()})
	}
	a := answersOf[bcAnswers](r)
	a.Versions = []homelink.BroadcastVersion{v}
	if b.otherLanguage(v.Lang) == "" {
		return b.previewBroadcast(ctx, r, a)
	}
	return r.moveTo(ctx, b.bc.offer, a, t)
}

// bcVersion reads a version in lang from the message the user sent: its
// text (or caption) with its entities as Telegram HTML, and its photo.
// refusal, when set, says why it cannot be taken.
func (b *Bot) bcVersion(r *request, in input, lang string) (homelink.BroadcastVersion, string) {
	msg := r.update.Message
	text, entities, limit := msg.Text, msg.Entities, homelink.MaxBroadcastText
	if in.kind == inPhoto {
		text, entities, limit = msg.Caption, msg.CaptionEntities, homelink.MaxBroadcastCaption
	}
	if unknown := homelink.UnknownPlaceholders(text); len(unknown) > 0 {
		return homelink.BroadcastVersion{}, r.html("BcUnknownPlaceholder", "What", placeholderList(r, unknown),
			"Text", placeholderList(r, homelink.Placeholders))
	}
	switch n := utf16Len(text); {
	case in.kind == inText && strings.TrimSpace(text) == "":
		return homelink.BroadcastVersion{}, r.html("TextEmpty")
	case n > limit:
		id := "BcTooLong"
		if in.kind == inPhoto {
			id = "BcCaptionTooLong"
		}
		return homelink.BroadcastVersion{}, r.html(id, "Max", limit, "N", n)
	}
	return homelink.BroadcastVersion{Lang: lang, Text: entitiesHTML(text, entities), Photo: in.fileID}, ""
}

// placeholderList names placeholders as they are typed, each in code:
// "{parent_name}, {home_name}".
func placeholderList(r *request, names []string) template.HTML {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = "<code>{" + template.HTMLEscapeString(n) + "}</code>"
	}
	return template.HTML(strings.Join(quoted, r.text("ListSeparator")))
}

// otherLanguage is a language the catalog speaks other than lang, for a
// second version ("" when it speaks one).
func (b *Bot) otherLanguage(lang string) string {
	for _, l := range b.Catalog.Languages() {
		if l != lang {
			return l
		}
	}
	return ""
}

// languageName is lang named in the reader's language ("英文" to a
// Chinese reader, "Chinese" to an English one); a language with no such
// name yet is named in itself.
func (r *request) languageName(lang string) string {
	id := "LanguageCalled_" + strings.ReplaceAll(lang, "-", "_")
	if name := r.text(id); name != id && name != "" {
		return name
	}
	return r.b.Renderer.Text(lang, "LanguageName")
}

// askBcOffer offers a version in the other language.
func (b *Bot) askBcOffer(ctx context.Context, r *request, _ target) error {
	a := answersOf[bcAnswers](r)
	if len(a.Versions) == 0 {
		return r.moveTo(ctx, b.bc.content, a, a.target())
	}
	other := r.languageName(b.otherLanguage(a.Versions[0].Lang))
	kb := rows(b.bc.addVersion.button(r, r.text("BcAddVersionButton", "Language", other), target{}),
		b.bc.oneVersion.button(r, r.text("BcOneVersionButton"), target{}))
	return r.show(ctx, r.html("BcOfferAsk", "Language", other), append(kb, r.backButton()))
}

// bcAddVersion asks for the second version.
func (b *Bot) bcAddVersion(ctx context.Context, r *request, _ target) error {
	a := answersOf[bcAnswers](r)
	if len(a.Versions) == 0 {
		return r.expired(ctx)
	}
	if err := r.at(ctx, b.bc.second, a); err != nil {
		return err
	}
	return b.showBcSecond(ctx, r, a)
}

// bcOneVersion goes on with one version.
func (b *Bot) bcOneVersion(ctx context.Context, r *request, _ target) error {
	a := answersOf[bcAnswers](r)
	if len(a.Versions) == 0 {
		return r.expired(ctx)
	}
	a.Versions = a.Versions[:1]
	return b.previewBroadcast(ctx, r, a)
}

// askBcSecond is where Back from the preview lands: the second version
// asked again when there is one, else the offer of one.
func (b *Bot) askBcSecond(ctx context.Context, r *request, t target) error {
	a := answersOf[bcAnswers](r)
	if len(a.Versions) < 2 {
		return r.moveTo(ctx, b.bc.offer, a, t)
	}
	return b.showBcSecond(ctx, r, a)
}

// showBcSecond asks for the version in the other language.
func (b *Bot) showBcSecond(ctx context.Context, r *request, a bcAnswers) error {
	other := r.languageName(b.otherLanguage(a.Versions[0].Lang))
	return r.show(ctx, r.html("BcSecondAsk", "Language", other), [][]outbox.Button{r.backButton()})
}

// bcSecondSent keeps the second version and shows the preview.
func (b *Bot) bcSecondSent(ctx context.Context, r *request, _ target, in input) error {
	a := answersOf[bcAnswers](r)
	if len(a.Versions) == 0 {
		return r.moveTo(ctx, b.bc.content, a, a.target())
	}
	v, refusal := b.bcVersion(r, in, b.otherLanguage(a.Versions[0].Lang))
	if refusal != "" {
		return r.reply(ctx, refusal, [][]outbox.Button{r.backButton()})
	}
	a.Versions = []homelink.BroadcastVersion{a.Versions[0], v}
	return b.previewBroadcast(ctx, r, a)
}
