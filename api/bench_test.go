package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"stepwise/api"
	"stepwise/service"
	"stepwise/store/memory"
)

// BenchmarkStartSyncExecution measures the server's side of one signed
// StartSyncExecution of a 3-state Express machine (the apiload benchmark's
// machine): SigV4 verification, decoding, the execution, encoding. It
// calls the handler directly, without a network or a client.
func BenchmarkStartSyncExecution(b *testing.B) {
	st := memory.New()
	svc, err := service.Open(service.Config{Store: st})
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Close()
	ctx := context.Background()
	sm, err := svc.CreateStateMachine(ctx, service.CreateStateMachineInput{Name: "bench", Type: "EXPRESS", RoleARN: roleARN,
		Definition: `{"StartAt":"A","States":{
 "A":{"Type":"Pass","Parameters":{"n.$":"$.n","step":1},"Next":"B"},
 "B":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, 1)","step":2},"Next":"C"},
 "C":{"Type":"Pass","Result":"done","ResultPath":"$.result","End":true}}}`})
	if err != nil {
		b.Fatal(err)
	}
	h := api.NewHandler(svc, api.Options{Credentials: map[string]string{testKey: testSecret}})
	body := []byte(`{"stateMachineArn":"` + sm.ARN + `","input":"{\"n\":1}"}`)
	signed, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:8083/", bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	signed.Header.Set("Content-Type", "application/x-amz-json-1.0")
	signed.Header.Set("X-Amz-Target", "AWSStepFunctions.StartSyncExecution")
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: testKey, SecretAccessKey: testSecret}
	if err := v4.NewSigner().SignHTTP(ctx, creds, signed, hex.EncodeToString(sum[:]), "states", "us-east-1", time.Now()); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8083/", bytes.NewReader(body))
		req.Header = signed.Header
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"SUCCEEDED"`) {
			out, _ := io.ReadAll(w.Result().Body)
			b.Fatalf("status %d: %s", w.Code, out)
		}
	}
}
