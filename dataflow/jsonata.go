package dataflow

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"stepwise/jsonata"
	"stepwise/jsonval"
)

// ErrorQueryEvaluation is the error of a JSONata field that fails to
// evaluate.
const ErrorQueryEvaluation = "States.QueryEvaluationError"

// JSONataTemplate is a compiled field value of a JSONata state: a literal,
// a "{% expression %}" string, or an object or array holding them at any
// depth. It is immutable and safe for concurrent use.
type JSONataTemplate struct {
	root jnode
}

type jnodeKind uint8

const (
	jLiteral jnodeKind = iota
	jExpr
	jObject
	jArray
)

type jnode struct {
	kind  jnodeKind
	value any                 // jLiteral
	expr  *jsonata.Expression // jExpr
	text  string              // jExpr: the expression between the delimiters
	keys  []string            // jObject
	kids  []jnode             // jObject, jArray
}

// IsJSONataExpression reports whether s is a JSONata expression string
// ("{%" ... "%}") and returns the text between the delimiters.
func IsJSONataExpression(s string) (string, bool) {
	if len(s) < 4 || !strings.HasPrefix(s, "{%") || !strings.HasSuffix(s, "%}") {
		return "", false
	}
	return s[2 : len(s)-2], true
}

// CompileJSONata compiles a JSONata field value. Every "{% %}" string in it
// is parsed; a syntax error is a *SyntaxError. Expressions that Step
// Functions does not accept are refused too: $eval.
func CompileJSONata(v any) (*JSONataTemplate, error) {
	n, err := compileJNode(v)
	if err != nil {
		return nil, err
	}
	return &JSONataTemplate{root: n}, nil
}

// CompileJSONataExpression compiles the text between "{%" and "%}".
func CompileJSONataExpression(text string) (*jsonata.Expression, error) {
	e, err := jsonata.Compile(text)
	if err != nil {
		var je *jsonata.Error
		if errors.As(err, &je) {
			return nil, &SyntaxError{Kind: "JSONata expression", Text: text, Offset: je.Position, Msg: je.Code + ": " + je.Message}
		}
		return nil, &SyntaxError{Kind: "JSONata expression", Text: text, Msg: err.Error()}
	}
	return e, nil
}

func compileJNode(v any) (jnode, error) {
	switch x := v.(type) {
	case string:
		text, ok := IsJSONataExpression(x)
		if !ok {
			return jnode{kind: jLiteral, value: x}, nil
		}
		e, err := CompileJSONataExpression(strings.TrimSpace(text))
		if err != nil {
			return jnode{}, err
		}
		return jnode{kind: jExpr, expr: e, text: strings.TrimSpace(text)}, nil
	case *jsonval.Object:
		n := jnode{kind: jObject, keys: make([]string, 0, x.Len()), kids: make([]jnode, 0, x.Len())}
		static := true
		for k, e := range x.All() {
			kid, err := compileJNode(e)
			if err != nil {
				return jnode{}, err
			}
			static = static && kid.kind == jLiteral
			n.keys = append(n.keys, k)
			n.kids = append(n.kids, kid)
		}
		if static {
			return jnode{kind: jLiteral, value: x}, nil
		}
		return n, nil
	case []any:
		n := jnode{kind: jArray, kids: make([]jnode, 0, len(x))}
		static := true
		for _, e := range x {
			kid, err := compileJNode(e)
			if err != nil {
				return jnode{}, err
			}
			static = static && kid.kind == jLiteral
			n.kids = append(n.kids, kid)
		}
		if static {
			return jnode{kind: jLiteral, value: x}, nil
		}
		return n, nil
	}
	return jnode{kind: jLiteral, value: v}, nil
}

// JSONataEnv is what a JSONata field is evaluated with.
type JSONataEnv struct {
	// States is the $states variable: input, context and, where they
	// apply, result and errorOutput.
	States *jsonval.Object
	// Vars are the workflow variables in scope.
	Vars *Vars
	// Now is what $now() and $millis() return.
	Now time.Time
	// Rand feeds $random without a seed, $uuid and $shuffle.
	Rand func() uint64
}

// Eval evaluates t. field names the field for error causes ("Output",
// "Arguments", ...). An expression that yields nothing, or a function,
// fails with States.QueryEvaluationError and AWS's cause.
func (t *JSONataTemplate) Eval(field string, env *JSONataEnv) (any, error) {
	if t.root.kind == jLiteral {
		return t.root.value, nil
	}
	opts := jsonataOptions(env)
	v, f := evalJNode(&t.root, field, opts)
	if f != nil {
		return nil, f
	}
	return v, nil
}

// EvalExpression evaluates one compiled expression for a field that is a
// single expression (Condition, Items, Seconds, ...). defined is false when
// it yields nothing.
func EvalExpression(e *jsonata.Expression, field string, env *JSONataEnv) (any, error) {
	v, f := evalExpr(e, strings.TrimSpace(e.String()), field, jsonataOptions(env))
	if f != nil {
		return nil, f
	}
	return v, nil
}

func evalJNode(n *jnode, field string, opts *jsonata.Options) (any, *Failure) {
	switch n.kind {
	case jExpr:
		return evalExpr(n.expr, n.text, field, opts)
	case jObject:
		o := jsonval.NewObject(len(n.keys))
		for i, k := range n.keys {
			v, f := evalJNode(&n.kids[i], field+"/"+k, opts)
			if f != nil {
				return nil, f
			}
			o.Set(k, v)
		}
		return o, nil
	case jArray:
		out := make([]any, len(n.kids))
		for i := range n.kids {
			v, f := evalJNode(&n.kids[i], field+"/"+strconv.Itoa(i), opts)
			if f != nil {
				return nil, f
			}
			out[i] = v
		}
		return out, nil
	}
	return n.value, nil
}

func evalExpr(e *jsonata.Expression, text, field string, opts *jsonata.Options) (any, *Failure) {
	v, defined, err := e.Evaluate(nil, opts)
	if err != nil {
		var je *jsonata.Error
		msg := err.Error()
		if errors.As(err, &je) && je.Code == jsonata.CodeFunctionResult {
			return nil, &Failure{Name: ErrorQueryEvaluation, Location: field, Cause: fmt.Sprintf(
				"The JSONata expression '%s' specified for the field '%s' returned an unsupported result type.", text, field)}
		}
		if errors.As(err, &je) {
			msg = je.Code + ": " + je.Message
		}
		return nil, &Failure{Name: ErrorQueryEvaluation, Location: field, Cause: fmt.Sprintf(
			"The JSONata expression '%s' specified for the field '%s' threw an error during evaluation. %s", text, field, msg)}
	}
	if !defined {
		return nil, &Failure{Name: ErrorQueryEvaluation, Location: field, Cause: fmt.Sprintf(
			"The JSONata expression '%s' specified for the field '%s' returned nothing (undefined).", text, field)}
	}
	return v, nil
}

// jsonataOptions binds $states, the workflow variables and Step Functions'
// own functions.
func jsonataOptions(env *JSONataEnv) *jsonata.Options {
	bindings := map[string]any{}
	if env.Vars != nil {
		// Outer scopes first, so that inner values win.
		var chain []*Vars
		for s := env.Vars; s != nil; s = s.parent {
			chain = append(chain, s)
		}
		for i := len(chain) - 1; i >= 0; i-- {
			for k, v := range chain[i].Local().All() {
				bindings[k] = v
			}
		}
	}
	bindings["states"] = env.States
	var r *rand.Rand
	if env.Rand != nil {
		r = rand.New(rand.NewPCG(env.Rand(), env.Rand()))
	}
	return &jsonata.Options{
		Bindings:    bindings,
		Now:         env.Now,
		Rand:        r,
		DisableEval: true,
		// A function cannot be a field's value (conformance
		// test_map_state_items_eval_jsonata_fail_function).
		RejectFunctionResult: true,
		Functions:            stepFunctions(env),
	}
}

// stepFunctions are the functions Step Functions adds to JSONata.
func stepFunctions(env *JSONataEnv) map[string]jsonata.Function {
	wrap := func(name string, impl func(*call, []any, *Env) (any, *Failure)) func([]any) (any, bool, error) {
		c := &call{fn: &function{name: name}}
		e := &Env{Rand: env.Rand}
		return func(args []any) (any, bool, error) {
			v, f := impl(c, args, e)
			if f != nil {
				return nil, false, errors.New(f.Cause)
			}
			return v, true, nil
		}
	}
	return map[string]jsonata.Function{
		"partition": {Signature: "<an:a>", Impl: wrap("$partition", evalArrayPartition)},
		"range": {Signature: "<nnn:a>", Impl: func(args []any) (any, bool, error) {
			v, ok, err := wrap("$range", evalArrayRange)(args)
			// AWS returns the range as a JSONata sequence, so a range of one
			// number is that number (conformance test_array_jsonata
			// test_array_range).
			if arr, isArr := v.([]any); isArr && len(arr) == 1 {
				return arr[0], ok, err
			}
			return v, ok, err
		}},
		"hash": {Signature: "<ss:s>", Impl: wrap("$hash", evalHash)},
		"uuid": {Signature: "<:s>", Impl: wrap("$uuid", evalUUID)},
		"parse": {Signature: "<s:x>", Impl: func(args []any) (any, bool, error) {
			s, _ := args[0].(string)
			v, err := jsonval.ParseString(s)
			if err != nil {
				return nil, false, fmt.Errorf("the argument of $parse is not valid JSON: %s", truncate(s, 200))
			}
			return v, true, nil
		}},
		"random": {Signature: "<n?:n>", Impl: func(args []any) (any, bool, error) {
			if len(args) > 0 && args[0] != nil {
				seed, ok := jsonval.Int(args[0])
				if !ok {
					return nil, false, errors.New("the seed of $random must be an integer")
				}
				return newJavaRandom(seed).nextDouble(), true, nil
			}
			if env.Rand == nil {
				return nil, false, errors.New("$random needs a random source")
			}
			return float64(env.Rand()>>11) / (1 << 53), true, nil
		}},
	}
}

// nextDouble is java.util.Random.nextDouble.
func (r *javaRandom) nextDouble() float64 {
	return float64(int64(r.next(26))<<27+int64(r.next(27))) * (1.0 / (1 << 53))
}

// Expression returns the text of t when t is a single "{% %}" expression
// (the text between the delimiters, trimmed).
func (t *JSONataTemplate) Expression() (string, bool) {
	if t.root.kind != jExpr {
		return "", false
	}
	return t.root.text, true
}
