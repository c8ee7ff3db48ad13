// Command s3server is a small S3-compatible server for Stepwise's
// end-to-end tests: github.com/johannesboyne/gofakes3 over its in-memory
// backend, run as its own process so that a test talks to it over TCP the
// way a workflow talks to MinIO, SeaweedFS or S3 itself.
//
// Usage:
//
//	s3server [--listen ADDR] [--bucket NAME]...
//
// It listens on ADDR (127.0.0.1:0, a free loopback port, by default),
// creates each --bucket, prints its base URL (http://HOST:PORT) as the first
// line of stdout, and serves until it receives SIGTERM or SIGINT or its
// stdin reaches end of file. The stdin rule lets a test's helper stop the
// server by closing a pipe, and makes the server go away by itself when the
// test process dies without cleaning up.
//
// Objects live in memory only and are lost when the process exits. The
// server accepts any credentials and path-style addressing only
// (http://HOST:PORT/BUCKET/KEY), as S3-compatible stores usually do.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// Exit codes, as the stepwise command names them.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// bucketsFlag collects repeated --bucket flags.
type bucketsFlag []string

func (b *bucketsFlag) String() string { return fmt.Sprint([]string(*b)) }

func (b *bucketsFlag) Set(v string) error {
	if v == "" {
		return errors.New("empty bucket name")
	}
	*b = append(*b, v)
	return nil
}

// run parses args, serves until ctx is done or stdin reaches EOF, and
// returns the process's exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("s3server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:0", "`ADDR` to listen on")
	var buckets bucketsFlag
	fs.Var(&buckets, "bucket", "`NAME` of a bucket to create at start-up (repeatable)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "s3server: unexpected arguments %q\n", fs.Args())
		return exitUsage
	}
	if err := serve(ctx, *listen, buckets, stdin, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "s3server: %v\n", err)
		return exitFail
	}
	return exitOK
}

// serve runs the server until ctx is done or stdin reaches EOF, then shuts
// it down. It returns nil after a clean shutdown.
func serve(ctx context.Context, listen string, buckets []string, stdin io.Reader, stdout, stderr io.Writer) error {
	backend := s3mem.New()
	for _, b := range buckets {
		if err := backend.CreateBucket(b); err != nil {
			return fmt.Errorf("create bucket %q: %w", b, err)
		}
	}
	faker := gofakes3.New(backend,
		gofakes3.WithLogger(gofakes3.StdLog(log.New(stderr, "s3server: ", log.LstdFlags), gofakes3.LogErr, gofakes3.LogWarn)))

	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{
		Handler:           faker.Server(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       time.Minute,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          log.New(stderr, "s3server: ", log.LstdFlags),
	}
	// The URL goes out before serving starts; the listener already accepts
	// connections, so a client that reads it can connect at once.
	if _, err := fmt.Fprintf(stdout, "http://%s\n", ln.Addr()); err != nil {
		ln.Close()
		return fmt.Errorf("print the URL: %w", err)
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Stdin's end (or a read error: nobody is left to talk to) stops the
	// server. This goroutine may outlive serve while blocked in Read; the
	// process exits right after, so it is not waited for.
	go func() {
		_, _ = io.Copy(io.Discard, stdin)
		cancel()
	}()

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutCtx, shutCancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer shutCancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
