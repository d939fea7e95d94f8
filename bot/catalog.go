package bot

import (
	"maps"
	"slices"
)

// ButtonInfo describes one kind of button for the authorization matrix.
type ButtonInfo struct {
	// Args names its arguments in order: h home, c child, u user,
	// i invitation, n choice, b call, s weekly call, t time,
	// m mailbox item.
	Args string
	// Step is the flow step ("flow/step") it answers; empty for a menu
	// or standing button.
	Step string
	// Standing is set for buttons that outlive their recipient's menus.
	Standing bool
}

// Buttons lists every kind of button by its name in the code: the
// authorization matrix test checks it covers them all.
func (b *Bot) Buttons() map[string]ButtonInfo {
	out := map[string]ButtonInfo{}
	for _, a := range b.acts {
		info := ButtonInfo{Args: string(a.args), Standing: a.standing}
		if a.at != nil {
			info.Step = a.at.id()
		}
		out[a.name] = info
	}
	return out
}

// ButtonData is the callback data of the button called name acting on
// args (as Buttons lists them), for a menu opened with nonce. It is how a
// test presses a button it was not shown, such as one with altered data.
func (b *Bot) ButtonData(name, nonce string, args ...int64) string {
	for _, a := range b.acts {
		if a.name != name {
			continue
		}
		var t target
		for i, x := range a.args {
			if i < len(args) {
				t.set(x, args[i])
			}
		}
		if a.standing {
			return b.sign(a.encode(t))
		}
		return menuData(nonce, a.encode(t))
	}
	panic("bot: no button " + name)
}

// Steps lists every flow step that waits for a typed or sent answer, as
// "flow/step".
func (b *Bot) Steps() []string {
	var out []string
	for _, f := range b.flows {
		for _, s := range f.steps {
			if s.accepts != 0 {
				out = append(out, s.id())
			}
		}
	}
	slices.Sort(out)
	return out
}

// Commands lists the slash commands.
func (b *Bot) Commands() []string {
	return slices.Sorted(maps.Keys(b.commands))
}
