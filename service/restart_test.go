package service_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"stepwise/service"
	"stepwise/store"
	"stepwise/store/sqlite"
)

// TestWaitSurvivesRestart parks an execution in a 300-day Wait, stops the
// service and its store, opens them again and checks that the Wait fires
// at its due time, not earlier, with no event lost. The clock is
// testing/synctest's, so 300 days pass at once.
func TestWaitSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stepwise.db")
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		open := func() (*service.Service, func()) {
			st, err := sqlite.Open(ctx, path, sqlite.Options{})
			if err != nil {
				t.Fatal(err)
			}
			svc, err := service.Open(service.Config{Store: st, PollInterval: 1000 * 24 * time.Hour})
			if err != nil {
				t.Fatal(err)
			}
			runCtx, cancel := context.WithCancel(ctx)
			var wg sync.WaitGroup
			wg.Go(func() { _ = svc.Run(runCtx) })
			return svc, func() { cancel(); wg.Wait(); svc.Close(); st.Close() }
		}

		svc, stop := open()
		sm, err := svc.CreateStateMachine(ctx, service.CreateStateMachineInput{Name: "long", RoleARN: role,
			Definition: `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":25920000,"Next":"Done"},"Done":{"Type":"Pass","Result":"woke","End":true}}}`})
		if err != nil {
			t.Fatal(err)
		}
		e, err := svc.StartExecution(ctx, service.StartExecutionInput{StateMachineARN: sm.ARN, Name: "sleeper"})
		if err != nil {
			t.Fatal(err)
		}
		started := time.Now()
		time.Sleep(time.Hour)
		stop() // the process "restarts" an hour into the wait

		svc, stop = open()
		defer stop()
		time.Sleep(300*24*time.Hour - 2*time.Hour)
		if got, _ := svc.DescribeExecution(ctx, e.ARN); got.Status != store.ExecutionRunning {
			t.Fatalf("status %s an hour before the Wait is due", got.Status)
		}
		time.Sleep(2 * time.Hour)
		got, err := svc.DescribeExecution(ctx, e.ARN)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != store.ExecutionSucceeded || got.Output != `"woke"` {
			t.Fatalf("after the Wait: %s %s", got.Status, got.Output)
		}
		if d := got.StopDate.Sub(started); d < 300*24*time.Hour || d > 300*24*time.Hour+time.Minute {
			t.Errorf("the Wait took %v, want 300 days", d)
		}
		if types := historyTypes(t, svc, e.ARN); types != "ExecutionStarted WaitStateEntered WaitStateExited PassStateEntered PassStateExited ExecutionSucceeded" {
			t.Errorf("history %s", types)
		}
	})
}
