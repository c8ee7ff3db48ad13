package dataflow

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"hash"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"stepwise/jsonval"
)

// function describes one intrinsic function: its arity, checked at compile
// time, and its implementation, which receives evaluated arguments.
type function struct {
	name    string
	minArgs int
	maxArgs int // -1: any number
	eval    func(c *call, args []any, env *Env) (any, *Failure)
}

func (f *function) arity() string {
	switch {
	case f.maxArgs < 0:
		return "at least " + plural(f.minArgs, "argument")
	case f.minArgs == f.maxArgs:
		return plural(f.minArgs, "argument")
	default:
		return strconv.Itoa(f.minArgs) + " or " + plural(f.maxArgs, "argument")
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// Limits AWS documents for intrinsic functions.
const (
	maxArrayRangeItems = 1000
	maxEncodingInput   = 10000 // characters, Base64Encode/Base64Decode/Hash
	// maxIntrinsicResult bounds the strings States.Format and
	// States.JsonToString build: AWS's payload limit (256 KiB), which any
	// larger result would exceed anyway. Arguments are at most that size
	// each, but one call may name a large value many times, and calls nest.
	maxIntrinsicResult = 256 * 1024
)

// resultTooLarge is the failure of an intrinsic whose result would be
// larger than maxIntrinsicResult.
func resultTooLarge(c *call) *Failure {
	return intrinsicFailure(c, "the result would be larger than %d bytes, the maximum payload size", maxIntrinsicResult)
}

var functions map[string]*function

func init() {
	list := []*function{
		{"States.Format", 1, -1, evalFormat},
		{"States.StringToJson", 1, 1, evalStringToJSON},
		{"States.JsonToString", 1, 1, evalJSONToString},
		{"States.Array", 0, -1, evalArray},
		{"States.ArrayPartition", 2, 2, evalArrayPartition},
		{"States.ArrayContains", 2, 2, evalArrayContains},
		{"States.ArrayRange", 3, 3, evalArrayRange},
		{"States.ArrayGetItem", 2, 2, evalArrayGetItem},
		{"States.ArrayLength", 1, 1, evalArrayLength},
		{"States.ArrayUnique", 1, 1, evalArrayUnique},
		{"States.Base64Encode", 1, 1, evalBase64Encode},
		{"States.Base64Decode", 1, 1, evalBase64Decode},
		{"States.Hash", 2, 2, evalHash},
		{"States.JsonMerge", 3, 3, evalJSONMerge},
		{"States.MathRandom", 2, 3, evalMathRandom},
		{"States.MathAdd", 2, 2, evalMathAdd},
		{"States.StringSplit", 2, 2, evalStringSplit},
		{"States.UUID", 0, 0, evalUUID},
	}
	functions = make(map[string]*function, len(list))
	for _, f := range list {
		functions[f.name] = f
	}
}

func intrinsicFailure(c *call, format string, args ...any) *Failure {
	f := runtimeFailure(format, args...)
	f.Name = ErrorIntrinsicFailure
	f.Cause = "Invalid arguments in " + c.fn.name + ": " + f.Cause
	return f
}

// argString returns argument i as a string or fails.
func argString(c *call, args []any, i int, what string) (string, *Failure) {
	s, ok := args[i].(string)
	if !ok {
		return "", intrinsicFailure(c, "the %s must be a string, not %s", what, describeKind(args[i]))
	}
	return s, nil
}

func argArray(c *call, args []any, i int, what string) ([]any, *Failure) {
	a, ok := args[i].([]any)
	if !ok {
		return nil, intrinsicFailure(c, "the %s must be an array, not %s", what, describeKind(args[i]))
	}
	return a, nil
}

// argInt returns argument i as an integer; AWS accepts only integral
// numbers here.
func argInt(c *call, args []any, i int, what string) (int64, *Failure) {
	if jsonval.KindOf(args[i]) != jsonval.Number {
		return 0, intrinsicFailure(c, "the %s must be an integer, not %s", what, describeKind(args[i]))
	}
	n, ok := jsonval.Int(args[i])
	if !ok || n < math.MinInt32 || n > math.MaxInt32 {
		return 0, intrinsicFailure(c, "the %s must be an integer, not %s", what, formatNumber(args[i]))
	}
	return n, nil
}

func describeKind(v any) string {
	k := jsonval.KindOf(v)
	switch k {
	case jsonval.Null:
		return "null"
	case jsonval.Array, jsonval.ObjectKind:
		return "an " + k.String()
	}
	return "a " + k.String()
}

func intNumber(n int64) json.Number { return json.Number(strconv.FormatInt(n, 10)) }

func evalFormat(c *call, args []any, _ *Env) (any, *Failure) {
	var tmpl string
	if c.args[0].kind == argLiteral && c.args[0].str {
		tmpl = c.args[0].raw
	} else {
		s, f := argString(c, args, 0, "format string")
		if f != nil {
			return nil, f
		}
		tmpl = s
	}
	var b strings.Builder
	next := 1
	for i := 0; i < len(tmpl); i++ {
		ch := tmpl[i]
		switch {
		case ch == '\\' && i+1 < len(tmpl) && strings.IndexByte(`'{}\`, tmpl[i+1]) >= 0:
			b.WriteByte(tmpl[i+1])
			i++
		case ch == '{' && i+1 < len(tmpl) && tmpl[i+1] == '}':
			if next >= len(args) {
				return nil, intrinsicFailure(c, "the format string has more placeholders than there are arguments")
			}
			if jsonval.Size(args[next])+b.Len() > 2*maxIntrinsicResult+2 {
				// the Java rendering is no longer than twice the JSON one
				return nil, resultTooLarge(c)
			}
			b.WriteString(javaString(args[next]))
			if b.Len() > maxIntrinsicResult {
				return nil, resultTooLarge(c)
			}
			next++
			i++
		default:
			b.WriteByte(ch)
		}
	}
	if next != len(args) {
		return nil, intrinsicFailure(c, "the format string has fewer placeholders than there are arguments")
	}
	if b.Len() > maxIntrinsicResult {
		return nil, resultTooLarge(c)
	}
	return b.String(), nil
}

// javaString renders a value as AWS does when it interpolates it into a
// string: strings as they are, containers in Java's Map and List notation
// ({a=1, b=[x, y]}), as conformance case
// test_string_operations/test_string_format_2 records.
func javaString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(x)
	case []any:
		var b strings.Builder
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(javaString(e))
		}
		b.WriteByte(']')
		return b.String()
	case *jsonval.Object:
		var b strings.Builder
		b.WriteByte('{')
		for i := range x.Len() {
			if i > 0 {
				b.WriteString(", ")
			}
			k, e := x.At(i)
			b.WriteString(k)
			b.WriteByte('=')
			b.WriteString(javaString(e))
		}
		b.WriteByte('}')
		return b.String()
	}
	return formatNumber(v)
}

func evalStringToJSON(c *call, args []any, _ *Env) (any, *Failure) {
	s, f := argString(c, args, 0, "argument")
	if f != nil {
		return nil, f
	}
	// Jackson reads blank text as no value: AWS returns null
	// (conformance test_string_to_json with "" and " ").
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	v, err := jsonval.ParseString(s)
	if err != nil {
		return nil, intrinsicFailure(c, "the argument is not valid JSON: %s", truncate(s, 200))
	}
	return normalizeNumbers(v), nil
}

// normalizeNumbers rewrites integer texts as Jackson would print them
// ("-0" becomes "0"), leaving everything else shared.
func normalizeNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if x == "-0" {
			return json.Number("0")
		}
	case []any:
		for i, e := range x {
			x[i] = normalizeNumbers(e)
		}
	case *jsonval.Object:
		for i := range x.Len() {
			k, e := x.At(i)
			if n, ok := e.(json.Number); ok && n == "-0" {
				x.Set(k, json.Number("0"))
			} else {
				normalizeNumbers(e)
			}
		}
	}
	return v
}

func evalJSONToString(c *call, args []any, _ *Env) (any, *Failure) {
	if jsonval.Size(args[0]) > maxIntrinsicResult {
		return nil, resultTooLarge(c)
	}
	s, err := jsonval.MarshalString(args[0])
	if err != nil {
		return nil, intrinsicFailure(c, "the argument cannot be represented as JSON")
	}
	return s, nil
}

func evalArray(_ *call, args []any, _ *Env) (any, *Failure) {
	out := make([]any, len(args))
	copy(out, args)
	return out, nil
}

func evalArrayPartition(c *call, args []any, _ *Env) (any, *Failure) {
	arr, f := argArray(c, args, 0, "first argument")
	if f != nil {
		return nil, f
	}
	size, f := argInt(c, args, 1, "chunk size")
	if f != nil {
		return nil, f
	}
	if size <= 0 {
		return nil, intrinsicFailure(c, "the chunk size must be greater than 0, not %d", size)
	}
	n := int(size)
	out := make([]any, 0, (len(arr)+n-1)/n)
	for i := 0; i < len(arr); i += n {
		chunk := make([]any, min(n, len(arr)-i))
		copy(chunk, arr[i:])
		out = append(out, chunk)
	}
	return out, nil
}

func evalArrayContains(c *call, args []any, _ *Env) (any, *Failure) {
	arr, f := argArray(c, args, 0, "first argument")
	if f != nil {
		return nil, f
	}
	for _, e := range arr {
		if jsonval.Equal(e, args[1]) {
			return true, nil
		}
	}
	return false, nil
}

func evalArrayRange(c *call, args []any, _ *Env) (any, *Failure) {
	start, f := argInt(c, args, 0, "start")
	if f != nil {
		return nil, f
	}
	end, f := argInt(c, args, 1, "end")
	if f != nil {
		return nil, f
	}
	step, f := argInt(c, args, 2, "step")
	if f != nil {
		return nil, f
	}
	if step == 0 {
		return nil, intrinsicFailure(c, "the step must not be 0")
	}
	var count int64
	if step > 0 && end >= start {
		count = (end-start)/step + 1
	} else if step < 0 && end <= start {
		count = (start-end)/(-step) + 1
	}
	if count > maxArrayRangeItems {
		return nil, intrinsicFailure(c, "the range has %d items, more than the maximum of %d", count, maxArrayRangeItems)
	}
	out := make([]any, 0, count)
	for i := int64(0); i < count; i++ {
		out = append(out, intNumber(start+i*step))
	}
	return out, nil
}

func evalArrayGetItem(c *call, args []any, _ *Env) (any, *Failure) {
	arr, f := argArray(c, args, 0, "first argument")
	if f != nil {
		return nil, f
	}
	ix, f := argInt(c, args, 1, "index")
	if f != nil {
		return nil, f
	}
	if ix < 0 || ix >= int64(len(arr)) {
		return nil, intrinsicFailure(c, "the index %d is out of bounds for an array of %d items", ix, len(arr))
	}
	return arr[ix], nil
}

func evalArrayLength(c *call, args []any, _ *Env) (any, *Failure) {
	arr, f := argArray(c, args, 0, "argument")
	if f != nil {
		return nil, f
	}
	return intNumber(int64(len(arr))), nil
}

func evalArrayUnique(c *call, args []any, _ *Env) (any, *Failure) {
	arr, f := argArray(c, args, 0, "argument")
	if f != nil {
		return nil, f
	}
	out := make([]any, 0, len(arr))
	// Scalars are found in a set, so that a large array of them takes
	// linear time (numbers by their value, as jsonval.Equal compares them:
	// 1 equals 1.0); containers are compared pairwise among themselves.
	type scalar struct {
		kind byte
		s    string
	}
	seenScalars := map[scalar]bool{}
	var others []any
next:
	for _, e := range arr {
		var key scalar
		switch x := e.(type) {
		case string:
			key = scalar{'s', x}
		case bool:
			key = scalar{'b', strconv.FormatBool(x)}
		case nil:
			key = scalar{'n', ""}
		case json.Number, float64:
			if f, ok := jsonval.Float(x); ok {
				if f == 0 {
					f = 0 // -0 equals 0
				}
				key = scalar{'f', strconv.FormatFloat(f, 'g', -1, 64)}
			}
		}
		if key.kind != 0 {
			if !seenScalars[key] {
				seenScalars[key] = true
				out = append(out, e)
			}
			continue
		}
		for _, seen := range others {
			if jsonval.Equal(seen, e) {
				continue next
			}
		}
		others = append(others, e)
		out = append(out, e)
	}
	return out, nil
}

func checkEncodingInput(c *call, s string) *Failure {
	if n := utf8.RuneCountInString(s); n > maxEncodingInput {
		return intrinsicFailure(c, "the input has %d characters, more than the maximum of %d", n, maxEncodingInput)
	}
	return nil
}

func evalBase64Encode(c *call, args []any, _ *Env) (any, *Failure) {
	s, f := argString(c, args, 0, "argument")
	if f != nil {
		return nil, f
	}
	if f := checkEncodingInput(c, s); f != nil {
		return nil, f
	}
	return base64.StdEncoding.EncodeToString([]byte(s)), nil
}

func evalBase64Decode(c *call, args []any, _ *Env) (any, *Failure) {
	s, f := argString(c, args, 0, "argument")
	if f != nil {
		return nil, f
	}
	if f := checkEncodingInput(c, s); f != nil {
		return nil, f
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		b, err = base64.RawStdEncoding.DecodeString(s)
	}
	if err != nil {
		return nil, intrinsicFailure(c, "the argument is not valid Base64")
	}
	return strings.ToValidUTF8(string(b), "\ufffd"), nil
}

func evalHash(c *call, args []any, _ *Env) (any, *Failure) {
	s, f := argString(c, args, 0, "data")
	if f != nil {
		return nil, f
	}
	if f := checkEncodingInput(c, s); f != nil {
		return nil, f
	}
	alg, f := argString(c, args, 1, "algorithm")
	if f != nil {
		return nil, f
	}
	var h hash.Hash
	switch alg {
	case "MD5":
		h = md5.New()
	case "SHA-1":
		h = sha1.New()
	case "SHA-256":
		h = sha256.New()
	case "SHA-384":
		h = sha512.New384()
	case "SHA-512":
		h = sha512.New()
	default:
		return nil, intrinsicFailure(c, "the algorithm %q is not supported; use MD5, SHA-1, SHA-256, SHA-384 or SHA-512", alg)
	}
	h.Write([]byte(s))
	return hex.EncodeToString(h.Sum(nil)), nil
}

func evalJSONMerge(c *call, args []any, _ *Env) (any, *Failure) {
	a, ok1 := args[0].(*jsonval.Object)
	b, ok2 := args[1].(*jsonval.Object)
	if !ok1 || !ok2 {
		return nil, intrinsicFailure(c, "the first two arguments must be objects")
	}
	deep, ok := args[2].(bool)
	if !ok {
		return nil, intrinsicFailure(c, "the third argument must be a boolean")
	}
	if deep {
		// AWS supports only the shallow mode.
		return nil, intrinsicFailure(c, "deep merging is not supported; the third argument must be false")
	}
	out := a.Clone()
	for k, v := range b.All() {
		out.Set(k, v)
	}
	return out, nil
}

func evalMathRandom(c *call, args []any, env *Env) (any, *Failure) {
	start, f := argInt(c, args, 0, "start")
	if f != nil {
		return nil, f
	}
	end, f := argInt(c, args, 1, "end")
	if f != nil {
		return nil, f
	}
	if end <= start {
		return nil, intrinsicFailure(c, "the end (%d) must be greater than the start (%d)", end, start)
	}
	bound := end - start
	if bound > math.MaxInt32 {
		return nil, intrinsicFailure(c, "the range from %d to %d is too large", start, end)
	}
	if len(args) == 3 {
		seed, ok := jsonval.Int(args[2])
		if !ok || jsonval.KindOf(args[2]) != jsonval.Number {
			return nil, intrinsicFailure(c, "the seed must be an integer, not %s", javaString(args[2]))
		}
		return intNumber(start + int64(newJavaRandom(seed).nextInt(int32(bound)))), nil
	}
	if env == nil || env.Rand == nil {
		return nil, runtimeFailure("%s needs a random source and none was provided", c.fn.name)
	}
	return intNumber(start + int64(env.Rand()%uint64(bound))), nil
}

func evalMathAdd(c *call, args []any, _ *Env) (any, *Failure) {
	var sum int64
	for i := range 2 {
		f, ok := jsonval.Float(args[i])
		if !ok || jsonval.KindOf(args[i]) != jsonval.Number {
			return nil, intrinsicFailure(c, "the arguments must be numbers, not %s", describeKind(args[i]))
		}
		// AWS rounds each operand as Java's Math.round does (half up):
		// conformance test_math_add rounds 1.49+1.5 to 3 and -2.5 to -2.
		r := math.Floor(f + 0.5)
		if math.IsInf(r, 0) || math.IsNaN(r) || r < math.MinInt32 || r > math.MaxInt32 {
			return nil, intrinsicFailure(c, "the argument %s is out of range", formatNumber(args[i]))
		}
		sum += int64(r)
	}
	return intNumber(sum), nil
}

func evalStringSplit(c *call, args []any, _ *Env) (any, *Failure) {
	s, f := argString(c, args, 0, "first argument")
	if f != nil {
		return nil, f
	}
	delims, f := argString(c, args, 1, "delimiter")
	if f != nil {
		return nil, f
	}
	// Every character of the delimiter separates, and empty pieces are
	// dropped, as Java's StringTokenizer does (conformance
	// test_string_split: ",,,," gives []).
	parts := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(delims, r) })
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out, nil
}

func evalUUID(c *call, _ []any, env *Env) (any, *Failure) {
	if env == nil || env.Rand == nil {
		return nil, runtimeFailure("%s needs a random source and none was provided", c.fn.name)
	}
	var b [16]byte
	hi, lo := env.Rand(), env.Rand()
	for i := range 8 {
		b[i] = byte(hi >> (56 - 8*i))
		b[8+i] = byte(lo >> (56 - 8*i))
	}
	return UUID(b), nil
}

// UUID formats 16 random bytes as a version 4 UUID, the form of
// States.UUID and of the names AWS gives unnamed executions.
func UUID(b [16]byte) string {
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}

// javaRandom is java.util.Random's generator, which seeded
// States.MathRandom is assumed to use so that a seed gives AWS's numbers.
type javaRandom struct{ seed int64 }

const javaRandMask = (1 << 48) - 1

func newJavaRandom(seed int64) *javaRandom {
	return &javaRandom{seed: (seed ^ 0x5DEECE66D) & javaRandMask}
}

func (r *javaRandom) next(bits uint) int32 {
	r.seed = (r.seed*0x5DEECE66D + 0xB) & javaRandMask
	return int32(r.seed >> (48 - bits))
}

func (r *javaRandom) nextInt(bound int32) int32 {
	if bound&(-bound) == bound {
		return int32((int64(bound) * int64(r.next(31))) >> 31)
	}
	for {
		bits := r.next(31)
		val := bits % bound
		if bits-val+(bound-1) >= 0 {
			return val
		}
	}
}
