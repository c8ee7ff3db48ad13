package service_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"stepwise/jsonval"
	"stepwise/service"
	"stepwise/store"
	"stepwise/store/memory"
	"stepwise/store/postgres"
	"stepwise/store/postgres/pgtest"
	"stepwise/store/sqlite"
	"stepwise/tasks"
)

// backends opens a fresh durable store of each kind the server runs on.
var backends = []struct {
	name string
	open func(t *testing.T) store.Store
}{
	{"sqlite", func(t *testing.T) store.Store {
		st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "stepwise.db"), sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}},
	{"postgres", func(t *testing.T) store.Store {
		st, err := postgres.Open(t.Context(), pgtest.Schema(t), postgres.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}},
}

// run runs a service on st until the test ends.
func run(t *testing.T, cfg service.Config) *service.Service {
	t.Helper()
	svc, err := service.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { _ = svc.Run(ctx) })
	t.Cleanup(func() { cancel(); wg.Wait(); svc.Close() })
	return svc
}

func createMachine(t *testing.T, svc *service.Service, name, def string, typ store.StateMachineType) string {
	t.Helper()
	sm, err := svc.CreateStateMachine(t.Context(), service.CreateStateMachineInput{Name: name, Definition: def, RoleARN: role, Type: typ})
	if err != nil {
		t.Fatal(err)
	}
	return sm.ARN
}

func waitEnd(t *testing.T, svc *service.Service, arn string, d time.Duration) store.Execution {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		e, err := svc.DescribeExecution(t.Context(), arn)
		if err != nil {
			t.Fatal(err)
		}
		if e.Status != store.ExecutionRunning || time.Now().After(deadline) {
			return e
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func code(err error) string {
	if e, ok := service.AsError(err); ok {
		return e.Code
	}
	if err != nil {
		return "Go error: " + err.Error()
	}
	return ""
}

const callbackMachine = `{"StartAt":"Ask","States":{"Ask":{"Type":"Task",
	"Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","End":true}}}`

// tokenSink is a callback invoker that hands out the tokens it is sent.
func tokenSink() (*tasks.Memory, chan string) {
	inv := tasks.NewMemory()
	tokens := make(chan string, 100)
	inv.Register("sendMessage.waitForTaskToken", func(_ context.Context, req tasks.Request) (any, error) {
		tokens <- req.TaskToken
		return jsonval.FromGo(map[string]any{"MessageId": "m1"}), nil
	})
	return inv, tokens
}

// TestSendTaskRace races 20 callers completing one token, as issue 14
// did against the server: exactly one gets through, the others get
// TaskTimedOut, and so does anyone using the token afterwards.
func TestSendTaskRace(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			inv, tokens := tokenSink()
			svc := run(t, service.Config{Store: b.open(t), Invoker: inv, Workers: 4})
			arn := createMachine(t, svc, "cb", callbackMachine, store.TypeStandard)
			e, err := svc.StartExecution(t.Context(), service.StartExecutionInput{StateMachineARN: arn, Name: "e"})
			if err != nil {
				t.Fatal(err)
			}
			token := <-tokens
			const callers = 20
			errs := make([]error, callers)
			var wg sync.WaitGroup
			gate := make(chan struct{})
			for i := range callers {
				wg.Go(func() {
					<-gate
					if i%2 == 0 {
						errs[i] = svc.SendTaskSuccess(t.Context(), token, fmt.Sprintf(`{"caller":%d}`, i))
					} else {
						errs[i] = svc.SendTaskFailure(t.Context(), token, "Caller", fmt.Sprint(i))
					}
				})
			}
			close(gate)
			wg.Wait()
			winners := 0
			for i, err := range errs {
				switch code(err) {
				case "":
					winners++
				case service.CodeTaskTimedOut:
				default:
					t.Errorf("caller %d: %v", i, err)
				}
			}
			if winners != 1 {
				t.Fatalf("%d of %d callers got OK, want exactly 1", winners, callers)
			}
			done := waitEnd(t, svc, e.ARN, 10*time.Second)
			if done.Status == store.ExecutionRunning {
				t.Fatal("execution still running")
			}
			types := historyTypes(t, svc, e.ARN)
			if n := strings.Count(types, "TaskSucceeded") + strings.Count(types, "TaskFailed"); n != 1 {
				t.Errorf("history has %d task results: %s", n, types)
			}
			if err := svc.SendTaskSuccess(t.Context(), token, `{}`); code(err) != service.CodeTaskTimedOut {
				t.Errorf("late SendTaskSuccess: %v, want TaskTimedOut", err)
			}
			if err := svc.SendTaskHeartbeat(t.Context(), token); code(err) != service.CodeTaskTimedOut {
				t.Errorf("late SendTaskHeartbeat: %v, want TaskTimedOut", err)
			}
		})
	}
}

// TestSendTaskRefusals checks the answers to bad calls, made at the call
// rather than by failing the execution later.
func TestSendTaskRefusals(t *testing.T) {
	inv, tokens := tokenSink()
	svc := run(t, service.Config{Store: memory.New(), Invoker: inv})
	arn := createMachine(t, svc, "cb", callbackMachine, store.TypeStandard)
	e, err := svc.StartExecution(t.Context(), service.StartExecutionInput{StateMachineARN: arn, Name: "e"})
	if err != nil {
		t.Fatal(err)
	}
	token := <-tokens
	big := `"` + strings.Repeat("x", 256*1024) + `"`
	tests := []struct {
		name string
		call func() error
		code string
		msg  string
	}{
		{"empty token", func() error { return svc.SendTaskSuccess(t.Context(), "", `{}`) }, service.CodeInvalidToken, ""},
		{"token with spaces", func() error { return svc.SendTaskSuccess(t.Context(), "not a token", `{}`) }, service.CodeInvalidToken, ""},
		{"overlong token", func() error { return svc.SendTaskFailure(t.Context(), strings.Repeat("a", 2049), "E", "") }, service.CodeInvalidToken, ""},
		{"unknown token", func() error { return svc.SendTaskSuccess(t.Context(), "AAAAbbbbCCCCdddd", `{}`) }, service.CodeTaskTimedOut, ""},
		{"output over 256 KiB", func() error { return svc.SendTaskSuccess(t.Context(), token, big) }, service.CodeValidation,
			"1 validation error detected: Value at 'output' failed to satisfy constraint: Member must have length less than or equal to 262144"},
		{"invalid JSON", func() error { return svc.SendTaskSuccess(t.Context(), token, `{`) }, service.CodeInvalidOutput, ""},
		{"error over 256", func() error { return svc.SendTaskFailure(t.Context(), token, strings.Repeat("e", 257), "") }, service.CodeValidation,
			"1 validation error detected: Value at 'error' failed to satisfy constraint: Member must have length less than or equal to 256"},
		{"cause over 32768", func() error { return svc.SendTaskFailure(t.Context(), token, "E", strings.Repeat("c", 32769)) }, service.CodeValidation,
			"1 validation error detected: Value at 'cause' failed to satisfy constraint: Member must have length less than or equal to 32768"},
	}
	for _, tt := range tests {
		err := tt.call()
		if code(err) != tt.code {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.code)
			continue
		}
		if e, _ := service.AsError(err); tt.msg != "" && e.Message != tt.msg {
			t.Errorf("%s: message %q, want %q", tt.name, e.Message, tt.msg)
		}
	}
	// None of them touched the task: a proper answer still goes through.
	if err := svc.SendTaskFailure(t.Context(), token, strings.Repeat("e", 256), strings.Repeat("c", 32768)); err != nil {
		t.Fatalf("SendTaskFailure at the limits: %v", err)
	}
	if got := waitEnd(t, svc, e.ARN, 5*time.Second); got.Status != store.ExecutionFailed || len(got.Error) != 256 {
		t.Errorf("execution %s %q", got.Status, got.Error[:min(len(got.Error), 10)])
	}
}

// TestCallbackBeforeSubmitted answers a callback while its invocation is
// still under way, as after a crash between the request and the commit
// of TaskSubmitted: the history has TaskSubmitted exactly once, before
// the result.
func TestCallbackBeforeSubmitted(t *testing.T) {
	for _, b := range backends[:1] {
		t.Run(b.name, func(t *testing.T) {
			inv := tasks.NewMemory()
			var svc *service.Service
			answered := make(chan error, 1)
			inv.Register("sendMessage.waitForTaskToken", func(ctx context.Context, req tasks.Request) (any, error) {
				// The worker answers before the request returns.
				answered <- svc.SendTaskSuccess(ctx, req.TaskToken, `{"ok":true}`)
				return jsonval.FromGo(map[string]any{"MessageId": "m1"}), nil
			})
			svc = run(t, service.Config{Store: b.open(t), Invoker: inv})
			arn := createMachine(t, svc, "cb", callbackMachine, store.TypeStandard)
			e, err := svc.StartExecution(t.Context(), service.StartExecutionInput{StateMachineARN: arn, Name: "e"})
			if err != nil {
				t.Fatal(err)
			}
			if err := <-answered; err != nil {
				t.Fatalf("SendTaskSuccess: %v", err)
			}
			if got := waitEnd(t, svc, e.ARN, 5*time.Second); got.Status != store.ExecutionSucceeded {
				t.Fatalf("status %s", got.Status)
			}
			time.Sleep(50 * time.Millisecond) // let the invocation's own commit land
			types := historyTypes(t, svc, e.ARN)
			if strings.Count(types, "TaskSubmitted") != 1 || !strings.Contains(types, "TaskSubmitted TaskSucceeded") {
				t.Errorf("history %s, want TaskSubmitted once, before TaskSucceeded", types)
			}
		})
	}
}

// TestDeleteStateMachineWhileRunning follows AWS's DeleteStateMachine:
// DELETING while an execution runs, new starts refused with
// StateMachineDeleting, deleted when the last execution ends.
func TestDeleteStateMachineWhileRunning(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			inv, tokens := tokenSink()
			svc := run(t, service.Config{Store: b.open(t), Invoker: inv})
			arn := createMachine(t, svc, "del", callbackMachine, store.TypeStandard)
			const starters = 16
			var wg sync.WaitGroup
			var mu sync.Mutex
			var started []string
			for i := range starters {
				wg.Go(func() {
					e, err := svc.StartExecution(t.Context(), service.StartExecutionInput{StateMachineARN: arn, Name: fmt.Sprint("e", i)})
					switch code(err) {
					case "":
						mu.Lock()
						started = append(started, e.ARN)
						mu.Unlock()
					case service.CodeStateMachineDeleting, service.CodeStateMachineDoesNotExist:
					default:
						t.Errorf("start %d: %v", i, err)
					}
				})
				if i == 3 {
					wg.Go(func() {
						if err := svc.DeleteStateMachine(t.Context(), arn); err != nil {
							t.Errorf("delete: %v", err)
						}
					})
				}
			}
			wg.Wait()
			if len(started) > 0 {
				sm, err := svc.DescribeStateMachine(t.Context(), arn)
				if err != nil || sm.Status != store.StatusDeleting {
					t.Fatalf("with %d executions running: %+v %v, want DELETING", len(started), sm.Status, err)
				}
				_, err = svc.StartExecution(t.Context(), service.StartExecutionInput{StateMachineARN: arn, Name: "late"})
				if code(err) != service.CodeStateMachineDeleting {
					t.Fatalf("start on a DELETING machine: %v", err)
				}
			}
			// Every start that got OK ends: stop half, answer the others.
			for i, e := range started {
				if i%2 == 0 {
					if _, err := svc.StopExecution(t.Context(), e, "", ""); err != nil {
						t.Fatalf("stop %s: %v", e, err)
					}
				}
			}
			// Answer every token that comes (a stopped execution may never
			// have invoked its task; its token, if any, is closed:
			// TaskTimedOut) until no started execution is running.
			running := func() bool {
				for _, e := range started {
					if d, err := svc.DescribeExecution(t.Context(), e); err != nil || d.Status == store.ExecutionRunning {
						return true
					}
				}
				return false
			}
			deadline := time.After(20 * time.Second)
			for running() {
				select {
				case tok := <-tokens:
					if err := svc.SendTaskSuccess(t.Context(), tok, `{}`); err != nil && code(err) != service.CodeTaskTimedOut {
						t.Fatal(err)
					}
				case <-time.After(50 * time.Millisecond):
				case <-deadline:
					t.Fatal("executions still running after 20 s")
				}
			}
			for _, e := range started {
				if got := waitEnd(t, svc, e, 10*time.Second); got.Status == store.ExecutionRunning {
					t.Fatalf("%s still running", e)
				}
			}
			if _, err := svc.DescribeStateMachine(t.Context(), arn); code(err) != service.CodeStateMachineDoesNotExist {
				t.Fatalf("after the last execution ended: %v, want StateMachineDoesNotExist", err)
			}
		})
	}
}

// TestPoisonPill runs an execution whose task panics on every attempt:
// after Config.MaxAttempts the execution fails with States.Runtime instead
// of being retried forever.
func TestPoisonPill(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		inv := tasks.NewMemory()
		var calls atomic.Int32
		inv.Register("boom", func(context.Context, tasks.Request) (any, error) {
			calls.Add(1)
			panic("out of memory, say")
		})
		svc := run(t, service.Config{Store: memory.New(), Invoker: inv, MaxAttempts: 3})
		arn := createMachine(t, svc, "pill", `{"StartAt":"T","States":{"T":{"Type":"Task",
			"Resource":"arn:aws:lambda:us-east-1:123456789012:function:boom","End":true}}}`, store.TypeStandard)
		e, err := svc.StartExecution(t.Context(), service.StartExecutionInput{StateMachineARN: arn, Name: "e"})
		if err != nil {
			t.Fatal(err)
		}
		got := waitEnd(t, svc, e.ARN, time.Hour)
		if got.Status != store.ExecutionFailed || got.Error != "States.Runtime" || !strings.Contains(got.Cause, "abandoned") {
			t.Fatalf("execution %s %s %q", got.Status, got.Error, got.Cause)
		}
		if n := calls.Load(); n != 3 {
			t.Errorf("the task ran %d times, want 3", n)
		}
		if types := historyTypes(t, svc, e.ARN); !strings.HasSuffix(types, "ExecutionFailed") {
			t.Errorf("history %s", types)
		}
	})
}

// TestExpressTimeout checks AWS's limit on an Express execution's
// duration, made short for the test: it ends TIMED_OUT with
// States.Timeout.
func TestExpressTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		svc := run(t, service.Config{Store: memory.New(), ExpressTimeout: time.Minute})
		arn := createMachine(t, svc, "x", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":330,"End":true}}}`, store.TypeExpress)
		start := time.Now()
		got, err := svc.StartSyncExecution(t.Context(), service.StartExecutionInput{StateMachineARN: arn})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != store.ExecutionTimedOut || got.Error != "States.Timeout" {
			t.Fatalf("execution %s %s %q", got.Status, got.Error, got.Cause)
		}
		if d := time.Since(start); d != time.Minute {
			t.Errorf("ended after %v, want 1m", d)
		}
		short := createMachine(t, svc, "y", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":30,"End":true}}}`, store.TypeExpress)
		if got, err := svc.StartSyncExecution(t.Context(), service.StartExecutionInput{StateMachineARN: short}); err != nil || got.Status != store.ExecutionSucceeded {
			t.Fatalf("a short one: %s %v", got.Status, err)
		}
	})
}

// failingClaims is a store whose claims fail, as on a full disk, while
// reads still say work is due.
type failingClaims struct {
	store.Store
	fail   atomic.Bool
	claims atomic.Int64
}

var errDiskFull = errors.New("disk I/O error: database or disk is full")

func (f *failingClaims) ClaimWork(ctx context.Context, c store.Claim) ([]store.WorkItem, error) {
	f.claims.Add(1)
	if f.fail.Load() {
		return nil, errDiskFull
	}
	return f.Store.ClaimWork(ctx, c)
}

// TestClaimBackoff checks that a failing store makes the scheduler back
// off instead of spinning, and that Health reports it until the store
// answers again.
func TestClaimBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := &failingClaims{Store: memory.New()}
		svc := run(t, service.Config{Store: st, PollInterval: time.Hour})
		arn := createMachine(t, svc, "w", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"End":true}}}`, store.TypeStandard)
		st.fail.Store(true)
		e, err := svc.StartExecution(t.Context(), service.StartExecutionInput{StateMachineARN: arn, Name: "e"})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Minute)
		if n := st.claims.Load(); n > 30 {
			t.Errorf("%d claims in 5 minutes of a failing store; want backing off", n)
		}
		if err := svc.Health(); !errors.Is(err, errDiskFull) {
			t.Errorf("Health() = %v while claims fail", err)
		}
		st.fail.Store(false)
		got := waitEnd(t, svc, e.ARN, time.Hour)
		if got.Status != store.ExecutionSucceeded {
			t.Errorf("after the store recovered: %s", got.Status)
		}
		if err := svc.Health(); err != nil {
			t.Errorf("Health() = %v after the store recovered", err)
		}
	})
}

// TestRestartTakesBackLeases crashes a single-node SQLite server while a
// task runs (its lease of 30 s stays in the store) and restarts it: the
// new run takes the work back at once rather than when the lease runs
// out.
func TestRestartTakesBackLeases(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stepwise.db")
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		inv := tasks.NewMemory()
		var calls atomic.Int32
		release := make(chan struct{})
		inv.Register("slow", func(ctx context.Context, _ tasks.Request) (any, error) {
			if calls.Add(1) == 1 {
				select { // the first run is killed while it waits here
				case <-ctx.Done():
				case <-release:
				}
				return nil, ctx.Err()
			}
			return "done", nil
		})
		open := func(node string) (*service.Service, func()) {
			st, err := sqlite.Open(ctx, path, sqlite.Options{})
			if err != nil {
				t.Fatal(err)
			}
			svc, err := service.Open(service.Config{Store: st, Invoker: inv, Node: node, PollInterval: time.Hour})
			if err != nil {
				t.Fatal(err)
			}
			runCtx, cancel := context.WithCancel(ctx)
			var wg sync.WaitGroup
			wg.Go(func() { _ = svc.Run(runCtx) })
			return svc, func() { cancel(); wg.Wait(); svc.Close(); st.Close() }
		}
		svc, stop := open("first")
		arn := createMachine(t, svc, "slow", `{"StartAt":"T","States":{"T":{"Type":"Task",
			"Resource":"arn:aws:lambda:us-east-1:123456789012:function:slow","End":true}}}`, store.TypeStandard)
		e, err := svc.StartExecution(ctx, service.StartExecutionInput{StateMachineARN: arn, Name: "e"})
		if err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if calls.Load() != 1 {
			t.Fatalf("%d calls before the crash", calls.Load())
		}
		stop() // like a crash: the worker gives up without releasing its lease
		close(release)

		restarted := time.Now()
		svc, stop = open("second")
		defer stop()
		got := waitEnd(t, svc, e.ARN, time.Hour)
		if got.Status != store.ExecutionSucceeded {
			t.Fatalf("status %s", got.Status)
		}
		if d := time.Since(restarted); d >= 30*time.Second {
			t.Errorf("the work resumed %v after the restart, want at once (not after the 30 s lease)", d)
		}
	})
}
