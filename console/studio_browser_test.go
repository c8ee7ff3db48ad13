package console_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"stepwise/tasks"
)

// startStudioServer serves the console and the real API over an empty
// memory store: Workflow Studio starts from an empty canvas.
func startStudioServer(t *testing.T) string {
	t.Helper()
	srv := serveConsole(t, tasks.NewMemory())
	return srv.URL
}

// TestBrowserStudio drives Workflow Studio in Debian's Chromium with
// playwright-core (console/web/e2e/studio.mjs) against the real API: a
// machine built by drag and drop, fixed in Code mode, saved, run and seen
// in the execution view; then the contact-form example built in Design
// mode alone. Run it with
//
//	go test ./console -run TestBrowser -browser
func TestBrowserStudio(t *testing.T) {
	if !*browser && *serve == 0 {
		t.Skip("browser test: give -browser (see console/check-build.sh)")
	}
	url := startStudioServer(t)
	if *serve > 0 {
		t.Logf("Workflow Studio at %s/studio for %s", url, *serve)
		time.Sleep(*serve)
		return
	}
	web, _ := filepath.Abs("web")
	if _, err := os.Stat(filepath.Join(web, "node_modules", "playwright-core")); err != nil {
		t.Fatalf("playwright-core is not installed: run npm ci in console/web (%v)", err)
	}
	example, _ := filepath.Abs(filepath.Join("..", "examples", "contact-form", "contact-form.asl.json"))
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	args := []string{"e2e/studio.mjs", url, "--example", example}
	if *shots != "" {
		dir, err := filepath.Abs(*shots)
		if err != nil {
			t.Fatal(err)
		}
		args = append(args, "--screenshots", dir)
	}
	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = web
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	t.Log(out.String())
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		t.Fatalf("studio browser test failed (exit %d)", ee.ExitCode())
	}
	if err != nil {
		t.Fatal(fmt.Errorf("run node: %w", err))
	}
}

// TestBrowserStudioTyping types a sentence at 60 ms a key into Workflow
// Studio's forms on a 300-state machine and reads it back from the fields
// and from the saved definition: every keystroke must land (issue 14,
// item 18). Run it with
//
//	go test ./console -run TestBrowserStudioTyping -browser
func TestBrowserStudioTyping(t *testing.T) {
	if !*browser {
		t.Skip("browser test: give -browser (see console/check-build.sh)")
	}
	runBrowserScript(t, 6*time.Minute, "e2e/typing.mjs", startStudioServer(t))
}
