package engine

import (
	"time"

	"stepwise/asl"
	"stepwise/jsonval"
)

// timestamp formats t as AWS does in the context object.
func timestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// contextObject builds the $$ object of th's current state.
func (st *State) contextObject(th *Thread, s *asl.State, token string) *jsonval.Object {
	return ContextObject(st.Exec, s, th.EnteredTime, th.RetryCount, token)
}

// ContextObject builds the context object ($$) of state s of execution e,
// entered at entered after retryCount retries, with token as
// $$.Task.Token when not empty. The TestState action builds its stand-in
// execution's context object with it.
func ContextObject(e Execution, s *asl.State, entered time.Time, retryCount int64, token string) *jsonval.Object {
	exec := jsonval.NewObject(6)
	exec.Set("Id", e.ARN)
	exec.Set("Input", e.Input)
	exec.Set("StartTime", timestamp(e.StartTime))
	exec.Set("Name", e.Name)
	exec.Set("RoleArn", e.RoleARN)
	if !e.Express {
		// AWS's Express context object has no RedriveCount.
		exec.Set("RedriveCount", float64(e.RedriveCount))
	}
	state := jsonval.NewObject(3)
	state.Set("EnteredTime", timestamp(entered))
	state.Set("Name", s.Name)
	if s.Type == asl.TypeTask || s.Type == asl.TypeParallel || s.Type == asl.TypeMap {
		// Only states that can retry report RetryCount (conformance
		// test_context_object test_input_path).
		state.Set("RetryCount", float64(retryCount))
	}
	sm := jsonval.NewObject(2)
	sm.Set("Id", e.StateMachineARN)
	sm.Set("Name", e.StateMachineName)
	ctx := jsonval.NewObject(5)
	ctx.Set("Execution", exec)
	ctx.Set("StateMachine", sm)
	ctx.Set("State", state)
	if token != "" {
		task := jsonval.NewObject(1)
		task.Set("Token", token)
		ctx.Set("Task", task)
	}
	return ctx
}

// withMapItem returns a copy of ctx with Map.Item set, for a Map's
// ItemSelector.
func withMapItem(ctx *jsonval.Object, index int, value any) *jsonval.Object {
	item := jsonval.NewObject(2)
	item.Set("Index", float64(index))
	item.Set("Value", value)
	m := jsonval.NewObject(1)
	m.Set("Item", item)
	c := ctx.Clone()
	c.Set("Map", m)
	return c
}
