package sdk

import (
	"context"
	"encoding/base64"
	"maps"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/appconfig"
	"github.com/aws/aws-sdk-go-v2/service/athena"
	"github.com/aws/aws-sdk-go-v2/service/batch"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/codebuild"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/emr"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/firehose"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kafka"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/rdsdata"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/scheduler"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sns"
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
	// is the name of the AWS SDK for Java 2.x client behind Step
	// Functions (the "Exception prefix" column of AWS's table of AWS SDK
	// integrations), whose base exception, errorName+"Exception", names
	// the errors the service's model does not list.
	errorName string
	// endpoint is the key of the service's endpoint in
	// [Config.Endpoints] when it is not the service's name: "events" for
	// eventbridge, the key tasks/awsservice's events:putEvents reads too.
	endpoint string
	// newClient builds the service's SDK client from cfg, whose
	// BaseEndpoint names a compatible server (nil for AWS).
	newClient func(cfg aws.Config) any
	// ops are the service's operations by camelCase action, generated
	// from the client (ops_gen.go).
	ops map[string]operation
	// missing, when set, is why this binary cannot call the service (it
	// was built without its client): the cause of every call's failure.
	missing string
	// prepare, when set, adjusts a Task's parameters for an action
	// before they are decoded, where Step Functions takes a member in
	// another form than the SDK for Go's input type.
	prepare func(action string, params any) any
	// shape, when set, adjusts an encoded result to what AWS returns
	// where the SDK for Go differs from the SDK for Java behind Step
	// Functions.
	shape func(out any, o *jsonval.Object) *jsonval.Object
}

// endpointKey is the key of the service's endpoint in [Config.Endpoints].
func (s service) endpointKey(name string) string {
	if s.endpoint != "" {
		return s.endpoint
	}
	return name
}

// linkedServices are the services of every build, by the service name of
// aws-sdk resources. dynamodb and sqs are not among them: tasks/awsservice
// carries out every one of their actions (their action lists are in the
// resource package, for validation). sns, eventbridge and sesv2 are here
// for the actions tasks/awsservice does not carry out ([Handles]).
var linkedServices = map[string]service{
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
	"lambda":                  {errorName: "Lambda", ops: lambdaOps, prepare: jsonBlob("invoke", "Payload"), shape: shapeLambda, newClient: func(cfg aws.Config) any { return lambda.NewFromConfig(cfg) }},
	"appconfig":               {errorName: "AppConfig", ops: appconfigOps, newClient: func(cfg aws.Config) any { return appconfig.NewFromConfig(cfg) }},
	"athena":                  {errorName: "Athena", ops: athenaOps, newClient: func(cfg aws.Config) any { return athena.NewFromConfig(cfg) }},
	"batch":                   {errorName: "Batch", ops: batchOps, newClient: func(cfg aws.Config) any { return batch.NewFromConfig(cfg) }},
	"codebuild":               {errorName: "CodeBuild", ops: codebuildOps, newClient: func(cfg aws.Config) any { return codebuild.NewFromConfig(cfg) }},
	"emr":                     {errorName: "Emr", ops: emrOps, newClient: func(cfg aws.Config) any { return emr.NewFromConfig(cfg) }},
	"bedrockruntime":          {errorName: "BedrockRuntime", ops: bedrockruntimeOps, prepare: jsonBlob("invokeModel", "Body"), shape: shapeBedrockRuntime, newClient: func(cfg aws.Config) any { return bedrockruntime.NewFromConfig(cfg) }},
	"cloudwatch":              {errorName: "CloudWatch", ops: cloudwatchOps, newClient: func(cfg aws.Config) any { return cloudwatch.NewFromConfig(cfg) }},
	"cloudwatchlogs":          {errorName: "CloudWatchLogs", ops: cloudwatchlogsOps, newClient: func(cfg aws.Config) any { return cloudwatchlogs.NewFromConfig(cfg) }},
	"cognitoidentityprovider": {errorName: "CognitoIdentityProvider", ops: cognitoidentityproviderOps, newClient: func(cfg aws.Config) any { return cognitoidentityprovider.NewFromConfig(cfg) }},
	"ecr":                     {errorName: "Ecr", ops: ecrOps, newClient: func(cfg aws.Config) any { return ecr.NewFromConfig(cfg) }},
	"ecs":                     {errorName: "Ecs", ops: ecsOps, newClient: func(cfg aws.Config) any { return ecs.NewFromConfig(cfg) }},
	"eventbridge":             {errorName: "EventBridge", endpoint: "events", ops: eventbridgeOps, newClient: func(cfg aws.Config) any { return eventbridge.NewFromConfig(cfg) }},
	"firehose":                {errorName: "Firehose", ops: firehoseOps, newClient: func(cfg aws.Config) any { return firehose.NewFromConfig(cfg) }},
	"glue":                    {errorName: "Glue", ops: glueOps, newClient: func(cfg aws.Config) any { return glue.NewFromConfig(cfg) }},
	"iam":                     {errorName: "Iam", ops: iamOps, newClient: func(cfg aws.Config) any { return iam.NewFromConfig(cfg) }},
	"kafka":                   {errorName: "Kafka", ops: kafkaOps, newClient: func(cfg aws.Config) any { return kafka.NewFromConfig(cfg) }},
	"kinesis":                 {errorName: "Kinesis", ops: kinesisOps, newClient: func(cfg aws.Config) any { return kinesis.NewFromConfig(cfg) }},
	"rdsdata":                 {errorName: "RdsData", ops: rdsdataOps, newClient: func(cfg aws.Config) any { return rdsdata.NewFromConfig(cfg) }},
	"scheduler":               {errorName: "Scheduler", ops: schedulerOps, newClient: func(cfg aws.Config) any { return scheduler.NewFromConfig(cfg) }},
	"sesv2":                   {errorName: "SesV2", ops: sesv2Ops, newClient: func(cfg aws.Config) any { return sesv2.NewFromConfig(cfg) }},
	"sns":                     {errorName: "Sns", ops: snsOps, newClient: func(cfg aws.Config) any { return sns.NewFromConfig(cfg) }},
}

// optionalServices are the services linked only with a build tag
// (stepwise_bedrock, stepwise_ec2, stepwise_sagemaker): this build either
// links each (registry_NAME.go) or knows it only by name
// (registry_noNAME.go), so that its Tasks fail saying how to get it.
var optionalServices = map[string]service{"bedrock": bedrockService, "ec2": ec2Service, "sagemaker": sagemakerService}

// optionalUnions are the unions of the optional services this build
// links: for each union interface, its member types by member name.
var optionalUnions = func() map[reflect.Type]map[string]reflect.Type {
	all := maps.Clone(ec2Unions)
	maps.Copy(all, sagemakerUnions)
	maps.Copy(all, bedrockUnions)
	return all
}()

// services is the registry: the linked services and the optional ones.
var services = func() map[string]service {
	all := maps.Clone(linkedServices)
	maps.Copy(all, optionalServices)
	return all
}()

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

// jsonBlob returns the prepare of a service whose action takes a JSON
// document in the blob member, as Step Functions takes a JSON payload: a
// JSON object or array as its JSON text, a string as its text. The SDK's
// input type holds the member as a blob, which [Decode] would otherwise
// read only as base64. Bedrock Runtime's InvokeModel Body and Lambda's
// Invoke Payload are such members.
func jsonBlob(action, member string) func(string, any) any {
	return func(a string, params any) any {
		o, ok := params.(*jsonval.Object)
		if a != action || !ok {
			return params
		}
		v, ok := o.Get(member)
		if !ok || v == nil {
			return params
		}
		text, ok := v.(string)
		if !ok {
			var err error
			if text, err = jsonval.MarshalString(v); err != nil {
				return params
			}
		}
		c := jsonval.NewObject(o.Len())
		for k, e := range o.All() {
			c.Set(k, e)
		}
		c.Set(member, textBlob(text))
		return c
	}
}

// shapeBedrockRuntime returns InvokeModel's Body, the model's JSON
// answer, as its text (escaped JSON, as Step Functions returns Lambda's
// Payload from aws-sdk:lambda:invoke) rather than as base64; a body that
// is not UTF-8 text stays base64.
func shapeBedrockRuntime(out any, o *jsonval.Object) *jsonval.Object {
	if r, ok := out.(*bedrockruntime.InvokeModelOutput); ok {
		setText(o, "Body", r.Body)
	}
	return o
}

// shapeLambda returns Invoke's Payload, the function's JSON result, as
// its text: AWS documents that its optimized lambda:invoke differs from
// aws-sdk:lambda:invoke in parsing the Payload "from escaped Json to
// Json", so the AWS SDK integration returns it as escaped JSON.
func shapeLambda(out any, o *jsonval.Object) *jsonval.Object {
	if r, ok := out.(*lambda.InvokeOutput); ok {
		setText(o, "Payload", r.Payload)
	}
	return o
}

// setText sets o's member to b as text, when b is UTF-8 text; otherwise
// it stays as [Encode] wrote it, base64.
func setText(o *jsonval.Object, member string, b []byte) {
	if b != nil && utf8.Valid(b) {
		o.Set(member, string(b))
	}
}

// textBlob is text as [Decode] reads a blob member: base64.
func textBlob(text string) string { return base64.StdEncoding.EncodeToString([]byte(text)) }
