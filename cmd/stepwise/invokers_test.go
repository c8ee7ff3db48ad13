package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
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
	if !errors.As(err, &te) || te.Name != tasks.ErrorRuntime || !strings.Contains(te.Cause, "--aws-endpoint s3=URL") || !strings.Contains(te.Cause, "--mock-config") {
		t.Errorf("with no endpoint: got %v, want States.Runtime saying how to configure or mock s3", err)
	}
}
