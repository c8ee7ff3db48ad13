package awsservice

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"stepwise/jsonval"
	"stepwise/resource"
	"stepwise/tasks"
)

// Config configures an [Invoker].
type Config struct {
	// Endpoints holds the base URL of each service by its short name
	// (dynamodb, sqs, sns, events, sesv2). A service without one is
	// reached at AWS, https://SERVICE.REGION.amazonaws.com.
	Endpoints map[string]string
	// Region signs requests and names AWS endpoints; default us-east-1.
	Region string
	// AccessKeyID, SecretAccessKey and SessionToken sign requests.
	AccessKeyID, SecretAccessKey, SessionToken string
	// Client sends the requests; nil means http.DefaultClient.
	Client *http.Client
}

// Invoker is a [tasks.Invoker] for the integrations the package doc
// lists. It is safe for concurrent use.
type Invoker struct {
	cfg    Config
	client *http.Client
}

var _ tasks.Invoker = (*Invoker)(nil)

// New returns an Invoker for cfg.
func New(cfg Config) *Invoker {
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	client := cfg.Client
	if client == nil {
		client = http.DefaultClient
	}
	return &Invoker{cfg: cfg, client: client}
}

// Handles reports whether r is an integration an Invoker carries out,
// with or without .waitForTaskToken.
func Handles(r resource.Resource) bool {
	_, _, _, ok := parse(r)
	return ok
}

// Protocols of the services.
const (
	protoJSON10 = "json1.0"
	protoJSON11 = "json1.1"
	protoQuery  = "query"
	protoREST   = "rest-json"
)

// service describes how to reach one service and name its errors.
type service struct {
	name        string // short name, key of Config.Endpoints
	signingName string
	host        string // AWS host prefix
	protocol    string
	target      string // X-Amz-Target prefix for JSON protocols
	// v1 and v2 name errors as the AWS SDK for Java 1.x (optimized
	// integrations) and 2.x (AWS SDK integrations) do.
	v1Prefix, v1Service, v1Base string
	v2Prefix, v2Service, v2Base string
	modeled                     []string // error codes the SDKs model; others become the base exception
}

var (
	dynamodb = &service{name: "dynamodb", signingName: "dynamodb", host: "dynamodb", protocol: protoJSON10, target: "DynamoDB_20120810",
		v1Prefix: "DynamoDB", v1Service: "AmazonDynamoDBv2", v1Base: "AmazonDynamoDBException",
		v2Prefix: "DynamoDb", v2Service: "DynamoDb", v2Base: "DynamoDbException",
		modeled: []string{"ConditionalCheckFailedException", "ProvisionedThroughputExceededException", "ResourceNotFoundException",
			"ItemCollectionSizeLimitExceededException", "TransactionConflictException", "RequestLimitExceeded", "InternalServerError",
			"TransactionCanceledException", "ResourceInUseException", "LimitExceededException", "DuplicateItemException"}}
	sqs = &service{name: "sqs", signingName: "sqs", host: "sqs", protocol: protoJSON10, target: "AmazonSQS",
		v1Prefix: "SQS", v1Service: "AmazonSQS", v1Base: "AmazonSQSException",
		v2Prefix: "Sqs", v2Service: "Sqs", v2Base: "SqsException"}
	sns = &service{name: "sns", signingName: "sns", host: "sns", protocol: protoQuery,
		v1Prefix: "SNS", v1Service: "AmazonSNS", v1Base: "AmazonSNSException",
		v2Prefix: "Sns", v2Service: "Sns", v2Base: "SnsException"}
	events = &service{name: "events", signingName: "events", host: "events", protocol: protoJSON11, target: "AWSEvents",
		v1Prefix: "EventBridge", v1Service: "AmazonEventBridge", v1Base: "AmazonEventBridgeException",
		v2Prefix: "EventBridge", v2Service: "EventBridge", v2Base: "EventBridgeException"}
	sesv2 = &service{name: "sesv2", signingName: "ses", host: "email", protocol: protoREST,
		v1Prefix: "SesV2", v1Service: "AmazonSimpleEmailServiceV2", v1Base: "AmazonSimpleEmailServiceV2Exception",
		v2Prefix: "SesV2", v2Service: "SesV2", v2Base: "SesV2Exception"}
)

// optimized lists the optimized integrations by resourceType:resource.
var optimized = map[string]*service{
	"dynamodb:getItem": dynamodb, "dynamodb:putItem": dynamodb, "dynamodb:updateItem": dynamodb, "dynamodb:deleteItem": dynamodb,
	"sqs:sendMessage": sqs, "sns:publish": sns, "events:putEvents": events,
}

// sdkServices lists the services of AWS SDK integrations, with the actions
// allowed (nil: all of them).
var sdkServices = map[string]struct {
	svc     *service
	actions []string
}{
	"dynamodb":    {dynamodb, nil},
	"sqs":         {sqs, nil},
	"sns":         {sns, []string{"publish"}},
	"eventbridge": {events, []string{"putEvents"}},
	"sesv2":       {sesv2, []string{"sendEmail"}},
}

// parse reads an integration: the service, the action (lowerCamel, as
// in the ARN) and whether it is an AWS SDK integration. Stepwise carries
// out the aws partition's integrations, request-response or
// .waitForTaskToken (AWS offers no .sync for these).
func parse(r resource.Resource) (svc *service, action string, sdk, ok bool) {
	if r.Kind != resource.Integration || r.Partition != "aws" ||
		(r.Pattern != resource.RequestResponse && r.Pattern != resource.WaitForTaskToken) {
		return nil, "", false, false
	}
	if r.SDK {
		s, known := sdkServices[r.Service]
		if r.Action == "" || !known || (s.actions != nil && !slices.Contains(s.actions, r.Action)) {
			return nil, "", true, false
		}
		return s.svc, r.Action, true, true
	}
	s, known := optimized[r.Service+":"+r.Action]
	if !known {
		return nil, "", false, false
	}
	return s, r.Action, false, true
}

// reply is a service's answer.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// Invoke calls the service action req.Resource names with req.Input as
// its request. Failures are *[tasks.Error]s named as on AWS; a cancelled
// ctx returns ctx's error.
func (iv *Invoker) Invoke(ctx context.Context, req tasks.Request) (any, error) {
	svc, action, sdk, ok := parse(resource.Parse(req.Resource))
	if !ok {
		return nil, &tasks.Error{Name: tasks.ErrorRuntime, Cause: fmt.Sprintf("Stepwise does not carry out %s", req.Resource)}
	}
	params, ok := req.Input.(*jsonval.Object)
	if !ok {
		params = jsonval.NewObject(0)
	}
	if !sdk {
		params = optimizedParams(action, params)
	}
	rep, err := iv.call(ctx, svc, action, params)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		prefix := svc.v1Prefix
		if sdk {
			prefix = svc.v2Prefix
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, &tasks.Error{Name: prefix + ".SdkClientException", Cause: "Unable to execute HTTP request: " + err.Error()}
	}
	if rep.status/100 != 2 {
		return nil, svc.error(rep, sdk)
	}
	out, err := decode(svc, rep)
	if err != nil {
		return nil, &tasks.Error{Name: tasks.ErrorTaskFailed, Cause: fmt.Sprintf("read the %s response: %v", svc.name, err)}
	}
	if sdk {
		return out, nil
	}
	if svc == events {
		// events:putEvents returns the bare response, and fails when an
		// entry failed (conformance test_events_task_service test_put_events_base).
		if n, _ := jsonval.Int(field(out, "FailedEntryCount")); n > 0 {
			return nil, &tasks.Error{Name: "EventBridge.FailedEntry", Cause: "Entries: " + jsonval.MustMarshalString(field(out, "Entries"))}
		}
		return out, nil
	}
	return withMetadata(out, rep), nil
}

func field(v any, k string) any {
	o, ok := v.(*jsonval.Object)
	if !ok {
		return nil
	}
	x, _ := o.Get(k)
	return x
}

// optimizedParams applies what optimized integrations do to parameters
// before the call: a MessageBody, Message or Detail that is not a string
// is sent as its JSON text.
func optimizedParams(action string, p *jsonval.Object) *jsonval.Object {
	stringify := func(o *jsonval.Object, k string) *jsonval.Object {
		v, ok := o.Get(k)
		if _, isString := v.(string); !ok || isString {
			return o
		}
		o = o.Clone()
		o.Set(k, jsonval.MustMarshalString(v))
		return o
	}
	switch action {
	case "sendMessage":
		return stringify(p, "MessageBody")
	case "publish":
		return stringify(p, "Message")
	case "putEvents":
		entries, ok := field(p, "Entries").([]any)
		if !ok {
			return p
		}
		out := make([]any, len(entries))
		for i, e := range entries {
			if eo, ok := e.(*jsonval.Object); ok {
				out[i] = stringify(eo, "Detail")
			} else {
				out[i] = e
			}
		}
		p = p.Clone()
		p.Set("Entries", out)
	}
	return p
}

// call sends one signed request.
func (iv *Invoker) call(ctx context.Context, svc *service, action string, params *jsonval.Object) (reply, error) {
	base := iv.cfg.Endpoints[svc.name]
	if base == "" {
		base = "https://" + svc.host + "." + iv.cfg.Region + ".amazonaws.com"
	}
	base = strings.TrimSuffix(base, "/")
	op := strings.ToUpper(action[:1]) + action[1:]
	var (
		body        []byte
		path        = "/"
		contentType string
		target      string
		err         error
	)
	switch svc.protocol {
	case protoJSON10, protoJSON11:
		body, err = jsonval.Marshal(params)
		contentType = "application/x-amz-json-1.0"
		if svc.protocol == protoJSON11 {
			contentType = "application/x-amz-json-1.1"
		}
		target = svc.target + "." + op
	case protoQuery:
		body = []byte(queryBody(op, params))
		contentType = "application/x-www-form-urlencoded; charset=utf-8"
	case protoREST: // sesv2 SendEmail
		body, err = jsonval.Marshal(params)
		contentType = "application/json"
		path = "/v2/email/outbound-emails"
	}
	if err != nil {
		return reply{}, err
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, base+path, bytes.NewReader(body))
	if err != nil {
		return reply{}, err
	}
	hreq.Header.Set("Content-Type", contentType)
	if target != "" {
		hreq.Header.Set("X-Amz-Target", target)
	}
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: iv.cfg.AccessKeyID, SecretAccessKey: iv.cfg.SecretAccessKey, SessionToken: iv.cfg.SessionToken}
	if err := v4.NewSigner().SignHTTP(ctx, creds, hreq, hex.EncodeToString(sum[:]), svc.signingName, iv.cfg.Region, time.Now()); err != nil {
		return reply{}, err
	}
	resp, err := iv.client.Do(hreq)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return reply{}, err
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

// error names a refusal by the service as the AWS SDK for Java names it
// inside Step Functions.
func (s *service) error(rep reply, sdk bool) *tasks.Error {
	code, msg := errorCode(s, rep)
	requestID := rep.header.Get("X-Amzn-Requestid")
	if requestID == "" {
		requestID = newID()
	}
	prefix, name := s.v1Prefix, exceptionName(code)
	if s.modeled != nil && !slices.Contains(s.modeled, code) {
		name = s.v1Base
	}
	if sdk {
		prefix = s.v2Prefix
		if s.modeled != nil && !slices.Contains(s.modeled, code) {
			name = s.v2Base
		}
		return &tasks.Error{Name: prefix + "." + name, Cause: fmt.Sprintf("%s (Service: %s, Status Code: %d, Request ID: %s)",
			msg, s.v2Service, rep.status, requestID)}
	}
	return &tasks.Error{Name: prefix + "." + name, Cause: fmt.Sprintf("%s (Service: %s; Status Code: %d; Error Code: %s; Request ID: %s; Proxy: null)",
		msg, s.v1Service, rep.status, code, requestID)}
}

// exceptionName is the Java exception class of an error code:
// InvalidParameter is InvalidParameterException.
func exceptionName(code string) string {
	if strings.HasSuffix(code, "Exception") || strings.HasSuffix(code, "Error") || strings.HasSuffix(code, "Exceeded") {
		return code
	}
	return code + "Exception"
}

func errorCode(s *service, rep reply) (code, msg string) {
	if s.protocol == protoQuery {
		code, msg = queryError(rep.body)
	} else {
		code, _, _ = strings.Cut(rep.header.Get("X-Amzn-Errortype"), ":")
		if v, err := jsonval.Parse(rep.body); err == nil {
			if code == "" {
				code, _ = field(v, "__type").(string)
			}
			for _, k := range []string{"message", "Message"} {
				if m, ok := field(v, k).(string); ok {
					msg = m
					break
				}
			}
		}
	}
	if i := strings.LastIndexByte(code, '#'); i >= 0 {
		code = code[i+1:]
	}
	if code == "" {
		code = "UnknownError"
	}
	if msg == "" {
		msg = http.StatusText(rep.status)
	}
	return code, msg
}

// decode parses a successful response into the jsonval model.
func decode(s *service, rep reply) (any, error) {
	if s.protocol == protoQuery {
		return queryResult(rep.body)
	}
	if len(bytes.TrimSpace(rep.body)) == 0 {
		return jsonval.NewObject(0), nil
	}
	return jsonval.Parse(rep.body)
}

// withMetadata adds the HTTP metadata the optimized integrations return,
// after the response's own fields.
func withMetadata(out any, rep reply) any {
	o, ok := out.(*jsonval.Object)
	if !ok {
		return out
	}
	o = o.Clone()
	names := make([]string, 0, len(rep.header))
	for k := range rep.header {
		names = append(names, k)
	}
	slices.Sort(names)
	all := jsonval.NewObject(len(names))
	flat := jsonval.NewObject(len(names))
	for _, k := range names {
		name := k
		if k == "X-Amzn-Requestid" {
			name = "x-amzn-RequestId"
		}
		vs := make([]any, len(rep.header[k]))
		for i, v := range rep.header[k] {
			vs[i] = v
		}
		all.Set(name, vs)
		flat.Set(name, strings.Join(rep.header[k], ","))
	}
	meta := jsonval.NewObject(3)
	meta.Set("AllHttpHeaders", all)
	meta.Set("HttpHeaders", flat)
	meta.Set("HttpStatusCode", jsonval.FromGo(rep.status))
	rm := jsonval.NewObject(1)
	rm.Set("RequestId", rep.header.Get("X-Amzn-Requestid"))
	o.Set("SdkHttpMetadata", meta)
	o.Set("SdkResponseMetadata", rm)
	return o
}

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// ServiceOf returns the short name of the service an integration calls
// (dynamodb, sqs, sns, events, sesv2), the key of [Config.Endpoints]; ""
// when [Handles] is false.
func ServiceOf(r resource.Resource) string {
	svc, _, _, ok := parse(r)
	if !ok {
		return ""
	}
	return svc.name
}
