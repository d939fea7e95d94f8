package bot

import "context"

// start welcomes the user, or takes the invitation their link carried.
func (b *Bot) start(ctx context.Context, r *request) error {
	if r.args != "" {
		return b.redeemInvite(ctx, r, r.args)
	}
	text, err := r.render("welcome", nil)
	if err != nil {
		return err
	}
	return r.reply(ctx, text, nil)
}

// redeemInvite takes the code of an invitation link. No invitations exist
// yet, so every code is answered as not valid. The code is never logged.
func (b *Bot) redeemInvite(ctx context.Context, r *request, code string) error {
	return r.reply(ctx, r.html("InviteInvalid"), nil)
}

// help lists what the user can do.
func (b *Bot) help(ctx context.Context, r *request) error {
	text, err := r.render("help", nil)
	if err != nil {
		return err
	}
	return r.reply(ctx, text, nil)
}

// cancel leaves any flow in progress.
func (b *Bot) cancel(ctx context.Context, r *request) error {
	if !r.session.Active() {
		return r.reply(ctx, r.html("CancelNothing"), nil)
	}
	if _, err := b.Store.SaveSession(ctx, r.user.ID, endOf(r.session)); err != nil {
		return err
	}
	return r.reply(ctx, r.html("CancelDone"), nil)
}
