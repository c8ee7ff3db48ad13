package resource

import "strings"

// FunctionForm is how a [FunctionRef] names its function.
type FunctionForm int

// The forms of function references Lambda's Invoke API accepts in
// FunctionName, each with an optional ":QUALIFIER" (a version or alias).
const (
	// FunctionNameOnly is NAME.
	FunctionNameOnly FunctionForm = iota
	// PartialFunctionARN is ACCOUNT:function:NAME.
	PartialFunctionARN
	// FullFunctionARN is arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME.
	FullFunctionARN
)

// FunctionRef is a Lambda function reference: a Lambda function ARN
// resource, or the FunctionName parameter of arn:aws:states:::lambda:invoke.
type FunctionRef struct {
	Form FunctionForm
	// Region is set by a full ARN, Account by a full or a partial one;
	// either may be empty when the ARN leaves it empty, which is not the
	// same as not naming it (see Form).
	Region  string
	Account string
	Name    string
	// Qualifier is the version or alias that follows the name, or "".
	Qualifier string
}

// ParseFunction reads a function reference in any of the forms Lambda's
// Invoke API documents for FunctionName: "my-function",
// "my-function:v1", "123456789012:function:my-function[:v1]" and
// "arn:aws:lambda:us-west-2:123456789012:function:my-function[:v1]". It
// does not check the names; Lambda answers an unknown function with
// ResourceNotFoundException when it is called.
func ParseFunction(ref string) FunctionRef {
	parts := strings.Split(ref, ":")
	var f FunctionRef
	var rest []string
	switch {
	case len(parts) >= 7 && parts[0] == "arn":
		f.Form = FullFunctionARN
		f.Region, f.Account = parts[3], parts[4]
		rest = parts[6:]
	case len(parts) >= 3 && parts[1] == "function":
		f.Form = PartialFunctionARN
		f.Account = parts[0]
		rest = parts[2:]
	default:
		rest = parts
	}
	f.Name = rest[0]
	if len(rest) > 1 {
		f.Qualifier = rest[1]
	}
	return f
}
