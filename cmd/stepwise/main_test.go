package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(t.Context(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsage(t *testing.T) {
	if code, _, stderr := runCLI(t); code != exitUsage || !strings.Contains(stderr, "Usage") {
		t.Errorf("no args: code %d, stderr %q", code, stderr)
	}
	if code, _, stderr := runCLI(t, "frobnicate"); code != exitUsage || !strings.Contains(stderr, "unknown command") {
		t.Errorf("unknown command: code %d, stderr %q", code, stderr)
	}
}

func TestValidateCommand(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.asl.json")
	bad := filepath.Join(dir, "bad.asl.json")
	os.WriteFile(good, []byte(`{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}`), 0o644)
	os.WriteFile(bad, []byte(`{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}}`), 0o644)

	code, out, _ := runCLI(t, "validate", good)
	if code != exitOK || !strings.Contains(out, "good.asl.json: OK") {
		t.Errorf("valid file: code %d, out %q", code, out)
	}

	code, out, _ = runCLI(t, "validate", good, bad)
	if code != exitFail {
		t.Errorf("broken file: code %d, want %d", code, exitFail)
	}
	for _, want := range []string{"bad.asl.json: 2 errors", "/States/A/Next", "Missing 'Next' target: B", "MISSING_TRANSITION_TARGET"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	code, out, _ = runCLI(t, "validate", "--output", "json", bad)
	var res struct {
		Result      string
		Diagnostics []struct{ Severity, Code, Message, Location string }
		Truncated   bool
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("json output: %v\n%s", err, out)
	}
	if code != exitFail || res.Result != "FAIL" || len(res.Diagnostics) != 2 || res.Diagnostics[0].Location != "/States/A/Next" {
		t.Errorf("json output: code %d, %+v", code, res)
	}

	code, out, _ = runCLI(t, "validate", "--output", "json", good)
	if code != exitOK || !strings.Contains(out, `"result": "OK"`) || !strings.Contains(out, `"diagnostics": []`) {
		t.Errorf("json output for a valid file: code %d\n%s", code, out)
	}

	if code, _, stderr := runCLI(t, "validate", filepath.Join(dir, "missing.json")); code != exitUsage || !strings.Contains(stderr, "no such file") {
		t.Errorf("missing file: code %d, stderr %q", code, stderr)
	}
	if code, _, _ := runCLI(t, "validate"); code != exitUsage {
		t.Errorf("no files: code %d", code)
	}
	if code, _, _ := runCLI(t, "validate", "--output", "xml", good); code != exitUsage {
		t.Errorf("bad --output: code %d", code)
	}
}
