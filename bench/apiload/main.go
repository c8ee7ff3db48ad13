// Command apiload measures the AWS Step Functions API of Stepwise over
// loopback HTTP with SigV4 on, driven by the AWS SDK for Go v2 from many
// concurrent clients (issue #6):
//
//	go run ./bench/apiload -mode sync -clients 32 -duration 10s
//	go run ./bench/apiload -mode standard -clients 32 -duration 10s
//
// Mode sync runs StartSyncExecution of a 3-state Express machine; mode
// standard runs StartExecution then DescribeExecution of a 3-state
// Standard machine (on the SQLite store by default, as `stepwise server`
// does). Server and clients share the process, so they share the CPUs.
// It prints operations per second and the p50, p99 and max latency of one
// operation.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"stepwise/api"
	"stepwise/service"
	"stepwise/store"
	"stepwise/store/memory"
	"stepwise/store/sqlite"
)

const (
	role   = "arn:aws:iam::123456789012:role/bench"
	key    = "AKIDBENCH"
	secret = "bench-secret"
)

// threeStates is the benchmark's machine: three Pass states with data
// flow.
const threeStates = `{"StartAt":"A","States":{
 "A":{"Type":"Pass","Parameters":{"n.$":"$.n","step":1},"Next":"B"},
 "B":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, 1)","step":2},"Next":"C"},
 "C":{"Type":"Pass","Result":"done","ResultPath":"$.result","End":true}}}`

func main() {
	if spec := os.Getenv(serveEnv); spec != "" {
		if err := serveChild(spec); err != nil {
			log.Fatal(err)
		}
		return
	}
	mode := flag.String("mode", "sync", "sync (StartSyncExecution, Express) or standard (StartExecution + DescribeExecution)")
	clients := flag.Int("clients", 32, "concurrent clients")
	duration := flag.Duration("duration", 10*time.Second, "how long to measure")
	storeKind := flag.String("store", "", "store: memory or sqlite (default: memory for sync, sqlite for standard)")
	sign := flag.Bool("sigv4", true, "require and send SigV4 signatures")
	client := flag.String("client", "sdk", "sdk (the AWS SDK's sfn client) or raw (net/http with the SDK's v4 signer only; mode sync), to tell client cost from server cost")
	server := flag.String("server", "process", "process: the server runs in a child process, with its own heap and GC, as `stepwise server` would; inproc: in this process, sharing the heap and GC with the clients")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to this file (of this process: the clients, and the server with -server inproc)")
	flag.StringVar(&serverProfile, "server-cpuprofile", "", "with -server process, write the server process's CPU profile to this file")
	flag.Parse()
	// The clients run with the GC target the server runs with: the SDK
	// client allocates a great deal per call, and with the default target
	// the collector's share of the client's CPU showed in its profiles
	// (5,000 calls/s with the default, 7,000-8,800 with 400).
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if *storeKind == "" {
		*storeKind = map[string]string{"sync": "memory", "standard": "sqlite"}[*mode]
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(*mode, *storeKind, *client, *server, *clients, *duration, *sign); err != nil {
		log.Fatal(err)
	}
}

func run(mode, storeKind, client, server string, clients int, duration time.Duration, sign bool) error {
	ctx := context.Background()
	var endpoint string
	switch server {
	case "process":
		ep, stop, err := spawnServer(storeKind, sign)
		if err != nil {
			return err
		}
		defer stop()
		endpoint = ep
	case "inproc":
		ep, stop, err := startServer(ctx, storeKind, sign)
		if err != nil {
			return err
		}
		defer stop()
		endpoint = ep
	default:
		return fmt.Errorf("unknown -server %q", server)
	}

	c := sfn.New(sfn.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(endpoint), Retryer: aws.NopRetryer{},
		Credentials: credentials.NewStaticCredentialsProvider(key, secret, ""),
		HTTPClient:  &http.Client{Transport: oneWrite{&http.Transport{MaxIdleConns: clients * 2, MaxIdleConnsPerHost: clients * 2}}},
		APIOptions:  []func(*middleware.Stack) error{disableHostPrefix},
	})
	typ := types.StateMachineTypeExpress
	if mode == "standard" {
		typ = types.StateMachineTypeStandard
	} else if mode != "sync" {
		return fmt.Errorf("unknown mode %q", mode)
	}
	sm, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("bench"), Definition: aws.String(threeStates),
		RoleArn: aws.String(role), Type: typ})
	if err != nil {
		return err
	}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConns: clients * 2, MaxIdleConnsPerHost: clients * 2}}
	op := func(ctx context.Context, worker, i int) error {
		if client == "raw" {
			return rawSync(ctx, hc, endpoint, *sm.StateMachineArn, i, sign)
		}
		input := aws.String(`{"n":` + strconv.Itoa(i) + `}`)
		if mode == "sync" {
			out, err := c.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: sm.StateMachineArn, Input: input})
			if err == nil && out.Status != types.SyncExecutionStatusSucceeded {
				err = fmt.Errorf("execution %s", out.Status)
			}
			return err
		}
		name := aws.String("w" + strconv.Itoa(worker) + "-" + strconv.Itoa(i))
		out, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Name: name, Input: input})
		if err != nil {
			return err
		}
		_, err = c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: out.ExecutionArn})
		return err
	}

	// Warm up connections and caches, then measure.
	measure(ctx, clients, time.Second, op, 1)
	lat, errs, elapsed := measure(ctx, clients, duration, op, 2)
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(float64(len(lat))*p))]
	}
	fmt.Printf("mode=%s client=%s server=%s store=%s sigv4=%v clients=%d GOMAXPROCS=%d duration=%s\n", mode, client, server, storeKind, sign, clients, runtime.GOMAXPROCS(0), elapsed.Round(time.Millisecond))
	fmt.Printf("ops=%d errors=%d ops/s=%.0f p50=%s p99=%s max=%s\n", len(lat), errs, float64(len(lat))/elapsed.Seconds(),
		pct(0.50).Round(time.Microsecond), pct(0.99).Round(time.Microsecond), pct(1).Round(time.Microsecond))
	return nil
}

// serveEnv names the environment variable that makes this program the
// server half of a -server process run: its value is
// "STORE,SIGV4,PROFILE".
const serveEnv = "STEPWISE_APILOAD_SERVE"

// serverProfile is the -server-cpuprofile flag.
var serverProfile string

// startServer runs the service and the API handler in this process and
// returns the endpoint and a function that stops them.
func startServer(ctx context.Context, storeKind string, sign bool) (string, func(), error) {
	st, cleanup, err := openStore(ctx, storeKind)
	if err != nil {
		return "", nil, err
	}
	svc, err := service.Open(service.Config{Store: st})
	if err != nil {
		cleanup()
		return "", nil, err
	}
	runCtx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { _ = svc.Run(runCtx) })
	opts := api.Options{}
	if sign {
		opts.Credentials = map[string]string{key: secret}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		cancel()
		wg.Wait()
		svc.Close()
		cleanup()
		return "", nil, err
	}
	srv := &http.Server{Handler: api.NewHandler(svc, opts), ReadHeaderTimeout: 10 * time.Second}
	wg.Go(func() { _ = srv.Serve(ln) })
	stop := func() {
		srv.Close()
		cancel()
		wg.Wait()
		svc.Close()
		cleanup()
	}
	return "http://" + ln.Addr().String(), stop, nil
}

// spawnServer starts this program again as the server alone, so that the
// server has its own heap and garbage collector as `stepwise server` would,
// and returns its endpoint and a function that stops it.
func spawnServer(storeKind string, sign bool) (string, func(), error) {
	exe, err := os.Executable()
	if err != nil {
		return "", nil, err
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), serveEnv+"="+storeKind+","+strconv.FormatBool(sign)+","+serverProfile)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return "", nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() { in.Close(); _ = cmd.Wait() }
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		stop()
		return "", nil, fmt.Errorf("server process: %w", err)
	}
	return strings.TrimSpace(line), stop, nil
}

// serveChild is the server half of a -server process run: it prints its
// endpoint and serves until its standard input closes.
func serveChild(spec string) error {
	// The GC target `stepwise server` runs with (cmd/stepwise/server.go,
	// serverGCPercent), unless GOGC says otherwise.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	storeKind, rest, _ := strings.Cut(spec, ",")
	signText, profile, _ := strings.Cut(rest, ",")
	if profile != "" {
		f, err := os.Create(profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	endpoint, stop, err := startServer(context.Background(), storeKind, signText == "true")
	if err != nil {
		return err
	}
	defer stop()
	fmt.Println(endpoint)
	_, _ = io.Copy(io.Discard, os.Stdin)
	return nil
}

// measure runs op from clients goroutines for d and returns the latency
// of every successful operation and the number of failed ones.
func measure(ctx context.Context, clients int, d time.Duration, op func(context.Context, int, int) error, round int) ([]time.Duration, int, time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var mu sync.Mutex
	var all []time.Duration
	errs := 0
	var wg sync.WaitGroup
	start := time.Now()
	for w := range clients {
		wg.Go(func() {
			var lat []time.Duration
			bad := 0
			for i := round * 10_000_000; ctx.Err() == nil; i++ {
				t := time.Now()
				err := op(context.WithoutCancel(ctx), w, i)
				switch {
				case err == nil:
					lat = append(lat, time.Since(t))
				case !errors.Is(err, context.DeadlineExceeded):
					if bad == 0 {
						log.Printf("client %d: %v", w, err)
					}
					bad++
				}
			}
			mu.Lock()
			all = append(all, lat...)
			errs += bad
			mu.Unlock()
		})
	}
	wg.Wait()
	return all, errs, time.Since(start)
}

func openStore(ctx context.Context, kind string) (store.Store, func(), error) {
	switch kind {
	case "memory":
		st := memory.New()
		return st, func() { _ = st.Close() }, nil
	case "sqlite":
		dir, err := os.MkdirTemp("", "apiload")
		if err != nil {
			return nil, nil, err
		}
		st, err := sqlite.Open(ctx, filepath.Join(dir, "stepwise.db"), sqlite.Options{})
		if err != nil {
			return nil, nil, err
		}
		return st, func() { _ = st.Close(); _ = os.RemoveAll(dir) }, nil
	}
	return nil, nil, fmt.Errorf("unknown store %q", kind)
}

// disableHostPrefix keeps the SDK from sending StartSyncExecution to the
// "sync-" host name (see README: stepwise server).
func disableHostPrefix(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("StepwiseDisableHostPrefix",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			return next.HandleInitialize(smithyhttp.DisableEndpointHostPrefix(ctx, true), in)
		}), middleware.Before)
}

// rawSync is one StartSyncExecution sent with net/http, signed with the
// SDK's v4 signer, without the SDK's middleware stack.
func rawSync(ctx context.Context, hc *http.Client, endpoint, arn string, i int, sign bool) error {
	body := []byte(`{"stateMachineArn":"` + arn + `","input":"{\"n\":` + strconv.Itoa(i) + `}"}`)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "AWSStepFunctions.StartSyncExecution")
	if sign {
		sum := sha256.Sum256(body)
		creds := aws.Credentials{AccessKeyID: key, SecretAccessKey: secret}
		if err := signer.SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "states", "us-east-1", time.Now()); err != nil {
			return err
		}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || !bytes.Contains(out, []byte(`"status":"SUCCEEDED"`)) {
		return fmt.Errorf("status %d: %s", resp.StatusCode, out)
	}
	return nil
}

var signer = v4.NewSigner()

// oneWrite is an http.RoundTripper that hands net/http a request body it
// knows to be in memory. The SDK's body is a stream of its own, for which
// net/http sends the headers in one TCP segment and the body in another
// (Transport flushes the headers first when it cannot tell the body is
// ready); over loopback each extra segment costs a write on the client and
// a read and a wake-up on the server, about a fifth of the round trip.
type oneWrite struct{ next http.RoundTripper }

func (t oneWrite) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.Body != http.NoBody && req.ContentLength > 0 && req.ContentLength <= 1<<20 {
		body, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	return t.next.RoundTrip(req)
}
