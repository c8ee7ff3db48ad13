package loop

import (
	"context"
	"fmt"
	"time"

	"stepwise/engine"
)

// Handler carries out the commands of one engine step, each kind by its
// method. Every driver of the engine implements it: the in-memory loop
// here, and the durable runtime, which turns commands into store rows.
type Handler interface {
	// Invoke starts the invocation inv, whose events carry id; ctx is
	// the context of the invocation, for handlers that start it at once.
	Invoke(ctx context.Context, id int64, inv *engine.Invocation) error
	// Timer arms the timer id, due at due.
	Timer(id int64, due time.Time) error
	// Cancel drops the invocation or timer id; token, when set, is the
	// cancelled task's token, which must no longer be accepted.
	Cancel(id int64, token string) error
}

// Dispatch hands the commands of a step to h, in order, and stops at the
// first error. A command of a kind it does not know is an error, so that
// a new kind cannot be dropped silently.
func Dispatch(ctx context.Context, cmds []engine.Command, h Handler) error {
	for _, c := range cmds {
		var err error
		switch c.Kind {
		case engine.CommandInvoke:
			if c.Invoke == nil {
				return fmt.Errorf("loop: invoke command %d without an invocation", c.ID)
			}
			err = h.Invoke(ctx, c.ID, c.Invoke)
		case engine.CommandTimer:
			err = h.Timer(c.ID, c.Due)
		case engine.CommandCancel:
			err = h.Cancel(c.ID, c.Token)
		default:
			return fmt.Errorf("loop: command %d of unknown kind %d", c.ID, c.Kind)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
