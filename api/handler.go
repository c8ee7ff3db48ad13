package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"stepwise/service"
)

// contentType is the media type of the AWS JSON 1.0 protocol.
const contentType = "application/x-amz-json-1.0"

// targetPrefix starts the X-Amz-Target header of every Step Functions
// action.
const targetPrefix = "AWSStepFunctions."

// DefaultMaxBodyBytes is the default request body limit: 1 MB, the limit
// of the AWS Step Functions API.
const DefaultMaxBodyBytes = 1 << 20

// DefaultBodyReadTimeout is the default time a client has to send a
// request body: generous for 1 MB on a slow link, short enough that a
// client trickling bytes cannot hold a connection forever.
const DefaultBodyReadTimeout = 60 * time.Second

// Options configures a [Handler]. The zero value serves the API without
// authentication.
type Options struct {
	// Logger receives request failures and recovered panics; nil discards
	// them.
	Logger *slog.Logger
	// Credentials maps access key ids to their secret keys. When it is not
	// empty, every API request and every GET of /metrics must be signed
	// with AWS Signature Version 4 by one of these keys, scoped to Region
	// and the service "states"; /healthz stays open. [Handler.Metrics]
	// serves the metrics without authentication, for a listener of their
	// own.
	Credentials map[string]string
	// Region is the region the server stands for: signatures must be
	// scoped to it. Default us-east-1.
	Region string
	// TokenKey is the HMAC-SHA256 key that binds each nextToken to the
	// query that made it. Nodes that share a store should share it (see
	// store.Secrets); when it is empty the handler draws one from
	// crypto/rand, and its tokens are good only in this process.
	TokenKey []byte
	// BodyReadTimeout bounds the time to read a request's body, from the
	// moment its action is known; 0 means [DefaultBodyReadTimeout].
	BodyReadTimeout time.Duration
	// Now reads the clock for signature expiry; nil means time.Now.
	Now func() time.Time
	// MaxBodyBytes limits request bodies; 0 means [DefaultMaxBodyBytes].
	MaxBodyBytes int64
	// Registerer receives the handler's Prometheus collectors, and Gatherer
	// is what /metrics serves. When both are nil the handler uses a
	// registry of its own. Set both (usually to the same
	// *prometheus.Registry) to add collectors of your own.
	Registerer prometheus.Registerer
	Gatherer   prometheus.Gatherer
}

// Handler serves the AWS Step Functions API, /healthz and /metrics. It is
// safe for concurrent use. Create it with [NewHandler].
type Handler struct {
	svc            *service.Service
	opts           Options
	log            *slog.Logger
	metrics        *metrics
	actions        map[string]action
	metricsHandler http.Handler
	keys           keyCache // SigV4 signing keys
	tokens         tokenSealer
}

var _ http.Handler = (*Handler)(nil)

// action runs one API action on a request body and returns the response
// to encode as JSON.
type action func(ctx context.Context, body []byte) (any, error)

// NewHandler returns a Handler serving svc. It starts no goroutines. It
// panics only if opts.Registerer already holds collectors with the
// handler's metric names, or if opts.TokenKey is empty and crypto/rand
// fails (which it does not on supported platforms).
func NewHandler(svc *service.Service, opts Options) *Handler {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Region == "" {
		opts.Region = "us-east-1"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.BodyReadTimeout <= 0 {
		opts.BodyReadTimeout = DefaultBodyReadTimeout
	}
	if len(opts.TokenKey) == 0 {
		opts.TokenKey = make([]byte, 32)
		_, _ = rand.Read(opts.TokenKey) // crypto/rand.Read never fails; it crashes the program instead
	}
	if opts.Registerer == nil && opts.Gatherer == nil {
		reg := prometheus.NewRegistry()
		opts.Registerer, opts.Gatherer = reg, reg
	}
	h := &Handler{svc: svc, opts: opts, log: opts.Logger, metrics: newMetrics(opts.Registerer), tokens: tokenSealer{key: opts.TokenKey}}
	if opts.Gatherer != nil {
		h.metricsHandler = promhttp.HandlerFor(opts.Gatherer, promhttp.HandlerOpts{})
	}
	h.actions = h.actionTable()
	for name, a := range h.versionActions() {
		h.actions[name] = a
	}
	return h
}

// ServeHTTP answers one request. It never panics: a panic in an action is
// logged with its stack and answered with an AWS-shaped 500.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/healthz":
		h.serveHealth(w, r)
		return
	case "/metrics":
		if len(h.opts.Credentials) > 0 {
			// The metrics name every state machine: they are as private as
			// ListStateMachines.
			if err := verifySigV4(r, nil, h.opts.Credentials, h.opts.Region, &h.keys, h.opts.Now()); err != nil {
				writeError(w, h.log, "metrics", err)
				return
			}
		}
		h.Metrics().ServeHTTP(w, r)
		return
	}
	h.serveAPI(w, r)
}

// Metrics returns a handler of the Prometheus metrics alone, without
// authentication, for a listen address of their own (stepwise server
// --metrics-addr).
func (h *Handler) Metrics() http.Handler {
	if h.metricsHandler == nil {
		return http.NotFoundHandler()
	}
	return h.metricsHandler
}

func (h *Handler) serveAPI(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	name := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), targetPrefix)
	w.Header().Set("X-Amzn-Requestid", newRequestID())
	code, status := "", http.StatusOK
	label := name
	if _, ok := h.actions[name]; !ok {
		label = "unknown" // clients must not make up label values
	}
	inFlight := h.metrics.inFlight.WithLabelValues(label)
	inFlight.Inc()
	defer func() {
		inFlight.Dec()
		if p := recover(); p != nil {
			h.log.Error("api panic recovered", "action", name, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			code, status = writeError(w, h.log, name, errorf(codeInternalFailure, "An internal error occurred"))
		}
		h.metrics.observeRequest(label, code, status, time.Since(start))
	}()
	resp, err := h.call(w, r, name)
	if err != nil {
		code, status = writeError(w, h.log, name, err)
		return
	}
	body, err := json.Marshal(resp)
	if err != nil {
		code, status = writeError(w, h.log, name, fmt.Errorf("encode %s response: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", contentType)
	_, _ = w.Write(body)
}

// call checks the request (method, action, size, signature) and runs its
// action.
func (h *Handler) call(w http.ResponseWriter, r *http.Request, name string) (any, error) {
	if r.Method != http.MethodPost {
		return nil, errorf(codeMethodNotAllowed, "Method %s is not allowed; the AWS JSON protocol uses POST", r.Method)
	}
	act, ok := h.actions[name]
	if !ok || !strings.HasPrefix(r.Header.Get("X-Amz-Target"), targetPrefix) {
		return nil, errorf(codeUnknownOperation, "Unknown operation: '%s'", r.Header.Get("X-Amz-Target"))
	}
	// The body must arrive in time; the deadline is lifted once it has,
	// so that a long poll or a synchronous execution may take its time
	// to answer. After a failed read it stays, and the connection is
	// closed after the answer: net/http would otherwise wait, without a
	// deadline, to discard the rest of a trickling body. Test recorders
	// cannot set deadlines, hence no error checks.
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(h.opts.BodyReadTimeout))
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, h.opts.MaxBodyBytes))
	if err == nil {
		_ = rc.SetReadDeadline(time.Time{})
	} else {
		w.Header().Set("Connection", "close")
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, errorf(codeRequestTooLarge, "Request body exceeds the limit of %d bytes", h.opts.MaxBodyBytes)
		}
		return nil, errorf(codeSerialization, "Cannot read the request body: %v", err)
	}
	if len(h.opts.Credentials) > 0 {
		if err := verifySigV4(r, body, h.opts.Credentials, h.opts.Region, &h.keys, h.opts.Now()); err != nil {
			return nil, err
		}
	}
	return act(r.Context(), body)
}

// handle adapts a typed action to [action]: it decodes the body into Req.
func handle[Req any, Resp any](f func(ctx context.Context, req *Req) (Resp, error)) action {
	return func(ctx context.Context, body []byte) (any, error) {
		var req Req
		if err := decode(body, &req); err != nil {
			return nil, err
		}
		return f(ctx, &req)
	}
}

// decode reads a request body into v, with AWS's error types: malformed
// JSON and wrong member types are SerializationException. An empty body
// is an empty request.
func decode(body []byte, v any) error {
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil
	}
	err := json.Unmarshal(body, v)
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if field == "" {
			field = "request"
		}
		return errorf(codeSerialization, "Unexpected %s value at '%s'", te.Value, field)
	}
	return errorf(codeSerialization, "Malformed request body: %v", err)
}

// newRequestID returns a random UUID for the X-Amzn-RequestId header.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	hex.Encode(out[9:13], b[4:6])
	hex.Encode(out[14:18], b[6:8])
	hex.Encode(out[19:23], b[8:10])
	hex.Encode(out[24:], b[10:])
	out[8], out[13], out[18], out[23] = '-', '-', '-', '-'
	return string(out[:])
}

// empty is the response of actions that return nothing.
type empty struct{}
