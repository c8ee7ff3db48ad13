package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"stepwise/jsonval"
	"stepwise/service"
	"stepwise/store"
	"stepwise/store/postgres/pgtest"
	"stepwise/tasks"
)

// The redrive crash test is the crash test's (crash_test.go) for
// RedriveExecution: a child process starts executions that fail on their
// first run, redrives each failed one, and runs until all have ended;
// it is killed at random moments and restarted, and every execution must
// end as in an uninterrupted run, with the same events.

const (
	redriveChildEnv = "STEPWISE_REDRIVE_CRASH_CHILD_DB"
	redriveExecs    = 100
	redriveMachine  = "redrivy"
	redriveToken    = "crash-test-redrive"
)

// redriveDefinition: a Parallel whose Pass branch succeeds at once and
// whose Map runs its items one at a time (so the events are the same in
// every run); an item's Task fails on the first run for some executions,
// which fails the Map and the execution; the redrive reruns that item and
// the ones after it, not the Pass branch nor the items before. A
// redriven item waits a second, so that kills land in redriven runs.
const redriveDefinition = `{"StartAt":"Par","States":{"Par":{"Type":"Parallel","Next":"Done","Branches":[
 {"StartAt":"P","States":{"P":{"Type":"Pass","Result":"p","End":true}}},
 {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":1,
   "ItemSelector":{"item.$":"$$.Map.Item.Value","n.$":"$.n"},
   "ItemProcessor":{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"` + crashLambdaARN + `",
     "Parameters":{"item.$":"$.item","n.$":"$.n","rc.$":"$$.Execution.RedriveCount"},"Next":"Again"},
     "Again":{"Type":"Choice","Choices":[{"Variable":"$$.Execution.RedriveCount","NumericGreaterThan":0,"Next":"Slow"}],"Default":"Fast"},
     "Slow":{"Type":"Wait","Seconds":1,"End":true},"Fast":{"Type":"Succeed"}}},"End":true}}}]},
 "Done":{"Type":"Pass","Parameters":{"out.$":"$","rc.$":"$$.Execution.RedriveCount"},"End":true}}}`

// redriveInvoker fails item n%4+1 of every execution whose n is odd on
// its first run (RedriveCount 0).
func redriveInvoker() tasks.Invoker {
	inv := tasks.NewMemory()
	inv.Register("work", func(_ context.Context, req tasks.Request) (any, error) {
		obj := req.Input.(*jsonval.Object)
		item, _ := obj.Get("item")
		n, _ := obj.Get("n")
		rc, _ := obj.Get("rc")
		i, _ := jsonval.Int(item)
		k, _ := jsonval.Int(n)
		r, _ := jsonval.Int(rc)
		if r == 0 && k%2 == 1 && i == k%4+1 {
			return nil, &tasks.Error{Name: "NotYet", Cause: fmt.Sprintf("item %d of %d", i, k)}
		}
		return jsonval.FromGo(map[string]any{"done": i * k, "rc": r}), nil
	})
	return inv
}

// redriveChild starts the executions, redrives each that failed and was
// never redriven, and returns when all have ended.
func redriveChild() int {
	ctx := context.Background()
	svc, sm, end, err := childService(ctx, redriveChildEnv, redriveInvoker(), redriveMachine, redriveDefinition)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer end()
	for i := range redriveExecs {
		in := service.StartExecutionInput{StateMachineARN: sm.ARN, Name: fmt.Sprintf("r%03d", i), Input: fmt.Sprintf(`{"n":%d,"items":[1,2,3,4]}`, i)}
		if _, err := svc.StartExecution(ctx, in); err != nil {
			if e, ok := service.AsError(err); !ok || e.Code != service.CodeExecutionAlreadyExists {
				fmt.Fprintln(os.Stderr, "start:", err)
				return 1
			}
		}
	}
	for {
		all, _, err := svc.ListExecutions(ctx, store.ExecutionQuery{StateMachineARN: sm.ARN, Page: store.Page{MaxResults: 1000}})
		if err != nil {
			fmt.Fprintln(os.Stderr, "list:", err)
			return 1
		}
		busy := false
		for _, e := range all {
			switch {
			case e.Status == store.ExecutionRunning:
				busy = true
			case e.Status == store.ExecutionFailed && e.RedriveCount == 0:
				busy = true
				if _, err := svc.RedriveExecution(ctx, e.ARN, redriveToken); err != nil {
					fmt.Fprintln(os.Stderr, "redrive:", err)
					return 1
				}
			}
		}
		if !busy {
			return 0
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// runRedriveChild starts a child on db, killed after lifetime unless
// zero, and reports whether it finished.
func runRedriveChild(t *testing.T, db string, lifetime time.Duration) bool {
	t.Helper()
	finished, err := runChildProcess(redriveChildEnv, db, lifetime)
	if err != nil {
		t.Fatal(err)
	}
	return finished
}

// redriveOutcome is what must be the same in both runs, per execution.
type redriveOutcome struct {
	outcome
	RedriveCount int64
}

// redriveOutcomes reads every execution's outcome from db; running counts
// the redriven executions still RUNNING (those a kill interrupted).
func redriveOutcomes(t *testing.T, db string) (out map[string]redriveOutcome, running int) {
	t.Helper()
	ctx := context.Background()
	st, err := openCrashStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	out = map[string]redriveOutcome{}
	for i := range redriveExecs {
		arn := fmt.Sprintf("arn:aws:states:us-east-1:123456789012:execution:%s:r%03d", redriveMachine, i)
		e, err := st.GetExecution(ctx, arn)
		if err != nil {
			continue // not started before the kill
		}
		if e.Status == store.ExecutionRunning && e.RedriveCount > 0 {
			running++
		}
		events, _, err := st.History(ctx, store.HistoryQuery{ExecutionARN: arn, Page: store.Page{MaxResults: 10000}})
		if err != nil {
			t.Fatal(err)
		}
		o := redriveOutcome{outcome: outcome{Status: string(e.Status), Output: e.Output, Error: e.Error, Cause: e.Cause}, RedriveCount: e.RedriveCount}
		for j, ev := range events {
			if ev.ID != int64(j+1) {
				t.Fatalf("%s: event %d has id %d: lost or duplicated events", arn, j+1, ev.ID)
			}
			var m map[string]any
			if err := json.Unmarshal(ev.JSON, &m); err != nil {
				t.Fatal(err)
			}
			delete(m, "timestamp")
			b, _ := json.Marshal(m)
			o.Events = append(o.Events, string(b))
		}
		out[arn] = o
	}
	return out, running
}

// TestRedriveCrashRecovery kills the service during redriven executions
// (issue 18.4: "a redrive survives a crash like any step"): every
// execution must end as in an uninterrupted run, redriven once, with the
// same history, ids and previous events included (the Map runs one item
// at a time, so the order is fixed), on SQLite and on PostgreSQL.
func TestRedriveCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	dir := t.TempDir()
	reference := filepath.Join(dir, "reference.db")
	if !runRedriveChild(t, reference, 0) {
		t.Fatal("reference run was killed")
	}
	want, _ := redriveOutcomes(t, reference)
	redriven := 0
	for arn, w := range want {
		if w.Status != "SUCCEEDED" {
			t.Fatalf("reference %s ended %s (%s)", arn, w.Status, w.Error)
		}
		if w.RedriveCount > 0 {
			redriven++
		}
	}
	if redriven != redriveExecs/2 {
		t.Fatalf("reference: %d executions redriven, want %d", redriven, redriveExecs/2)
	}

	t.Run("SQLite", func(t *testing.T) { redriveCrashes(t, want, filepath.Join(dir, "crashed.db"), 5) })
	t.Run("PostgreSQL", func(t *testing.T) { redriveCrashes(t, want, pgtest.Schema(t), 7) })
}

// redriveCrashes runs the workload on crashed, killing it at random
// moments (seeded by seed) until it finishes, and compares every
// execution's outcome with want.
func redriveCrashes(t *testing.T, want map[string]redriveOutcome, crashed string, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	kills, during := 0, 0
	for range 16 {
		if runRedriveChild(t, crashed, time.Duration(100+rng.IntN(400))*time.Millisecond) {
			break
		}
		kills++
		if _, running := redriveOutcomes(t, crashed); running > 0 {
			during++
		}
	}
	if !runRedriveChild(t, crashed, 0) {
		t.Fatal("final run was killed")
	}
	t.Logf("killed the service %d times, %d of them during redriven executions", kills, during)
	got, _ := redriveOutcomes(t, crashed)
	for arn, w := range want {
		g := got[arn]
		if g.Status != w.Status || g.Output != w.Output || g.Error != w.Error || g.RedriveCount != w.RedriveCount {
			t.Errorf("%s: ended %s %s %q redriven %d times, want %s %s %q %d", arn, g.Status, g.Output, g.Error, g.RedriveCount,
				w.Status, w.Output, w.Error, w.RedriveCount)
			continue
		}
		if !slices.Equal(g.Events, w.Events) {
			t.Errorf("%s: histories differ (%d events, want %d)", arn, len(g.Events), len(w.Events))
		}
	}
	if during == 0 {
		t.Error("no kill came during a redriven execution: the test proved nothing")
	}
}
