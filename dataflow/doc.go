// Package dataflow implements the data flow of the Amazon States Language
// with the JSONPath query language, as AWS Step Functions evaluates it:
// query paths ([Path], with Jayway JsonPath semantics), reference paths
// ([ReferencePath], for ResultPath), payload templates ([Template], for
// Parameters, ItemSelector, ResultSelector and Assign), intrinsic functions
// ([Intrinsic], States.Format and friends), workflow variables ([Vars]) and
// the pipeline helpers that apply InputPath, ResultPath and OutputPath in
// AWS's order with AWS's null rules.
//
// Everything is compiled once (CompileXxx functions, called when a
// definition is loaded) and evaluated many times. Compiled values are
// immutable and safe for concurrent use. Evaluation never mutates its input
// and never performs I/O: the context object, the variables in scope and the
// random source all come in through [Env].
//
// Runtime failures are returned as *[Failure], which carries the AWS error
// name (States.Runtime, States.IntrinsicFailure, ...) and AWS's cause text.
// Causes are returned without the state prefix that AWS puts in front of
// some of them ("An error occurred while executing the state 'X' (entered at
// the event id #N). "); see [Failure.InState].
package dataflow
