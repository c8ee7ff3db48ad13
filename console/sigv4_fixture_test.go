package console_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

var updateSigV4 = flag.Bool("update-sigv4", false, "rewrite web/src/testdata/sigv4-go.json from the AWS SDK's signer")

// sigv4Fixture is a request signed by the AWS SDK for Go's v4 signer. The
// console's own signer (web/src/sigv4.ts) must produce the same
// Authorization header for it: web/src/sigv4.test.ts checks that.
type sigv4Fixture struct {
	Method        string            `json:"method"`
	Host          string            `json:"host"`
	Path          string            `json:"path"`
	Headers       map[string]string `json:"headers"`
	Body          string            `json:"body"`
	AccessKeyID   string            `json:"accessKeyId"`
	Secret        string            `json:"secretAccessKey"`
	Region        string            `json:"region"`
	Service       string            `json:"service"`
	Date          string            `json:"date"`
	AmzDate       string            `json:"amzDate"`
	Authorization string            `json:"authorization"`
}

// TestSigV4Fixture keeps web/src/testdata/sigv4-go.json equal to what the
// AWS SDK's signer computes for a request shaped like the console's.
// Rewrite it with go test ./console -run TestSigV4Fixture -update-sigv4.
func TestSigV4Fixture(t *testing.T) {
	at := time.Date(2026, 11, 25, 6, 30, 15, 0, time.UTC)
	body := `{"maxResults":100}`
	req, err := http.NewRequest("POST", "http://127.0.0.1:8083/", bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "AWSStepFunctions.ListStateMachines")
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: "AKIDSTEPWISE", SecretAccessKey: "console/Secret+Key=example"}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "states", "eu-west-3", at); err != nil {
		t.Fatal(err)
	}
	auth := req.Header.Get("Authorization")
	// Only the headers the SDK signed go in the fixture.
	_, signed, _ := strings.Cut(auth, "SignedHeaders=")
	signed, _, _ = strings.Cut(signed, ",")
	headers := map[string]string{}
	for _, h := range strings.Split(signed, ";") {
		switch h {
		case "host", "x-amz-date":
		case "content-length":
			headers[h] = strconv.Itoa(len(body))
		default:
			headers[h] = req.Header.Get(h)
		}
	}
	got := sigv4Fixture{
		Method: "POST", Host: req.Host, Path: "/", Headers: headers, Body: body,
		AccessKeyID: creds.AccessKeyID, Secret: creds.SecretAccessKey, Region: "eu-west-3", Service: "states",
		Date: at.Format(time.RFC3339), AmzDate: req.Header.Get("X-Amz-Date"), Authorization: auth,
	}
	file := filepath.Join("web", "src", "testdata", "sigv4-go.json")
	if *updateSigV4 {
		b, _ := json.MarshalIndent(got, "", "  ")
		if err := os.WriteFile(file, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("read fixture (rewrite it with -update-sigv4): %v", err)
	}
	var want sigv4Fixture
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if want.Authorization != got.Authorization || want.AmzDate != got.AmzDate {
		t.Errorf("fixture is stale:\n got  %s\n want %s\nrewrite it with -update-sigv4", got.Authorization, want.Authorization)
	}
}
