package jsonata

import (
	"math"
	"math/rand/v2"
	"strings"

	"stepwise/jsonval"
)

type implFunc = func(ev *evaluator, args []any, input any, env *frame) (any, error)

// builtins is the standard library, shared by all evaluations (immutable
// after init).
var builtins = map[string]*builtin{}

func define(name, sig string, arity int, impl implFunc) {
	builtins[name] = &builtin{name: name, sig: mustSignature(sig), arity: arity, impl: impl}
}

func init() {
	define("sum", "<a<n>:n>", 1, fnSum)
	define("count", "<a:n>", 1, fnCount)
	define("max", "<a<n>:n>", 1, fnMax)
	define("min", "<a<n>:n>", 1, fnMin)
	define("average", "<a<n>:n>", 1, fnAverage)
	define("string", "<x-b?:s>", 1, fnString) // prettify has a default, so JS arity is 1
	define("substring", "<s-nn?:s>", 3, fnSubstring)
	define("substringBefore", "<s-s:s>", 2, fnSubstringBefore)
	define("substringAfter", "<s-s:s>", 2, fnSubstringAfter)
	define("lowercase", "<s-:s>", 1, strFn(strings.ToLower))
	define("uppercase", "<s-:s>", 1, strFn(strings.ToUpper))
	define("length", "<s-:n>", 1, fnLength)
	define("trim", "<s-:s>", 1, strFn(trimJS))
	define("pad", "<s-ns?:s>", 3, fnPad)
	define("match", "<s-f<s:o>n?:a<o>>", 3, fnMatch)
	define("contains", "<s-(sf):b>", 2, fnContains)
	define("replace", "<s-(sf)(sf)n?:s>", 4, fnReplace)
	define("split", "<s-(sf)n?:a<s>>", 3, fnSplit)
	define("join", "<a<s>s?:s>", 2, fnJoin)
	define("formatNumber", "<n-so?:s>", 3, fnFormatNumber)
	define("formatBase", "<n-n?:s>", 2, fnFormatBase)
	define("formatInteger", "<n-s:s>", 2, fnFormatInteger)
	define("parseInteger", "<s-s:n>", 2, fnParseInteger)
	define("number", "<(nsb)-:n>", 1, fnNumber)
	define("floor", "<n-:n>", 1, numFn(math.Floor))
	define("ceil", "<n-:n>", 1, numFn(math.Ceil))
	define("round", "<n-n?:n>", 2, fnRound)
	define("abs", "<n-:n>", 1, numFn(math.Abs))
	define("sqrt", "<n-:n>", 1, fnSqrt)
	define("power", "<n-n:n>", 2, fnPower)
	define("random", "<:n>", 0, fnRandom)
	define("boolean", "<x-:b>", 1, fnBoolean)
	define("not", "<x-:b>", 1, fnNot)
	define("map", "<af>", 2, fnMap)
	define("zip", "<a+>", 0, fnZip)
	define("filter", "<af>", 2, fnFilter)
	define("single", "<af?>", 2, fnSingle)
	define("reduce", "<afj?:j>", 3, fnReduce)
	define("sift", "<o-f?:o>", 2, fnSift)
	define("keys", "<x-:a<s>>", 1, fnKeys)
	define("lookup", "<x-s:x>", 2, fnLookup)
	define("append", "<xx:a>", 2, fnAppend)
	define("exists", "<x:b>", 1, fnExists)
	define("spread", "<x-:a<o>>", 1, fnSpread)
	define("merge", "<a<o>:o>", 1, fnMerge)
	define("reverse", "<a:a>", 1, fnReverse)
	define("each", "<o-f:a>", 2, fnEach)
	define("error", "<s?:x>", 1, fnError)
	define("assert", "<bs?:x>", 2, fnAssert)
	define("type", "<x:s>", 1, fnType)
	define("sort", "<af?:a>", 2, fnSort)
	define("shuffle", "<a:a>", 1, fnShuffle)
	define("distinct", "<x:x>", 1, fnDistinct)
	define("base64encode", "<s-:s>", 1, fnBase64Encode)
	define("base64decode", "<s-:s>", 1, fnBase64Decode)
	define("encodeUrlComponent", "<s-:s>", 1, urlFn("encodeUrlComponent", encodeURIComponentSet, true))
	define("encodeUrl", "<s-:s>", 1, urlFn("encodeUrl", encodeURISet, true))
	define("decodeUrlComponent", "<s-:s>", 1, urlFn("decodeUrlComponent", "", false))
	define("decodeUrl", "<s-:s>", 1, urlFn("decodeUrl", ";/?:@&=+$,#", false))
	define("eval", "<sx?:x>", 2, fnEval)
	define("toMillis", "<s-s?:n>", 2, fnToMillis)
	define("fromMillis", "<n-s?s?:s>", 3, fnFromMillis)
	define("clone", "<(oa)-:o>", 1, fnClone)
	define("now", "<s?s?:s>", 2, fnNow)
	define("millis", "<:n>", 0, fnMillis)
}

func arg(args []any, i int) any {
	if i < len(args) {
		return args[i]
	}
	return undefined
}

func num(v any) float64 {
	f, _ := toNumber(v)
	return f
}

func strFn(f func(string) string) implFunc {
	return func(ev *evaluator, args []any, _ any, _ *frame) (any, error) {
		s, ok := arg(args, 0).(string)
		if !ok {
			return undefined, nil
		}
		out := f(s)
		if err := ev.alloc(len(out)); err != nil {
			return nil, err
		}
		return out, nil
	}
}

func numFn(f func(float64) float64) implFunc {
	return func(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
		v := arg(args, 0)
		if isUndef(v) {
			return undefined, nil
		}
		return f(num(v)), nil
	}
}

// ---- aggregation ----

func fnSum(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	total := 0.0
	for _, x := range arrayItems(v) {
		total += num(x)
	}
	return total, nil
}

func fnCount(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return 0.0, nil
	}
	return float64(len(arrayItems(v))), nil
}

func minmax(args []any, max bool) (any, error) {
	v := arg(args, 0)
	items := arrayItems(v)
	if isUndef(v) || len(items) == 0 {
		return undefined, nil
	}
	r := num(items[0])
	for _, x := range items[1:] {
		f := num(x)
		if max && f > r || !max && f < r {
			r = f
		}
	}
	return r, nil
}

func fnMax(_ *evaluator, args []any, _ any, _ *frame) (any, error) { return minmax(args, true) }
func fnMin(_ *evaluator, args []any, _ any, _ *frame) (any, error) { return minmax(args, false) }

func fnAverage(_ *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	items := arrayItems(v)
	if isUndef(v) || len(items) == 0 {
		return undefined, nil
	}
	total := 0.0
	for _, x := range items {
		total += num(x)
	}
	return total / float64(len(items)), nil
}

func fnEval(ev *evaluator, args []any, input any, env *frame) (any, error) {
	src, ok := arg(args, 0).(string)
	if !ok {
		return undefined, nil
	}
	if ev.opts != nil && ev.opts.DisableEval {
		return nil, newErr("T1006", nil)
	}
	focus := arg(args, 1)
	if !isUndef(focus) {
		input = focus
		if arr, ok := input.([]any); ok {
			input = &sequence{isSeq: true, items: []any{arr}, outerWrapper: true}
		}
	}
	ast, err := parse(src)
	if err != nil {
		return nil, &Error{Code: "D3120", Value: err.Error()}
	}
	r, err := ev.eval(ast, input, env)
	if err != nil {
		if e, ok := err.(*Error); ok && e.Code == "U1001" {
			return nil, err
		}
		return nil, &Error{Code: "D3121", Value: err.Error()}
	}
	return r, nil
}

// deepClone copies v in full, charging every node it copies: v may share
// parts, and its copy does not. Over budget it stops early and eval
// reports the error.
func (ev *evaluator) deepClone(v any) any {
	if !ev.spend(costSlot) {
		return nil
	}
	switch x := v.(type) {
	case *jsonval.Object:
		if !ev.spend(x.Len() * costMember) {
			return nil
		}
		o := jsonval.NewObject(x.Len())
		for i := 0; i < x.Len(); i++ {
			k, val := x.At(i)
			if isFunction(val) || isUndef(val) {
				continue
			}
			o.Set(k, ev.deepClone(val))
		}
		return o
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return x
	}
	if isArray(v) {
		items := arrayItems(v)
		if !ev.spend(len(items) * costSlot) {
			return nil
		}
		out := make([]any, len(items))
		for i, it := range items {
			if isFunction(it) || isUndef(it) {
				out[i] = nil
				continue
			}
			out[i] = ev.deepClone(it)
		}
		return out
	}
	return v
}

func fnClone(ev *evaluator, args []any, _ any, _ *frame) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return undefined, nil
	}
	c := ev.deepClone(v)
	if ev.spent > ev.maxAlloc {
		return nil, ev.allocError(0)
	}
	return c, nil
}

// random returns the evaluation's random source, creating the fixed-seed
// default on first use.
func (ev *evaluator) random() *rand.Rand {
	if ev.rng == nil {
		ev.rng = rand.New(rand.NewPCG(1, 2))
	}
	return ev.rng
}
