package service_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"stepwise/jsonval"
	"stepwise/service"
	"stepwise/store"
	"stepwise/store/postgres/pgtest"
	"stepwise/tasks"
)

// The Map Run crash test is the crash test's (crash_test.go) for
// distributed Maps: a child process runs executions whose distributed Map
// has STANDARD children that call a task and wait; it is killed at random
// moments and restarted, and every execution must end as in an
// uninterrupted run, each item processed once in its output, with its Map
// Run's counts agreeing with its children (issue 17, third "Done when"
// bullet, for the children this version runs inside the parent).

const (
	mapRunChildEnv = "STEPWISE_MAPRUN_CRASH_CHILD_DB"
	mapRunExecs    = 20
	mapRunItems    = 10
	mapRunMachine  = "fanout"
)

const mapRunCrashDefinition = `{"StartAt":"Fan","States":{"Fan":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":4,"ToleratedFailureCount":0,
 "ItemSelector":{"item.$":"$$.Map.Item.Value","n.$":"$.n"},
 "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Work","States":{
   "Work":{"Type":"Task","Resource":"` + crashLambdaARN + `","Parameters":{"item.$":"$.item","n.$":"$.n"},"Next":"Rest"},
   "Rest":{"Type":"Wait","Seconds":1,"End":true}}},"End":true}}}`

func mapRunInvoker() tasks.Invoker {
	inv := tasks.NewMemory()
	inv.Register("work", func(_ context.Context, req tasks.Request) (any, error) {
		obj := req.Input.(*jsonval.Object)
		item, _ := obj.Get("item")
		n, _ := obj.Get("n")
		i, _ := jsonval.Int(item)
		k, _ := jsonval.Int(n)
		return jsonval.FromGo(map[string]any{"item": i, "of": k}), nil
	})
	return inv
}

// mapRunChild starts the executions and returns when all have ended.
func mapRunChild() int {
	ctx := context.Background()
	svc, sm, end, err := childService(ctx, mapRunChildEnv, mapRunInvoker(), mapRunMachine, mapRunCrashDefinition)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer end()
	for i := range mapRunExecs {
		items := make([]any, mapRunItems)
		for j := range items {
			items[j] = j + 1
		}
		in := service.StartExecutionInput{StateMachineARN: sm.ARN, Name: fmt.Sprintf("m%03d", i),
			Input: jsonval.MustMarshalString(jsonval.FromGo(map[string]any{"n": i, "items": items}))}
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
			return 0
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// mapRunState is what one crash-test execution and its Map Run came to.
type mapRunState struct {
	Status, Output string
	Run            store.MapRun
	HasRun         bool
}

func mapRunStates(t *testing.T, db string) (out map[string]mapRunState, runningRuns int) {
	t.Helper()
	ctx := context.Background()
	st, err := openCrashStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	out = map[string]mapRunState{}
	for i := range mapRunExecs {
		arn := fmt.Sprintf("arn:aws:states:us-east-1:123456789012:execution:%s:m%03d", mapRunMachine, i)
		e, err := st.GetExecution(ctx, arn)
		if err != nil {
			continue // not started before the kill
		}
		s := mapRunState{Status: string(e.Status), Output: e.Output}
		runs, _, err := st.ListMapRuns(ctx, arn, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) > 1 {
			t.Fatalf("%s has %d Map Runs, want one", arn, len(runs))
		}
		if len(runs) == 1 {
			s.Run, s.HasRun = runs[0], true
			if runs[0].Status == store.MapRunRunning {
				runningRuns++
			}
		}
		out[arn] = s
	}
	return out, runningRuns
}

func TestMapRunCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	dir := t.TempDir()
	reference := filepath.Join(dir, "reference.db")
	if finished, err := runChildProcess(mapRunChildEnv, reference, 0); err != nil || !finished {
		t.Fatalf("reference run: finished %v, %v", finished, err)
	}
	want, _ := mapRunStates(t, reference)
	if len(want) != mapRunExecs {
		t.Fatalf("reference: %d executions", len(want))
	}
	t.Run("SQLite", func(t *testing.T) { mapRunCrashes(t, want, filepath.Join(dir, "crashed.db"), 3) })
	t.Run("PostgreSQL", func(t *testing.T) { mapRunCrashes(t, want, pgtest.Schema(t), 11) })
}

func mapRunCrashes(t *testing.T, want map[string]mapRunState, crashed string, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	kills, during := 0, 0
	for range 12 {
		finished, err := runChildProcess(mapRunChildEnv, crashed, time.Duration(200+rng.IntN(600))*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		if finished {
			break
		}
		kills++
		if _, running := mapRunStates(t, crashed); running > 0 {
			during++
		}
	}
	if finished, err := runChildProcess(mapRunChildEnv, crashed, 0); err != nil || !finished {
		t.Fatalf("final run: finished %v, %v", finished, err)
	}
	t.Logf("killed the service %d times, %d of them during Map Runs", kills, during)
	got, _ := mapRunStates(t, crashed)
	for arn, w := range want {
		g := got[arn]
		if g.Status != "SUCCEEDED" || g.Output != w.Output {
			t.Errorf("%s: ended %s with %s, want SUCCEEDED with %s", arn, g.Status, g.Output, w.Output)
		}
		c := g.Run.ExecutionCounts
		if !g.HasRun || g.Run.Status != store.MapRunSucceeded || c.Succeeded != mapRunItems || c.Total != mapRunItems ||
			c.Running != 0 || c.Pending != 0 || c.Failed != 0 || c.Aborted != 0 {
			t.Errorf("%s: Map Run %s with counts %+v, want SUCCEEDED with %d of %d succeeded", arn, g.Run.Status, c, mapRunItems, mapRunItems)
		}
	}
	if during == 0 {
		t.Error("no kill came during a Map Run: the test proved nothing")
	}
}
