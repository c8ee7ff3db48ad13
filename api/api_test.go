package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"stepwise/api"
	"stepwise/tasks"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestStateMachineLifecycle(t *testing.T) {
	s := startServer(t, api.Options{}, nil)
	ctx := t.Context()
	c := s.client

	created, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{
		Name: aws.String("m1"), Definition: aws.String(passMachine), RoleArn: aws.String(roleARN),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	arn := *created.StateMachineArn
	if want := "arn:aws:states:us-east-1:123456789012:stateMachine:m1"; arn != want {
		t.Errorf("arn = %s, want %s", arn, want)
	}
	if created.CreationDate == nil || created.CreationDate.IsZero() {
		t.Errorf("no creationDate")
	}
	// Creating it again with the same configuration is idempotent.
	again, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{
		Name: aws.String("m1"), Definition: aws.String(passMachine), RoleArn: aws.String(roleARN)})
	if err != nil || *again.StateMachineArn != arn {
		t.Errorf("second create: %v, %v", again, err)
	}
	createMachine(t, s, "m2", passMachine, types.StateMachineTypeExpress)

	d, err := c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	if *d.Name != "m1" || *d.Definition != passMachine || d.Type != types.StateMachineTypeStandard ||
		d.Status != types.StateMachineStatusActive || *d.RoleArn != roleARN || d.LoggingConfiguration.Level != types.LogLevelOff {
		t.Errorf("DescribeStateMachine = %+v", d)
	}

	newDef := strings.Replace(passMachine, `"a": 1`, `"a": 2`, 1)
	u, err := c.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: aws.String(arn), Definition: aws.String(newDef)})
	if err != nil {
		t.Fatal(err)
	}
	if u.UpdateDate == nil || u.RevisionId == nil || *u.RevisionId == *d.RevisionId {
		t.Errorf("UpdateStateMachine = %+v", u)
	}
	d, _ = c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(arn)})
	if *d.Definition != newDef {
		t.Errorf("definition not updated")
	}

	// Paginate one at a time.
	var names []string
	var token *string
	for {
		l, err := c.ListStateMachines(ctx, &sfn.ListStateMachinesInput{MaxResults: 1, NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, sm := range l.StateMachines {
			names = append(names, *sm.Name+"/"+string(sm.Type))
		}
		if token = l.NextToken; token == nil {
			break
		}
	}
	if d := cmp.Diff([]string{"m1/STANDARD", "m2/EXPRESS"}, names); d != "" {
		t.Errorf("ListStateMachines (-want +got):\n%s", d)
	}

	// Tags.
	if _, err := c.TagResource(ctx, &sfn.TagResourceInput{ResourceArn: aws.String(arn),
		Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("dev")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UntagResource(ctx, &sfn.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"team"}}); err != nil {
		t.Fatal(err)
	}
	tags, err := c.ListTagsForResource(ctx, &sfn.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	if len(tags.Tags) != 1 || *tags.Tags[0].Key != "env" || *tags.Tags[0].Value != "dev" {
		t.Errorf("ListTagsForResource = %+v", tags.Tags)
	}

	if _, err := c.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(arn)})
	var dne *types.StateMachineDoesNotExist
	if !errors.As(err, &dne) {
		t.Errorf("DescribeStateMachine after delete: %v, want StateMachineDoesNotExist", err)
	}
}

func TestValidateStateMachineDefinition(t *testing.T) {
	s := startServer(t, api.Options{}, nil)
	tests := []struct {
		name       string
		definition string
		severity   types.ValidateStateMachineDefinitionSeverity
		result     types.ValidateStateMachineDefinitionResultCode
		codes      []string
	}{
		{"valid", passMachine, "", types.ValidateStateMachineDefinitionResultCodeOk, nil},
		{"not json", "{", "", types.ValidateStateMachineDefinitionResultCodeFail, []string{"INVALID_JSON_DESCRIPTION"}},
		{"missing target", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}}`, "",
			types.ValidateStateMachineDefinitionResultCodeFail, []string{"MISSING_TRANSITION_TARGET", "MISSING_END_STATE"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := s.client.ValidateStateMachineDefinition(t.Context(), &sfn.ValidateStateMachineDefinitionInput{
				Definition: aws.String(tt.definition), Severity: tt.severity})
			if err != nil {
				t.Fatal(err)
			}
			if out.Result != tt.result {
				t.Errorf("result = %s, want %s", out.Result, tt.result)
			}
			var codes []string
			for _, d := range out.Diagnostics {
				codes = append(codes, *d.Code)
			}
			if d := cmp.Diff(tt.codes, codes); d != "" {
				t.Errorf("codes (-want +got):\n%s", d)
			}
		})
	}
}

func TestStandardExecution(t *testing.T) {
	s := startServer(t, api.Options{}, nil)
	ctx := t.Context()
	c := s.client
	sm := createMachine(t, s, "std", passMachine, types.StateMachineTypeStandard)

	start, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(sm), Name: aws.String("e1"), Input: aws.String(`{"n": 41}`)})
	if err != nil {
		t.Fatal(err)
	}
	if want := "arn:aws:states:us-east-1:123456789012:execution:std:e1"; *start.ExecutionArn != want {
		t.Errorf("executionArn = %s, want %s", *start.ExecutionArn, want)
	}
	d := waitDone(t, s, *start.ExecutionArn)
	if d.Status != types.ExecutionStatusSucceeded || *d.Output != `{"sum":42}` || *d.Input != `{"n": 41}` ||
		!d.InputDetails.Included || !d.OutputDetails.Included || d.StopDate == nil || *d.StateMachineArn != sm || *d.Name != "e1" {
		t.Errorf("DescribeExecution = %+v", d)
	}

	// The name is taken: same input or not, the execution has finished.
	_, err = c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(sm), Name: aws.String("e1"), Input: aws.String(`{"n": 41}`)})
	var exists *types.ExecutionAlreadyExists
	if !errors.As(err, &exists) {
		t.Errorf("StartExecution again: %v, want ExecutionAlreadyExists", err)
	}

	h, err := c.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: start.ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Events) < 2 || h.Events[0].Type != types.HistoryEventTypeExecutionStarted ||
		h.Events[len(h.Events)-1].Type != types.HistoryEventTypeExecutionSucceeded {
		t.Fatalf("history = %+v", h.Events)
	}
	if in := aws.ToString(h.Events[0].ExecutionStartedEventDetails.Input); strings.ReplaceAll(in, " ", "") != `{"n":41}` {
		t.Errorf("ExecutionStarted input = %v", aws.ToString(h.Events[0].ExecutionStartedEventDetails.Input))
	}
	rev, err := c.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: start.ExecutionArn,
		ReverseOrder: true, IncludeExecutionData: aws.Bool(false), MaxResults: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(rev.Events) != 2 || rev.Events[0].Type != types.HistoryEventTypeExecutionSucceeded || rev.NextToken == nil {
		t.Fatalf("reverse history = %+v", rev)
	}
	if out := rev.Events[0].ExecutionSucceededEventDetails; out == nil || out.Output != nil {
		t.Errorf("includeExecutionData=false kept the output: %+v", out)
	}
	rest, err := c.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: start.ExecutionArn,
		ReverseOrder: true, NextToken: rev.NextToken, MaxResults: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(rest.Events)+2 != len(h.Events) || rest.Events[len(rest.Events)-1].Id != 1 {
		t.Errorf("second page has %d events, want %d", len(rest.Events), len(h.Events)-2)
	}

	smx, err := c.DescribeStateMachineForExecution(ctx, &sfn.DescribeStateMachineForExecutionInput{ExecutionArn: start.ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	if *smx.StateMachineArn != sm || *smx.Definition != passMachine || smx.UpdateDate == nil {
		t.Errorf("DescribeStateMachineForExecution = %+v", smx)
	}
}

func TestStopAndListExecutions(t *testing.T) {
	s := startServer(t, api.Options{}, nil)
	ctx := t.Context()
	c := s.client
	sm := createMachine(t, s, "waits", waitMachine, types.StateMachineTypeStandard)
	var arns []string
	for _, name := range []string{"a", "b", "c"} {
		out, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(sm), Name: aws.String(name)})
		if err != nil {
			t.Fatal(err)
		}
		arns = append(arns, *out.ExecutionArn)
	}
	// Same name and input while running: the same execution, as AWS does.
	again, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(sm), Name: aws.String("a")})
	if err != nil || *again.ExecutionArn != arns[0] {
		t.Errorf("idempotent StartExecution = %v, %v", again, err)
	}
	_, err = c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(sm), Name: aws.String("a"), Input: aws.String(`{"x":1}`)})
	var exists *types.ExecutionAlreadyExists
	if !errors.As(err, &exists) {
		t.Errorf("StartExecution with other input: %v, want ExecutionAlreadyExists", err)
	}

	stop, err := c.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: aws.String(arns[1]), Error: aws.String("Why"), Cause: aws.String("because")})
	if err != nil {
		t.Fatal(err)
	}
	if stop.StopDate == nil {
		t.Errorf("no stopDate")
	}
	d, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arns[1])})
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != types.ExecutionStatusAborted || *d.Error != "Why" || *d.Cause != "because" || d.Output != nil {
		t.Errorf("stopped execution = %+v", d)
	}

	list := func(status types.ExecutionStatus) []string {
		var names []string
		var token *string
		for {
			out, err := c.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(sm), StatusFilter: status, MaxResults: 2, NextToken: token})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range out.Executions {
				names = append(names, *e.Name)
			}
			if token = out.NextToken; token == nil {
				return names
			}
		}
	}
	if d := cmp.Diff([]string{"c", "b", "a"}, list("")); d != "" {
		t.Errorf("ListExecutions (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"c", "a"}, list(types.ExecutionStatusRunning)); d != "" {
		t.Errorf("ListExecutions RUNNING (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"b"}, list(types.ExecutionStatusAborted)); d != "" {
		t.Errorf("ListExecutions ABORTED (-want +got):\n%s", d)
	}
	for _, arn := range []string{arns[0], arns[2]} {
		if _, err := c.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: aws.String(arn)}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestStartSyncExecution(t *testing.T) {
	s := startServer(t, api.Options{}, nil)
	ok := createMachine(t, s, "fast", passMachine, types.StateMachineTypeExpress)
	bad := createMachine(t, s, "boom", failMachine, types.StateMachineTypeExpress)
	std := createMachine(t, s, "slow", passMachine, types.StateMachineTypeStandard)
	ctx := t.Context()

	out, err := s.client.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: aws.String(ok), Name: aws.String("x"), Input: aws.String(`{"n":1}`)})
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != types.SyncExecutionStatusSucceeded || *out.Output != `{"sum":2}` || *out.Input != `{"n":1}` || *out.Name != "x" ||
		!strings.HasPrefix(*out.ExecutionArn, "arn:aws:states:us-east-1:123456789012:express:fast:x:") || *out.StateMachineArn != ok ||
		out.BillingDetails == nil || out.BillingDetails.BilledMemoryUsedInMB != 64 || out.BillingDetails.BilledDurationInMilliseconds < 100 ||
		out.StartDate == nil || out.StopDate == nil || !out.InputDetails.Included || !out.OutputDetails.Included {
		t.Errorf("StartSyncExecution = %+v", out)
	}

	out, err = s.client.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: aws.String(bad)})
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != types.SyncExecutionStatusFailed || *out.Error != "Boom" || *out.Cause != "it broke" || out.Output != nil {
		t.Errorf("failed StartSyncExecution = %+v", out)
	}

	_, err = s.client.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: aws.String(std)})
	var notSupported *types.StateMachineTypeNotSupported
	if !errors.As(err, &notSupported) {
		t.Errorf("StartSyncExecution on STANDARD: %v, want StateMachineTypeNotSupported", err)
	}

	// An Express StartExecution runs in the background.
	started, err := s.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(ok), Input: aws.String(`{"n":2}`)})
	if err != nil {
		t.Fatal(err)
	}
	if d := waitDone(t, s, *started.ExecutionArn); d.Status != types.ExecutionStatusSucceeded {
		t.Errorf("express StartExecution ended %s", d.Status)
	}
}

func TestActivityWorker(t *testing.T) {
	s := startServer(t, api.Options{}, nil)
	ctx := t.Context()
	c := s.client
	act, err := c.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("work")})
	if err != nil {
		t.Fatal(err)
	}
	desc, err := c.DescribeActivity(ctx, &sfn.DescribeActivityInput{ActivityArn: act.ActivityArn})
	if err != nil || *desc.Name != "work" || *desc.ActivityArn != "arn:aws:states:us-east-1:123456789012:activity:work" {
		t.Fatalf("DescribeActivity = %+v, %v", desc, err)
	}
	acts, err := c.ListActivities(ctx, &sfn.ListActivitiesInput{})
	if err != nil || len(acts.Activities) != 1 || *acts.Activities[0].ActivityArn != *act.ActivityArn {
		t.Fatalf("ListActivities = %+v, %v", acts, err)
	}

	def := `{"StartAt":"Work","States":{
		"Work":{"Type":"Task","Resource":"` + *act.ActivityArn + `","Next":"Again"},
		"Again":{"Type":"Task","Resource":"` + *act.ActivityArn + `","End":true,
		         "Catch":[{"ErrorEquals":["Worker.Error"],"ResultPath":"$.caught","Next":"Done"}]},
		"Done":{"Type":"Pass","End":true}}}`
	sm := createMachine(t, s, "withActivity", def, types.StateMachineTypeStandard)
	start, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(sm), Input: aws.String(`{"job":7}`)})
	if err != nil {
		t.Fatal(err)
	}

	// The worker: the first task succeeds with its input doubled, the
	// second fails.
	task, err := c.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn, WorkerName: aws.String("w1")})
	if err != nil || task.TaskToken == nil {
		t.Fatalf("GetActivityTask = %+v, %v", task, err)
	}
	if *task.Input != `{"job":7}` {
		t.Errorf("task input = %s", *task.Input)
	}
	if _, err := c.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: task.TaskToken}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(`{"job":14}`)}); err != nil {
		t.Fatal(err)
	}
	// The token is spent: its task has closed, TaskTimedOut as on AWS.
	_, err = c.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(`{}`)})
	var gone *types.TaskTimedOut
	if !errors.As(err, &gone) {
		t.Errorf("second SendTaskSuccess: %v, want TaskTimedOut", err)
	}

	task, err = c.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn, WorkerName: aws.String("w1")})
	if err != nil || task.TaskToken == nil {
		t.Fatalf("second GetActivityTask = %+v, %v", task, err)
	}
	if *task.Input != `{"job":14}` {
		t.Errorf("second task input = %s", *task.Input)
	}
	if _, err := c.SendTaskFailure(ctx, &sfn.SendTaskFailureInput{TaskToken: task.TaskToken, Error: aws.String("Worker.Error"), Cause: aws.String("no")}); err != nil {
		t.Fatal(err)
	}
	d := waitDone(t, s, *start.ExecutionArn)
	var out map[string]any
	if err := json.Unmarshal([]byte(aws.ToString(d.Output)), &out); err != nil || d.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("execution = %s %v", d.Status, aws.ToString(d.Output))
	}
	if caught, _ := out["caught"].(map[string]any); caught["Error"] != "Worker.Error" {
		t.Errorf("output = %v", out)
	}

	if _, err := c.DeleteActivity(ctx, &sfn.DeleteActivityInput{ActivityArn: act.ActivityArn}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DescribeActivity(ctx, &sfn.DescribeActivityInput{ActivityArn: act.ActivityArn})
	var noActivity *types.ActivityDoesNotExist
	if !errors.As(err, &noActivity) {
		t.Errorf("DescribeActivity after delete: %v, want ActivityDoesNotExist", err)
	}
}

func TestGetActivityTaskReturnsWhenClientLeaves(t *testing.T) {
	s := startServer(t, api.Options{}, nil)
	act, err := s.client.CreateActivity(t.Context(), &sfn.CreateActivityInput{Name: aws.String("idle")})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50_000_000) // 50 ms
	defer cancel()
	_, err = s.client.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("GetActivityTask = %v, want the client's deadline", err)
	}
}

func TestWaitForTaskToken(t *testing.T) {
	tokens := make(chan string, 1)
	inv := tasks.Func(func(ctx context.Context, req tasks.Request) (any, error) {
		tokens <- req.TaskToken
		return map[string]any{}, nil
	})
	s := startServer(t, api.Options{}, inv)
	ctx := t.Context()
	def := `{"StartAt":"Call","States":{"Call":{"Type":"Task",
		"Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
		"Parameters":{"FunctionName":"f","Payload":{"token.$":"$$.Task.Token"}},"End":true}}}`
	sm := createMachine(t, s, "callback", def, types.StateMachineTypeStandard)
	start, err := s.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(sm)})
	if err != nil {
		t.Fatal(err)
	}
	token := <-tokens
	if _, err := s.client.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(token)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(`{"approved":true}`)}); err != nil {
		t.Fatal(err)
	}
	d := waitDone(t, s, *start.ExecutionArn)
	if d.Status != types.ExecutionStatusSucceeded || *d.Output != `{"approved":true}` {
		t.Errorf("execution = %s %s", d.Status, aws.ToString(d.Output))
	}
}

// TestSyncHostPrefix lets the SDK prepend "sync-" to the host name, as it
// does by default, and resolves that name to the server the way an
// /etc/hosts entry would: the handler serves whatever host a request
// names.
func TestSyncHostPrefix(t *testing.T) {
	s := startServer(t, api.Options{Credentials: map[string]string{testKey: testSecret}}, nil)
	sm := createMachine(t, s, "prefixed", passMachine, types.StateMachineTypeExpress)
	port := s.url[strings.LastIndex(s.url, ":")+1:]
	var hosts []string
	var mu sync.Mutex
	dialer := &net.Dialer{}
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		mu.Lock()
		hosts = append(hosts, addr)
		mu.Unlock()
		if addr == "sync-localhost:"+port {
			addr = "127.0.0.1:" + port
		}
		return dialer.DialContext(ctx, network, addr)
	}}
	defer tr.CloseIdleConnections()
	c := sfn.New(sfn.Options{
		Region: "us-east-1", BaseEndpoint: aws.String("http://localhost:" + port), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider(testKey, testSecret, ""), HTTPClient: &http.Client{Transport: tr},
	})
	out, err := c.StartSyncExecution(t.Context(), &sfn.StartSyncExecutionInput{StateMachineArn: aws.String(sm), Input: aws.String(`{"n":1}`)})
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != types.SyncExecutionStatusSucceeded {
		t.Errorf("status = %s", out.Status)
	}
	if d := cmp.Diff([]string{"sync-localhost:" + port}, hosts); d != "" {
		t.Errorf("dialled (-want +got):\n%s", d)
	}
}

// TestUpdateAndDeleteWhileRunning checks that a running execution keeps
// the revision it started with, and that a state machine deleted while an
// execution runs is DELETING and refuses new executions.
func TestUpdateAndDeleteWhileRunning(t *testing.T) {
	s := startServer(t, api.Options{}, nil)
	ctx := t.Context()
	c := s.client
	sm := createMachine(t, s, "busy", waitMachine, types.StateMachineTypeStandard)
	ex, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(sm)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: aws.String(sm), Definition: aws.String(passMachine)}); err != nil {
		t.Fatal(err)
	}
	old, err := c.DescribeStateMachineForExecution(ctx, &sfn.DescribeStateMachineForExecutionInput{ExecutionArn: ex.ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	if *old.Definition != waitMachine {
		t.Errorf("the running execution's definition changed to %s", *old.Definition)
	}
	if _, err := c.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: aws.String(sm)}); err != nil {
		t.Fatal(err)
	}
	d, err := c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(sm)})
	if err != nil || d.Status != types.StateMachineStatusDeleting {
		t.Fatalf("DescribeStateMachine = %v, %v; want DELETING", d, err)
	}
	_, err = c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(sm)})
	var deleting *types.StateMachineDeleting
	if !errors.As(err, &deleting) {
		t.Errorf("StartExecution on a deleting machine: %v, want StateMachineDeleting", err)
	}
	if _, err := c.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: ex.ExecutionArn}); err != nil {
		t.Fatal(err)
	}
}
