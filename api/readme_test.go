package api

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestREADMEActions checks that the README's table of API actions lists
// AWS's 37 actions, and that an action is marked "not yet" exactly when
// the handler does not serve it, so that the table stays true.
func TestREADMEActions(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	start := strings.Index(text, "**API actions.**")
	if start < 0 {
		t.Fatal("README has no **API actions.** table")
	}
	table := text[start:]
	if end := strings.Index(table, "\n\n|"); end >= 0 {
		// The table begins after its introduction and ends at the first
		// line that is not a row.
		table = table[end+2:]
		if stop := strings.Index(table, "\n\n"); stop >= 0 {
			table = table[:stop]
		}
	}
	h := &Handler{}
	served := h.actionTable()
	for name, a := range h.versionActions() {
		served[name] = a
	}
	row := regexp.MustCompile("(?m)^\\| `([A-Za-z]+)` \\| (.*) \\|$")
	listed := map[string]bool{}
	for _, m := range row.FindAllStringSubmatch(table, -1) {
		name, notes := m[1], m[2]
		listed[name] = true
		_, ok := served[name]
		if notYet := strings.Contains(notes, "not yet"); notYet == ok {
			t.Errorf("README says %s is %q, but the handler serves it: %v", name, notes, ok)
		}
	}
	if len(listed) != 37 {
		t.Errorf("README lists %d actions, want AWS's 37", len(listed))
	}
	for name := range served {
		if !listed[name] {
			t.Errorf("the handler serves %s, which the README does not list", name)
		}
	}
}
