package service_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"stepwise/service"
	"stepwise/store"
	"stepwise/store/sqlite"
)

// failingCommits is a store whose commits to one execution fail, as if
// the process died before they reached the disk.
type failingCommits struct {
	store.Store
	arn string
}

func (f failingCommits) Commit(ctx context.Context, c store.Commit) error {
	if c.ExecutionARN == f.arn {
		return errors.New("the disk is gone")
	}
	return f.Store.Commit(ctx, c)
}

// TestNestedSyncSurvivesRestart parks a .sync parent on a child that waits
// an hour, restarts the service while it waits, then keeps the parent from
// hearing of the child's end (its commits fail, as if the process died
// between the child's last commit and the parent's) through another
// restart. The parent must still complete, once.
func TestNestedSyncSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stepwise.db")
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		open := func(wrap func(store.Store) store.Store) (*service.Service, func()) {
			st, err := sqlite.Open(ctx, path, sqlite.Options{})
			if err != nil {
				t.Fatal(err)
			}
			svc, err := service.Open(service.Config{Store: wrap(st), PollInterval: time.Hour})
			if err != nil {
				t.Fatal(err)
			}
			runCtx, cancel := context.WithCancel(ctx)
			var wg sync.WaitGroup
			wg.Go(func() { _ = svc.Run(runCtx) })
			return svc, func() { cancel(); wg.Wait(); svc.Close(); st.Close() }
		}
		same := func(st store.Store) store.Store { return st }

		svc, stop := open(same)
		child, err := svc.CreateStateMachine(ctx, service.CreateStateMachineInput{Name: "child", RoleARN: role,
			Definition: `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"Next":"P"},"P":{"Type":"Pass","Result":"grown","End":true}}}`})
		if err != nil {
			t.Fatal(err)
		}
		parent, err := svc.CreateStateMachine(ctx, service.CreateStateMachineInput{Name: "parent", RoleARN: role,
			Definition: nestedParent(".sync:2", child.ARN, "")})
		if err != nil {
			t.Fatal(err)
		}
		e, err := svc.StartExecution(ctx, service.StartExecutionInput{StateMachineARN: parent.ARN, Input: `{"Input":{},"Name":"kid"}`})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Minute)
		stop() // restart while the parent waits

		svc, stop = open(func(st store.Store) store.Store { return failingCommits{st, e.ARN} })
		time.Sleep(2 * time.Hour)
		kid, err := svc.DescribeExecution(ctx, "arn:aws:states:us-east-1:123456789012:execution:child:kid")
		if err != nil || kid.Status != store.ExecutionSucceeded {
			t.Fatalf("child %+v %v", kid, err)
		}
		if got, _ := svc.DescribeExecution(ctx, e.ARN); got.Status != store.ExecutionRunning {
			t.Fatalf("parent %s while its commits fail", got.Status)
		}
		stop() // and again, before the parent heard of it

		svc, stop = open(same)
		defer stop()
		time.Sleep(2 * time.Minute)
		got, err := svc.DescribeExecution(ctx, e.ARN)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != store.ExecutionSucceeded || !strings.Contains(got.Output, `"Output":"grown"`) {
			t.Fatalf("parent %s %s %s", got.Status, got.Output, got.Cause)
		}
		if types := historyTypes(t, svc, e.ARN); types != "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskSubmitted TaskSucceeded TaskStateExited ExecutionSucceeded" {
			t.Errorf("history %s", types)
		}
	})
}
