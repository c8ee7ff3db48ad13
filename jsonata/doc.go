// Package jsonata is a JSONata 2.0.6 parser and evaluator in pure Go, the
// query and transformation language that AWS Step Functions uses in states
// with "QueryLanguage": "JSONata". It follows the reference implementation,
// jsonata-js 2.0.6, and passes its test suite.
//
// # Use
//
// Compile an expression once and evaluate it as often as needed; a compiled
// [Expression] is immutable and safe for concurrent use:
//
//	e, err := jsonata.Compile(`Account.Order.Product[Price > 30].SKU`)
//	if err != nil { ... } // a syntax error: *Error with code S0xxx
//	result, defined, err := e.Evaluate(input, &jsonata.Options{
//		Bindings: map[string]any{"states": statesObject},
//		Now:      eventTime,
//	})
//
// Compile alone checks syntax: it is what a validator calls on every
// expression without evaluating anything.
//
// # Values
//
// Input, bindings and results use the value model of package
// stepwise/jsonval: nil (null), bool, string, json.Number (numbers read from
// JSON text), float64 (numbers computed by an expression), []any and
// *jsonval.Object. Evaluate never modifies its input; results may share
// structure with the input, so callers must not modify them either. The
// transform operator (... ~> | pattern | update, delete |) works on a deep
// copy.
//
// JSONata distinguishes null from undefined (no value). Evaluate reports
// undefined with defined == false; pass [Undefined] as input to evaluate
// against no input at all. Inside an object, an undefined value leaves the
// key out; inside an array it is skipped, as in jsonata-js.
//
// Numbers follow JavaScript: arithmetic is float64, and formatting ($string,
// the & operator) prints numbers as JavaScript does, rounded to 15
// significant digits as jsonata-js does. A number passed through unchanged
// from the input keeps its json.Number text. A computed number that is not
// finite (1/0) becomes null in a result, as JSON.stringify writes it.
//
// # Functions
//
// The whole standard library of JSONata 2.0.6 is available, including the
// date/time functions with XPath picture strings ($fromMillis, $toMillis),
// $formatNumber, $formatInteger, $parseInteger and $formatBase. The package
// never reads the clock and has no global random source: $now() and $millis()
// return [Options].Now (the Unix epoch when zero), and $random() and
// $shuffle() draw from [Options].Rand (a fixed-seed source when nil), so an
// evaluation is a deterministic function of its inputs.
//
// Extra native functions are registered with [Options].Functions (or as
// [Function] values in [Options].Bindings). Their arguments are validated
// against their signature as built-in functions are. [Options].DisableEval
// removes $eval, as Step Functions does.
//
// # Errors and limits
//
// Every error is an *[Error] whose Code is the jsonata-js code ("S0201",
// "T2001", "D3001", ...), so callers can map them without parsing messages.
// Evaluation is bounded by [Options].MaxDepth (nesting of evaluation, which
// non-tail recursion consumes; tail calls are optimised and consume none)
// and [Options].MaxSteps (a budget of evaluation steps); exceeding either
// gives code U1001, so that a hostile expression cannot hang the caller.
// [Options].MaxAlloc (64 MiB by default) bounds what one evaluation may
// allocate: arrays, sequences, strings and objects are charged at about
// their size in memory as they are built, walks over values that share
// parts are charged node by node, and exceeding the budget gives code
// U1002 ("Memory limit exceeded: ..."), as does a result whose JSON form
// would exceed it.
//
// # Regular expressions
//
// Regex literals (/ab+c/i) are translated from JavaScript syntax to Go's RE2
// (package regexp). RE2 has no lookahead or lookbehind assertions ((?=...),
// (?!...), (?<=...), (?<!...)) and no backreferences (\1); an expression
// using them fails to compile with code S0303. Matching works on UTF-8; the
// indexes $match reports are in UTF-16 code units, as in JavaScript.
//
// Other known differences from jsonata-js: a Go string holds a lone UTF-16
// surrogate only as invalid UTF-8 (its WTF-8 bytes, which $encodeUrl and
// $encodeUrlComponent refuse with D3140, as encodeURI refuses the
// surrogate), and JSON decoders turn a "\ud800" escape into U+FFFD; and
// timestamps without an offset given to $toMillis are read as UTC
// (JavaScript would use the local time zone).
package jsonata
