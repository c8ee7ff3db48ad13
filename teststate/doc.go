// Package teststate evaluates one state of a definition on its own, as the
// AWS Step Functions TestState action does: the state's input and output
// processing, a Choice's next state, a Task's mocked result or error, and
// what its Retry and Catch make of an error.
//
// The package does no I/O. [Prepare] checks a [Request] and compiles the
// state; [Test.Start] evaluates it up to the point where it needs a task's
// result. For a Task without a mock, Start returns the [Invocation] the
// caller must carry out (the service does, through its task invoker, with
// a time limit) and pass back to [Test.Finish]. Every other state, and
// every mocked one, is answered by Start itself.
//
// Time (the context object's times, JSONata's $now()) and randomness (task
// tokens, $uuid()) come in through [Environment], so equal inputs give
// equal responses.
package teststate
