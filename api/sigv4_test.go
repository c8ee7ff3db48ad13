package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/smithy-go"

	"stepwise/api"
)

func TestSigV4(t *testing.T) {
	s := startServer(t, api.Options{Credentials: map[string]string{testKey: testSecret, "OTHERKEY": "other"}}, nil)
	body := []byte(`{}`)
	tests := []struct {
		name   string
		key    string
		secret string
		at     time.Time // signing time; zero means no signature at all
		status int
		code   string // empty: accepted
	}{
		{"good", testKey, testSecret, time.Now(), 200, ""},
		{"second key", "OTHERKEY", "other", time.Now(), 200, ""},
		{"within skew", testKey, testSecret, time.Now().Add(-14 * time.Minute), 200, ""},
		{"wrong secret", testKey, "not-the-secret", time.Now(), 400, "InvalidSignatureException"},
		{"unknown key", "NOSUCHKEY", testSecret, time.Now(), 400, "UnrecognizedClientException"},
		{"stale", testKey, testSecret, time.Now().Add(-16 * time.Minute), 400, "InvalidSignatureException"},
		{"future", testKey, testSecret, time.Now().Add(16 * time.Minute), 400, "InvalidSignatureException"},
		{"missing", "", "", time.Time{}, 400, "InvalidSignatureException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, s.url, bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-amz-json-1.0")
			req.Header.Set("X-Amz-Target", "AWSStepFunctions.ListStateMachines")
			if !tt.at.IsZero() {
				sum := sha256.Sum256(body)
				creds := aws.Credentials{AccessKeyID: tt.key, SecretAccessKey: tt.secret}
				if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "states", "us-east-1", tt.at); err != nil {
					t.Fatal(err)
				}
			}
			status, out := do(t, req)
			if status != tt.status || (tt.code != "" && out["__type"] != tt.code) || (tt.code == "" && out["__type"] != nil) {
				t.Errorf("got %d %v, want %d %q", status, out, tt.status, tt.code)
			}
		})
	}
}

// TestSigV4TamperedBody signs one body and sends another.
func TestSigV4TamperedBody(t *testing.T) {
	s := startServer(t, api.Options{Credentials: map[string]string{testKey: testSecret}}, nil)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.url, bytes.NewReader([]byte(`{"maxResults":2}`)))
	req.Header.Set("X-Amz-Target", "AWSStepFunctions.ListStateMachines")
	sum := sha256.Sum256([]byte(`{"maxResults":1}`))
	creds := aws.Credentials{AccessKeyID: testKey, SecretAccessKey: testSecret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "states", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	if status, out := do(t, req); status != 400 || out["__type"] != "InvalidSignatureException" {
		t.Errorf("got %d %v", status, out)
	}
}

// TestSigV4SDK drives the API through SDK clients with good and bad
// credentials.
func TestSigV4SDK(t *testing.T) {
	s := startServer(t, api.Options{Credentials: map[string]string{testKey: testSecret}}, nil)
	if _, err := s.client.ListStateMachines(t.Context(), &sfn.ListStateMachinesInput{}); err != nil {
		t.Fatalf("signed request refused: %v", err)
	}
	tests := []struct{ name, key, secret, code string }{
		{"wrong secret", testKey, "wrong", "InvalidSignatureException"},
		{"unknown key", "AKIDUNKNOWN", testSecret, "UnrecognizedClientException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newClient(s.url, tt.key, tt.secret).ListStateMachines(t.Context(), &sfn.ListStateMachinesInput{})
			var ae smithy.APIError
			if !errors.As(err, &ae) || ae.ErrorCode() != tt.code {
				t.Errorf("error = %v, want %s", err, tt.code)
			}
		})
	}
}

// TestSigV4HeaderValues signs headers whose values have surrounding and
// inner runs of white space, and a header sent twice: the server must
// canonicalise them as the SDK's signer does.
func TestSigV4HeaderValues(t *testing.T) {
	s := startServer(t, api.Options{Credentials: map[string]string{testKey: testSecret}}, nil)
	body := []byte(`{}`)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "AWSStepFunctions.ListStateMachines")
	req.Header.Set("X-Amz-Meta-Note", "  two   spaces\tand a tab  ")
	req.Header.Add("X-Amz-Meta-Twice", "first  value")
	req.Header.Add("X-Amz-Meta-Twice", " second ")
	sent := req.Header.Clone()
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: testKey, SecretAccessKey: testSecret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "states", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(req.Header.Get("Authorization"), "x-amz-meta-note;x-amz-meta-twice") {
		t.Fatalf("the headers were not signed: %s", req.Header.Get("Authorization"))
	}
	if status, out := do(t, req); status != 200 {
		t.Errorf("got %d %v, want 200", status, out)
	}
	if got := req.Header.Values("X-Amz-Meta-Twice"); !slices.Equal(got, sent.Values("X-Amz-Meta-Twice")) {
		t.Errorf("the request's headers changed: %q", got)
	}
}
