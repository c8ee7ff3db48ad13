package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestStdinEOFStops checks the rule s3test relies on: the server prints its
// URL first, serves, and exits cleanly when its stdin reaches EOF.
func TestStdinEOFStops(t *testing.T) {
	stdinR, stdinW := io.Pipe()
	stdoutR, stdoutW := io.Pipe()
	var stderr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(t.Context(), []string{"--bucket", "b"}, stdinR, stdoutW, &stderr)
		stdoutW.Close()
	}()
	buf := make([]byte, 64)
	n, err := stdoutR.Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	url := strings.TrimSpace(string(buf[:n]))
	resp, err := http.Get(url + "/b?list-type=2")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("listing the bucket: %s", resp.Status)
	}
	stdinW.Close()
	go io.Copy(io.Discard, stdoutR)
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit code %d, want %d; stderr %s", code, exitOK, &stderr)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("still serving 10s after stdin closed")
	}
}

// TestCancelStops checks that the signal context (SIGTERM) stops it too.
func TestCancelStops(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	stdinR, stdinW := io.Pipe()
	defer stdinW.Close()
	var stdout, stderr bytes.Buffer
	cancel()
	if code := run(ctx, nil, stdinR, &stdout, &stderr); code != exitOK || !strings.HasPrefix(stdout.String(), "http://127.0.0.1:") {
		t.Errorf("exit code %d, stdout %q, stderr %s", code, &stdout, &stderr)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"--nope"}, {"extra"}, {"--bucket", ""}} {
		var stderr bytes.Buffer
		if code := run(t.Context(), args, strings.NewReader(""), io.Discard, &stderr); code != exitUsage {
			t.Errorf("%q: exit code %d, want %d", args, code, exitUsage)
		}
	}
	if code := run(t.Context(), []string{"--listen", "bad address"}, strings.NewReader(""), io.Discard, io.Discard); code != exitFail {
		t.Errorf("bad address: exit code %d, want %d", code, exitFail)
	}
}
