package dataflow

// Env is the environment a path, template or intrinsic function is
// evaluated in: everything impure comes in from the caller. The zero value
// (or a nil *Env) has no context object, no variables and no random source.
type Env struct {
	// Context is the $$ context object, a *jsonval.Object built by the
	// engine: Execution{Id, Input, Name, RoleArn, StartTime, RedriveCount,
	// RedriveTime}, State{EnteredTime, Name, RetryCount},
	// StateMachine{Id, Name}, Task{Token}, Map{Item{Index, Value, Key,
	// Source}}.
	Context any

	// Vars holds the workflow variables in scope; nil means none.
	Vars *Vars

	// Rand returns uniformly distributed random 64-bit values. It is used by
	// States.MathRandom without a seed and by States.UUID; a nil Rand makes
	// those functions fail with States.Runtime. The engine passes a
	// generator seeded from its input (for example (*rand.PCG).Uint64 from
	// math/rand/v2), so that replays give the same values.
	Rand func() uint64
}

func (e *Env) vars() *Vars {
	if e == nil {
		return nil
	}
	return e.Vars
}
