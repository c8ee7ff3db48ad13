// Package apigw carries out arn:aws:states:::apigateway:invoke (and its
// .waitForTaskToken form): the HTTP call its parameters describe, to the
// API Gateway endpoint they name or to a server configured in its place.
//
// The request is https://ApiEndpoint/Stage/Path?QueryParameters with the
// Method, Headers and RequestBody (an object is sent as JSON, without its
// null members unless AllowNullValues is true; a string as it is).
// AuthType IAM_ROLE and RESOURCE_POLICY sign the request with SigV4 for
// execute-api, with the configured credentials; NO_AUTH (the default)
// sends it unsigned. Headers AWS does not permit (X-Amz*, X-Forwarded*,
// Authorization, Host, ...) fail the task with States.Runtime.
//
// The result is AWS's {Headers, ResponseBody, StatusCode, StatusText}:
// each header with its list of values, the body parsed when it is JSON.
// A status outside 2xx fails with ApiGateway.<status> and the response
// body as the cause; a request that got no response fails with
// ApiGateway.<exception>, named after the Java exception AWS reports
// (UnknownHostException, ConnectException, SocketTimeoutException,
// IOException). Redirects are never followed: a 3xx is the API's answer,
// so no request, signed or not, ever reaches a host the Task did not name.
package apigw

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"stepwise/jsonval"
	"stepwise/resource"
	"stepwise/tasks"
	"stepwise/tasks/httptask"
)

// DefaultTimeout bounds one request when Config gives none.
const DefaultTimeout = 60 * time.Second

// MaxResponse bounds the response body read; a larger response fails
// with ApiGateway.IOException. Step Functions' own payload limit (256
// KiB) stops the result long before it.
const MaxResponse = 10 << 20

// Config configures an [Invoker].
type Config struct {
	// Endpoints sends the APIs they name elsewhere, by API ID
	// ("abc123") or by the whole ApiEndpoint host
	// ("abc123.execute-api.us-east-1.amazonaws.com"): to a base URL such
	// as http://127.0.0.1:3000, to which /Stage/Path is appended. An API
	// missing here is called at https://ApiEndpoint, when that is an API
	// Gateway host.
	Endpoints map[string]string
	// Credentials sign IAM_ROLE and RESOURCE_POLICY requests; nil makes
	// such requests fail with a cause saying so.
	Credentials aws.CredentialsProvider
	// Region signs requests to a host that names none; default us-east-1.
	Region string
	// Client sends the requests; nil means a client with Go's default
	// transport. Its CheckRedirect is replaced: redirects are not
	// followed.
	Client *http.Client
	// Timeout bounds each request; zero means [DefaultTimeout].
	Timeout time.Duration
}

// Invoker is a [tasks.Invoker] for arn:aws:states:::apigateway:invoke.
// It is safe for concurrent use; its Config must not change once it is in
// use.
type Invoker struct {
	cfg    Config
	client *http.Client
}

var _ tasks.Invoker = (*Invoker)(nil)

// New returns an Invoker for cfg.
func New(cfg Config) *Invoker {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	c := http.Client{}
	if cfg.Client != nil {
		c = *cfg.Client
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Invoker{cfg: cfg, client: &c}
}

// Handles reports whether r is apigateway:invoke with a pattern AWS
// offers for it: request-response or .waitForTaskToken.
func Handles(r resource.Resource) bool {
	return r.Partition == "aws" && r.Is("apigateway", "invoke") &&
		(r.Pattern == resource.RequestResponse || r.Pattern == resource.WaitForTaskToken)
}

// CheckEndpoint checks one Endpoints entry: key an API ID or an
// ApiEndpoint host, u an absolute http(s) URL with no query or user.
func CheckEndpoint(key, u string) error {
	if key == "" || strings.ContainsAny(key, "/:@ ") {
		return fmt.Errorf("API %q: want an API ID or an ApiEndpoint host, such as abc123 or abc123.execute-api.us-east-1.amazonaws.com", key)
	}
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || p.User != nil || p.RawQuery != "" || p.Fragment != "" {
		return fmt.Errorf("API %s endpoint %q: want an absolute http or https URL with no user, query or fragment, such as http://127.0.0.1:3000", key, u)
	}
	return nil
}

// forbidden are the header names AWS does not permit in Headers, besides
// those starting with X-Forwarded, X-Amz and X-Amzn ("Request format" in
// the Step Functions developer guide's API Gateway page).
var forbidden = []string{"authorization", "connection", "content-md5", "expect", "host", "max-forwards",
	"proxy-authenticate", "server", "te", "transfer-encoding", "trailer", "upgrade", "via", "www-authenticate"}

// apiHost is an API Gateway endpoint host: API ID, execute-api, region.
var apiHost = regexp.MustCompile(`^([a-z0-9]+)\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$`)

// call is an apigateway:invoke request, read.
type call struct {
	endpoint, method, stage, path string
	header                        http.Header
	query                         url.Values
	body                          []byte
	hasBody, bodyJSON             bool
	auth                          string
}

// Invoke sends the request req's parameters describe; see the package doc
// for the result and the errors. A cancelled ctx returns ctx's error.
func (iv *Invoker) Invoke(ctx context.Context, req tasks.Request) (any, error) {
	c, err := read(req.Input)
	if err != nil {
		return nil, &tasks.Error{Name: tasks.ErrorRuntime, Cause: "The Parameters could not be used to start the Task: [" + err.Error() + "]"}
	}
	u, region, err := iv.target(c)
	if err != nil {
		return nil, &tasks.Error{Name: tasks.ErrorTaskFailed, Cause: err.Error()}
	}
	cctx, cancel := context.WithTimeout(ctx, iv.cfg.Timeout)
	defer cancel()
	var body io.Reader
	if c.hasBody {
		body = bytes.NewReader(c.body)
	}
	hreq, err := http.NewRequestWithContext(cctx, c.method, u.String(), body)
	if err != nil {
		return nil, &tasks.Error{Name: tasks.ErrorRuntime, Cause: fmt.Sprintf("build the request: %v", err)}
	}
	hreq.Header = c.header
	if c.hasBody && hreq.Header.Get("Content-Type") == "" && c.bodyJSON {
		hreq.Header.Set("Content-Type", "application/json")
	}
	if c.auth == "IAM_ROLE" || c.auth == "RESOURCE_POLICY" {
		if err := iv.sign(cctx, hreq, c.body, region); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, &tasks.Error{Name: "ApiGateway.SdkClientException", Cause: err.Error()}
		}
	}
	resp, err := iv.client.Do(hreq)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, noResponse(err, cctx.Err() != nil, iv.cfg.Timeout)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponse+1))
	if err == nil && len(data) > MaxResponse {
		err = fmt.Errorf("the response body is larger than %d bytes", MaxResponse)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, noResponse(err, cctx.Err() != nil, iv.cfg.Timeout)
	}
	if resp.StatusCode/100 != 2 {
		return nil, &tasks.Error{Name: fmt.Sprintf("ApiGateway.%d", resp.StatusCode), Cause: string(data)}
	}
	return result(resp, data), nil
}

// target is where c goes: the configured endpoint of its API, or the
// API Gateway host itself; and the region that signs it.
func (iv *Invoker) target(c call) (*url.URL, string, error) {
	host := strings.ToLower(c.endpoint)
	region := iv.cfg.Region
	id := host
	if m := apiHost.FindStringSubmatch(host); m != nil {
		id, region = m[1], m[2]
	}
	base, ok := iv.cfg.Endpoints[host]
	if !ok {
		base, ok = iv.cfg.Endpoints[id]
	}
	if !ok {
		if !apiHost.MatchString(host) {
			return nil, "", fmt.Errorf("the ApiEndpoint %s is not an API Gateway host (API_ID.execute-api.REGION.amazonaws.com) and no endpoint is configured for it: start Stepwise with --apigateway-endpoint %s=URL, or mock the state with --mock-config", c.endpoint, id)
		}
		base = "https://" + host
	}
	u, err := url.Parse(base)
	if err != nil {
		return nil, "", fmt.Errorf("the endpoint %s of API %s: %v", base, id, err)
	}
	segs := []string{strings.TrimSuffix(u.Path, "/")}
	if c.stage != "" {
		segs = append(segs, url.PathEscape(c.stage))
	}
	if p := strings.Trim(c.path, "/"); p != "" {
		for _, s := range strings.Split(p, "/") {
			segs = append(segs, url.PathEscape(s))
		}
	}
	raw := strings.Join(segs, "/")
	if !strings.HasPrefix(raw, "/") {
		raw = "/" + raw
	}
	if u.Path, err = url.PathUnescape(raw); err != nil {
		return nil, "", err
	}
	u.RawPath = raw
	u.RawQuery = c.query.Encode()
	return u, region, nil
}

func (iv *Invoker) sign(ctx context.Context, hreq *http.Request, body []byte, region string) error {
	if iv.cfg.Credentials == nil {
		return errors.New("AuthType IAM_ROLE signs the request with AWS credentials, and Stepwise has none: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or start it with --aws")
	}
	creds, err := iv.cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return fmt.Errorf("retrieve the credentials that sign the request: %w", err)
	}
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(ctx, creds, hreq, hex.EncodeToString(sum[:]), "execute-api", region, time.Now()); err != nil {
		return fmt.Errorf("sign the request: %w", err)
	}
	return nil
}

// read checks and reads apigateway:invoke's parameters, as AWS's
// documentation describes them (the engine checks their types before the
// task starts; this covers a caller that did not).
func read(input any) (call, error) {
	p, ok := input.(*jsonval.Object)
	if !ok {
		return call{}, problem("The Parameters must be a JSON object")
	}
	known := []string{"ApiEndpoint", "Method", "Headers", "Stage", "Path", "QueryParameters", "RequestBody", "AllowNullValues", "AuthType"}
	for k := range p.All() {
		if !slices.Contains(known, k) {
			return call{}, problemf("The field '%s' is not supported by Step Functions", k)
		}
	}
	c := call{header: http.Header{}, query: url.Values{}, auth: "NO_AUTH"}
	str := func(name string, required bool) (string, error) {
		v, ok := p.Get(name)
		if !ok {
			if required {
				return "", problemf("The field '%s' is required but was missing", name)
			}
			return "", nil
		}
		s, ok := v.(string)
		if !ok {
			return "", problemf("The value of the field '%s' has an invalid format", name)
		}
		return s, nil
	}
	var err error
	if c.endpoint, err = str("ApiEndpoint", true); err != nil {
		return c, err
	}
	if c.endpoint == "" || strings.ContainsAny(c.endpoint, "/?#@ ") {
		return c, problem("The value of the field 'ApiEndpoint' has an invalid format")
	}
	if c.method, err = str("Method", true); err != nil {
		return c, err
	}
	if !slices.Contains([]string{"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"}, c.method) {
		return c, problem("The value of the field 'Method' has an invalid format")
	}
	if c.stage, err = str("Stage", false); err != nil {
		return c, err
	}
	if c.path, err = str("Path", false); err != nil {
		return c, err
	}
	for _, seg := range strings.Split(c.stage+"/"+c.path, "/") {
		if seg == ".." || seg == "." {
			// A dot segment would leave the stage the Task names.
			return c, problem("The value of the field 'Path' has an invalid format")
		}
	}
	if a, err := str("AuthType", false); err != nil {
		return c, err
	} else if a != "" {
		c.auth = a
	}
	if !slices.Contains([]string{"NO_AUTH", "IAM_ROLE", "RESOURCE_POLICY"}, c.auth) {
		return c, problem("The value of the field 'AuthType' has an invalid format")
	}
	if err := multiValues(p, "Headers", func(k, v string) error {
		lk := strings.ToLower(k)
		if slices.Contains(forbidden, lk) || strings.HasPrefix(lk, "x-forwarded") || strings.HasPrefix(lk, "x-amz") {
			return problemf("The header '%s' is not permitted in the field 'Headers'", k)
		}
		c.header.Add(k, v)
		return nil
	}); err != nil {
		return c, err
	}
	if err := multiValues(p, "QueryParameters", func(k, v string) error { c.query.Add(k, v); return nil }); err != nil {
		return c, err
	}
	allowNull := false
	if v, ok := p.Get("AllowNullValues"); ok {
		if allowNull, ok = v.(bool); !ok {
			return c, problem("The value of the field 'AllowNullValues' has an invalid format")
		}
	}
	if b, ok := p.Get("RequestBody"); ok {
		c.hasBody = true
		if s, ok := b.(string); ok {
			c.body = []byte(s)
		} else {
			if !allowNull {
				b = dropNulls(b)
			}
			if c.body, err = jsonval.Marshal(b); err != nil {
				return c, problemf("The value of the field 'RequestBody' has an invalid format: %v", err)
			}
			c.bodyJSON = true
		}
	}
	return c, nil
}

// multiValues reads p[name], an object of arrays of strings, calling add
// for each value in order.
func multiValues(p *jsonval.Object, name string, add func(k, v string) error) error {
	v, ok := p.Get(name)
	if !ok {
		return nil
	}
	o, ok := v.(*jsonval.Object)
	if !ok {
		return problemf("The value of the field '%s' has an invalid format", name)
	}
	for k, x := range o.All() {
		arr, ok := x.([]any)
		if !ok || k == "" {
			return problemf("The value of the field '%s' has an invalid format", name)
		}
		for _, e := range arr {
			s, ok := e.(string)
			if !ok || strings.ContainsAny(s, "\r\n\x00") {
				return problemf("The value of the field '%s' has an invalid format", name)
			}
			if err := add(k, s); err != nil {
				return err
			}
		}
	}
	return nil
}

// dropNulls returns v without the members of its objects, at any depth,
// whose value is null: what AWS sends when AllowNullValues is false.
// Array elements that are null stay, as positions in a list.
func dropNulls(v any) any {
	switch x := v.(type) {
	case *jsonval.Object:
		o := jsonval.NewObject(x.Len())
		for k, e := range x.All() {
			if e != nil {
				o.Set(k, dropNulls(e))
			}
		}
		return o
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = dropNulls(e)
		}
		return out
	}
	return v
}

// awsHeaderNames spells response headers as API Gateway sends them (the
// recorded results in ../shared/conformance/asl-tasks); Go canonicalizes
// the others as API Gateway spells them.
var awsHeaderNames = map[string]string{
	"X-Amzn-Requestid": "x-amzn-RequestId",
	"X-Amz-Apigw-Id":   "x-amz-apigw-id",
	"X-Amzn-Trace-Id":  "X-Amzn-Trace-Id",
	"X-Amz-Cf-Id":      "X-Amz-Cf-Id",
	"X-Amz-Cf-Pop":     "X-Amz-Cf-Pop",
}

// result is AWS's result object, in the order AWS records it.
func result(resp *http.Response, data []byte) *jsonval.Object {
	return httptask.ResultObject(resp, data, func(k string) string {
		if n, ok := awsHeaderNames[k]; ok {
			return n
		}
		return k
	})
}

// noResponse names a request that got no response as AWS does,
// ApiGateway.<exception>, without the request itself in the cause.
func noResponse(err error, timedOut bool, timeout time.Duration) *tasks.Error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var dnsErr *net.DNSError
	var opErr *net.OpError
	name := "IOException"
	switch {
	case timedOut:
		return &tasks.Error{Name: "ApiGateway.SocketTimeoutException", Cause: fmt.Sprintf("The request timed out after %s.", timeout)}
	case errors.As(err, &dnsErr):
		name = "UnknownHostException"
	case errors.As(err, &opErr) && opErr.Op == "dial":
		name = "ConnectException"
	}
	return &tasks.Error{Name: "ApiGateway." + name, Cause: err.Error()}
}

// problem is what is wrong with the parameters, in AWS's words, which
// start with a capital ("The value of the field ... has an invalid
// format").
type problem string

func (p problem) Error() string { return string(p) }

func problemf(format string, args ...any) error { return problem(fmt.Sprintf(format, args...)) }
