package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"stepwise/api"
	"stepwise/console"
	"stepwise/metrics"
	"stepwise/runtime"
	"stepwise/service"
	"stepwise/store"
	"stepwise/store/memory"
	"stepwise/store/postgres"
	"stepwise/store/sqlite"
	"stepwise/tasks/mock"
)

// shutdownGrace is how long the server waits for requests under way when
// it is asked to stop.
const shutdownGrace = 30 * time.Second

type serverOptions struct {
	listen          string
	node            string // lease owner name; see nodeName
	dataDir         string
	store           string // sqlite, postgres or memory
	databaseURL     string // PostgreSQL connection string, for the postgres store
	region          string
	account         string
	credentialsFile string
	credentials     string // access:secret pairs from STEPWISE_CREDENTIALS
	insecure        bool
	logFormat       string // text or json
	logLevel        string
	invokers        invokerOptions // how Task states reach Lambda, HTTP and AWS services
	mockConfig      string         // Step Functions Local mock configuration for ARN#TestCase starts
	allowedHosts    string         // comma-separated Host names accepted without credentials
	metricsAddr     string         // a second listen address serving /metrics and /healthz without authentication
	tlsCert, tlsKey string         // PEM files; both set means HTTPS
	timeouts        serverTimeouts // zero fields take the defaults; set by tests
}

// serverTimeouts bound how long a client may take. They are not flags:
// the defaults suit every deployment, and tests shorten them.
type serverTimeouts struct {
	readHeader time.Duration // to send the request line and headers
	read       time.Duration // to send a whole request (the API lifts it once the body is in)
	idle       time.Duration // between requests on a kept-alive connection
	body       time.Duration // to send an API request's body
}

// Default timeouts. ReadTimeout is generous for a 1 MB body on a slow
// link; the API lifts it once a body is in, so long polls and
// StartSyncExecution are not cut short (there is no WriteTimeout for the
// same reason).
const (
	defaultReadHeaderTimeout = 10 * time.Second
	defaultReadTimeout       = 60 * time.Second
	defaultIdleTimeout       = 2 * time.Minute
)

func (t serverTimeouts) withDefaults() serverTimeouts {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&t.readHeader, defaultReadHeaderTimeout)
	def(&t.read, defaultReadTimeout)
	def(&t.idle, defaultIdleTimeout)
	def(&t.body, api.DefaultBodyReadTimeout)
	return t
}

// parseServer parses the flags of `stepwise server`. Each flag's default
// comes from its STEPWISE_* variable (read with getenv), then from the
// built-in default; a flag given on the command line wins over both.
func parseServer(args []string, getenv func(string) string, stderr io.Writer) (serverOptions, error) {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	fs := flag.NewFlagSet("stepwise server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o serverOptions
	fs.StringVar(&o.listen, "listen", env("STEPWISE_LISTEN", "127.0.0.1:8083"), "address to listen on (STEPWISE_LISTEN)")
	fs.StringVar(&o.dataDir, "data-dir", env("STEPWISE_DATA_DIR", ".stepwise"), "directory of the SQLite file stepwise.db (STEPWISE_DATA_DIR)")
	fs.StringVar(&o.store, "store", env("STEPWISE_STORE", "sqlite"), "storage backend: sqlite, postgres or memory (STEPWISE_STORE)")
	fs.StringVar(&o.databaseURL, "database-url", env("STEPWISE_DATABASE_URL", ""),
		"PostgreSQL connection string for --store postgres, such as postgres://user@host:5432/db (STEPWISE_DATABASE_URL)")
	fs.StringVar(&o.region, "region", env("STEPWISE_REGION", defaultRegion), "region in ARNs (STEPWISE_REGION)")
	fs.StringVar(&o.account, "account", env("STEPWISE_ACCOUNT", defaultAccount), "account id in ARNs (STEPWISE_ACCOUNT)")
	fs.StringVar(&o.credentialsFile, "credentials-file", env("STEPWISE_CREDENTIALS_FILE", ""),
		"file of ACCESS_KEY_ID:SECRET lines; when set, requests must be signed with SigV4 (STEPWISE_CREDENTIALS_FILE)")
	insecureDefault := env("STEPWISE_INSECURE", "") == "1" || strings.EqualFold(env("STEPWISE_INSECURE", ""), "true")
	fs.BoolVar(&o.insecure, "insecure", insecureDefault, "allow listening on a non-loopback address without credentials (STEPWISE_INSECURE)")
	fs.StringVar(&o.logFormat, "log-format", env("STEPWISE_LOG_FORMAT", "text"), "log format: text or json (STEPWISE_LOG_FORMAT)")
	fs.StringVar(&o.logLevel, "log-level", env("STEPWISE_LOG_LEVEL", "info"), "log level: debug, info, warn or error (STEPWISE_LOG_LEVEL)")
	fs.StringVar(&o.mockConfig, "mock-config", env("STEPWISE_MOCK_CONFIG", ""),
		"Step Functions Local mock configuration `FILE`: StartExecution of STATE_MACHINE_ARN#TEST_CASE runs that test case's mocked responses (STEPWISE_MOCK_CONFIG)")
	fs.StringVar(&o.allowedHosts, "allowed-hosts", env("STEPWISE_ALLOWED_HOSTS", ""),
		"comma-separated host names the server answers to without credentials, besides loopback names and the listen address; '.example.com' allows its subdomains, '*' any host (STEPWISE_ALLOWED_HOSTS)")
	fs.StringVar(&o.metricsAddr, "metrics-addr", env("STEPWISE_METRICS_ADDR", ""),
		"a second address serving /metrics and /healthz without authentication, for Prometheus (STEPWISE_METRICS_ADDR)")
	fs.StringVar(&o.tlsCert, "tls-cert", env("STEPWISE_TLS_CERT", ""), "PEM certificate `FILE` (chain first); with --tls-key, serve HTTPS (STEPWISE_TLS_CERT)")
	fs.StringVar(&o.node, "node", env("STEPWISE_NODE", ""),
		"this server's name among the nodes sharing a PostgreSQL store, unique and the same across restarts, so that a restarted node takes back its leases at once; default HOSTNAME:PORT of --listen (STEPWISE_NODE)")
	fs.StringVar(&o.tlsKey, "tls-key", env("STEPWISE_TLS_KEY", ""), "PEM private key `FILE` of --tls-cert (STEPWISE_TLS_KEY)")
	o.invokers.register(fs)
	o.credentials = getenv("STEPWISE_CREDENTIALS")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: stepwise server [flags]")
		fmt.Fprintln(stderr, "\nServes the AWS Step Functions API (use it with --endpoint-url), /healthz and /metrics.")
		fmt.Fprintln(stderr, "STEPWISE_CREDENTIALS may hold ACCESS_KEY_ID:SECRET pairs separated by commas.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	switch o.store {
	case "sqlite", "memory":
	case "postgres":
		if o.databaseURL == "" {
			return o, fmt.Errorf("--store postgres needs --database-url (or STEPWISE_DATABASE_URL)")
		}
	default:
		return o, fmt.Errorf("--store must be sqlite, postgres or memory, not %q", o.store)
	}
	if o.logFormat != "text" && o.logFormat != "json" {
		return o, fmt.Errorf("--log-format must be text or json, not %q", o.logFormat)
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(o.logLevel)); err != nil {
		return o, fmt.Errorf("--log-level: %w", err)
	}
	if (o.tlsCert == "") != (o.tlsKey == "") {
		return o, fmt.Errorf("--tls-cert and --tls-key go together: give both to serve HTTPS, or neither")
	}
	return o, nil
}

// nodeName returns the name a server holds leases under: the one given,
// or the host's name and the listen port. It stays the same when the
// server restarts, so that the restarted node releases the leases its
// earlier run held instead of waiting them out; two servers on one host
// listen on different ports.
func nodeName(given, listen string, hostname func() (string, error)) string {
	if given != "" {
		return given
	}
	host, err := hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	_, port, err := net.SplitHostPort(listen)
	if err != nil || port == "" || port == "0" {
		// A port chosen at each start names no lasting node: let the
		// service pick a random name.
		return ""
	}
	return host + ":" + port
}

// runServer is `stepwise server`: it serves until ctx is cancelled (by
// SIGINT or SIGTERM), then shuts down gracefully.
func runServer(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseServer(args, os.Getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintln(stderr, "stepwise server:", err)
		return exitUsage
	}
	_ = stdout
	tuneGC(os.Getenv)
	if err := serve(ctx, o, stderr, nil); err != nil {
		fmt.Fprintln(stderr, "stepwise server:", err)
		var ue usageError
		if errors.As(err, &ue) {
			return exitUsage
		}
		return exitFail
	}
	return exitOK
}

// serverGCPercent is the server's garbage collection target unless GOGC
// is set. The server's live heap is small (executions are rows in the
// store), so with Go's default of 100 the collector runs every few
// megabytes of request garbage: at thousands of requests per second it
// took as much CPU as the requests themselves (bench/RESULTS.md, api).
// 400 lets the heap grow to five times the live data between cycles:
// tens of megabytes more, for far fewer collections. GOMEMLIMIT, if set,
// still bounds the heap.
const serverGCPercent = 400

// tuneGC applies serverGCPercent unless the user chose with GOGC.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(serverGCPercent)
	}
}

// usageError is a configuration the server refuses to start with.
type usageError struct{ error }

// serve runs the server until ctx is cancelled. When ready is not nil it
// is called with the listening address once requests are accepted. It
// returns nil after a clean shutdown.
func serve(ctx context.Context, o serverOptions, logOut io.Writer, ready func(net.Addr)) error {
	log := newLogger(o, logOut)
	creds, err := loadCredentials(o)
	if err != nil {
		return usageError{err}
	}
	if len(creds) == 0 && !o.insecure && !isLoopback(o.listen) {
		return usageError{fmt.Errorf("refusing to listen on %s without credentials: give --credentials-file, or --insecure to serve unauthenticated", o.listen)}
	}
	tlsConfig, err := loadTLS(o)
	if err != nil {
		return usageError{err}
	}
	st, err := openStore(ctx, o)
	if err != nil {
		return err
	}
	defer func() {
		if err := st.Close(); err != nil {
			log.Error("close store", "err", err)
		}
	}()
	o.invokers.logger = log
	inv, err := o.invokers.build()
	if err != nil {
		return usageError{err}
	}
	// After the service's workers stop (deferred later, run earlier):
	// then the local jobs still running in the background.
	defer closeInvoker(inv)
	var mocks *mock.Config
	if o.mockConfig != "" {
		if mocks, err = loadMocks(o.mockConfig); err != nil {
			return usageError{err}
		}
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	svc, err := service.Open(service.Config{Store: st, Invoker: inv, TestCases: testCases(mocks), Region: o.region,
		Account: o.account, Logger: log, Node: nodeName(o.node, o.listen, os.Hostname),
		Observer: metrics.NewService(reg)})
	if err != nil {
		return err
	}
	defer svc.Close()
	// The key of pagination tokens lives in the store, so that every node
	// of a PostgreSQL cluster and every restart accept each other's tokens.
	tokenKey, err := st.ServerSecret(ctx, "api-next-token")
	if err != nil {
		return fmt.Errorf("pagination token key: %w", err)
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return usageError{fmt.Errorf("listen: %w", err)}
	}
	var metricsLn net.Listener
	if o.metricsAddr != "" {
		if metricsLn, err = net.Listen("tcp", o.metricsAddr); err != nil {
			ln.Close()
			return usageError{fmt.Errorf("listen on --metrics-addr: %w", err)}
		}
	}

	// Requests get a context of their own, cancelled at shutdown, so that
	// GetActivityTask long polls return at once instead of holding the
	// shutdown for up to a minute.
	reqCtx, cancelRequests := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelRequests()
	to := o.timeouts.withDefaults()
	apiHandler := api.NewHandler(svc, api.Options{Logger: log, Credentials: creds, Region: o.region,
		Registerer: reg, Gatherer: reg, TokenKey: tokenKey, BodyReadTimeout: to.body})
	allowed := splitList(o.allowedHosts)
	// The console is on the same port and must be guarded too, so the
	// guard wraps both.
	var handler http.Handler = console.WithAPI(apiHandler)
	if len(creds) == 0 {
		handler = api.RestrictHosts(handler, api.HostOptions{Listen: o.listen, Allowed: allowed, Logger: log})
	}
	newServer := func(h http.Handler) *http.Server {
		return &http.Server{
			Handler:           h,
			TLSConfig:         tlsConfig,
			ReadHeaderTimeout: to.readHeader,
			ReadTimeout:       to.read,
			IdleTimeout:       to.idle,
			BaseContext:       func(net.Listener) context.Context { return reqCtx },
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		}
	}
	srv := newServer(handler)
	servers := []*http.Server{srv}
	var metricsSrv *http.Server
	if metricsLn != nil {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", apiHandler.Metrics())
		mux.Handle("GET /healthz", apiHandler)
		// Scrapers name the host by address, which a DNS rebinding page
		// cannot do; names are checked as on the API's port.
		metricsSrv = newServer(api.RestrictHosts(mux, api.HostOptions{Listen: o.metricsAddr, Allowed: allowed, AllowIPs: true, Logger: log}))
		servers = append(servers, metricsSrv)
	}
	runCtx, stopWorkers := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWorkers()
	var wg sync.WaitGroup
	wg.Go(func() { _ = svc.Run(runCtx) })
	serveErr := make(chan error, 2)
	scheme := "http"
	serveOn := func(srv *http.Server, ln net.Listener) error { return srv.Serve(ln) }
	if tlsConfig != nil {
		scheme = "https"
		serveOn = func(srv *http.Server, ln net.Listener) error { return srv.ServeTLS(ln, "", "") }
	}
	wg.Go(func() { serveErr <- serveOn(srv, ln) })
	if metricsSrv != nil {
		wg.Go(func() { serveErr <- serveOn(metricsSrv, metricsLn) })
	}

	auth := "off"
	if len(creds) > 0 {
		auth = "sigv4"
	}
	log.Info("stepwise server listening", "addr", scheme+"://"+ln.Addr().String(), "store", o.store, "region", o.region, "auth", auth)
	if metricsLn != nil {
		log.Info("metrics listening", "addr", scheme+"://"+metricsLn.Addr().String()+"/metrics")
	}
	if ready != nil {
		ready(ln.Addr())
	}

	var result error
	select {
	case <-ctx.Done():
		log.Info("stepwise server shutting down")
	case err := <-serveErr:
		result = fmt.Errorf("serve: %w", err)
	}
	cancelRequests()
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	for _, srv := range servers {
		if err := srv.Shutdown(shutCtx); err != nil {
			log.Warn("shutdown", "err", err)
			_ = srv.Close()
		}
	}
	stopWorkers()
	wg.Wait()
	log.Info("stepwise server stopped")
	return result
}

func newLogger(o serverOptions, w io.Writer) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(o.logLevel))
	hopts := &slog.HandlerOptions{Level: lvl}
	if o.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, hopts))
	}
	return slog.New(slog.NewTextHandler(w, hopts))
}

func openStore(ctx context.Context, o serverOptions) (store.Store, error) {
	switch o.store {
	case "memory":
		return memory.New(), nil
	case "postgres":
		st, err := postgres.Open(ctx, o.databaseURL, postgres.Options{})
		if err != nil {
			return nil, fmt.Errorf("open store: %w", err)
		}
		return st, nil
	}
	path := filepath.Join(o.dataDir, "stepwise.db")
	st, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	return st, nil
}

// loadCredentials reads access key pairs from the credentials file and
// STEPWISE_CREDENTIALS.
func loadCredentials(o serverOptions) (map[string]string, error) {
	creds := map[string]string{}
	if o.credentialsFile != "" {
		f, err := os.Open(o.credentialsFile)
		if err != nil {
			return nil, fmt.Errorf("read credentials: %w", err)
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			if err := addCredential(creds, line); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", o.credentialsFile, n, err)
			}
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("read credentials: %w", err)
		}
	}
	for pair := range strings.FieldsFuncSeq(o.credentials, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' }) {
		if err := addCredential(creds, pair); err != nil {
			return nil, fmt.Errorf("STEPWISE_CREDENTIALS: %w", err)
		}
	}
	return creds, nil
}

func addCredential(creds map[string]string, pair string) error {
	key, secret, ok := strings.Cut(pair, ":")
	key, secret = strings.TrimSpace(key), strings.TrimSpace(secret)
	if !ok || key == "" || secret == "" {
		return errors.New("want ACCESS_KEY_ID:SECRET")
	}
	creds[key] = secret
	return nil
}

// loadTLS returns the TLS configuration of --tls-cert and --tls-key, or
// nil when neither is set.
func loadTLS(o serverOptions) (*tls.Config, error) {
	if o.tlsCert == "" && o.tlsKey == "" {
		return nil, nil
	}
	if o.tlsCert == "" || o.tlsKey == "" {
		return nil, errors.New("--tls-cert and --tls-key go together: give both to serve HTTPS, or neither")
	}
	cert, err := tls.LoadX509KeyPair(o.tlsCert, o.tlsKey)
	if err != nil {
		return nil, fmt.Errorf("load --tls-cert %s and --tls-key %s: %w", o.tlsCert, o.tlsKey, err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for item := range strings.SplitSeq(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// isLoopback reports whether a listen address binds only loopback
// interfaces. An empty host binds every interface.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// testCases gives the service the mocks of one execution of a test case
// of c (mock.Invoker.Before puts them ahead of every other invoker); nil
// without a mock configuration.
func testCases(c *mock.Config) func(machine, testCase string) (runtime.Mocks, error) {
	if c == nil {
		return nil
	}
	return func(machine, testCase string) (runtime.Mocks, error) {
		inv, err := c.Invoker(machine, testCase, nil)
		if err != nil {
			return nil, err
		}
		return inv, nil
	}
}
