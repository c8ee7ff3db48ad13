// Package s3test starts an S3-compatible server for end-to-end tests: the
// program in internal/s3server (gofakes3 over memory), run as its own
// process so that the code under test reaches it over TCP as it would reach
// MinIO, SeaweedFS or S3.
package s3test

import (
	"bufio"
	"bytes"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// serverPackage is the import path of the server program. go run builds it
// once into the Go build cache (which keeps executables built by go run since
// Go 1.24), so later starts, in this test binary or another, cost a staleness
// check rather than a build.
const serverPackage = "stepwise/internal/s3server"

// startTimeout bounds the wait for the server's URL, which on a cold build
// cache includes compiling gofakes3 and the S3 SDK it uses.
const startTimeout = 3 * time.Minute

// stopTimeout bounds the wait for the server to exit after its stdin closes.
const stopTimeout = 10 * time.Second

// Start starts an S3-compatible server with the named buckets created and
// returns its endpoint, such as http://127.0.0.1:40123. Clients must use
// path-style addressing; any credentials are accepted. The server is stopped
// when the test ends, and its stderr goes to the test's log if the test
// failed. Start fails the test if the server does not start.
func Start(t testing.TB, buckets ...string) (endpoint string) {
	t.Helper()
	args := []string{"run", serverPackage}
	for _, b := range buckets {
		args = append(args, "--bucket", b)
	}
	cmd := exec.Command("go", args...)
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	// WaitDelay bounds Wait if the server's stderr stays open after go run
	// was killed.
	cmd.WaitDelay = stopTimeout
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatalf("s3test: stdin pipe: %v", err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatalf("s3test: stdout pipe: %v", err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("s3test: start %s: %v", serverPackage, err)
	}

	exited := make(chan error, 1)
	var once sync.Once
	stop := func() {
		once.Do(func() {
			// Closing stdin is the server's signal to shut down; it also
			// reaches the server through go run, which a signal would not.
			stdin.Close()
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				exited <- err
			case <-time.After(stopTimeout):
				_ = cmd.Process.Kill()
				exited <- fmt.Errorf("did not exit within %v of its stdin closing: %v", stopTimeout, <-done)
			}
		})
	}

	lines := make(chan string, 1)
	readErr := make(chan error, 1)
	go func() {
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err != nil {
			readErr <- err
			return
		}
		lines <- strings.TrimSpace(line)
	}()
	select {
	case endpoint = <-lines:
	case err := <-readErr:
		stop()
		t.Fatalf("s3test: server ended before printing its URL (%v; exit: %v):\n%s", err, <-exited, stderr)
	case <-time.After(startTimeout):
		stop()
		t.Fatalf("s3test: no URL from the server within %v (exit: %v):\n%s", startTimeout, <-exited, stderr)
	}
	if !strings.HasPrefix(endpoint, "http://") {
		stop()
		t.Fatalf("s3test: server printed %q, not a URL (exit: %v):\n%s", endpoint, <-exited, stderr)
	}
	t.Cleanup(func() {
		stop()
		if err := <-exited; err != nil {
			t.Errorf("s3test: server at %s: %v\n%s", endpoint, err, stderr)
		} else if t.Failed() && stderr.Len() > 0 {
			t.Logf("s3test: server at %s wrote:\n%s", endpoint, stderr)
		}
	})
	return endpoint
}

// syncBuffer is a bytes.Buffer safe for concurrent use: exec's copying
// goroutine writes while a failing test reads.
type syncBuffer struct {
	mu sync.Mutex // guards b
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Len()
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
