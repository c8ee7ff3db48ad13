package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const contactForm = "../../examples/contact-form"

func TestTestCommandPasses(t *testing.T) {
	code, out, stderr := runCLI(t, "test", contactForm)
	if code != exitOK || !strings.Contains(out, "ok: 6 tests passed") || strings.Contains(out, "FAIL") {
		t.Fatalf("code %d\n%s\n%s", code, out, stderr)
	}
	code, out, _ = runCLI(t, "test", contactForm, "--run", "DynamoDB")
	if code != exitOK || strings.Count(out, "PASS") != 2 {
		t.Errorf("--run DynamoDB: code %d\n%s", code, out)
	}
}

// copyExample copies the contact form example into a new folder, with its
// Lambda function still run from the example, and returns the folder.
func copyExample(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"contact-form.asl.json", "MockConfigFile.json", "tests.json"} {
		data, err := os.ReadFile(filepath.Join(contactForm, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	abs, err := filepath.Abs(contactForm)
	if err != nil {
		t.Fatal(err)
	}
	lambda := `{"Functions":{"validate-contact":{"Command":["go","run","./validate"],"Dir":` + quote(abs) + `}}}`
	if err := os.WriteFile(filepath.Join(dir, "lambda.json"), []byte(lambda), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

func editFile(t *testing.T, path, old, new string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s has no %q", path, old)
	}
	os.WriteFile(path, []byte(strings.Replace(string(data), old, new, 1)), 0o644)
}

func TestTestCommandFailsReadably(t *testing.T) {
	tests := []struct {
		name      string
		file, old string
		new       string
		want      []string // lines the report must contain
	}{
		{"changed output", "tests.json", `"message": "message is required"`, `"message": "a message is required"`,
			[]string{"FAIL  a missing message is answered with 400", `$.message: want "a message is required", got "message is required"`}},
		{"changed status", "tests.json", `"Status": "SUCCEEDED",`, `"Status": "FAILED",`,
			[]string{"FAIL  a valid message is stored, emailed and thanked for", "status: want FAILED, got SUCCEEDED"}},
		{"changed path", "tests.json", `"StatesVisited": ["StoreContact", "Failed"]`, `"StatesVisited": ["SendEmail", "Failed"]`,
			[]string{"states visited: want SendEmail → Failed in this order, got Validate → StoreContact → Failed"}},
		{"changed mock", "MockConfigFile.json", `"SendEmailSucceeds": {`, `"SendEmailSucceeds": {"1": {"Return": {}},"0": {"Throw": {"Error": "SesV2.AccountSuspendedException", "Cause": "suspended"}}}, "Unused": {`,
			[]string{"FAIL  a valid message is stored, emailed and thanked for", "$.statusCode: want 200, got 500", `$.error: unexpected "SesV2.AccountSuspendedException"`, "FAIL  a throttled DynamoDB write is retried", "FAIL: 2 of 6 tests failed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyExample(t)
			editFile(t, filepath.Join(dir, tt.file), tt.old, tt.new)
			code, out, stderr := runCLI(t, "test", dir)
			if code != exitFail {
				t.Fatalf("code %d, want %d\n%s\n%s", code, exitFail, out, stderr)
			}
			want := tt.want
			if !strings.Contains(strings.Join(want, "\n"), "FAIL: ") {
				want = append(want, "FAIL: 1 of 6 tests failed")
			}
			for _, w := range want {
				if !strings.Contains(out, w) {
					t.Errorf("the report lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestTestCommandUsage(t *testing.T) {
	empty := t.TempDir()
	for _, args := range [][]string{{"test", empty}, {"test", "a", "b"}, {"test", contactForm, "--run", "("}} {
		if code, _, _ := runCLI(t, args...); code != exitUsage {
			t.Errorf("%v: code %d, want %d", args, code, exitUsage)
		}
	}
}
