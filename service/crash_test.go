package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"stepwise/jsonval"
	"stepwise/service"
	"stepwise/store"
	"stepwise/store/postgres"
	"stepwise/store/postgres/pgtest"
	"stepwise/store/sqlite"
	"stepwise/tasks"
)

// The crash test runs the service in a child process (this test binary,
// told so by crashChildEnv) on a SQLite file, kills it with SIGKILL at
// random moments, restarts it, and checks that every execution ends as in
// an uninterrupted run: same status and output, and the same events (no
// event lost, none duplicated, ids 1..n), apart from timestamps.

const (
	crashChildEnv  = "STEPWISE_CRASH_CHILD_DB"
	crashExecs     = 200
	crashMachine   = "crashy"
	crashLambdaARN = "arn:aws:lambda:us-east-1:123456789012:function:work"
)

// crashDefinition mixes Pass, Parallel, Map, Task with Retry, Wait and
// Choice.
const crashDefinition = `{"StartAt":"Init","States":{
 "Init":{"Type":"Pass","Parameters":{"n.$":"$.n","items.$":"States.ArrayRange(1, 3, 1)"},"Next":"Fan"},
 "Fan":{"Type":"Parallel","ResultPath":"$.fan","Next":"Check","Branches":[
   {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":2,
     "ItemSelector":{"item.$":"$$.Map.Item.Value","n.$":"$.n"},
     "ItemProcessor":{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"` + crashLambdaARN + `",
       "Parameters":{"item.$":"$.item","n.$":"$.n","retry.$":"$$.State.RetryCount"},
       "Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":1,"MaxAttempts":2,"BackoffRate":1}],"End":true}}},"End":true}}},
   {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"End":true}}}]},
 "Check":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":100,"Next":"Big"}],"Default":"Small"},
 "Big":{"Type":"Pass","Result":"big","ResultPath":"$.size","End":true},
 "Small":{"Type":"Succeed"}}}`

// crashInvoker fails the first attempt of some items, so that Retry runs.
func crashInvoker() tasks.Invoker {
	inv := tasks.NewMemory()
	inv.Register("work", func(_ context.Context, req tasks.Request) (any, error) {
		obj := req.Input.(*jsonval.Object)
		item, _ := obj.Get("item")
		n, _ := obj.Get("n")
		retry, _ := obj.Get("retry")
		i, _ := jsonval.Int(item)
		k, _ := jsonval.Int(n)
		r, _ := jsonval.Int(retry)
		if r == 0 && (i+k)%2 == 0 {
			return nil, &tasks.Error{Name: "Flaky", Cause: fmt.Sprintf("item %d of %d", i, k)}
		}
		return jsonval.FromGo(map[string]any{"done": i * k}), nil
	})
	return inv
}

func seedOf(arn string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(arn))
	return h.Sum64()
}

// openCrashStore opens the store a crash-test child runs on: a
// PostgreSQL database when db is a postgres:// URL, else a SQLite file.
func openCrashStore(ctx context.Context, db string) (store.Store, error) {
	if strings.HasPrefix(db, "postgres://") {
		return postgres.Open(ctx, db, postgres.Options{})
	}
	return sqlite.Open(ctx, db, sqlite.Options{})
}

// childService is what a crash-test child runs on: the service over the
// store the environment variable env names, running, with the state
// machine name (created, or found from an earlier run). end stops and
// closes it all.
func childService(ctx context.Context, env string, inv tasks.Invoker, name, def string) (svc *service.Service, sm store.StateMachine, end func(), err error) {
	st, err := openCrashStore(ctx, os.Getenv(env))
	if err != nil {
		return nil, sm, nil, fmt.Errorf("open: %w", err)
	}
	svc, err = service.Open(service.Config{Store: st, Invoker: inv, Workers: 16, Lease: 2 * time.Second, Seed: seedOf})
	if err != nil {
		st.Close()
		return nil, sm, nil, fmt.Errorf("service: %w", err)
	}
	sm, err = svc.CreateStateMachine(ctx, service.CreateStateMachineInput{Name: name, Definition: def, RoleARN: role})
	if err != nil {
		svc.Close()
		st.Close()
		return nil, sm, nil, fmt.Errorf("create: %w", err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- svc.Run(runCtx) }()
	return svc, sm, func() {
		stop()
		<-done
		svc.Close()
		st.Close()
	}, nil
}

// crashChild runs the service until every execution has ended.
func crashChild() int {
	ctx := context.Background()
	svc, sm, end, err := childService(ctx, crashChildEnv, crashInvoker(), crashMachine, crashDefinition)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer end()
	for i := range crashExecs {
		in := service.StartExecutionInput{StateMachineARN: sm.ARN, Name: fmt.Sprintf("e%03d", i), Input: fmt.Sprintf(`{"n":%d}`, i)}
		if _, err := svc.StartExecution(ctx, in); err != nil {
			if e, ok := service.AsError(err); !ok || e.Code != service.CodeExecutionAlreadyExists {
				fmt.Fprintln(os.Stderr, "start:", err)
				return 1
			}
		}
	}
	for {
		running, _, err := svc.ListExecutions(ctx, store.ExecutionQuery{StateMachineARN: sm.ARN, Status: store.ExecutionRunning, Page: store.Page{MaxResults: 1}})
		if err == nil && len(running) == 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	return 0
}

// runChild starts a child on db; it is killed after lifetime unless zero.
func runChild(t *testing.T, db string, lifetime time.Duration) (finished bool) {
	t.Helper()
	finished, err := runChildErr(db, lifetime)
	if err != nil {
		t.Fatal(err)
	}
	return finished
}

// runChildErr is runChild for use from other goroutines: it returns the
// child's failure instead of failing the test.
func runChildErr(db string, lifetime time.Duration) (finished bool, err error) {
	return runChildProcess(crashChildEnv, db, lifetime)
}

// runChildProcess runs this test binary as the crash-test child that the
// environment variable env selects, on db, and kills it after lifetime
// unless zero. It reports whether the child finished (false when it was
// killed) and its failure.
func runChildProcess(env, db string, lifetime time.Duration) (finished bool, err error) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env+"="+db)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return false, err
	}
	if lifetime > 0 {
		timer := time.AfterFunc(lifetime, func() { _ = cmd.Process.Signal(syscall.SIGKILL) })
		defer timer.Stop()
	}
	err = cmd.Wait()
	if err == nil {
		return true, nil
	}
	if ee, ok := err.(*exec.ExitError); ok && ee.Sys().(syscall.WaitStatus).Signaled() {
		return false, nil
	}
	return false, fmt.Errorf("child failed: %v\n%s", err, stderr.String())
}

// outcome is what must be the same in both runs, per execution.
type outcome struct {
	Status, Output, Error, Cause string
	Events                       []string // each event without timestamp, sorted
}

func outcomes(t *testing.T, db string) map[string]outcome {
	t.Helper()
	ctx := context.Background()
	st, err := openCrashStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	out := map[string]outcome{}
	for i := range crashExecs {
		arn := fmt.Sprintf("arn:aws:states:us-east-1:123456789012:execution:%s:e%03d", crashMachine, i)
		e, err := st.GetExecution(ctx, arn)
		if err != nil {
			t.Fatalf("%s: %v", arn, err)
		}
		events, _, err := st.History(ctx, store.HistoryQuery{ExecutionARN: arn, Page: store.Page{MaxResults: 10000}})
		if err != nil {
			t.Fatal(err)
		}
		o := outcome{Status: string(e.Status), Output: e.Output, Error: e.Error, Cause: e.Cause}
		for j, ev := range events {
			if ev.ID != int64(j+1) {
				t.Fatalf("%s: event %d has id %d: lost or duplicated events", arn, j+1, ev.ID)
			}
			var m map[string]any
			if err := json.Unmarshal(ev.JSON, &m); err != nil {
				t.Fatal(err)
			}
			delete(m, "timestamp")
			// Which branch or iteration went first depends on timing;
			// the events themselves must not.
			delete(m, "id")
			delete(m, "previousEventId")
			b, _ := json.Marshal(m)
			o.Events = append(o.Events, string(b))
		}
		slices.Sort(o.Events)
		out[arn] = o
	}
	return out
}

func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	dir := t.TempDir()
	reference := filepath.Join(dir, "reference.db")
	if !runChild(t, reference, 0) {
		t.Fatal("reference run was killed")
	}
	crashed := filepath.Join(dir, "crashed.db")
	rng := rand.New(rand.NewPCG(1, 2))
	kills := 0
	for range 12 {
		if runChild(t, crashed, time.Duration(100+rng.IntN(400))*time.Millisecond) {
			break
		}
		kills++
	}
	if !runChild(t, crashed, 0) {
		t.Fatal("final run was killed")
	}
	t.Logf("killed the service %d times", kills)
	sameOutcomes(t, outcomes(t, reference), outcomes(t, crashed))
	if kills == 0 {
		t.Error("the child was never killed: the test proved nothing")
	}
}

// sameOutcomes checks that every execution of a crashed run ended as in the
// uninterrupted reference run, with the same events.
func sameOutcomes(t *testing.T, want, got map[string]outcome) {
	t.Helper()
	events := 0
	for arn, w := range want {
		if w.Status != "SUCCEEDED" || len(w.Events) < 20 {
			t.Fatalf("reference %s ended %s with %d events; the workload is not what the test means to run", arn, w.Status, len(w.Events))
		}
		events += len(w.Events)
	}
	t.Logf("%d executions, %d events", len(want), events)
	for arn, w := range want {
		g := got[arn]
		if g.Status != w.Status || g.Output != w.Output || g.Error != w.Error || g.Cause != w.Cause {
			t.Errorf("%s: ended %s %s %s %s, want %s %s %s %s", arn, g.Status, g.Output, g.Error, g.Cause, w.Status, w.Output, w.Error, w.Cause)
			continue
		}
		if !slices.Equal(g.Events, w.Events) {
			t.Errorf("%s: %d events, want %d; histories differ", arn, len(g.Events), len(w.Events))
		}
	}
}

// TestCrashRecoveryTwoNodes runs the crash test's workload on PostgreSQL
// with two service nodes at once, both killed at random moments and
// restarted, round after round: every execution must still end as in an
// uninterrupted single-node run, with the same events, whichever node
// carried out which step.
func TestCrashRecoveryTwoNodes(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	dsn := pgtest.Schema(t)
	reference := filepath.Join(t.TempDir(), "reference.db")
	if !runChild(t, reference, 0) {
		t.Fatal("reference run was killed")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	kills := 0
	for range 6 {
		var wg sync.WaitGroup
		var finished [2]bool
		var errs [2]error
		for n := range 2 {
			lifetime := time.Duration(200+rng.IntN(600)) * time.Millisecond
			wg.Go(func() { finished[n], errs[n] = runChildErr(dsn, lifetime) })
		}
		wg.Wait()
		for n := range 2 {
			if errs[n] != nil {
				t.Fatal(errs[n])
			}
			if !finished[n] {
				kills++
			}
		}
		if finished[0] && finished[1] {
			break
		}
	}
	if !runChild(t, dsn, 0) {
		t.Fatal("final run was killed")
	}
	t.Logf("killed a node %d times", kills)
	sameOutcomes(t, outcomes(t, reference), outcomes(t, dsn))
	if kills == 0 {
		t.Error("no node was ever killed: the test proved nothing")
	}
}
