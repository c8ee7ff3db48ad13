package console_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"stepwise/api"
	"stepwise/console"
	"stepwise/jsonval"
	"stepwise/service"
	"stepwise/store/memory"
	"stepwise/tasks"
)

var (
	browser = flag.Bool("browser", false, "run the browser test (needs Node, console/web/node_modules and /usr/bin/chromium)")
	serve   = flag.Duration("serve", 0, "with -run TestBrowser: serve the console with the test's state machines for this long, for manual testing")
	shots   = flag.String("screenshots", "", "with -browser: save screenshots of the main pages in this directory")
)

// orderDefinition uses every feature the graph draws: Choice with a
// Default, Parallel, Map, Task, Wait, Catch, Succeed and Fail.
const orderDefinition = `{
  "Comment": "An order: check, price and wait in parallel, ship each item, charge",
  "StartAt": "Check",
  "States": {
    "Check": {"Type": "Choice", "Choices": [{"Variable": "$.items", "IsPresent": true, "Next": "Fan"}], "Default": "Reject"},
    "Fan": {
      "Type": "Parallel",
      "Branches": [
        {"StartAt": "Price", "States": {"Price": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:price", "End": true}}},
        {"StartAt": "Hold", "States": {"Hold": {"Type": "Wait", "SecondsPath": "$.wait", "Next": "Held"}, "Held": {"Type": "Pass", "End": true}}}
      ],
      "ResultPath": "$.fan",
      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Recover"}],
      "Next": "Items"
    },
    "Items": {
      "Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.shipped",
      "ItemProcessor": {"StartAt": "Ship", "States": {"Ship": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:ship", "End": true}}},
      "Next": "Charge"
    },
    "Charge": {
      "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge", "ResultPath": "$.charge",
      "Catch": [{"ErrorEquals": ["Payment.Declined"], "ResultPath": "$.error", "Next": "Refund"}],
      "Next": "Done"
    },
    "Refund": {"Type": "Pass", "Next": "Done"},
    "Done": {"Type": "Succeed"},
    "Recover": {"Type": "Pass", "End": true},
    "Reject": {"Type": "Fail", "Error": "Rejected", "Cause": "the order has no items"}
  }
}`

// fanoutDefinition runs a Parallel in each Map iteration; an item with
// "bad" fails its iteration (and so the Map, which is caught).
const fanoutDefinition = `{
  "StartAt": "Each",
  "States": {
    "Each": {
      "Type": "Map", "ItemsPath": "$.items",
      "ItemProcessor": {
        "StartAt": "Look",
        "States": {
          "Look": {"Type": "Choice", "Choices": [{"Variable": "$.bad", "IsPresent": true, "Next": "Boom"}], "Default": "Both"},
          "Both": {
            "Type": "Parallel", "End": true,
            "Branches": [
              {"StartAt": "Ship", "States": {"Ship": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:ship", "End": true}}},
              {"StartAt": "Note", "States": {"Note": {"Type": "Pass", "Next": "Log"}, "Log": {"Type": "Pass", "Result": "logged", "End": true}}}
            ]
          },
          "Boom": {"Type": "Fail", "Error": "Item.Bad", "Cause": "the item is bad"}
        }
      },
      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Salvage"}],
      "End": true
    },
    "Salvage": {"Type": "Pass", "End": true}
  }
}`

// invoker answers the order's Task states.
func invoker() tasks.Invoker {
	m := tasks.NewMemory()
	m.Register("price", func(ctx context.Context, req tasks.Request) (any, error) { return object("total", 42.0), nil })
	m.Register("ship", func(ctx context.Context, req tasks.Request) (any, error) { return req.Input, nil })
	m.Register("charge", func(ctx context.Context, req tasks.Request) (any, error) {
		if in, ok := req.Input.(*jsonval.Object); ok {
			if card, _ := in.Get("card"); card == "declined" {
				return nil, &tasks.Error{Name: "Payment.Declined", Cause: "the card was declined"}
			}
		}
		return object("charged", true), nil
	})
	return m
}

// object builds a jsonval object of key, value pairs.
func object(kv ...any) *jsonval.Object {
	o := jsonval.NewObject(len(kv) / 2)
	for i := 0; i < len(kv); i += 2 {
		o.Set(kv[i].(string), kv[i+1])
	}
	return o
}

// serveConsole serves the console and the real API over a memory store,
// with inv carrying out Task states, until the test ends.
func serveConsole(t *testing.T, inv tasks.Invoker) *httptest.Server {
	t.Helper()
	svc, err := service.Open(service.Config{Store: memory.New(), Invoker: inv})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = svc.Run(ctx) }()
	srv := httptest.NewServer(console.WithAPI(api.NewHandler(svc, api.Options{})))
	t.Cleanup(func() {
		srv.Close()
		cancel()
		<-done
		_ = svc.Close()
	})
	return srv
}

// startServer serves the console and the real API over a memory store,
// with the order machine and three finished executions.
func startServer(t *testing.T) string {
	t.Helper()
	srv := serveConsole(t, invoker())

	var sm struct{ StateMachineArn string }
	callAPI(t, srv.URL, "CreateStateMachine", map[string]any{
		"name": "order", "definition": orderDefinition, "roleArn": "arn:aws:iam::123456789012:role/stepwise",
	}, &sm)
	callAPI(t, srv.URL, "CreateStateMachine", map[string]any{
		"name": "hello", "definition": `{"StartAt":"Hello","States":{"Hello":{"Type":"Pass","Result":"world","End":true}}}`,
		"roleArn": "arn:aws:iam::123456789012:role/stepwise",
	}, nil)
	// Two machines to measure with: 200 states, and a Map whose execution
	// has over 10,000 history events.
	big := map[string]any{}
	for i := range 200 {
		st := map[string]any{"Type": "Pass", "Next": fmt.Sprintf("S%03d", i+1)}
		switch {
		case i == 199:
			st = map[string]any{"Type": "Succeed"}
		case i%10 == 5:
			st = map[string]any{"Type": "Choice", "Default": fmt.Sprintf("S%03d", i+1), "Choices": []any{
				map[string]any{"Variable": "$.skip", "IsPresent": true, "Next": fmt.Sprintf("S%03d", min(i+4, 199))},
			}}
		}
		big[fmt.Sprintf("S%03d", i)] = st
	}
	bigDef, _ := json.Marshal(map[string]any{"StartAt": "S000", "States": big})
	callAPI(t, srv.URL, "CreateStateMachine", map[string]any{
		"name": "big", "definition": string(bigDef), "roleArn": "arn:aws:iam::123456789012:role/stepwise",
	}, nil)
	var many struct{ StateMachineArn string }
	callAPI(t, srv.URL, "CreateStateMachine", map[string]any{
		"name": "many", "roleArn": "arn:aws:iam::123456789012:role/stepwise",
		"definition": `{"StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.items","End":true,` +
			`"ItemProcessor":{"StartAt":"One","States":{"One":{"Type":"Pass","End":true}}}}}}`,
	}, &many)
	items := make([]int, 2500)
	in, _ := json.Marshal(map[string]any{"items": items})
	var manyEx struct{ ExecutionArn string }
	callAPI(t, srv.URL, "StartExecution", map[string]any{"stateMachineArn": many.StateMachineArn, "name": "many", "input": string(in)}, &manyEx)
	waitDone(t, srv.URL, manyEx.ExecutionArn)

	var fan struct{ StateMachineArn string }
	callAPI(t, srv.URL, "CreateStateMachine", map[string]any{
		"name": "fanout", "definition": fanoutDefinition, "roleArn": "arn:aws:iam::123456789012:role/stepwise",
	}, &fan)
	for name, input := range map[string]string{
		"fanout-ok":  `{"items":[{"n":0},{"n":1},{"n":2},{"n":3}]}`,
		"fanout-bad": `{"items":[{"n":0},{"n":1},{"n":2,"bad":true},{"n":3}]}`,
	} {
		var ex struct{ ExecutionArn string }
		callAPI(t, srv.URL, "StartExecution", map[string]any{"stateMachineArn": fan.StateMachineArn, "name": name, "input": input}, &ex)
		waitDone(t, srv.URL, ex.ExecutionArn)
	}

	runs := map[string]string{
		"shipped":  `{"items":[1,2,3],"wait":0,"card":"ok"}`,
		"declined": `{"items":[1],"wait":0,"card":"declined"}`,
		"rejected": `{}`,
	}
	for name, input := range runs {
		var ex struct{ ExecutionArn string }
		callAPI(t, srv.URL, "StartExecution", map[string]any{"stateMachineArn": sm.StateMachineArn, "name": name, "input": input}, &ex)
		waitDone(t, srv.URL, ex.ExecutionArn)
	}
	return srv.URL
}

func callAPI(t *testing.T, url, action string, req, resp any) {
	t.Helper()
	body, _ := json.Marshal(req)
	hr, _ := http.NewRequest("POST", url+"/", bytes.NewReader(body))
	hr.Header.Set("X-Amz-Target", "AWSStepFunctions."+action)
	hr.Header.Set("Content-Type", "application/x-amz-json-1.0")
	res, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s: %s: %s", action, res.Status, b)
	}
	if resp != nil {
		if err := json.Unmarshal(b, resp); err != nil {
			t.Fatalf("%s: %v", action, err)
		}
	}
}

func waitDone(t *testing.T, url, arn string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var d struct{ Status string }
		callAPI(t, url, "DescribeExecution", map[string]any{"executionArn": arn}, &d)
		if d.Status != "RUNNING" {
			return
		}
		if time.Now().After(deadline) {
			var h json.RawMessage
			callAPI(t, url, "GetExecutionHistory", map[string]any{"executionArn": arn}, &h)
			t.Fatalf("%s still running after 30 s: %s", arn, h)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Credentials of the server that requires signed requests.
const (
	testAccessKey = "AKIDCONSOLETEST"
	testSecret    = "console/test+secret"
)

// startAuthServer serves the console and an API that requires SigV4
// with testAccessKey, holding one state machine, "signed".
func startAuthServer(t *testing.T) string {
	t.Helper()
	svc, err := service.Open(service.Config{Store: memory.New(), Invoker: invoker()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = svc.Run(ctx) }()
	srv := httptest.NewServer(console.WithAPI(api.NewHandler(svc, api.Options{Credentials: map[string]string{testAccessKey: testSecret}})))
	t.Cleanup(func() {
		srv.Close()
		cancel()
		<-done
		_ = svc.Close()
	})
	body, _ := json.Marshal(map[string]any{
		"name": "signed", "roleArn": "arn:aws:iam::123456789012:role/stepwise",
		"definition": `{"StartAt":"Hello","States":{"Hello":{"Type":"Pass","Result":"signed in","End":true}}}`,
	})
	req, _ := http.NewRequest("POST", srv.URL+"/", bytes.NewReader(body))
	req.Header.Set("X-Amz-Target", "AWSStepFunctions.CreateStateMachine")
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecret}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "states", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if b, _ := io.ReadAll(res.Body); res.StatusCode != http.StatusOK {
		t.Fatalf("CreateStateMachine on the signed server: %s: %s", res.Status, b)
	}
	return srv.URL
}

// TestBrowser drives Debian's Chromium through the console with
// playwright-core (console/web/e2e/browser.mjs) against the real API.
// Run it with console/check-build.sh --browser, or
//
//	go test ./console -run TestBrowser -browser
func TestBrowser(t *testing.T) {
	if !*browser && *serve == 0 {
		t.Skip("browser test: give -browser (see console/check-build.sh)")
	}
	url := startServer(t)
	if *serve > 0 {
		t.Logf("console at %s for %s", url, *serve)
		time.Sleep(*serve)
		return
	}
	web, _ := filepath.Abs("web")
	if _, err := os.Stat(filepath.Join(web, "node_modules", "playwright-core")); err != nil {
		t.Fatalf("playwright-core is not installed: run npm ci in console/web (%v)", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	args := []string{"e2e/browser.mjs", url, "--auth", startAuthServer(t), testAccessKey, testSecret}
	if *shots != "" {
		dir, err := filepath.Abs(*shots)
		if err != nil {
			t.Fatal(err)
		}
		args = append(args, "--screenshots", dir)
	}
	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = web
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	t.Log(out.String())
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		t.Fatalf("browser test failed (exit %d)", ee.ExitCode())
	}
	if err != nil {
		t.Fatal(fmt.Errorf("run node: %w", err))
	}
}
