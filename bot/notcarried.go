package bot

import (
	"context"
	"maps"
	"slices"
)

// notCarried tells a parent that what they just sent outside /message was
// not kept and will not reach the child, that /message leaves one, and how
// to call the child instead: each of their children's homes with its
// calling instructions.
// A parent must never believe a message reached the child when it did not.
func (b *Bot) notCarried(ctx context.Context, r *request) error {
	homeIDs := map[int64]bool{}
	for _, g := range r.user.Roles.Guards {
		homeIDs[g.HomeID] = true
	}
	homes, err := b.Store.Homes(ctx, slices.Sorted(maps.Keys(homeIDs)))
	if err != nil {
		return err
	}
	type contact struct{ Name, Instructions string }
	var list []contact
	for _, h := range homes {
		list = append(list, contact{h.Name, h.Instructions})
	}
	text, err := r.render("notcarried", map[string]any{"Homes": list})
	if err != nil {
		return err
	}
	return r.hint(ctx, text)
}
