package bot

import (
	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// Time zones as people read them: every zone shown anywhere (a home's, a
// person's) by its label in the reader's language ("中国（北京时间）",
// "Spain (Madrid)"), or by its IANA name when it has none.

// zoneIDs names the message (Zone_<id>) that labels each zone we know.
var zoneIDs = map[string]string{
	"Asia/Shanghai":    "Shanghai",
	"Asia/Urumqi":      "Urumqi",
	"Asia/Hong_Kong":   "HongKong",
	"Asia/Taipei":      "Taipei",
	"Asia/Singapore":   "Singapore",
	"Asia/Dubai":       "Dubai",
	"Asia/Tokyo":       "Tokyo",
	"Asia/Seoul":       "Seoul",
	"Europe/Rome":      "Rome",
	"Europe/Madrid":    "Madrid",
	"Europe/Paris":     "Paris",
	"Europe/London":    "London",
	"America/New_York": "NewYork",
}

// personalZones are the zones /settings offers as buttons: where parents
// work, at home or abroad, China first.
var personalZones = []string{
	"Asia/Shanghai", "Asia/Hong_Kong", "Asia/Singapore", "Asia/Dubai", "Asia/Tokyo", "Asia/Seoul",
	"Europe/Rome", "Europe/Madrid", "Europe/Paris", "Europe/London", "America/New_York",
}

// zoneLabel is how zone z is shown to r's reader: its label, else its
// IANA name.
func zoneLabel(r *request, z string) string {
	if id := zoneID(z); id != "" {
		return r.text("Zone_" + id)
	}
	return z
}

// zoneShort is zone z's short name for a button half a small phone wide
// ("马德里", "Madrid"); its label when it has none.
func zoneShort(r *request, z string) string {
	if id := zoneID(z); id != "" {
		return r.text("ZoneShort_" + id)
	}
	return zoneLabel(r, z)
}

// zoneID is the label id of zone z; "" for a zone without a label.
func zoneID(z string) string { return zoneIDs[z] }

// zoneButtons offers the homes' common time zones, each choice acting on t.
func (b *Bot) zoneButtons(r *request, a *action, t target) [][]outbox.Button {
	return rows(zoneChoices(r, a, t, homelink.TimeZoneChoices)...)
}

// zoneChoices are one button per zone of zones, each carrying its index.
func zoneChoices(r *request, a *action, t target, zones []string) []outbox.Button {
	bs := make([]outbox.Button, 0, len(zones))
	for i, z := range zones {
		t.n = i
		bs = append(bs, a.button(r, zoneLabel(r, z), t))
	}
	return bs
}

// grid lays buttons out n to a row.
func grid(n int, bs []outbox.Button) [][]outbox.Button {
	var out [][]outbox.Button
	for len(bs) > 0 {
		k := min(n, len(bs))
		out = append(out, bs[:k])
		bs = bs[k:]
	}
	return out
}
