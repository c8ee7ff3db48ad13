package sdk

import (
	"context"
	"reflect"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"stepwise/jsonval"
)

//go:generate go run ./internal/genops

// operation is one action of a service: its input type and a call of the
// client's method for it.
type operation struct {
	input reflect.Type // the XInput struct
	call  func(ctx context.Context, client, input any) (any, error)
}

// op makes the operation of a client method, such as (*s3.Client).GetObject.
func op[C, I, O, Opt any](method func(C, context.Context, *I, ...func(*Opt)) (*O, error)) operation {
	return operation{
		input: reflect.TypeFor[I](),
		call: func(ctx context.Context, client, input any) (any, error) {
			out, err := method(client.(C), ctx, input.(*I))
			if err != nil {
				return nil, err
			}
			return out, nil
		},
	}
}

// service is one AWS service of the registry.
type service struct {
	// errorName is the PascalCase service name AWS puts before an error
	// name and in a cause's "(Service: ...)": S3, Sfn, SecretsManager. It
	// is the name of the AWS SDK for Java's client behind Step Functions,
	// whose base exception, errorName+"Exception", names the errors the
	// service's model does not list.
	errorName string
	// newClient builds the service's SDK client from cfg, whose
	// BaseEndpoint names a compatible server (nil for AWS).
	newClient func(cfg aws.Config) any
	// ops are the service's operations by camelCase action, generated
	// from the client (ops_gen.go).
	ops map[string]operation
	// shape, when set, adjusts an encoded result to what AWS returns
	// where the SDK for Go differs from the SDK for Java behind Step
	// Functions.
	shape func(out any, o *jsonval.Object) *jsonval.Object
}

// services is the registry, by the service name of aws-sdk resources.
var services = map[string]service{
	"s3": {errorName: "S3", ops: s3Ops, shape: shapeS3, newClient: func(cfg aws.Config) any {
		return s3.NewFromConfig(cfg, func(o *s3.Options) {
			// S3-compatible stores (MinIO, SeaweedFS, gofakes3) are
			// reached at one host; the bucket goes in the path.
			o.UsePathStyle = cfg.BaseEndpoint != nil
		})
	}},
	"sfn":            {errorName: "Sfn", ops: sfnOps, newClient: func(cfg aws.Config) any { return sfn.NewFromConfig(cfg) }},
	"secretsmanager": {errorName: "SecretsManager", ops: secretsmanagerOps, newClient: func(cfg aws.Config) any { return secretsmanager.NewFromConfig(cfg) }},
	"ssm":            {errorName: "Ssm", ops: ssmOps, newClient: func(cfg aws.Config) any { return ssm.NewFromConfig(cfg) }},
	"kms":            {errorName: "Kms", ops: kmsOps, newClient: func(cfg aws.Config) any { return kms.NewFromConfig(cfg) }},
	"sts":            {errorName: "Sts", ops: stsOps, newClient: func(cfg aws.Config) any { return sts.NewFromConfig(cfg) }},
	// aws-sdk:lambda:* only: arn:aws:states:::lambda:invoke and function
	// ARNs are tasks/lambda's (tasks.IsLambda).
	"lambda": {errorName: "Lambda", ops: lambdaOps, newClient: func(cfg aws.Config) any { return lambda.NewFromConfig(cfg) }},
}

// KnownAction reports whether action (camelCase, as in the resource
// ARN: getObject) is an action of service (s3, sfn, kms, ...) in the registry, so
// that a definition can be checked before it runs.
func KnownAction(service, action string) bool {
	_, err := operationOf(service, action)
	return err == nil
}

// shapeS3 gives GetObject and HeadObject results the Metadata map AWS
// always returns ({} with no x-amz-meta- headers; the SDK for Go leaves it
// nil), and puts GetObject's Body last, where AWS puts it (conformance
// test_s3_get_object).
func shapeS3(out any, o *jsonval.Object) *jsonval.Object {
	switch out.(type) {
	case *s3.GetObjectOutput, *s3.HeadObjectOutput:
	default:
		return o
	}
	keys := o.Keys()
	if !o.Has("Metadata") {
		keys = append(keys, "Metadata")
	}
	slices.SortFunc(keys, func(a, b string) int {
		switch {
		case a == b:
			return 0
		case a == "Body":
			return 1
		case b == "Body":
			return -1
		}
		return strings.Compare(a, b)
	})
	shaped := jsonval.NewObject(len(keys))
	for _, k := range keys {
		v, ok := o.Get(k)
		if !ok {
			v = jsonval.NewObject(0)
		}
		shaped.Set(k, v)
	}
	return shaped
}
