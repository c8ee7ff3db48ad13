package runtime

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"stepwise/store/memory"
)

// TestActivityWaitersNotLeaked wakes a GetActivityTask long poll many
// times with no task to hand out: each wake-up must leave one waiter (the
// poll's next), not one more each time, and none once the poll returns.
func TestActivityWaitersNotLeaked(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, err := Open(Config{Store: memory.New(), PollInterval: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		ctx := context.Background()
		const arn = "arn:aws:states:us-east-1:123456789012:activity:work"
		done := make(chan error, 1)
		go func() {
			_, _, err := s.PollActivity(ctx, arn, "w")
			done <- err
		}()
		synctest.Wait()
		for i := range 50 {
			s.wakeActivity(arn)
			synctest.Wait()
			if n := s.activityWaiterCount(arn); n != 1 {
				t.Fatalf("after %d wake-ups: %d waiters, want 1", i+1, n)
			}
		}
		time.Sleep(maxPoll)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if n := s.activityWaiterCount(arn); n != 0 {
			t.Errorf("%d waiters after the poll returned", n)
		}
	})
}
