package console_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// runBrowserScript runs one of console/web/e2e's scripts with Node, with
// args, and fails t when it reports a failed check. It needs -browser,
// console/web/node_modules (npm ci) and /usr/bin/chromium.
func runBrowserScript(t *testing.T, timeout time.Duration, script string, args ...string) {
	t.Helper()
	web, err := filepath.Abs("web")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(web, "node_modules", "playwright-core")); err != nil {
		t.Fatalf("playwright-core is not installed: run npm ci in console/web (%v)", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", append([]string{script}, args...)...)
	cmd.Dir = web
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	t.Log(out.String())
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		t.Fatalf("%s failed (exit %d)", script, ee.ExitCode())
	}
	if err != nil {
		t.Fatalf("run node %s: %v", script, err)
	}
}

// TestBrowserPlainHTTP signs in to a server that requires credentials from
// a page without WebCrypto: the console opened over plain HTTP on a host
// name other than localhost (Chromium maps stepwise.test to 127.0.0.1), as
// on a shared server, which is not a secure context (issue 14, item 6).
// The server has credentials, so no Host allow-list applies.
func TestBrowserPlainHTTP(t *testing.T) {
	if !*browser {
		t.Skip("browser test: give -browser (see console/check-build.sh)")
	}
	runBrowserScript(t, 2*time.Minute, "e2e/plain-http.mjs", startAuthServer(t), testAccessKey, testSecret)
}
