package bot

import (
	"maps"
	"slices"
)

// menuActions is every menu button, with what it acts on and who may press
// it. The authorization matrix test walks this table.
func (b *Bot) menuActions() map[string]action {
	return map[string]action{
		// Coordinators: homes.
		"hl":  {args: "", need: coordinator, run: b.homesList},
		"hn":  {args: "", need: coordinator, run: b.homeNew},
		"tz":  {args: "n", need: coordinator, run: b.homeNewZone, keepsStep: true},
		"is":  {args: "", need: coordinator, run: b.homeNewSkipInstructions, keepsStep: true},
		"hv":  {args: "h", need: managesHome, run: b.homeView},
		"hr":  {args: "h", need: managesHome, run: b.homeRename},
		"hz":  {args: "h", need: managesHome, run: b.homeZone},
		"hzs": {args: "hn", need: managesHome, run: b.homeZoneSet},
		"hi":  {args: "h", need: managesHome, run: b.homeInstructions},
		"ht":  {args: "h", need: managesHome, run: b.teacherInvite},
		"hT":  {args: "h", need: managesHome, run: b.teachersView},
		"tr":  {args: "hu", need: managesHome, run: b.teacherRemoveAsk},
		"try": {args: "hu", need: managesHome, run: b.teacherRemove},
		"ci":  {args: "", need: coordinatorOrAdmin, run: b.shareStart},
		"cs":  {args: "h", need: mayShareHome, run: b.shareToggle, keepsStep: true},
		"cc":  {args: "", need: coordinatorOrAdmin, run: b.shareCreate, keepsStep: true},
		// Teachers: children and guardians.
		"kl":  {args: "h", need: teachesAt, run: b.childrenView},
		"ka":  {args: "h", need: teachesAt, run: b.childAdd},
		"ks":  {args: "h", need: teachesAt, run: b.childAddSkipYear, keepsStep: true},
		"kv":  {args: "hc", need: teachesChild, run: b.childView},
		"gi":  {args: "hc", need: teachesChild, run: b.guardianInvite},
		"il":  {args: "hc", need: teachesChild, run: b.invitesView},
		"gu":  {args: "hcu", need: teachesChild, run: b.guardianUnlinkAsk},
		"guy": {args: "hcu", need: teachesChild, run: b.guardianUnlink},
		"kr":  {args: "hc", need: teachesChild, run: b.childRemoveAsk},
		"kry": {args: "hc", need: teachesChild, run: b.childRemove},
		// Invitations: revoking, and the invited person's answer.
		"ir":  {args: "i", need: mayRevoke, run: b.inviteRevoke},
		"ca":  {args: "i", need: holdsInvite, run: b.consentYes, keepsStep: true},
		"cn":  {args: "i", need: holdsInvite, run: b.consentNo, keepsStep: true},
		"rel": {args: "hcn", need: guardsChild, run: b.relationshipSet},
		// Everyone.
		"fy": {args: "", need: anyone, run: b.forgetYes},
		"fn": {args: "", need: anyone, run: b.forgetNo},
		"x":  {args: "", need: anyone, run: b.closeMenu},
	}
}

// textSteps is every typed answer a flow waits for, with who may give it.
func (b *Bot) textSteps() map[string]step {
	return map[string]step{
		"hname":  {need: coordinator, run: b.homeNewName},
		"htz":    {need: coordinator, run: b.homeNewZoneTyped},
		"hinstr": {need: coordinator, run: b.homeNewInstructions},
		"hrn":    {need: managesHome, run: b.homeRenameTyped},
		"hzt":    {need: managesHome, run: b.homeZoneTyped},
		"hit":    {need: managesHome, run: b.homeInstructionsTyped},
		"kname":  {need: teachesAt, run: b.childNameTyped},
		"kyear":  {need: teachesAt, run: b.childYearTyped},
	}
}

// Buttons names every menu button's action with its arguments (h home,
// c child, u user, i invitation, n choice), and Steps every typed answer a
// flow may wait for: the authorization matrix test checks it covers them.
func (b *Bot) Buttons() map[string]string {
	out := map[string]string{}
	for name, a := range b.actions {
		out[name] = a.args
	}
	return out
}

// Steps lists the typed answers a flow may wait for.
func (b *Bot) Steps() []string {
	return slices.Sorted(maps.Keys(b.steps))
}

// Commands lists the slash commands.
func (b *Bot) Commands() []string {
	return slices.Sorted(maps.Keys(b.commands))
}
