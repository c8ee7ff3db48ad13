package sdk

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/appconfig"
	"github.com/aws/aws-sdk-go-v2/service/athena"
	athenatypes "github.com/aws/aws-sdk-go-v2/service/athena/types"
	"github.com/aws/aws-sdk-go-v2/service/batch"
	batchtypes "github.com/aws/aws-sdk-go-v2/service/batch/types"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/codebuild"
	cbtypes "github.com/aws/aws-sdk-go-v2/service/codebuild/types"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	cogtypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/emr"
	emrtypes "github.com/aws/aws-sdk-go-v2/service/emr/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/firehose"
	firehosetypes "github.com/aws/aws-sdk-go-v2/service/firehose/types"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	gluetypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/kafka"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	kinesistypes "github.com/aws/aws-sdk-go-v2/service/kinesis/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/rdsdata"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rdsdata/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/scheduler"
	schedtypes "github.com/aws/aws-sdk-go-v2/service/scheduler/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	sestypes "github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"stepwise/jsonval"
)

// t0 and t1 are timestamps of the documented examples below.
var (
	t0 = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	t1 = time.Date(2024, 1, 2, 3, 4, 6, 123e6, time.UTC)
)

// codecCase is one action of an included service: the parameters a Task
// writes for it (as the service's API reference documents its request,
// members in PascalCase), the SDK input they must decode into, an SDK
// output as the service answers it (the API reference's example
// response), and the Task result Step Functions returns for it.
type codecCase struct {
	service, action string
	params          string
	want            any // a pointer to the expected XInput
	out             any // a pointer to an XOutput
	result          string
}

// codecCases cover every service tasks/sdk includes; TestCodecTable fails
// when one has no case.
var codecCases = []codecCase{
	{service: "appconfig", action: "createApplication",
		params: `{"Name":"example-application","Description":"An application used for creating an example."}`,
		want:   &appconfig.CreateApplicationInput{Name: aws.String("example-application"), Description: aws.String("An application used for creating an example.")},
		out:    &appconfig.CreateApplicationOutput{Id: aws.String("339ohji"), Name: aws.String("example-application"), Description: aws.String("An application used for creating an example.")},
		result: `{"Description":"An application used for creating an example.","Id":"339ohji","Name":"example-application"}`},
	// CodeBuild's JSON protocol has camelCase members; Step Functions
	// takes them in PascalCase, as the SDK's member names are.
	{service: "codebuild", action: "startBuild",
		params: `{"ProjectName":"my-project","SourceVersion":"main","EnvironmentVariablesOverride":[{"Name":"STAGE","Type":"PLAINTEXT","Value":"test"}]}`,
		want: &codebuild.StartBuildInput{ProjectName: aws.String("my-project"), SourceVersion: aws.String("main"),
			EnvironmentVariablesOverride: []cbtypes.EnvironmentVariable{{Name: aws.String("STAGE"), Type: cbtypes.EnvironmentVariableTypePlaintext, Value: aws.String("test")}}},
		out: &codebuild.StartBuildOutput{Build: &cbtypes.Build{Id: aws.String("my-project:b1"), Arn: aws.String("arn:aws:codebuild:us-east-1:123456789012:build/my-project:b1"),
			BuildStatus: cbtypes.StatusTypeInProgress, CurrentPhase: aws.String("QUEUED"), StartTime: &t0, BuildComplete: false}},
		result: `{"Build":{"Arn":"arn:aws:codebuild:us-east-1:123456789012:build/my-project:b1","BuildComplete":false,"BuildStatus":"IN_PROGRESS","CurrentPhase":"QUEUED","Id":"my-project:b1","StartTime":"2024-01-02T03:04:05Z"}}`},
	{service: "emr", action: "addJobFlowSteps",
		params: `{"JobFlowId":"j-1K48XXXXXXHCB","Steps":[{"Name":"step","ActionOnFailure":"CONTINUE","HadoopJarStep":{"Jar":"command-runner.jar","Args":["spark-submit","s3://b/app.py"]}}]}`,
		want: &emr.AddJobFlowStepsInput{JobFlowId: aws.String("j-1K48XXXXXXHCB"), Steps: []emrtypes.StepConfig{{Name: aws.String("step"), ActionOnFailure: emrtypes.ActionOnFailureContinue,
			HadoopJarStep: &emrtypes.HadoopJarStepConfig{Jar: aws.String("command-runner.jar"), Args: []string{"spark-submit", "s3://b/app.py"}}}}},
		out:    &emr.AddJobFlowStepsOutput{StepIds: []string{"s-1XXXXXXXXXXA"}},
		result: `{"StepIds":["s-1XXXXXXXXXXA"]}`},
	{service: "athena", action: "startQueryExecution",
		params: `{"QueryString":"SELECT * FROM logs LIMIT 10","QueryExecutionContext":{"Database":"mydatabase"},"ResultConfiguration":{"OutputLocation":"s3://amzn-s3-demo-bucket/results/"},"WorkGroup":"primary"}`,
		want: &athena.StartQueryExecutionInput{QueryString: aws.String("SELECT * FROM logs LIMIT 10"), QueryExecutionContext: &athenatypes.QueryExecutionContext{Database: aws.String("mydatabase")},
			ResultConfiguration: &athenatypes.ResultConfiguration{OutputLocation: aws.String("s3://amzn-s3-demo-bucket/results/")}, WorkGroup: aws.String("primary")},
		out: &athena.GetQueryExecutionOutput{QueryExecution: &athenatypes.QueryExecution{QueryExecutionId: aws.String("a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"), Query: aws.String("SELECT 1"),
			StatementType: athenatypes.StatementTypeDml, Status: &athenatypes.QueryExecutionStatus{State: athenatypes.QueryExecutionStateSucceeded, SubmissionDateTime: &t0, CompletionDateTime: &t1}}},
		result: `{"QueryExecution":{"Query":"SELECT 1","QueryExecutionId":"a1b2c3d4-5678-90ab-cdef-EXAMPLE11111","StatementType":"DML",` +
			`"Status":{"CompletionDateTime":"2024-01-02T03:04:06.123Z","State":"SUCCEEDED","SubmissionDateTime":"2024-01-02T03:04:05Z"}}}`},
	{service: "batch", action: "submitJob",
		params: `{"JobName":"example","JobQueue":"HighPriority","JobDefinition":"sleep60","Parameters":{"seconds":"30"},"ContainerOverrides":{"Command":["sleep","30"],"Environment":[{"Name":"MODE","Value":"test"}]},"RetryStrategy":{"Attempts":2}}`,
		want: &batch.SubmitJobInput{JobName: aws.String("example"), JobQueue: aws.String("HighPriority"), JobDefinition: aws.String("sleep60"), Parameters: map[string]string{"seconds": "30"},
			ContainerOverrides: &batchtypes.ContainerOverrides{Command: []string{"sleep", "30"}, Environment: []batchtypes.KeyValuePair{{Name: aws.String("MODE"), Value: aws.String("test")}}},
			RetryStrategy:      &batchtypes.RetryStrategy{Attempts: aws.Int32(2)}},
		out:    &batch.SubmitJobOutput{JobArn: aws.String("arn:aws:batch:us-east-1:123456789012:job/876da822-4198-45f2-a252-6cea32512ea8"), JobId: aws.String("876da822-4198-45f2-a252-6cea32512ea8"), JobName: aws.String("example")},
		result: `{"JobArn":"arn:aws:batch:us-east-1:123456789012:job/876da822-4198-45f2-a252-6cea32512ea8","JobId":"876da822-4198-45f2-a252-6cea32512ea8","JobName":"example"}`},
	// Bedrock Runtime's InvokeModel Body is the model's JSON document both
	// ways: a JSON object in the Task, escaped JSON text in the result.
	{service: "bedrockruntime", action: "invokeModel",
		params: `{"ModelId":"anthropic.claude-3-haiku-20240307-v1:0","ContentType":"application/json","Accept":"application/json","Body":{"anthropic_version":"bedrock-2023-05-31","max_tokens":200,"messages":[{"role":"user","content":"Hello"}]}}`,
		want: &bedrockruntime.InvokeModelInput{ModelId: aws.String("anthropic.claude-3-haiku-20240307-v1:0"), ContentType: aws.String("application/json"), Accept: aws.String("application/json"),
			Body: []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":200,"messages":[{"role":"user","content":"Hello"}]}`)},
		out:    &bedrockruntime.InvokeModelOutput{ContentType: aws.String("application/json"), Body: []byte(`{"id":"msg_1","type":"message","content":[{"type":"text","text":"Hi!"}]}`)},
		result: `{"Body":"{\"id\":\"msg_1\",\"type\":\"message\",\"content\":[{\"type\":\"text\",\"text\":\"Hi!\"}]}","ContentType":"application/json"}`},
	{service: "cloudwatch", action: "putMetricData",
		params: `{"Namespace":"MyApp","MetricData":[{"MetricName":"Latency","Value":12.5,"Unit":"Milliseconds","Timestamp":"2024-01-02T03:04:05Z","Dimensions":[{"Name":"Env","Value":"prod"}]}]}`,
		want: &cloudwatch.PutMetricDataInput{Namespace: aws.String("MyApp"), MetricData: []cwtypes.MetricDatum{{MetricName: aws.String("Latency"), Value: aws.Float64(12.5),
			Unit: cwtypes.StandardUnitMilliseconds, Timestamp: &t0, Dimensions: []cwtypes.Dimension{{Name: aws.String("Env"), Value: aws.String("prod")}}}}},
		out:    &cloudwatch.GetMetricStatisticsOutput{Label: aws.String("Latency"), Datapoints: []cwtypes.Datapoint{{Timestamp: &t0, Average: aws.Float64(12.5), SampleCount: aws.Float64(3), Unit: cwtypes.StandardUnitMilliseconds}}},
		result: `{"Datapoints":[{"Average":12.5,"SampleCount":3,"Timestamp":"2024-01-02T03:04:05Z","Unit":"Milliseconds"}],"Label":"Latency"}`},
	// CloudWatch Logs' timestamps are epoch milliseconds, numbers both ways.
	{service: "cloudwatchlogs", action: "putLogEvents",
		params: `{"LogGroupName":"my-log-group","LogStreamName":"my-log-stream","LogEvents":[{"Timestamp":1396035378988,"Message":"Example event 1"}]}`,
		want: &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("my-log-group"), LogStreamName: aws.String("my-log-stream"),
			LogEvents: []logstypes.InputLogEvent{{Timestamp: aws.Int64(1396035378988), Message: aws.String("Example event 1")}}},
		out:    &cloudwatchlogs.GetLogEventsOutput{Events: []logstypes.OutputLogEvent{{IngestionTime: aws.Int64(1396035394997), Message: aws.String("Example event 1"), Timestamp: aws.Int64(1396035378988)}}, NextForwardToken: aws.String("f/31132629274945519779805322857203735586714454643391594505")},
		result: `{"Events":[{"IngestionTime":1396035394997,"Message":"Example event 1","Timestamp":1396035378988}],"NextForwardToken":"f/31132629274945519779805322857203735586714454643391594505"}`},
	{service: "cognitoidentityprovider", action: "adminGetUser",
		params: `{"UserPoolId":"us-east-1_EXAMPLE","Username":"testuser"}`,
		want:   &cognitoidentityprovider.AdminGetUserInput{UserPoolId: aws.String("us-east-1_EXAMPLE"), Username: aws.String("testuser")},
		out: &cognitoidentityprovider.AdminGetUserOutput{Enabled: true, UserAttributes: []cogtypes.AttributeType{{Name: aws.String("email"), Value: aws.String("testuser@example.com")}},
			UserCreateDate: &t0, UserLastModifiedDate: &t1, UserStatus: cogtypes.UserStatusTypeConfirmed, Username: aws.String("testuser")},
		result: `{"Enabled":true,"UserAttributes":[{"Name":"email","Value":"testuser@example.com"}],"UserCreateDate":"2024-01-02T03:04:05Z","UserLastModifiedDate":"2024-01-02T03:04:06.123Z","UserStatus":"CONFIRMED","Username":"testuser"}`},
	{service: "ecr", action: "describeRepositories",
		params: `{"RepositoryNames":["ubuntu"],"MaxResults":10}`,
		want:   &ecr.DescribeRepositoriesInput{RepositoryNames: []string{"ubuntu"}, MaxResults: aws.Int32(10)},
		out: &ecr.DescribeRepositoriesOutput{Repositories: []ecrtypes.Repository{{CreatedAt: &t0, ImageTagMutability: ecrtypes.ImageTagMutabilityMutable, RegistryId: aws.String("012345678910"),
			RepositoryArn: aws.String("arn:aws:ecr:us-west-2:012345678910:repository/ubuntu"), RepositoryName: aws.String("ubuntu"), RepositoryUri: aws.String("012345678910.dkr.ecr.us-west-2.amazonaws.com/ubuntu")}}},
		result: `{"Repositories":[{"CreatedAt":"2024-01-02T03:04:05Z","ImageTagMutability":"MUTABLE","RegistryId":"012345678910","RepositoryArn":"arn:aws:ecr:us-west-2:012345678910:repository/ubuntu",` +
			`"RepositoryName":"ubuntu","RepositoryUri":"012345678910.dkr.ecr.us-west-2.amazonaws.com/ubuntu"}]}`},
	{service: "ecs", action: "runTask",
		params: `{"Cluster":"default","TaskDefinition":"sleep360:1","Count":1,"LaunchType":"FARGATE","NetworkConfiguration":{"AwsvpcConfiguration":{"Subnets":["subnet-12344321"],"AssignPublicIp":"ENABLED"}},` +
			`"Overrides":{"ContainerOverrides":[{"Name":"app","Command":["echo","hi"],"Environment":[{"Name":"MODE","Value":"test"}]}]}}`,
		want: &ecs.RunTaskInput{Cluster: aws.String("default"), TaskDefinition: aws.String("sleep360:1"), Count: aws.Int32(1), LaunchType: ecstypes.LaunchTypeFargate,
			NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: []string{"subnet-12344321"}, AssignPublicIp: ecstypes.AssignPublicIpEnabled}},
			Overrides:            &ecstypes.TaskOverride{ContainerOverrides: []ecstypes.ContainerOverride{{Name: aws.String("app"), Command: []string{"echo", "hi"}, Environment: []ecstypes.KeyValuePair{{Name: aws.String("MODE"), Value: aws.String("test")}}}}}},
		out: &ecs.RunTaskOutput{Tasks: []ecstypes.Task{{TaskArn: aws.String("arn:aws:ecs:us-east-1:012345678910:task/default/a1b2c3d4"), ClusterArn: aws.String("arn:aws:ecs:us-east-1:012345678910:cluster/default"),
			LastStatus: aws.String("PROVISIONING"), DesiredStatus: aws.String("RUNNING"), LaunchType: ecstypes.LaunchTypeFargate, CreatedAt: &t0, Version: 1}}, Failures: []ecstypes.Failure{}},
		result: `{"Failures":[],"Tasks":[{"ClusterArn":"arn:aws:ecs:us-east-1:012345678910:cluster/default","CreatedAt":"2024-01-02T03:04:05Z","DesiredStatus":"RUNNING","EnableExecuteCommand":false,` +
			`"LastStatus":"PROVISIONING","LaunchType":"FARGATE","TaskArn":"arn:aws:ecs:us-east-1:012345678910:task/default/a1b2c3d4","Version":1}]}`},
	{service: "eventbridge", action: "listRules",
		params: `{"NamePrefix":"my","EventBusName":"default","Limit":5}`,
		want:   &eventbridge.ListRulesInput{NamePrefix: aws.String("my"), EventBusName: aws.String("default"), Limit: aws.Int32(5)},
		out: &eventbridge.ListRulesOutput{Rules: []ebtypes.Rule{{Name: aws.String("my-rule"), Arn: aws.String("arn:aws:events:us-east-1:123456789012:rule/my-rule"),
			EventPattern: aws.String(`{"source":["aws.ec2"]}`), State: ebtypes.RuleStateEnabled, EventBusName: aws.String("default")}}},
		result: `{"Rules":[{"Arn":"arn:aws:events:us-east-1:123456789012:rule/my-rule","EventBusName":"default","EventPattern":"{\"source\":[\"aws.ec2\"]}","Name":"my-rule","State":"ENABLED"}]}`},
	// Firehose's Data is a blob: base64 text both ways.
	{service: "firehose", action: "putRecord",
		params: `{"DeliveryStreamName":"my-stream","Record":{"Data":"aGVsbG8K"}}`,
		want:   &firehose.PutRecordInput{DeliveryStreamName: aws.String("my-stream"), Record: &firehosetypes.Record{Data: []byte("hello\n")}},
		out:    &firehose.PutRecordOutput{RecordId: aws.String("49543463076548007577105092703039560359975228518395012686"), Encrypted: aws.Bool(false)},
		result: `{"Encrypted":false,"RecordId":"49543463076548007577105092703039560359975228518395012686"}`},
	// The SDK for Go holds some members as plain numbers (JobRun's
	// deprecated AllocatedCapacity, Attempt), so a 0 the service did not
	// send is written as 0.
	{service: "glue", action: "startJobRun",
		params: `{"JobName":"etl","Arguments":{"--day":"2024-01-02"},"WorkerType":"G.1X","NumberOfWorkers":2,"Timeout":60}`,
		want: &glue.StartJobRunInput{JobName: aws.String("etl"), Arguments: map[string]string{"--day": "2024-01-02"}, WorkerType: gluetypes.WorkerTypeG1x,
			NumberOfWorkers: aws.Int32(2), Timeout: aws.Int32(60)},
		out: &glue.GetJobRunOutput{JobRun: &gluetypes.JobRun{Id: aws.String("jr_0123"), JobName: aws.String("etl"), JobRunState: gluetypes.JobRunStateSucceeded,
			StartedOn: &t0, CompletedOn: &t1, ExecutionTime: 1, Attempt: 0, MaxCapacity: aws.Float64(2)}},
		result: `{"JobRun":{"AllocatedCapacity":0,"Attempt":0,"CompletedOn":"2024-01-02T03:04:06.123Z","ExecutionTime":1,"Id":"jr_0123","JobName":"etl","JobRunState":"SUCCEEDED","MaxCapacity":2,"StartedOn":"2024-01-02T03:04:05Z"}}`},
	{service: "iam", action: "getRole",
		params: `{"RoleName":"Test-Role"}`,
		want:   &iam.GetRoleInput{RoleName: aws.String("Test-Role")},
		out: &iam.GetRoleOutput{Role: &iamtypes.Role{Path: aws.String("/"), RoleName: aws.String("Test-Role"), RoleId: aws.String("AROADBQP57FF2AEXAMPLE"),
			Arn: aws.String("arn:aws:iam::123456789012:role/Test-Role"), CreateDate: &t0, MaxSessionDuration: aws.Int32(3600)}},
		result: `{"Role":{"Arn":"arn:aws:iam::123456789012:role/Test-Role","CreateDate":"2024-01-02T03:04:05Z","MaxSessionDuration":3600,"Path":"/","RoleId":"AROADBQP57FF2AEXAMPLE","RoleName":"Test-Role"}}`},
	{service: "kafka", action: "getBootstrapBrokers",
		params: `{"ClusterArn":"arn:aws:kafka:us-east-1:123456789012:cluster/demo/abcd-1234"}`,
		want:   &kafka.GetBootstrapBrokersInput{ClusterArn: aws.String("arn:aws:kafka:us-east-1:123456789012:cluster/demo/abcd-1234")},
		out:    &kafka.GetBootstrapBrokersOutput{BootstrapBrokerString: aws.String("b-1.demo.abcd.kafka.us-east-1.amazonaws.com:9092"), BootstrapBrokerStringTls: aws.String("b-1.demo.abcd.kafka.us-east-1.amazonaws.com:9094")},
		result: `{"BootstrapBrokerString":"b-1.demo.abcd.kafka.us-east-1.amazonaws.com:9092","BootstrapBrokerStringTls":"b-1.demo.abcd.kafka.us-east-1.amazonaws.com:9094"}`},
	{service: "kinesis", action: "putRecord",
		params: `{"StreamName":"my-stream","Data":"aGVsbG8=","PartitionKey":"pk-1"}`,
		want:   &kinesis.PutRecordInput{StreamName: aws.String("my-stream"), Data: []byte("hello"), PartitionKey: aws.String("pk-1")},
		out:    &kinesis.PutRecordOutput{SequenceNumber: aws.String("49590338271490256608559692538361571095921575989136588898"), ShardId: aws.String("shardId-000000000000"), EncryptionType: kinesistypes.EncryptionTypeNone},
		result: `{"EncryptionType":"NONE","SequenceNumber":"49590338271490256608559692538361571095921575989136588898","ShardId":"shardId-000000000000"}`},
	{service: "kms", action: "describeKey",
		params: `{"KeyId":"alias/ExampleAlias"}`,
		want:   &kms.DescribeKeyInput{KeyId: aws.String("alias/ExampleAlias")},
		out: &kms.DescribeKeyOutput{KeyMetadata: &kmstypes.KeyMetadata{KeyId: aws.String("1234abcd-12ab-34cd-56ef-1234567890ab"), CreationDate: &t0, Enabled: true,
			KeyState: kmstypes.KeyStateEnabled, KeyUsage: kmstypes.KeyUsageTypeEncryptDecrypt}},
		result: `{"KeyMetadata":{"CreationDate":"2024-01-02T03:04:05Z","Enabled":true,"KeyId":"1234abcd-12ab-34cd-56ef-1234567890ab","KeyState":"Enabled","KeyUsage":"ENCRYPT_DECRYPT"}}`},
	{service: "lambda", action: "listFunctions",
		params: `{"MaxItems":10}`,
		want:   &lambda.ListFunctionsInput{MaxItems: aws.Int32(10)},
		out:    &lambda.ListFunctionsOutput{Functions: []lambdatypes.FunctionConfiguration{{FunctionName: aws.String("my-function"), Runtime: lambdatypes.RuntimeNodejs20x, CodeSize: 304}}},
		result: `{"Functions":[{"CodeSize":304,"FunctionName":"my-function","Runtime":"nodejs20.x"}]}`},
	// Lambda's Invoke Payload is the function's JSON event and result: a
	// JSON object in the Task, escaped JSON text in the result, as AWS
	// documents aws-sdk:lambda:invoke (tasks/lambda's lambda:invoke
	// parses it).
	{service: "lambda", action: "invoke",
		params: `{"FunctionName":"my-function","InvocationType":"RequestResponse","Payload":{"order":42}}`,
		want:   &lambda.InvokeInput{FunctionName: aws.String("my-function"), InvocationType: lambdatypes.InvocationTypeRequestResponse, Payload: []byte(`{"order":42}`)},
		out:    &lambda.InvokeOutput{StatusCode: 200, ExecutedVersion: aws.String("$LATEST"), Payload: []byte(`{"charged":true}`)},
		result: `{"ExecutedVersion":"$LATEST","Payload":"{\"charged\":true}","StatusCode":200}`},
	// RDS Data's Field is a union: each value an object of the one member
	// set.
	{service: "rdsdata", action: "executeStatement",
		params: `{"ResourceArn":"arn:aws:rds:us-east-1:123456789012:cluster:my-cluster","SecretArn":"arn:aws:secretsmanager:us-east-1:123456789012:secret:my-secret","Sql":"select id, name from users","Database":"app","IncludeResultMetadata":false}`,
		want: &rdsdata.ExecuteStatementInput{ResourceArn: aws.String("arn:aws:rds:us-east-1:123456789012:cluster:my-cluster"), SecretArn: aws.String("arn:aws:secretsmanager:us-east-1:123456789012:secret:my-secret"),
			Sql: aws.String("select id, name from users"), Database: aws.String("app"), IncludeResultMetadata: false},
		out:    &rdsdata.ExecuteStatementOutput{Records: [][]rdstypes.Field{{&rdstypes.FieldMemberLongValue{Value: 1}, &rdstypes.FieldMemberStringValue{Value: "Ada"}, &rdstypes.FieldMemberIsNull{Value: true}}}},
		result: `{"NumberOfRecordsUpdated":0,"Records":[[{"LongValue":1},{"StringValue":"Ada"},{"IsNull":true}]]}`},
	{service: "s3", action: "listObjectsV2",
		params: `{"Bucket":"amzn-s3-demo-bucket","Prefix":"photos/","MaxKeys":2}`,
		want:   &s3.ListObjectsV2Input{Bucket: aws.String("amzn-s3-demo-bucket"), Prefix: aws.String("photos/"), MaxKeys: aws.Int32(2)},
		out: &s3.ListObjectsV2Output{Name: aws.String("amzn-s3-demo-bucket"), Prefix: aws.String("photos/"), KeyCount: aws.Int32(1), MaxKeys: aws.Int32(2), IsTruncated: aws.Bool(false),
			Contents: []s3types.Object{{Key: aws.String("photos/2006/a.jpg"), LastModified: &t0, ETag: aws.String(`"599bab3ed2c697f1d26842727561fd94"`), Size: aws.Int64(857), StorageClass: s3types.ObjectStorageClassStandard}}},
		result: `{"Contents":[{"ETag":"\"599bab3ed2c697f1d26842727561fd94\"","Key":"photos/2006/a.jpg","LastModified":"2024-01-02T03:04:05Z","Size":857,"StorageClass":"STANDARD"}],` +
			`"IsTruncated":false,"KeyCount":1,"MaxKeys":2,"Name":"amzn-s3-demo-bucket","Prefix":"photos/"}`},
	{service: "scheduler", action: "createSchedule",
		params: `{"Name":"every-5-minutes","ScheduleExpression":"rate(5 minutes)","FlexibleTimeWindow":{"Mode":"OFF"},"Target":{"Arn":"arn:aws:sqs:us-east-1:123456789012:q","RoleArn":"arn:aws:iam::123456789012:role/r","Input":"{}"}}`,
		want: &scheduler.CreateScheduleInput{Name: aws.String("every-5-minutes"), ScheduleExpression: aws.String("rate(5 minutes)"), FlexibleTimeWindow: &schedtypes.FlexibleTimeWindow{Mode: schedtypes.FlexibleTimeWindowModeOff},
			Target: &schedtypes.Target{Arn: aws.String("arn:aws:sqs:us-east-1:123456789012:q"), RoleArn: aws.String("arn:aws:iam::123456789012:role/r"), Input: aws.String("{}")}},
		out:    &scheduler.CreateScheduleOutput{ScheduleArn: aws.String("arn:aws:scheduler:us-east-1:123456789012:schedule/default/every-5-minutes")},
		result: `{"ScheduleArn":"arn:aws:scheduler:us-east-1:123456789012:schedule/default/every-5-minutes"}`},
	{service: "secretsmanager", action: "getSecretValue",
		params: `{"SecretId":"MyTestDatabaseSecret"}`,
		want:   &secretsmanager.GetSecretValueInput{SecretId: aws.String("MyTestDatabaseSecret")},
		out:    &secretsmanager.GetSecretValueOutput{Name: aws.String("MyTestDatabaseSecret"), SecretString: aws.String(`{"password":"x"}`), CreatedDate: &t1},
		result: `{"CreatedDate":"2024-01-02T03:04:06.123Z","Name":"MyTestDatabaseSecret","SecretString":"{\"password\":\"x\"}"}`},
	{service: "sesv2", action: "listEmailIdentities",
		params: `{"PageSize":10}`,
		want:   &sesv2.ListEmailIdentitiesInput{PageSize: aws.Int32(10)},
		out: &sesv2.ListEmailIdentitiesOutput{EmailIdentities: []sestypes.IdentityInfo{{IdentityName: aws.String("example.com"), IdentityType: sestypes.IdentityTypeDomain,
			SendingEnabled: true, VerificationStatus: sestypes.VerificationStatusSuccess}}},
		result: `{"EmailIdentities":[{"IdentityName":"example.com","IdentityType":"DOMAIN","SendingEnabled":true,"VerificationStatus":"SUCCESS"}]}`},
	{service: "sfn", action: "describeExecution",
		params: `{"ExecutionArn":"arn:aws:states:us-east-1:123456789012:execution:sm:e1"}`,
		want:   &sfn.DescribeExecutionInput{ExecutionArn: aws.String("arn:aws:states:us-east-1:123456789012:execution:sm:e1")},
		out: &sfn.DescribeExecutionOutput{ExecutionArn: aws.String("arn:aws:states:us-east-1:123456789012:execution:sm:e1"), StateMachineArn: aws.String("arn:aws:states:us-east-1:123456789012:stateMachine:sm"),
			Status: sfntypes.ExecutionStatusSucceeded, StartDate: &t0, StopDate: &t1, Output: aws.String(`{"ok":true}`)},
		result: `{"ExecutionArn":"arn:aws:states:us-east-1:123456789012:execution:sm:e1","Output":"{\"ok\":true}","StartDate":"2024-01-02T03:04:05Z",` +
			`"StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:sm","Status":"SUCCEEDED","StopDate":"2024-01-02T03:04:06.123Z"}`},
	{service: "sns", action: "createTopic",
		params: `{"Name":"my-topic","Attributes":{"DisplayName":"My topic"},"Tags":[{"Key":"team","Value":"a"}]}`,
		want:   &sns.CreateTopicInput{Name: aws.String("my-topic"), Attributes: map[string]string{"DisplayName": "My topic"}, Tags: []snstypes.Tag{{Key: aws.String("team"), Value: aws.String("a")}}},
		out:    &sns.CreateTopicOutput{TopicArn: aws.String("arn:aws:sns:us-east-1:123456789012:my-topic")},
		result: `{"TopicArn":"arn:aws:sns:us-east-1:123456789012:my-topic"}`},
	{service: "ssm", action: "getParameter",
		params: `{"Name":"/app/db","WithDecryption":true}`,
		want:   &ssm.GetParameterInput{Name: aws.String("/app/db"), WithDecryption: aws.Bool(true)},
		out:    &ssm.GetParameterOutput{},
		result: `{}`},
	{service: "sts", action: "getCallerIdentity",
		params: `{}`,
		want:   &sts.GetCallerIdentityInput{},
		out:    &sts.GetCallerIdentityOutput{Account: aws.String("123456789012"), Arn: aws.String("arn:aws:iam::123456789012:user/Alice"), UserId: aws.String("AIDACKCEVSQ6C2EXAMPLE")},
		result: `{"Account":"123456789012","Arn":"arn:aws:iam::123456789012:user/Alice","UserId":"AIDACKCEVSQ6C2EXAMPLE"}`},
}

// TestCodecTable decodes each case's parameters into its action's input,
// through the service's own preparation, and encodes its output, through
// the service's shaping, as Invoke does; every service this build calls
// has a case.
func TestCodecTable(t *testing.T) {
	covered := map[string]bool{}
	for _, tc := range slices.Concat(codecCases, ec2CodecCases, sagemakerCodecCases, bedrockCodecCases) {
		covered[tc.service] = true
		t.Run(tc.service+":"+tc.action, func(t *testing.T) {
			svc := services[tc.service]
			op, err := operationOf(tc.service, tc.action)
			if err != nil {
				t.Fatal(err)
			}
			got, err := svc.decode(op, tc.action, parse(t, tc.params))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("decoded input\n got %+v\nwant %+v", got, tc.want)
			}
			o, err := svc.encode(tc.out)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			if got := jsonval.MustMarshalString(o); got != tc.result {
				t.Errorf("result\n got %s\nwant %s", got, tc.result)
			}
		})
	}
	for _, name := range Included() {
		if !covered[name] {
			t.Errorf("%s has no case in codecCases", name)
		}
	}
}
