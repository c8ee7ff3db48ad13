package engine

import (
	"errors"
	"fmt"
	"time"

	"stepwise/asl"
	"stepwise/dataflow"
	"stepwise/jsonval"
)

// This file is the engine's per-state step: one state evaluated on its
// own, outside an execution, as the TestState action (package teststate)
// evaluates it. It runs the pieces each state type's file runs in an
// execution (passResult, choose, taskCall, maxConcurrency, tolerance,
// selectItem, batcher, the state's asl.Flow, matches, RetryDelay), so a
// state tested alone follows the rules of a running execution. What
// differs is what an execution does around them: the step records no
// history, starts no timers, retries nothing and does not run a
// Parallel's branches or a Map's iterations. Their results, like a Task's,
// come from the caller.

// StepInput is what a state evaluated on its own starts from.
type StepInput struct {
	// Input is the state's raw input.
	Input any
	// Vars are the workflow variables in scope.
	Vars *dataflow.Vars
	// Context is the context object ($$) the state sees; nil for none.
	Context *jsonval.Object
	// TaskToken is a Task's token, which Context shows as $$.Task.Token.
	TaskToken string
	// Now is the state's time ($now()); Rand its random source.
	Now  time.Time
	Rand func() uint64
	// RetryCount is how many retries of the matching Retrier have already
	// happened: a Retrier with no attempts left hands the error to Catch.
	RetryCount int64
	// ReadItems, when set, reads a Map's items as its ItemReader would
	// (after InputPath); ItemsPath (or Items) is then not evaluated. A nil
	// list means the reader read nothing: the items are then selected
	// from the input as without a reader.
	ReadItems func() ([]any, error)
	// FailedItems is how many of a Map's iterations failed: beyond the
	// Map's tolerated failures, it fails with
	// States.ExceedToleratedFailureThreshold. Without a tolerance set it
	// is not checked, since the iterations' own errors are not known.
	FailedItems int64
	// Inspect, when set, is told each intermediate value of the state's
	// data flow (see asl.Stage).
	Inspect func(stage asl.Stage, v any)
}

// StateStep is one state evaluated on its own: [StateStep.Start], then,
// when Start returns work, [StateStep.Finish] or [StateStep.Fail] with
// its outcome. It is used once, by one goroutine.
type StateStep struct {
	s    *asl.State
	in   StepInput
	sc   asl.Scope
	eff  any
	work *StepWork
}

// StepWork is what a state waits on: a Task's invocation, a Parallel's
// branches or a Map's iterations.
type StepWork struct {
	// Invocation is the task a Task state would invoke.
	Invocation *Invocation
	// Input is a Parallel's branch input.
	Input any
	// Items are a Map's iteration inputs, after ItemSelector and
	// ItemBatcher.
	Items []any
}

// StepOutcome is how a state evaluated on its own ended.
type StepOutcome struct {
	// Output and Next are the state's output and next state ("" for an
	// end state), or a Catcher's.
	Output any
	Next   string
	// Vars are the variables in scope after the state (its input's when
	// it failed).
	Vars *dataflow.Vars
	// Error and Cause are the state's error; empty when it succeeded.
	Error, Cause string
	// Retrier is the index of the Retrier that retries the error (-1 when
	// none does), and RetryDelay its back-off in seconds, before jitter.
	Retrier    int
	RetryDelay float64
	// Catcher is the index of the Catcher that took the error (-1 when
	// none did); Caught reports whether it handled it (its own Assign or
	// Output may fail, and Error is then that failure).
	Catcher int
	Caught  bool
}

// NewStateStep prepares s to be evaluated on its own from in.
func NewStateStep(s *asl.State, in StepInput) *StateStep {
	p := &StateStep{s: s, in: in}
	p.sc.Reset(in.Input, in.Now, in.Vars, in.Rand)
	if in.Context != nil {
		p.sc.Context = in.Context
	}
	p.sc.Probe = in.Inspect
	return p
}

// Start evaluates the state up to its work. It returns the outcome, or,
// for a Task, Parallel or Map that got that far, the work whose outcome
// the caller passes to Finish or Fail.
//
// Like Machine.Start, it never panics: a bug that would make it panic
// gives a States.Runtime outcome instead.
func (p *StateStep) Start() (out *StepOutcome, work *StepWork) {
	defer p.guard(&out, &work)
	s, sc := p.s, &p.sc
	var err error
	switch s.Type {
	case asl.TypePass:
		var result any
		if p.eff, result, err = passResult(sc, s); err != nil {
			return p.recover(err), nil
		}
		return p.exit(result, nil, s.Next), nil
	case asl.TypeChoice:
		if p.eff, err = effectiveInput(sc, s); err != nil {
			return p.recover(err), nil
		}
		rule, next, err := choose(sc, s, p.eff)
		if err != nil {
			return p.recover(err), nil
		}
		return p.exit(p.eff, rule, next), nil
	case asl.TypeWait:
		// The step checks the Wait's time but does not wait.
		if p.eff, err = effectiveInput(sc, s); err != nil {
			return p.recover(err), nil
		}
		if _, err := s.Flow.Wait(sc, p.eff); err != nil {
			return p.recover(err), nil
		}
		return p.exit(p.eff, nil, s.Next), nil
	case asl.TypeSucceed:
		if p.eff, err = effectiveInput(sc, s); err != nil {
			return p.recover(err), nil
		}
		return p.exit(p.eff, nil, ""), nil
	case asl.TypeFail:
		errName, cause, err := s.Flow.FailText(sc)
		if err != nil {
			return p.recover(err), nil
		}
		return p.failed(errName, cause), nil
	case asl.TypeTask:
		inv, err := taskCall(sc, s)
		if err != nil {
			return p.recover(err), nil
		}
		inv.TaskToken, inv.Kind = p.in.TaskToken, taskKind(s.Task.ParsedResource)
		p.work = &StepWork{Invocation: inv}
	case asl.TypeParallel:
		var params any
		if p.eff, params, err = arguments(sc, s); err != nil {
			return p.recover(err), nil
		}
		p.work = &StepWork{Input: params}
	case asl.TypeMap:
		return p.startMap()
	default:
		return p.failed(ErrorRuntime, "unknown state type "+string(s.Type)), nil
	}
	return nil, p.work
}

// startMap evaluates a Map's items, limits, ItemSelector and ItemBatcher,
// and checks in.FailedItems against its tolerated failures.
func (p *StateStep) startMap() (*StepOutcome, *StepWork) {
	s, sc := p.s, &p.sc
	var err error
	if p.eff, err = effectiveInput(sc, s); err != nil {
		return p.recover(err), nil
	}
	var items []any
	if p.in.ReadItems != nil {
		if items, err = p.in.ReadItems(); err != nil {
			return p.recover(err), nil
		}
	}
	if items == nil {
		if items, err = s.Flow.Items(sc, p.eff); err != nil {
			return p.recover(err), nil
		}
	}
	if _, err := maxConcurrency(sc, s, p.eff); err != nil {
		return p.recover(err), nil
	}
	count, pct, err := tolerance(sc, s, p.eff)
	if err != nil {
		return p.recover(err), nil
	}
	inputs := items
	if s.Flow.HasItemSelector() {
		inputs = make([]any, len(items))
		for i, item := range items {
			isc := asl.Scope{}
			isc.Reset(p.eff, p.in.Now, p.in.Vars, p.in.Rand)
			if inputs[i], err = selectItem(&isc, s, p.in.Context, i, item); err != nil {
				return p.recover(err), nil
			}
		}
		sc.Report(asl.StageItemSelector, inputs)
	}
	if s.Map.Batcher != nil {
		b, err := batcher(sc, s, p.eff)
		if err != nil {
			return p.recover(err), nil
		}
		inputs = b.batches(inputs)
		sc.Report(asl.StageItemBatcher, inputs)
	}
	if f := p.in.FailedItems; f > 0 && (count >= 0 || pct >= 0) && !tolerated(f, count, pct, len(items)) {
		return p.recover(&dataflow.Failure{Name: ErrorExceedToleratedFailure, Cause: causeExceedTolerated}), nil
	}
	p.work = &StepWork{Items: inputs}
	return nil, p.work
}

// Finish ends the state whose work Start returned with the work's result.
func (p *StateStep) Finish(result any) (out *StepOutcome) {
	defer p.guard(&out, nil)
	if p.s.Type == asl.TypeTask {
		p.sc.Report(asl.StageResult, result)
	}
	return p.exit(result, nil, p.s.Next)
}

// Fail ends the state whose work Start returned with the work's error:
// Retry, then Catch apply.
func (p *StateStep) Fail(errName, cause string) (out *StepOutcome) {
	defer p.guard(&out, nil)
	return p.recover(&dataflow.Failure{Name: errName, Cause: cause})
}

// guard turns a panic of the step into a States.Runtime outcome.
func (p *StateStep) guard(out **StepOutcome, work **StepWork) {
	if r := recover(); r != nil {
		*out = p.failed(ErrorRuntime, fmt.Sprintf("engine: state %s: %v", p.s.Name, r))
		if work != nil {
			*work = nil
		}
	}
}

// exit ends the state with result through its flow (ResultSelector,
// ResultPath, OutputPath or Output; Assign).
func (p *StateStep) exit(result any, rule *asl.ChoiceRule, next string) *StepOutcome {
	x, err := p.s.Flow.Exit(&p.sc, p.eff, result, rule)
	if err != nil {
		return p.recover(err)
	}
	return &StepOutcome{Output: x.Output, Next: next, Vars: x.Vars, Retrier: -1, Catcher: -1}
}

// failed is an outcome with an error that nothing handles.
func (p *StateStep) failed(errName, cause string) *StepOutcome {
	return &StepOutcome{Error: errName, Cause: cause, Vars: p.in.Vars, Retrier: -1, Catcher: -1}
}

// recover handles an error of the state as failState does in an
// execution: States.Runtime (and States.DataLimitExceeded without Retry
// or Catch) fails at once; else the first matching Retrier with attempts
// left (counting in.RetryCount as used) retries it, else the first
// matching Catcher takes it. Causes are the error's own: an execution
// prefixes States.Runtime and JSONata errors with the state and its
// entered event, which a state on its own does not have.
func (p *StateStep) recover(err error) *StepOutcome {
	errName, cause := ErrorRuntime, err.Error()
	var df *dataflow.Failure
	if errors.As(err, &df) {
		errName, cause = df.Name, df.Cause
	}
	o := p.failed(errName, cause)
	s := p.s
	if errName == ErrorRuntime || (errName == ErrorDataLimitExceeded && len(s.Retry) == 0 && len(s.Catch) == 0) {
		return o
	}
	for i, r := range s.Retry {
		if !matches(r.ErrorEquals, errName) {
			continue
		}
		if p.in.RetryCount < r.MaxAttempts {
			o.Retrier, o.RetryDelay = i, RetryDelay(r, p.in.RetryCount)
			return o
		}
		break
	}
	for i := range s.Catch {
		c := &s.Catch[i]
		if !matches(c.ErrorEquals, errName) {
			continue
		}
		o.Catcher = i
		errOut := jsonval.NewObject(2)
		errOut.Set("Error", errName)
		errOut.Set("Cause", cause)
		x, err := s.Flow.Caught(&p.sc, c, errOut)
		if err != nil {
			f := p.recoverCatch(err)
			f.Catcher = i
			return f
		}
		o.Output, o.Next, o.Vars, o.Caught = x.Output, c.Next, x.Vars, true
		return o
	}
	return o
}

// UsesToken reports whether state s gets a task token ($$.Task.Token)
// when it runs, as in an execution.
func UsesToken(s *asl.State) bool {
	return s.Type == asl.TypeTask && usesToken(taskKind(s.Task.ParsedResource), s.Task.ParsedResource)
}

// ContextWithMapItem returns a copy of ctx with $$.Map.Item set to the
// item of the given index and value, as a Map's ItemSelector sees it.
func ContextWithMapItem(ctx *jsonval.Object, index int, value any) *jsonval.Object {
	return withMapItem(ctx, index, value)
}

// recoverCatch is the outcome of a Catcher whose own fields failed: the
// state fails with that error.
func (p *StateStep) recoverCatch(err error) *StepOutcome {
	var fe *asl.FatalError
	if errors.As(err, &fe) {
		err = fe.Err
	}
	var df *dataflow.Failure
	if errors.As(err, &df) {
		return p.failed(df.Name, df.Cause)
	}
	return p.failed(ErrorRuntime, err.Error())
}
