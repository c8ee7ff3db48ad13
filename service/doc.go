// Package service is the application facade of Stepwise: it implements
// the actions of the AWS Step Functions API (state machines, executions,
// activities, task tokens, validation, TestState) on top of a store, with
// AWS's checks and error shapes (*[Error]). Package api serves it over
// HTTP; cmd/stepwise wires it.
//
// Executions themselves are carried out by package runtime: the service
// checks a start and hands it to a [runtime.Runner], which drives
// Standard executions durably and Express executions in memory, and which
// asks the service back, through the [runtime.Starter] interface, for the
// executions that Task states start. Imports go one way: service to
// runtime.
//
// [StartRules] gives the nested executions of in-process runs
// ([runtime.LocalNested], as `stepwise run` and `stepwise test` use it)
// the StartExecution action's checks and error shapes.
// [Config.TestCases] runs the test cases of a Step Functions Local mock
// configuration (StartExecution of "ARN#TEST_CASE"); the caller supplies
// the mocks, so the service does not depend on how they are configured.
package service
