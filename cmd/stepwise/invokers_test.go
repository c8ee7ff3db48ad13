package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"stepwise/jsonval"
	"stepwise/tasks"
	"stepwise/tasks/awsservice"
	"stepwise/tasks/sdk"
)

// TestBuildRoutesSDKIntegrations sends aws-sdk:s3 Tasks to the endpoint
// --aws-endpoint s3=URL names (path-style: the bucket is in the path),
// and fails them, when no endpoint is given, with a cause saying how to
// give one or mock the state.
func TestBuildRoutesSDKIntegrations(t *testing.T) {
	var gotPath string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotPath = r.URL.Path
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>`)
	}))
	defer srv.Close()
	input, _ := jsonval.ParseString(`{"Bucket":"b","Key":"k"}`)
	req := tasks.Request{StateName: "Get", Resource: "arn:aws:states:::aws-sdk:s3:getObject", Input: input}

	inv, err := invokerOptions{awsEndpoints: endpointFlag{"s3": srv.URL}}.build()
	if err != nil {
		t.Fatal(err)
	}
	_, err = inv.Invoke(context.Background(), req)
	var te *tasks.Error
	if !errors.As(err, &te) || te.Name != "S3.NoSuchKeyException" || gotPath != "/b/k" {
		t.Errorf("with --aws-endpoint s3=URL: got %v at path %q, want S3.NoSuchKeyException at /b/k", err, gotPath)
	}

	inv, err = invokerOptions{}.build()
	if err != nil {
		t.Fatal(err)
	}
	_, err = inv.Invoke(context.Background(), req)
	if !errors.As(err, &te) || te.Name != tasks.ErrorTaskFailed || !strings.Contains(te.Cause, "--aws-endpoint s3=URL") || !strings.Contains(te.Cause, "--mock-config") {
		t.Errorf("with no endpoint: got %v, want States.TaskFailed saying how to configure or mock s3", err)
	}
}

// TestBuildRoutesSNS sends, with --aws-endpoint sns=URL, aws-sdk:sns
// actions tasks/awsservice does not carry out (listTopics) through the
// SDK's SNS client (tasks/sdk), and sns:publish, in both its forms, to
// tasks/awsservice, which keeps its recorded conformance: the SDK's
// client says so in its User-Agent.
func TestBuildRoutesSNS(t *testing.T) {
	var mu sync.Mutex
	agents := map[string]string{} // by the query protocol's Action
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		mu.Lock()
		agents[r.Form.Get("Action")] = r.UserAgent()
		mu.Unlock()
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>no</Message></Error><RequestId>R</RequestId></ErrorResponse>`)
	}))
	defer srv.Close()
	inv, err := invokerOptions{awsEndpoints: endpointFlag{"sns": srv.URL}}.build()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		resource, action string
		sdk              bool
	}{
		{"arn:aws:states:::aws-sdk:sns:listTopics", "ListTopics", true},
		{"arn:aws:states:::aws-sdk:sns:publish", "Publish", false},
		{"arn:aws:states:::sns:publish", "Publish", false},
	} {
		input, _ := jsonval.ParseString(`{"TopicArn":"arn:aws:sns:us-east-1:123456789012:t","Message":"m"}`)
		if tc.action == "ListTopics" {
			input = jsonval.NewObject(0)
		}
		if _, err := inv.Invoke(context.Background(), tasks.Request{StateName: "S", Resource: tc.resource, Input: input}); err == nil {
			t.Errorf("%s: no error from a server that refuses everything", tc.resource)
		}
		mu.Lock()
		ua, ok := agents[tc.action]
		delete(agents, tc.action)
		mu.Unlock()
		if !ok || strings.Contains(ua, "aws-sdk-go-v2") != tc.sdk {
			t.Errorf("%s: request %q with User-Agent %q (seen %v), want the SDK client: %v", tc.resource, tc.action, ua, ok, tc.sdk)
		}
	}
}

// TestBuildAWSUsesCredentialChain signs with the standard credential
// chain under --aws: here a profile of the shared credentials file, with
// no AWS_ACCESS_KEY_ID in the environment.
func TestBuildAWSUsesCredentialChain(t *testing.T) {
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	if err := os.WriteFile(creds, []byte("[team]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_PROFILE", "team")
	t.Setenv("AWS_REGION", "eu-west-1")
	var auth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth = r.Header.Get("Authorization")
		io.WriteString(w, `<ListBucketResult><Name>b</Name><KeyCount>0</KeyCount></ListBucketResult>`)
	}))
	defer srv.Close()
	inv, err := invokerOptions{aws: true, awsEndpoints: endpointFlag{"s3": srv.URL}}.build()
	if err != nil {
		t.Fatal(err)
	}
	input, _ := jsonval.ParseString(`{"Bucket":"b"}`)
	if _, err := inv.Invoke(context.Background(), tasks.Request{Resource: "arn:aws:states:::aws-sdk:s3:listObjectsV2", Input: input}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(auth, "Credential=AKIDPROFILE/") || !strings.Contains(auth, "/eu-west-1/s3/") {
		t.Errorf("Authorization %q, want the profile's key and the region", auth)
	}
}

// TestBuildSaysWhatIsMissing fails an AWS service integration that has no
// endpoint, or that Stepwise does not include, with States.TaskFailed
// (as "no invoker" was) and a cause saying how to configure or mock it.
func TestBuildSaysWhatIsMissing(t *testing.T) {
	inv, err := invokerOptions{}.build()
	if err != nil {
		t.Fatal(err)
	}
	for resource, want := range map[string][]string{
		"arn:aws:states:::dynamodb:getItem":                      {"--aws-endpoint dynamodb=URL", "--aws", "--mock-config"},
		"arn:aws:states:::aws-sdk:sqs:sendMessage":               {"--aws-endpoint sqs=URL", "--mock-config"},
		"arn:aws:states:::aws-sdk:sfn:startExecution":            {"--aws-endpoint sfn=URL", "--mock-config"},
		"arn:aws:states:::aws-sdk:secretsmanager:getSecretValue": {"--aws-endpoint secretsmanager=URL", "--mock-config"},
		"arn:aws:states:::aws-sdk:athena:startQueryExecution":    {"--aws-endpoint athena=URL", "--mock-config"},
		"arn:aws:states:::aws-sdk:sns:createTopic":               {"--aws-endpoint sns=URL", "--mock-config"},
		"arn:aws:states:::aws-sdk:eventbridge:listRules":         {"--aws-endpoint events=URL", "--mock-config"},
		"arn:aws:states:::aws-sdk:braket:searchDevices":          {"braket:searchDevices", "s3, ", "athena", "dynamodb and sqs", "--mock-config"},
	} {
		_, err := inv.Invoke(context.Background(), tasks.Request{Resource: resource, Input: jsonval.NewObject(0)})
		var te *tasks.Error
		if !errors.As(err, &te) || te.Name != tasks.ErrorTaskFailed {
			t.Errorf("%s: got %v, want States.TaskFailed", resource, err)
			continue
		}
		for _, w := range want {
			if !strings.Contains(te.Cause, w) {
				t.Errorf("%s: cause %q lacks %q", resource, te.Cause, w)
			}
		}
	}
}

// TestBuildRefusesSDKSync fails an AWS SDK integration with .sync, a
// pattern AWS does not offer for them, as a resource not recognized.
func TestBuildRefusesSDKSync(t *testing.T) {
	inv, err := invokerOptions{awsEndpoints: endpointFlag{"s3": "http://127.0.0.1:1"}}.build()
	if err != nil {
		t.Fatal(err)
	}
	_, err = inv.Invoke(context.Background(), tasks.Request{Resource: "arn:aws:states:::aws-sdk:s3:getObject.sync", Input: jsonval.NewObject(0)})
	var te *tasks.Error
	if !errors.As(err, &te) || te.Name != tasks.ErrorRuntime || !strings.Contains(te.Cause, "no .sync pattern") {
		t.Errorf("got %v, want States.Runtime saying SDK integrations have no .sync", err)
	}
}

// TestAWSSettings reads --aws-config files and merges them with the
// flags: an --aws-endpoint flag wins over the file for its service, and
// unknown keys, unknown services and endpoints that are not absolute
// http(s) URLs are usage errors naming what is accepted.
func TestAWSSettings(t *testing.T) {
	for _, tc := range []struct {
		name  string
		file  string // "" for no --aws-config
		flags []string
		aws   bool
		want  awsConfig
		err   []string // substrings of the error; nil for none
	}{
		{name: "valid file",
			file: `{"Region": "eu-west-2", "AWS": true, "Endpoints": {"s3": "http://127.0.0.1:9000", "dynamodb": "https://ddb.local:8000/", "eventbridge": "http://127.0.0.1:4010"}}`,
			want: awsConfig{Region: "eu-west-2", AWS: true, Endpoints: map[string]string{"s3": "http://127.0.0.1:9000", "dynamodb": "https://ddb.local:8000/", "events": "http://127.0.0.1:4010"}}},
		{name: "flag overrides file",
			file:  `{"Endpoints": {"s3": "http://127.0.0.1:9000", "sfn": "http://127.0.0.1:8083"}}`,
			flags: []string{"s3=http://127.0.0.1:9999", "sqs=http://127.0.0.1:9324"},
			aws:   true,
			want:  awsConfig{AWS: true, Endpoints: map[string]string{"s3": "http://127.0.0.1:9999", "sfn": "http://127.0.0.1:8083", "sqs": "http://127.0.0.1:9324"}}},
		{name: "flags only", flags: []string{"kms=http://127.0.0.1:1"},
			want: awsConfig{Endpoints: map[string]string{"kms": "http://127.0.0.1:1"}}},
		{name: "empty object", file: `{}`, want: awsConfig{Endpoints: map[string]string{}}},
		{name: "unknown key", file: `{"Endpoint": {"s3": "http://127.0.0.1:9000"}}`,
			err: []string{`unknown key "Endpoint"`, "Region, AWS, Endpoints"}},
		{name: "key in the wrong case", file: `{"region": "us-east-1"}`, err: []string{`unknown key "region"`}},
		{name: "unknown service in the file", file: `{"Endpoints": {"s4": "http://127.0.0.1:9000"}}`,
			err: []string{`unknown service "s4"`, "dynamodb", "s3", "sfn", "secretsmanager", "events", "lambda"}},
		{name: "unknown service in a flag", flags: []string{"braket=http://127.0.0.1:1"}, err: []string{`unknown service "braket"`, "s3", "athena", "cloudwatchlogs"}},
		{name: "ec2 without its build tag", flags: []string{"ec2=http://127.0.0.1:1"}, err: []string{"-tags stepwise_ec2"}},
		{name: "relative URL", file: `{"Endpoints": {"s3": "127.0.0.1:9000"}}`, err: []string{`s3 endpoint "127.0.0.1:9000"`, "absolute http or https URL"}},
		{name: "other scheme", file: `{"Endpoints": {"sqs": "ftp://host/"}}`, err: []string{"absolute http or https URL"}},
		{name: "no host", flags: []string{"s3=http:///path"}, err: []string{"absolute http or https URL"}},
		{name: "endpoint not a string", file: `{"Endpoints": {"s3": 9000}}`, err: []string{"Endpoints"}},
		{name: "bad region", file: `{"Region": "us-east-1.evil.com/"}`, err: []string{"Region", "us-east-1"}},
		{name: "AWS not a bool", file: `{"AWS": "yes"}`, err: []string{"AWS", "true or false"}},
		{name: "not an object", file: `[]`, err: []string{"not a JSON object"}},
		{name: "null", file: `null`, err: []string{"not a JSON object"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if strings.HasPrefix(tc.name, "ec2 without") && slices.Contains(sdk.Services(), "ec2") {
				t.Skip("this build has the EC2 client")
			}
			var o invokerOptions
			o.aws = tc.aws
			var err error
			for _, f := range tc.flags {
				if err = o.awsEndpoints.Set(f); err != nil {
					break
				}
			}
			var got awsConfig
			if err == nil {
				if tc.file != "" {
					o.awsConfig = filepath.Join(t.TempDir(), "aws.json")
					if err := os.WriteFile(o.awsConfig, []byte(tc.file), 0o600); err != nil {
						t.Fatal(err)
					}
				}
				got, err = o.awsSettings()
			}
			if tc.err != nil {
				if err == nil {
					t.Fatalf("got %+v, want an error containing %q", got, tc.err)
				}
				for _, w := range tc.err {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q lacks %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestEndpointFlagAcceptsEveryService takes --aws-endpoint for every
// service tasks/sdk and tasks/awsservice read, and names each in the
// flag's usage text.
func TestEndpointFlagAcceptsEveryService(t *testing.T) {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	var o invokerOptions
	o.register(fs)
	usage := fs.Lookup("aws-endpoint").Usage
	for _, svc := range append(sdk.Services(), awsservice.Services()...) {
		if err := fs.Set("aws-endpoint", svc+"=http://127.0.0.1:1"); err != nil {
			t.Errorf("--aws-endpoint %s=URL: %v", svc, err)
		}
		if !strings.Contains(usage, svc) {
			t.Errorf("the usage text %q does not name %s", usage, svc)
		}
	}
}

// TestRunAWSConfigFile reaches an endpoint named only in --aws-config,
// and through STEPWISE_AWS_CONFIG, from stepwise run; a bad file is a
// usage error.
func TestRunAWSConfigFile(t *testing.T) {
	var target string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target = r.Header.Get("X-Amz-Target")
		io.WriteString(w, `{"MessageId":"m-1","MD5OfMessageBody":"x"}`)
	}))
	defer srv.Close()
	def := writeFile(t, "send.asl.json", `{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:sqs:sendMessage",
	  "Parameters":{"QueueUrl":"q","MessageBody":"m"},"End":true}}}`)
	cfg := writeFile(t, "aws.json", `{"Endpoints": {"sqs": "`+srv.URL+`"}}`)
	code, out, stderr := runCLI(t, "run", def, "--aws-config", cfg)
	if r := decodeRun(t, out); code != exitOK || target != "AmazonSQS.SendMessage" || r.Output.(map[string]any)["MessageId"] != "m-1" {
		t.Errorf("--aws-config: code %d, target %q, %+v, stderr %s", code, target, r, stderr)
	}
	target = ""
	t.Setenv("STEPWISE_AWS_CONFIG", cfg)
	code, out, stderr = runCLI(t, "run", def)
	if r := decodeRun(t, out); code != exitOK || target != "AmazonSQS.SendMessage" {
		t.Errorf("STEPWISE_AWS_CONFIG: code %d, target %q, %+v, stderr %s", code, target, r, stderr)
	}
	bad := writeFile(t, "bad.json", `{"Endpoints": {"sqs": "`+srv.URL+`", "nosuch": "http://127.0.0.1:1"}}`)
	code, _, stderr = runCLI(t, "run", def, "--aws-config", bad)
	if code != exitUsage || !strings.Contains(stderr, `unknown service "nosuch"`) {
		t.Errorf("bad --aws-config: code %d, stderr %s", code, stderr)
	}
}
