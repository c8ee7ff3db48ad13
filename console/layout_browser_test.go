package console_test

import (
	"testing"
	"time"
)

// TestBrowserLayout checks the layout of Config mode's logging checkbox,
// the "Edit in Workflow Studio" link and long error names in the side
// panels by their geometry in Chromium (issue 14, item 19). Run it with
//
//	go test ./console -run TestBrowserLayout -browser
func TestBrowserLayout(t *testing.T) {
	if !*browser {
		t.Skip("browser test: give -browser (see console/check-build.sh)")
	}
	runBrowserScript(t, 2*time.Minute, "e2e/layout.mjs", startStudioServer(t))
}
