package jsonata

import (
	"fmt"
	"math/rand/v2"
	"time"

	"stepwise/jsonval"
)

// CodeFunctionResult is the error code of a function result when
// [Options.RejectFunctionResult] is set. It is Stepwise's own code; the
// reference implementation has none.
const CodeFunctionResult = "U1003"

// Default limits used when [Options] leaves them zero.
const (
	DefaultMaxDepth = 1000
	DefaultMaxSteps = 10_000_000
	// DefaultMaxAlloc is the allocation budget of one evaluation, in bytes:
	// far above what expressions over Step Functions' 256 KiB payloads
	// need, and small enough that a few concurrent evaluations cannot take
	// a server's memory.
	DefaultMaxAlloc = 64 << 20

	// maxMaxDepth caps Options.MaxDepth so that the Go stack stays far
	// below its limit.
	maxMaxDepth = 100_000
)

// Expression is a compiled JSONata expression. It is immutable and safe for
// concurrent use by multiple goroutines.
type Expression struct {
	src string
	ast *node
}

// Options configures one evaluation. A nil *Options means all defaults.
type Options struct {
	// Bindings are extra variables: the key "states" is referenced as
	// $states. Values must be in the jsonval model, or a [Function], a
	// *Function or a func(args []any) (any, bool, error) (a Function
	// without signature) to bind a native function.
	Bindings map[string]any
	// Now is the instant $now() and $millis() return; the zero value means
	// the Unix epoch. The package never reads the clock.
	Now time.Time
	// Rand is the source for $random and $shuffle; nil means a source with
	// a fixed seed, so results are reproducible. A *rand.Rand is not safe
	// for concurrent use: give each concurrent evaluation its own.
	Rand *rand.Rand
	// MaxDepth limits the nesting of evaluation (recursion); 0 means
	// DefaultMaxDepth, and values above 100,000 count as 100,000.
	// Exceeding it gives an *Error with code U1001.
	MaxDepth int
	// MaxSteps limits the number of evaluation steps; 0 means
	// DefaultMaxSteps. Exceeding it gives an *Error with code U1001.
	MaxSteps int
	// MaxAlloc limits what one evaluation may allocate, in bytes: every
	// array, sequence, string and object it builds is charged at about its
	// size in memory, and the total may not exceed MaxAlloc (memory freed
	// along the way is not given back, so the bound holds whatever the
	// garbage collector does). 0 means DefaultMaxAlloc. Exceeding it gives
	// an *Error with code U1002. A result whose JSON form would exceed it
	// (a value that repeats one large part many times) gives U1002 too.
	MaxAlloc int
	// DisableEval makes $eval unavailable (calling it gives T1006).
	DisableEval bool
	// RejectFunctionResult makes a function as the whole result an error
	// with code [CodeFunctionResult] instead of "" (jsonata-js's
	// JSON.stringify would drop it); Step Functions reports such results.
	RejectFunctionResult bool
	// Functions are extra native functions, callable as $name.
	Functions map[string]Function
}

// Function is a native function callable from expressions.
//
// Signature is a JSONata signature such as "<n-n:n>" (see the JSONata
// documentation); arguments are validated against it before Impl is called,
// with the same errors (T0410, T0412) as the built-in functions. An empty
// Signature accepts any arguments.
//
// Impl receives the evaluated arguments in the jsonval model. An argument
// that is undefined is passed as nil when other arguments follow it, and
// trailing undefined arguments are dropped, so len(args) is the number of
// arguments supplied. A function passed as an argument arrives as nil.
// Impl must not modify its arguments (they may be parts of the input).
// A Function registered under the name of a built-in function ($random)
// replaces it. Impl returns the result and whether it is defined
// (false means undefined); an error that is not an *Error is wrapped in one
// with code D3137 (the code of $error).
type Function struct {
	Signature string
	Impl      func(args []any) (any, bool, error)
}

// Compile parses a JSONata 2.0.6 expression. Syntax errors are returned as
// *Error with the jsonata-js code (S0xxx) and position. Compile is the way to
// check an expression's syntax without evaluating it.
func Compile(expr string) (*Expression, error) {
	ast, err := parse(expr)
	if err != nil {
		return nil, finish(err)
	}
	return &Expression{src: expr, ast: ast}, nil
}

// MustCompile is like [Compile] but panics on a syntax error. It is meant for
// expressions that are constants in Go code.
func MustCompile(expr string) *Expression {
	e, err := Compile(expr)
	if err != nil {
		panic(err)
	}
	return e
}

// String returns the source text of e.
func (e *Expression) String() string { return e.src }

func finish(err error) error {
	if e, ok := err.(*Error); ok {
		// The offending value is described in the message; one too large
		// to describe (or to convert) is left out.
		if !fits(e.Value, maxErrorValue) {
			e.Value = tooLarge
		}
		if e.Message == "" {
			e.Message = e.describe()
		}
		if isUndef(e.Value) {
			e.Value = nil
		} else if isInternal(e.Value) || needsConversion(e.Value) {
			e.Value = toOutput(e.Value)
		}
		return e
	}
	return &Error{Code: "D3137", Message: err.Error()}
}

// maxErrorValue bounds the offending value an *Error carries and its
// message describes.
const maxErrorValue = 1 << 20

// tooLarge stands for an offending value too large to describe.
const tooLarge = "(a value too large to show)"

func isInternal(v any) bool {
	switch v.(type) {
	case *sequence, undefinedType, *lambda, *builtin, *regexValue, tuple:
		return true
	}
	return false
}

// Evaluate evaluates e against input, a value in the jsonval model (nil is
// JSON null; pass [Undefined] for no input). defined is false when the
// result is JSONata's undefined (no value). The result is in the jsonval
// model: computed numbers are float64, numbers taken from the input keep
// their json.Number form. The result may share structure with input and
// with opts.Bindings; the caller must not modify it. Errors are *Error.
func (e *Expression) Evaluate(input any, opts *Options) (result any, defined bool, err error) {
	defer func() {
		// A bug in this package must not crash the caller; report it as an
		// error instead (the fuzz test fails on this code).
		if r := recover(); r != nil {
			result, defined, err = nil, false, &Error{Code: "U1000", Message: fmt.Sprintf("internal error: %v", r)}
		}
	}()
	// One allocation for the evaluator and the root scope.
	st := &struct {
		ev    evaluator
		root  frame
		names [4]string
		vals  [4]any
	}{}
	ev := &st.ev
	*ev = evaluator{opts: opts, maxDepth: DefaultMaxDepth, maxSteps: DefaultMaxSteps, maxAlloc: DefaultMaxAlloc, now: time.Unix(0, 0).UTC()}
	root := &st.root
	root.names, root.vals = st.names[:0], st.vals[:0]
	if opts != nil {
		if opts.MaxDepth > 0 {
			ev.maxDepth = min(opts.MaxDepth, maxMaxDepth)
		}
		if opts.MaxSteps > 0 {
			ev.maxSteps = opts.MaxSteps
		}
		if opts.MaxAlloc > 0 {
			ev.maxAlloc = opts.MaxAlloc
		}
		if !opts.Now.IsZero() {
			ev.now = opts.Now
		}
		ev.rng = opts.Rand
		for name, f := range opts.Functions {
			b, err := nativeFunction(name, f)
			if err != nil {
				return nil, false, finish(err)
			}
			root.bind(name, b)
		}
		for name, v := range opts.Bindings {
			switch f := v.(type) {
			case Function:
				b, err := nativeFunction(name, f)
				if err != nil {
					return nil, false, finish(err)
				}
				v = b
			case *Function:
				b, err := nativeFunction(name, *f)
				if err != nil {
					return nil, false, finish(err)
				}
				v = b
			case func(args []any) (any, bool, error):
				b, err := nativeFunction(name, Function{Impl: f})
				if err != nil {
					return nil, false, finish(err)
				}
				v = b
			case undefinedType:
			default:
				v = fromInput(v)
			}
			root.bind(name, v)
		}
		if opts.DisableEval {
			root.bind("eval", undefined)
		}
	}
	input = fromInput(input)
	root.bind("$", input)
	if arr, ok := input.([]any); ok {
		input = &sequence{isSeq: true, items: []any{arr}, outerWrapper: true}
	}
	r, err := ev.eval(e.ast, input, root)
	if err != nil {
		return nil, false, finish(err)
	}
	if ev.spent > ev.maxAlloc {
		return nil, false, finish(ev.allocError(0))
	}
	if isUndef(r) {
		return nil, false, nil
	}
	if s, ok := r.(*sequence); ok && s.isSeq && len(s.items) == 0 && !s.keepSingleton {
		return nil, false, nil
	}
	// A result may hold one value many times over (an array whose items
	// are all one large array, nested again and again); the caller encodes
	// it in full, so its expanded size must fit the budget too.
	if !fits(r, ev.maxAlloc) {
		return nil, false, finish(&Error{Code: "U1002", Message: fmt.Sprintf(
			"Memory limit exceeded: the result's JSON form would be larger than %s (the evaluation's allocation limit)", byteSize(ev.maxAlloc))})
	}
	if opts != nil && opts.RejectFunctionResult && isFunction(r) {
		return nil, false, &Error{Code: CodeFunctionResult, Message: "the expression's result is a function, which has no JSON form"}
	}
	return toOutput(r), true, nil
}

// Undefined is an input value meaning "no input" (JSONata's undefined), for
// [Expression.Evaluate].
var Undefined any = undefined

// fromInput accepts the few Go types outside the model that callers commonly
// pass (int, int64) by converting them; values in the model pass through.
func fromInput(v any) any {
	switch x := v.(type) {
	case int, int64, float32, map[string]any:
		return jsonval.FromGo(x)
	}
	return v
}

func nativeFunction(name string, f Function) (*builtin, error) {
	var sig *signature
	if f.Signature != "" {
		s, err := parseSignature(f.Signature)
		if err != nil {
			return nil, err
		}
		sig = s
	}
	impl := f.Impl
	n := 0
	if sig != nil {
		n = len(sig.params)
	}
	return &builtin{name: name, sig: sig, arity: n, impl: func(ev *evaluator, args []any, _ any, _ *frame) (any, error) {
		args = trimUndefined(args)
		out := make([]any, len(args))
		for i, a := range args {
			if isUndef(a) || isFunction(a) {
				out[i] = nil
				continue
			}
			// The conversion walks the argument in full, and the function
			// may too: it must fit what is left of the budget.
			if !fits(a, ev.maxAlloc-ev.spent) {
				return nil, ev.allocError(0)
			}
			out[i] = toOutput(a)
		}
		if impl == nil {
			return undefined, nil
		}
		r, ok, err := impl(out)
		if err != nil {
			if _, isErr := err.(*Error); isErr {
				return nil, err
			}
			return nil, &Error{Code: "D3137", Token: name, Message: err.Error()}
		}
		if !ok {
			return undefined, nil
		}
		// What the function built is charged as a whole.
		r = fromInput(r)
		if err := ev.chargeValue(r); err != nil {
			return nil, err
		}
		return r, nil
	}}, nil
}
