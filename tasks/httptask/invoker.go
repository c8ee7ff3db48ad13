package httptask

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"stepwise/jsonval"
	"stepwise/tasks"
)

// RequestTimeout is AWS's limit on one HTTP Task request.
const RequestTimeout = 60 * time.Second

// maxResponse bounds the response body read; larger results fail with
// States.DataLimitExceeded in the engine long before this.
const maxResponse = 10 << 20

// Config configures an [Invoker].
type Config struct {
	// Connections holds the connections Authentication.ConnectionArn
	// names, by ARN. A task naming a connection missing here fails with
	// Events.ConnectionResource.ResourceNotFoundException.
	Connections map[string]Connection
	// Client sends the requests; nil means a client with no cookies and
	// Go's default transport.
	Client *http.Client
	// Timeout bounds each request; zero means [RequestTimeout].
	Timeout time.Duration
	// Region appears in the User-Agent, as on AWS; default us-east-1.
	Region string
}

// Invoker is a [tasks.Invoker] for arn:aws:states:::http:invoke. It is
// safe for concurrent use.
type Invoker struct {
	cfg    Config
	client *http.Client
	tokens tokenCache
}

var _ tasks.Invoker = (*Invoker)(nil)

// New returns an Invoker for cfg.
func New(cfg Config) *Invoker {
	if cfg.Timeout <= 0 {
		cfg.Timeout = RequestTimeout
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	client := cfg.Client
	if client == nil {
		client = &http.Client{}
	}
	return &Invoker{cfg: cfg, client: client, tokens: tokenCache{tokens: map[string]token{}}}
}

// ErrorSocket is the error name of a request that got no response.
const ErrorSocket = "States.Http.Socket"

// Invoke sends the request req's parameters describe and returns AWS's
// result object {Headers, ResponseBody, StatusCode, StatusText}. A status
// outside 2xx fails with States.Http.StatusCode.NNN whose cause is that
// same object as JSON; no response fails with [ErrorSocket]; malformed
// parameters fail with States.Runtime. A cancelled ctx returns ctx's error.
func (iv *Invoker) Invoke(ctx context.Context, req tasks.Request) (any, error) {
	r, err := NewRequest(req.Input)
	if err != nil {
		return nil, err
	}
	cctx, cancel := context.WithTimeout(ctx, iv.cfg.Timeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(cctx, r.Method, r.URL.String(), nil)
	if err != nil {
		return nil, runtimeError(fmt.Sprintf("build the request: %v", err))
	}
	hreq.Header = r.Header.Clone()
	hreq.Header.Set("User-Agent", "Amazon|StepFunctions|HttpInvoke|"+iv.cfg.Region)
	data := r.Body
	p := req.Input.(*jsonval.Object) // NewRequest took it as an object
	var creds *credentials
	if auth, ok := field(p, "Authentication").(*jsonval.Object); ok {
		arn, _ := field(auth, "ConnectionArn").(string)
		c, ok := iv.cfg.Connections[arn]
		if !ok {
			return nil, &tasks.Error{Name: "Events.ConnectionResource.ResourceNotFoundException",
				Cause: fmt.Sprintf("Connection %s does not exist.", arn)}
		}
		// The connection adds its body parameters to a copy of an object
		// body, which is then encoded again.
		bodyObj, _ := r.body.(*jsonval.Object)
		if bodyObj != nil {
			bodyObj = bodyObj.Clone()
		}
		q := hreq.URL.Query()
		if creds, err = iv.authorize(cctx, arn, c, hreq, q, bodyObj); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, err
		}
		hreq.URL.RawQuery = q.Encode()
		if bodyObj != nil {
			if data, _, err = EncodeBody(bodyObj, r.transform); err != nil {
				return nil, err
			}
			if !bytes.Equal(r.Body, data) {
				creds.plainBody = r.Body
			}
		}
	}
	if data != nil {
		hreq.Body = io.NopCloser(bytes.NewReader(data))
		hreq.ContentLength = int64(len(data))
		hreq.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	}

	resp, err := redirectClient(iv.client, hreq.URL, creds).Do(hreq)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, socketError(err, cctx.Err() != nil)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, socketError(err, cctx.Err() != nil)
	}
	out := result(resp, got)
	if resp.StatusCode/100 != 2 {
		return nil, &tasks.Error{Name: fmt.Sprintf("States.Http.StatusCode.%d", resp.StatusCode), Cause: jsonval.MustMarshalString(out)}
	}
	return out, nil
}

func field(o *jsonval.Object, k string) any {
	v, _ := o.Get(k)
	return v
}

func runtimeError(cause string) *tasks.Error {
	return &tasks.Error{Name: tasks.ErrorRuntime, Cause: cause}
}

// socketError describes a request that got no response without the
// request itself, which may carry secrets.
func socketError(err error, timedOut bool) *tasks.Error {
	if timedOut {
		return &tasks.Error{Name: ErrorSocket, Cause: "The request timed out after 60 seconds."}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return &tasks.Error{Name: ErrorSocket, Cause: "The request failed: " + err.Error()}
}

// queryValues renders a query parameter value: arrays give one value per
// element.
func queryValues(v any) []string {
	if a, ok := v.([]any); ok {
		var out []string
		for _, e := range a {
			out = append(out, scalar(e))
		}
		return out
	}
	return []string{scalar(v)}
}

func scalar(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return string(x)
	}
	return jsonval.MustMarshalString(v)
}
