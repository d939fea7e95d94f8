package bot

import (
	"context"

	"github.com/homelink/homelink"
)

// start welcomes the user, or takes the invitation their link carried.
func (b *Bot) start(ctx context.Context, r *request) error {
	if r.args != "" {
		code := r.args
		if typed, ok := homelink.NormalizeTypedCode(code); ok {
			code = typed
		}
		return b.redeemCode(ctx, r, code)
	}
	return b.welcome(ctx, r)
}

// welcome says what homelink is, and how to join to someone who has not.
func (b *Bot) welcome(ctx context.Context, r *request) error {
	text, err := r.render("welcome", map[string]any{"Roles": r.user.Roles})
	if err != nil {
		return err
	}
	return r.hint(ctx, text)
}

// cancel leaves any flow in progress.
func (b *Bot) cancel(ctx context.Context, r *request) error {
	if !r.session.Active() {
		return r.reply(ctx, r.html("CancelNothing"), nil)
	}
	text := b.cancelText(r)
	if err := r.endFlow(ctx); err != nil {
		return err
	}
	return r.reply(ctx, text, nil)
}
