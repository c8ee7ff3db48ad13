package resource

import (
	"strconv"
	"strings"
)

// Kind is what a Resource names.
type Kind int

// The kinds of resources. The zero Kind is NotARN.
const (
	// NotARN is text that does not start with "arn:": the ASL
	// specification only asks for a URI, and definitions are often
	// validated before a deployment tool replaces placeholders such as
	// "${LambdaArn}" in them. Such a task fails when it runs.
	NotARN Kind = iota
	// Activity is an activity ARN,
	// arn:PARTITION:states:REGION:ACCOUNT:activity:NAME.
	Activity
	// Function is a Lambda function ARN used directly as the resource (the
	// legacy Lambda integration),
	// arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER].
	Function
	// Integration is a service integration,
	// arn:PARTITION:states:::SERVICE:ACTION[PATTERN] or
	// arn:PARTITION:states:::aws-sdk:SERVICE:ACTION[PATTERN]; its region
	// and account are empty because they are the execution's.
	Integration
	// OtherARN is any other text that starts with "arn:", well formed or
	// not.
	OtherARN
)

var kindNames = [...]string{NotARN: "not an ARN", Activity: "activity", Function: "Lambda function",
	Integration: "service integration", OtherARN: "other ARN"}

func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return "Kind(" + strconv.Itoa(int(k)) + ")"
	}
	return kindNames[k]
}

// Pattern is a service integration pattern, the suffix of an
// integration's action.
type Pattern int

// The integration patterns. The zero Pattern is RequestResponse.
const (
	// RequestResponse has no suffix: the task ends with the service's
	// answer.
	RequestResponse Pattern = iota
	// Sync (.sync) waits for the job the call started; its result is
	// JSON text where the job's API has JSON.
	Sync
	// Sync2 (.sync:2) waits like Sync, with JSON values in the result.
	Sync2
	// WaitForTaskToken (.waitForTaskToken) passes a task token and waits
	// for SendTaskSuccess, SendTaskFailure or a heartbeat timeout.
	WaitForTaskToken
	// UnknownPattern is any other suffix after a '.' in the action; AWS
	// rejects such a resource as not recognized.
	UnknownPattern
)

var patternSuffixes = [...]string{RequestResponse: "", Sync: ".sync", Sync2: ".sync:2",
	WaitForTaskToken: ".waitForTaskToken"}

// String returns the pattern's suffix as written in the resource, or
// "request-response" and "unknown pattern" for the two without one.
func (p Pattern) String() string {
	switch {
	case p == RequestResponse:
		return "request-response"
	case p > RequestResponse && p < UnknownPattern:
		return patternSuffixes[p]
	case p == UnknownPattern:
		return "unknown pattern"
	}
	return "Pattern(" + strconv.Itoa(int(p)) + ")"
}

// Resource is a parsed Resource. Fields that do not apply to its Kind are
// empty. A Resource is an immutable value, safe to copy and to share.
type Resource struct {
	// Text is the resource as written in the definition.
	Text string
	Kind Kind

	// Partition, Region and Account are the ARN's fields; all are empty
	// for NotARN, and Region and Account are empty for an Integration.
	Partition string
	Region    string
	Account   string

	// Service is, for an Integration, the integrated service ("lambda",
	// "states", "http", "dynamodb"; the SDK service name, such as "s3",
	// when SDK is set); for any other ARN, the ARN's service field
	// ("states", "lambda", "swf", ...).
	Service string
	// SDK is set for an AWS SDK integration (aws-sdk:SERVICE:ACTION).
	SDK bool
	// Action is an Integration's action without its pattern suffix:
	// "invoke", "startExecution", "getObject". It is empty when the
	// resource names no action.
	Action string
	// Pattern is an Integration's integration pattern; RequestResponse
	// for every other Kind.
	Pattern Pattern

	// Name is the activity's name, the Lambda function's name (possibly
	// empty in a malformed ARN), or, for OtherARN, the ARN's resource part
	// (what follows the account).
	Name string
	// Qualifier is a Lambda function ARN's version or alias, or "".
	Qualifier string

	// HistoryType and HistoryName are what the history events of a
	// service task (TaskScheduled, TaskStarted, TaskSucceeded, ...) report
	// as resourceType and resource: arn:aws:states:::lambda:invoke gives
	// "lambda" and "invoke", ...:aws-sdk:s3:getObject.waitForTaskToken
	// gives "aws-sdk:s3" and "getObject.waitForTaskToken". They are set
	// for every Kind, since the engine reports every resource that is no
	// Lambda function or activity as a service task.
	HistoryType string
	HistoryName string

	problem string // AWS's reason to refuse the resource, or ""
}

// Parse parses a Task state's Resource. It never fails: text it cannot
// make sense of is NotARN or OtherARN, and [Resource.Err] says whether AWS
// would refuse it in a definition.
func Parse(s string) Resource {
	r := Resource{Text: s}
	r.HistoryType, r.HistoryName = historyParts(s)
	if s == "" {
		r.problem = reasonEmpty
		return r
	}
	if !strings.HasPrefix(s, "arn:") {
		return r
	}
	r.Kind = OtherARN
	f := strings.SplitN(s, ":", 6)
	if len(f) < 6 {
		r.problem = reasonARN
		if len(f) > 1 {
			r.Partition = f[1]
		}
		if len(f) > 2 {
			r.Service = f[2]
		}
		return r
	}
	r.Partition, r.Service, r.Region, r.Account = f[1], f[2], f[3], f[4]
	rest := f[5]
	if r.Partition == "" || r.Service == "" || rest == "" {
		r.problem = reasonARN
	}
	typ, name, _ := strings.Cut(rest, ":")
	switch {
	case r.Service == "lambda" && typ == "function":
		r.Kind = Function
		r.parseFunction(rest)
	case r.Service == "states" && typ == "activity":
		r.Kind = Activity
		r.Name = name
	case r.Service == "states" && r.Region == "" && r.Account == "":
		r.Kind = Integration
		r.parseIntegration(rest)
	default:
		r.Name = rest
	}
	return r
}

// parseFunction reads NAME[:QUALIFIER] from rest, "function:NAME[:QUALIFIER]".
// A function ARN with more fields, an empty name or a qualifier that is
// no version or alias name is refused, as AWS refuses it; an ARN that
// stops at "function" is accepted, as Stepwise always has.
func (r *Resource) parseFunction(rest string) {
	_, tail, ok := strings.Cut(rest, ":")
	if !ok {
		return
	}
	segs := strings.Split(tail, ":")
	r.Name = segs[0]
	if len(segs) > 1 {
		r.Qualifier = segs[1]
	}
	if r.problem == "" && (len(segs) > 2 || r.Name == "" || (len(segs) == 2 && !validQualifier(r.Qualifier))) {
		r.problem = reasonFunction
	}
}

// parseIntegration reads [aws-sdk:]SERVICE:ACTION[PATTERN] from rest.
func (r *Resource) parseIntegration(rest string) {
	if sdk, ok := strings.CutPrefix(rest, "aws-sdk:"); ok {
		r.SDK = true
		rest = sdk
	}
	svc, op, _ := strings.Cut(rest, ":")
	r.Service = svc
	action, suffix, dotted := strings.Cut(op, ".")
	r.Action = action
	if dotted {
		r.Pattern = patternOf("." + suffix)
	}
}

func patternOf(suffix string) Pattern {
	for p := Sync; p < UnknownPattern; p++ {
		if patternSuffixes[p] == suffix {
			return p
		}
	}
	return UnknownPattern
}

// historyParts splits a resource into history's resourceType and
// resource: what follows the ARN's account is split at its first ':', or,
// for aws-sdk:SERVICE:ACTION, at its last. Text with fewer than six
// ':'-separated fields is all resource.
func historyParts(s string) (typ, name string) {
	f := strings.SplitN(s, ":", 6)
	if len(f) < 6 {
		return "", s
	}
	rest := f[5]
	i := strings.LastIndexByte(rest, ':')
	if i < 0 {
		return rest, ""
	}
	if strings.HasPrefix(rest, "aws-sdk:") {
		return rest[:i], rest[i+1:]
	}
	j := strings.IndexByte(rest, ':')
	return rest[:j], rest[j+1:]
}

// Is reports whether r is the optimized integration SERVICE:ACTION
// (arn:PARTITION:states:::SERVICE:ACTION, not an aws-sdk one), with any
// pattern, an unknown one included.
func (r Resource) Is(service, action string) bool {
	return r.Kind == Integration && !r.SDK && r.Service == service && r.Action == action
}

// TaskKind is the kind whose history events a task on r produces:
// Function (Lambda* events), Activity (Activity* events), or Integration
// (Task* events) for every other resource, since AWS reports any resource
// that is neither a Lambda function nor an activity as a service task.
func (r Resource) TaskKind() Kind {
	if r.Kind == Function || r.Kind == Activity {
		return r.Kind
	}
	return Integration
}

// UsesToken reports whether a task on r gets a task token ($$.Task.Token):
// an activity, and an integration that waits, with .waitForTaskToken or
// with .sync and .sync:2, whose token AWS also exposes.
func (r Resource) UsesToken() bool {
	return r.Kind == Activity || r.Pattern == Sync || r.Pattern == Sync2 || r.Pattern == WaitForTaskToken
}

// validQualifier checks a Lambda version or alias: letters, digits, '-'
// and '_', or $LATEST.
func validQualifier(s string) bool {
	if s == "" {
		return false
	}
	if s == "$LATEST" {
		return true
	}
	for _, c := range s {
		if !(c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}
