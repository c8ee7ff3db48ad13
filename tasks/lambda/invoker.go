package lambda

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"stepwise/jsonval"
	"stepwise/resource"
	"stepwise/tasks"
)

// Invoker is a [tasks.Invoker] for Lambda function ARNs and
// arn:aws:states:::lambda:invoke. It is safe for concurrent use; its
// Config must not change once it is in use.
type Invoker struct {
	cfg    Config
	client *http.Client
	log    *slog.Logger // never nil
}

var _ tasks.Invoker = (*Invoker)(nil)

// New returns an Invoker for cfg. client sends Invoke API requests; nil
// means http.DefaultClient.
func New(cfg Config, client *http.Client) *Invoker {
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Account == "" {
		cfg.Account = "123456789012"
	}
	if client == nil {
		client = http.DefaultClient
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Invoker{cfg: cfg, client: client, log: log}
}

// call is one invocation, whatever its back-end.
type call struct {
	name       string // function name
	state      string // the Task state's name, for logs
	arn        string // unqualified function ARN
	region     string
	qualifier  string
	payload    []byte
	invokeType string // InvocationType; empty means RequestResponse
	logType    string
	clientCtx  string
	timeout    int64 // the Task's TimeoutSeconds
}

// response is what the Invoke API answered, or what a local command's run
// amounts to in the Invoke API's terms.
type response struct {
	status int
	header http.Header
	body   []byte
}

// Invoke calls the function named by req and returns its result: the
// payload for a function ARN, AWS's lambda:invoke result object for
// arn:aws:states:::lambda:invoke. Failures are *[tasks.Error]s named as on
// AWS (see the package doc); a cancelled ctx returns ctx's error.
func (iv *Invoker) Invoke(ctx context.Context, req tasks.Request) (any, error) {
	res := resource.Parse(req.Resource)
	c, err := iv.parse(req, res)
	if err != nil {
		return nil, err
	}
	fn, ok := iv.cfg.Functions[c.name]
	if !ok && iv.cfg.Default != nil {
		fn, ok = *iv.cfg.Default, true
	}
	if !ok {
		qual := c.qualifier
		if qual == "" {
			qual = "$LATEST"
		}
		return nil, serviceError(http.StatusNotFound, "ResourceNotFoundException", newRequestID(),
			fmt.Sprintf("Function not found: %s:%s", c.arn, qual))
	}
	var resp response
	if len(fn.Command) > 0 {
		resp, err = runCommand(ctx, iv.log, fn, c)
	} else {
		resp, err = iv.callAPI(ctx, fn, c)
	}
	if err != nil {
		return nil, err
	}
	if resp.status >= 300 {
		return nil, apiError(resp)
	}
	if resp.header.Get("X-Amz-Function-Error") != "" {
		return nil, functionError(resp.body)
	}
	payload := decodePayload(resp.body)
	if res.Partition != "aws" || !res.Is("lambda", "invoke") {
		return payload, nil
	}
	return invokeResult(resp, payload), nil
}

// parse reads the function and payload from a function ARN resource or
// from lambda:invoke's parameters.
func (iv *Invoker) parse(req tasks.Request, res resource.Resource) (call, error) {
	c := call{timeout: req.TimeoutSeconds, state: req.StateName}
	var ref any = req.Resource
	payload := req.Input
	if res.Kind != resource.Function || res.Name == "" {
		params, ok := req.Input.(*jsonval.Object)
		if !ok {
			return c, &tasks.Error{Name: tasks.ErrorRuntime, Cause: "lambda:invoke needs Parameters with a FunctionName"}
		}
		ref, _ = params.Get("FunctionName")
		payload, _ = params.Get("Payload")
		if q, ok := get(params, "Qualifier").(string); ok {
			c.qualifier = q
		}
		c.invokeType, _ = get(params, "InvocationType").(string)
		c.logType, _ = get(params, "LogType").(string)
		c.clientCtx, _ = get(params, "ClientContext").(string)
	}
	s, ok := ref.(string)
	if !ok || s == "" {
		return c, &tasks.Error{Name: tasks.ErrorRuntime, Cause: "lambda:invoke needs a FunctionName string"}
	}
	iv.resolve(&c, s)
	b, err := jsonval.Marshal(payload)
	if err != nil {
		return c, &tasks.Error{Name: tasks.ErrorRuntime, Cause: fmt.Sprintf("encode the payload: %v", err)}
	}
	c.payload = b
	return c, nil
}

func get(o *jsonval.Object, k string) any {
	v, _ := o.Get(k)
	return v
}

// resolve fills in the name, region, ARN and qualifier from a function
// reference: NAME, NAME:QUALIFIER, ACCOUNT:function:NAME[:QUALIFIER] or
// a full function ARN.
func (iv *Invoker) resolve(c *call, ref string) {
	region, account := iv.cfg.Region, iv.cfg.Account
	f := resource.ParseFunction(ref)
	switch f.Form {
	case resource.FullFunctionARN:
		region, account = f.Region, f.Account
	case resource.PartialFunctionARN:
		account = f.Account
	}
	c.name = f.Name
	if c.qualifier == "" {
		// The Qualifier parameter wins over one in the name.
		c.qualifier = f.Qualifier
	}
	c.region = region
	c.arn = fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", region, account, c.name)
}

// decodePayload parses a function's JSON result; a result that is not
// JSON is kept as a string.
func decodePayload(body []byte) any {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	v, err := jsonval.Parse(body)
	if err != nil {
		return string(body)
	}
	return v
}

// functionError turns a function's error document into the task error
// AWS reports: the errorType names it (Lambda.Unknown when there is none)
// and the document is the cause (conformance case
// test_task_service_lambda__TestTaskServiceLambda__test_raise_exception).
func functionError(body []byte) *tasks.Error {
	name := "Lambda.Unknown"
	if o, ok := decodePayload(body).(*jsonval.Object); ok {
		if t, ok := get(o, "errorType").(string); ok && t != "" {
			name = t
		}
	}
	return &tasks.Error{Name: name, Cause: string(bytes.TrimSpace(body))}
}

// apiError turns a refusal by the Lambda service into Lambda.<ErrorCode>.
func apiError(resp response) *tasks.Error {
	code, _, _ := strings.Cut(resp.header.Get("X-Amzn-ErrorType"), ":")
	msg := ""
	if o, ok := decodePayload(resp.body).(*jsonval.Object); ok {
		if code == "" {
			code, _ = get(o, "__type").(string)
			if i := strings.LastIndexByte(code, '#'); i >= 0 {
				code = code[i+1:]
			}
		}
		for _, k := range []string{"Message", "message", "errorMessage"} {
			if m, ok := get(o, k).(string); ok {
				msg = m
				break
			}
		}
	}
	if msg == "" {
		msg = strings.TrimSpace(string(resp.body))
	}
	return serviceError(resp.status, code, resp.header.Get("X-Amzn-Requestid"), msg)
}

// serviceError names and describes a Lambda service error as the AWS SDK
// for Java inside Step Functions does.
func serviceError(status int, code, requestID, msg string) *tasks.Error {
	if code == "" {
		switch {
		case status == http.StatusTooManyRequests:
			code = "TooManyRequestsException"
		case status >= 500:
			code = "ServiceException"
		default:
			code = "AWSLambdaException"
		}
	}
	return &tasks.Error{Name: "Lambda." + code, Cause: fmt.Sprintf(
		"%s (Service: AWSLambda; Status Code: %d; Error Code: %s; Request ID: %s; Proxy: null)", msg, status, code, requestID)}
}

// awsHeaderNames spells response headers as AWS reports them; Go
// canonicalizes the others the way AWS does.
var awsHeaderNames = map[string]string{
	"X-Amzn-Requestid":               "x-amzn-RequestId",
	"X-Amzn-Remapped-Content-Length": "x-amzn-Remapped-Content-Length",
	"X-Amzn-Trace-Id":                "X-Amzn-Trace-Id",
}

// invokeResult builds lambda:invoke's result object, in AWS's key order
// (conformance case test_lambda_task_service__TestTaskServiceLambda__test_invoke).
func invokeResult(resp response, payload any) *jsonval.Object {
	names := make([]string, 0, len(resp.header))
	for k := range resp.header {
		names = append(names, k)
	}
	slices.Sort(names)
	all := jsonval.NewObject(len(names))
	flat := jsonval.NewObject(len(names))
	for _, k := range names {
		vs := resp.header[k]
		name := k
		if n, ok := awsHeaderNames[k]; ok {
			name = n
		}
		list := make([]any, len(vs))
		for i, v := range vs {
			list[i] = v
		}
		all.Set(name, list)
		flat.Set(name, strings.Join(vs, ","))
	}
	meta := jsonval.NewObject(3)
	meta.Set("AllHttpHeaders", all)
	meta.Set("HttpHeaders", flat)
	meta.Set("HttpStatusCode", jsonNumber(resp.status))
	rmeta := jsonval.NewObject(1)
	rmeta.Set("RequestId", resp.header.Get("X-Amzn-Requestid"))

	out := jsonval.NewObject(6)
	version := resp.header.Get("X-Amz-Executed-Version")
	if version == "" {
		version = "$LATEST"
	}
	out.Set("ExecutedVersion", version)
	if lr := resp.header.Get("X-Amz-Log-Result"); lr != "" {
		out.Set("LogResult", lr)
	}
	if resp.status == http.StatusAccepted || resp.status == http.StatusNoContent {
		payload = ""
	}
	out.Set("Payload", payload)
	out.Set("SdkHttpMetadata", meta)
	out.Set("SdkResponseMetadata", rmeta)
	out.Set("StatusCode", jsonNumber(resp.status))
	return out
}

func jsonNumber(n int) any { return jsonval.FromGo(n) }

// newRequestID returns a random UUID like Lambda's request IDs.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func itoa(n int) string { return strconv.Itoa(n) }
