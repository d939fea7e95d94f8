package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/outbox"
)

// menuEntry is a command in the menu and in /help, and who sees it.
type menuEntry struct {
	name string
	show func(homelink.Roles) bool
	// helpFor, when set, picks the /help line's message id for the
	// reader's roles; otherwise it is Help_<name>.
	helpFor func(homelink.Roles) string
}

// helpID is the message id of the entry's /help line for roles.
func (e menuEntry) helpID(r homelink.Roles) string {
	if e.helpFor != nil {
		return e.helpFor(r)
	}
	return "Help_" + e.name
}

// childrenHelp speaks to a parent, a teacher, or someone who is both.
func childrenHelp(r homelink.Roles) string {
	switch {
	case r.IsTeacher() && r.IsGuardian():
		return "Help_children_both"
	case r.IsTeacher():
		return "Help_children_teacher"
	}
	return "Help_children_guardian"
}

// callsHelp speaks to a parent, to the home's staff, or to someone who is
// both.
func callsHelp(r homelink.Roles) string {
	switch staff := r.IsTeacher() || len(r.Coordinates) > 0; {
	case staff && r.IsGuardian():
		return "Help_calls_both"
	case staff:
		return "Help_calls_staff"
	}
	return "Help_calls_guardian"
}

// seesCalls: whoever /calls has something for.
func seesCalls(r homelink.Roles) bool {
	return r.IsGuardian() || r.IsTeacher() || len(r.Coordinates) > 0
}

func everyone(homelink.Roles) bool { return true }

// menuEntries is the commands menu in order. Who sees an entry matches who
// may use the command (bot.go).
var menuEntries = []menuEntry{
	{"book", homelink.Roles.IsGuardian, nil},
	{"message", homelink.Roles.IsGuardian, nil},
	{"calls", seesCalls, callsHelp},
	{"children", func(r homelink.Roles) bool { return r.IsTeacher() || r.IsGuardian() }, childrenHelp},
	{"mailbox", homelink.Roles.IsTeacher, nil},
	{"homes", homelink.Roles.IsCoordinator, nil},
	{"invite", func(r homelink.Roles) bool { return r.IsCoordinator() || r.Admin }, nil},
	{"hours", homelink.Roles.IsStaff, nil},
	{"broadcast", homelink.Roles.IsStaff, broadcastHelp},
	{"broadcasts", homelink.Roles.IsStaff, nil},
	{"report", homelink.Roles.IsStaff, nil},
	{"start", everyone, nil},
	{"help", everyone, nil},
	{"settings", everyone, nil},
	{"language", everyone, nil},
	{"mydata", everyone, nil},
	{"forget", everyone, nil},
	{"cancel", everyone, nil},
}

// menu is the commands menu in lang for someone with roles.
func (b *Bot) menu(lang string, roles homelink.Roles) []outbox.Command {
	var out []outbox.Command
	for _, e := range menuEntries {
		if e.show(roles) {
			out = append(out, outbox.Command{Name: e.name, Description: b.Renderer.Text(lang, "Command_"+e.name)})
		}
	}
	return out
}

// ChatMenu is the commands menu a person's own chat shows: their roles in
// their language.
func (b *Bot) ChatMenu(u homelink.User) []outbox.Command {
	u.Roles.Admin = b.isAdmin(u.ID)
	lang := homelink.PreferredLanguage(u.Language, "", b.Catalog.Fallback(), b.Catalog.Supported)
	return b.menu(lang, u.Roles)
}

// MenuVersion names this release's menus: it changes whenever a command,
// who sees it or its wording in any language changes, so a release that
// changes them knows to refresh every chat's menu.
func (b *Bot) MenuVersion() string {
	h := sha256.New()
	for _, lang := range b.Catalog.Languages() {
		for _, e := range menuEntries {
			fmt.Fprintf(h, "%s|%s|%s|", lang, e.name, b.Renderer.Text(lang, "Command_"+e.name))
			for _, roles := range menuRoleSamples {
				fmt.Fprintf(h, "%t", e.show(roles))
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// menuRoleSamples are one account of each kind, to fold who sees which
// command into MenuVersion.
var menuRoleSamples = []homelink.Roles{
	{},
	{Admin: true},
	{Coordinator: true},
	{Teaches: map[int64]bool{1: true}},
	{Guards: map[int64]homelink.Guardianship{1: {HomeID: 1}}},
}

// RegisterCommands sets the commands menu for private chats in every
// language, keyed by the two-letter code Telegram apps report, and in the
// default language for everyone else. People with roles get their own menu
// per chat as their roles change.
func (b *Bot) RegisterCommands(ctx context.Context) error {
	if err := b.Sender.SetCommands(ctx, 0, "", b.menu(b.Catalog.Fallback(), homelink.Roles{})); err != nil {
		return fmt.Errorf("bot: commands menu: %w", err)
	}
	for _, lang := range b.Catalog.Languages() {
		code, _, _ := strings.Cut(strings.ToLower(lang), "-")
		if err := b.Sender.SetCommands(ctx, 0, code, b.menu(lang, homelink.Roles{})); err != nil {
			return fmt.Errorf("bot: commands menu %s: %w", lang, err)
		}
	}
	return nil
}

// help lists what the user's roles let them do.
func (b *Bot) help(ctx context.Context, r *request) error {
	// Each language joins a command and what it does its own way.
	sep := r.text("HelpSeparator")
	var lines []string
	for _, e := range menuEntries {
		if e.show(r.user.Roles) {
			lines = append(lines, "/"+e.name+sep+r.text(e.helpID(r.user.Roles)))
		}
	}
	text, err := r.render("help", map[string]any{"Lines": lines, "Roles": r.user.Roles})
	if err != nil {
		return err
	}
	return r.reply(ctx, text, nil)
}

// memberChanged notes when a user blocks or restarts the bot.
func (b *Bot) memberChanged(ctx context.Context, r *request) error {
	switch r.update.MyChatMember.NewChatMember.Type {
	case models.ChatMemberTypeBanned, models.ChatMemberTypeLeft:
		return b.Sender.SetReachable(ctx, r.chatID, false)
	case models.ChatMemberTypeMember:
		return b.Sender.SetReachable(ctx, r.chatID, true)
	}
	return errIgnored
}
