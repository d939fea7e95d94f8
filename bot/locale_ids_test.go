package bot

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/homelink/homelink"
	"github.com/homelink/homelink/locales"
)

// TestEveryMessageIDTheCodeUsesExists finds every message id the bot's code
// passes to html, text, HTML or Text and checks it in every locale.
func TestEveryMessageIDTheCodeUsesExists(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	ids := map[string]string{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			arg := -1
			switch sel.Sel.Name {
			case "html", "text":
				arg = 0
			case "HTML", "Text":
				arg = 1
			}
			if arg >= 0 && len(call.Args) > arg {
				if lit, ok := call.Args[arg].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					id, _ := strconv.Unquote(lit.Value)
					ids[id] = fset.Position(lit.Pos()).String()
				}
			}
			return true
		})
	}
	if len(ids) < 5 {
		t.Fatalf("found only %d message ids in the code: the scan is broken", len(ids))
	}
	cat, err := locales.Load("zh-Hans")
	if err != nil {
		t.Fatal(err)
	}
	for id, where := range ids {
		for _, lang := range cat.Languages() {
			if _, err := cat.Localizer(lang).Localize(&i18n.LocalizeConfig{MessageID: id}); err != nil {
				t.Errorf("%s: message %s missing in %s", where, id, lang)
			}
		}
	}
}

// TestEveryMessageIDBuiltAtRunTimeExists checks the ids the code builds
// from a prefix: relationships, time zones, commands and their help.
func TestEveryMessageIDBuiltAtRunTimeExists(t *testing.T) {
	cat, err := locales.Load("zh-Hans")
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{"ConsentYesGuardian", "ConsentYesStaff"}
	for _, r := range homelink.Relationships {
		ids = append(ids, "Rel_"+string(r))
	}
	for _, z := range append(slices.Clone(homelink.TimeZoneChoices), personalZones...) {
		if zoneID(z) == "" {
			t.Errorf("offered zone %s has no label", z)
		}
		ids = append(ids, "Zone_"+zoneID(z))
	}
	for _, w := range whyIDs {
		ids = append(ids, w.id)
	}
	ids = append(ids, "Why_line")
	for _, p := range shiftPresets {
		ids = append(ids, p.label)
	}
	for _, p := range quietPresets {
		if p.label != "" {
			ids = append(ids, p.label)
		}
	}
	for _, row := range remindRows {
		ids = append(ids, row.label)
	}
	for _, e := range menuEntries {
		ids = append(ids, "Command_"+e.name)
		for _, roles := range menuRoleSamples {
			ids = append(ids, e.helpID(roles))
		}
	}
	ids = append(ids, "Help_children_both")
	seenZones := map[string]bool{}
	for _, id := range zoneIDs {
		if seenZones[id] {
			t.Errorf("two time zones share the label id %s", id)
		}
		seenZones[id] = true
		ids = append(ids, "Zone_"+id)
	}
	for _, id := range ids {
		for _, lang := range cat.Languages() {
			if _, err := cat.Localizer(lang).Localize(&i18n.LocalizeConfig{MessageID: id}); err != nil {
				t.Errorf("message %s missing in %s", id, lang)
			}
		}
	}
}
