package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"stepwise/jsonval"
	"stepwise/tasks"
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
		"arn:aws:states:::aws-sdk:athena:startQueryExecution":    {"athena:startQueryExecution", "--mock-config"},
		"arn:aws:states:::aws-sdk:sns:createTopic":               {"sns:createTopic", "--mock-config"},
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
