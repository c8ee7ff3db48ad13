package engine

import (
	"errors"
	"math"

	"stepwise/asl"
	"stepwise/history"
	"stepwise/jsonval"
)

// matches reports whether an ErrorEquals list matches the error name.
// States.ALL matches everything and States.TaskFailed every error but
// States.Timeout; States.Runtime is never matched by a wildcard.
func matches(list []string, name string) bool {
	for _, e := range list {
		switch {
		case e == name:
			return true
		case e == ErrorAll && name != ErrorRuntime:
			return true
		case e == ErrorTaskFailed && name != ErrorTimeout && name != ErrorRuntime && name != ErrorHeartbeatTimeout:
			return true
		}
	}
	return false
}

// failState handles an error raised in th's current state: Retry, then
// Catch, else the thread fails.
func (st *State) failState(th *Thread, s *asl.State, f *failure) {
	if f.Error == ErrorRuntime || (f.Error == ErrorDataLimitExceeded && len(s.Catch) == 0 && len(s.Retry) == 0) {
		// States.Runtime is not retriable and fails the whole execution.
		st.finishExecution(StatusFailed, th, f)
		return
	}
	if st.retry(th, s, f) {
		return
	}
	if st.catch(th, s, f) {
		return
	}
	st.finishThread(th, nil, f)
}

// RetryDelay is how many seconds Retrier r waits before retry number
// attempt+1: IntervalSeconds × BackoffRate^attempt, at most
// MaxDelaySeconds when set. FULL jitter scales it by a random factor in
// [0, 1) in executions; the TestState action reports the delay itself.
func RetryDelay(r asl.Retrier, attempt int64) float64 {
	delay := float64(r.IntervalSeconds) * math.Pow(r.BackoffRate, float64(attempt))
	if r.MaxDelaySeconds > 0 && delay > float64(r.MaxDelaySeconds) {
		delay = float64(r.MaxDelaySeconds)
	}
	return delay
}

func (st *State) retry(th *Thread, s *asl.State, f *failure) bool {
	for i, r := range s.Retry {
		if !matches(r.ErrorEquals, f.Error) {
			continue
		}
		if th.Attempts == nil {
			th.Attempts = make([]int64, len(s.Retry))
		}
		attempt := th.Attempts[i]
		if attempt >= r.MaxAttempts {
			return false
		}
		th.Attempts[i]++
		th.RetryCount++
		delay := RetryDelay(r, attempt)
		if r.JitterStrategy == "FULL" {
			delay *= st.Rand.float()
		}
		id := st.newID()
		st.Waiting[id] = wait{Kind: waitRetry, Thread: th.ID}
		st.out.Commands = append(st.out.Commands, Command{Kind: CommandTimer, ID: id, Due: afterFloat(st.now, delay)})
		th.Phase = phaseRetry
		// The state runs again: what a redrive would have rerun is gone.
		th.kept = nil
		return true
	}
	return false
}

// catch handles f with the first of s's catchers that matches it, and
// reports whether one did: the catcher's flow gives the output (its
// ResultPath, or its Output) and variables, and th moves to its Next.
func (st *State) catch(th *Thread, s *asl.State, f *failure) bool {
	for i := range s.Catch {
		c := &s.Catch[i]
		if !matches(c.ErrorEquals, f.Error) {
			continue
		}
		// The error output always has a Cause, empty when the error had
		// none (conformance test_task_service_lambda test_invoke_timeout).
		// The failure is handled: nothing under th is left to redrive.
		th.kept = nil
		errOut := jsonval.NewObject(2)
		errOut.Set("Error", f.Error)
		errOut.Set("Cause", f.Cause)
		th.Phase = phaseRun
		x, err := s.Flow.Caught(st.scope(th, s, ""), c, errOut)
		if fe := (*asl.FatalError)(nil); errors.As(err, &fe) {
			st.finishExecution(StatusFailed, th, st.failure(th, s, fe.Err))
			return true
		}
		if err != nil {
			st.finishThread(th, nil, st.failure(th, s, err))
			return true
		}
		th.Vars = x.Vars
		st.emitExited(th, string(s.Type), s.Name, x.Output, x.Assigned)
		st.transition(th, s, c.Next, x.Output)
		return true
	}
	return false
}

// finishThread ends th with a result or a failure.
func (st *State) finishThread(th *Thread, result any, f *failure) {
	th.Phase = phaseDone
	th.Result = result
	th.Failure = f
	if th.Parent == 0 {
		if f != nil {
			st.finishExecution(StatusFailed, th, f)
		} else {
			st.finishExecution(StatusSucceeded, th, nil)
		}
		return
	}
	parent, ok := st.Threads[th.Parent]
	if !ok {
		delete(st.Threads, th.ID)
		return
	}
	if f != nil && parent.Fan != nil && !parent.Fan.Map {
		if s := th.state(); s != nil && s.Type == asl.TypeTask {
			// A Task whose error leaves a Parallel branch is aborted
			// (conformance test_error_output test_parallel_catch_error).
			st.emit(th, history.TaskStateAborted, nil)
		}
	}
	st.childFinished(parent, th)
}

// finishExecution ends the execution; th (may be nil) is the thread whose
// event the final event follows.
func (st *State) finishExecution(status Status, th *Thread, f *failure) {
	if st.Status != StatusRunning {
		return
	}
	prev := st.Prev
	st.Status = status
	switch status {
	case StatusSucceeded:
		st.Output = th.Result
		st.appendFinal(history.Event{Type: history.ExecutionSucceeded}, prev, func(e *history.Event) {
			e.Details = &history.ExecutionSucceededEventDetails{Output: jsonText(th.Result)}
		})
	case StatusFailed:
		st.Error, st.Cause, st.HasCause = f.Error, f.Cause, f.HasCause
		st.appendFinal(history.Event{Type: history.ExecutionFailed}, prev, func(e *history.Event) {
			e.Details = &history.ExecutionFailedEventDetails{Error: f.Error, Cause: f.Cause}
		})
	case StatusTimedOut:
		st.Error, st.Cause, st.HasCause = f.Error, f.Cause, f.HasCause
		st.appendFinal(history.Event{Type: history.ExecutionTimedOut}, prev, func(e *history.Event) {
			e.Details = &history.ExecutionTimedOutEventDetails{Error: f.Error, Cause: f.Cause}
		})
	case StatusAborted:
		st.Error, st.Cause, st.HasCause = f.Error, f.Cause, f.HasCause
		st.appendFinal(history.Event{Type: history.ExecutionAborted}, prev, func(e *history.Event) {
			e.Details = &history.ExecutionAbortedEventDetails{Error: f.Error, Cause: f.Cause}
		})
	}
	st.abortMapRuns()
	// Everything still pending is no longer wanted.
	for _, id := range st.waitingIDs() {
		w := st.Waiting[id]
		c := Command{Kind: CommandCancel, ID: id}
		if th, ok := st.Threads[w.Thread]; ok && w.Kind == waitTask && th.Task != nil && th.Task.ID == id {
			c.Token = th.Task.Token
		}
		st.out.Commands = append(st.out.Commands, c)
	}
	clear(st.Waiting)
	if status != StatusSucceeded && !st.Exec.Express {
		st.keepForRedrive()
	}
	clear(st.Threads)
	st.endCommands = len(st.out.Commands)
}

func (st *State) appendFinal(ev history.Event, prev int64, fill func(*history.Event)) {
	if !st.recording() {
		st.NextEventID++
		return
	}
	fill(&ev)
	st.appendEvent(ev, prev)
}
