package bot

import (
	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// broadcastMessage is the message one recipient gets. (A placeholder of
// the engine's branch: the composing branch owns the real one.)
func (b *Bot) broadcastMessage(bc homelink.Broadcast, r homelink.Recipient) outbox.Message {
	v := bc.Version(r.Lang)
	text := homelink.FillPlaceholders(v.Text, map[string]string{homelink.PlaceParentName: r.Name,
		homelink.PlaceHomeName: r.HomeName})
	if v.Photo != "" {
		return outbox.Message{ChatID: r.User, Kind: outbox.Photo, FileID: v.Photo, Text: text}
	}
	return outbox.Message{ChatID: r.User, Text: text}
}
