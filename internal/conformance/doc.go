// Package conformance loads the executions recorded against AWS in
// ../shared/conformance (the asl and asl-tasks suites) and compares what
// Stepwise produced with what AWS recorded.
//
// [Load] and [LoadFile] read cases. A [Matcher] compares one case's values:
// it knows the recording's placeholders and remembers, for the whole case,
// which text each placeholder stood for. [Matcher.Result] compares the
// execution's outcome, [Matcher.History] its GetExecutionHistory events.
//
// The rules, from the suite's README and from reading the recordings:
//
//   - An expected string that is exactly "timestamp", "date",
//     "snf_role_arn", "sfn_role_arn", "execution_rolearn" or "map_run_arn"
//     matches any value, of any JSON type; so do the bare words LocalStack's
//     JsonpathTransformers left ("entered-time", "start-time",
//     "start-date", "stop-date", "execution-arn", "state-machine-arn"),
//     which the README does not list.
//   - Inside an expected string, <name> or <name:N> (a letter, then
//     letters, digits, '_' or '-', then an optional ":digits") stands for
//     non-empty text (the name may itself be a placeholder, as in
//     "<<task_token>:1>"), and the same placeholder stands for the same text
//     everywhere in the case. It also matches its own literal text
//     without binding: the definitions, inputs and mocks contain
//     placeholders, and values taken from them pass through unchanged.
//   - Payload fields of history events (input, output, parameters, cause
//     and the values of assignedVariables) are JSON text on the wire and
//     either text or parsed in the recording: both sides are parsed when
//     they are JSON text, then compared as values (numbers by value,
//     objects regardless of key order); text that is not JSON is compared
//     as text. The execution's cause is compared the same way, which also
//     covers mocks marked CauseReserialized.
//   - Recorded timestamps are all the placeholder "timestamp", so the
//     timestamp, whatever its JSON type, is never really compared.
//   - Parallel branches: see [Matcher.History].
package conformance
