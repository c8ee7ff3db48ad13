package engine_test

import (
	"testing"

	"stepwise/asl"
	"stepwise/engine"
	"stepwise/engine/enginetest"
)

// TestStartRecoversPanics checks that Start, like Step, turns a panic into
// an error (issue 14, item 12): a definition that asl.Parse would refuse,
// here one whose StartAt names no state, must not take the caller down.
func TestStartRecoversPanics(t *testing.T) {
	def := &asl.StateMachine{Program: asl.Program{StartAt: "Missing", States: map[string]*asl.State{}}}
	exec := testExecution(`{}`)
	exec.TokenKey = []byte(enginetest.TestTokenKey)
	var (
		st  *engine.State
		err error
	)
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("Start panicked: %v", r)
			}
		}()
		st, _, err = engine.NewMachine(def, engine.Options{}).Start(exec, 1, start)
	}()
	if err == nil || st != nil {
		t.Fatalf("Start gave state %v and error %v, want an error", st, err)
	}
}
