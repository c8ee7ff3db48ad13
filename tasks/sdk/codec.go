package sdk

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"
	"time"

	"stepwise/jsonval"
)

// MaxBody bounds a streamed member (S3 GetObject's Body) read into a
// result: 256 KiB, Step Functions' payload limit, since a larger result
// could never pass between states anyway.
const MaxBody = 256 << 10

// ErrorDataLimitExceeded is the error name of a result larger than the
// payload limit, as AWS names it.
const ErrorDataLimitExceeded = "States.DataLimitExceeded"

// A ParameterError is a Task parameter that does not fit the action's
// input: an unknown member (Unknown) or a value of the wrong type. Path
// names the member as the Task wrote it (Body, Filters[0].Name); Reason
// says what was wrong with the value.
type ParameterError struct {
	Path    string
	Unknown bool
	Reason  string
}

// Error words the problem as AWS does in the causes of parameters it
// cannot use ("The value of the field 'Headers' has an invalid format",
// conformance test_invoke_with_headers_singleStringHeader), with the
// reason after it.
func (e *ParameterError) Error() string {
	if e.Unknown {
		return fmt.Sprintf("The field '%s' is not supported by Step Functions", e.Path)
	}
	return fmt.Sprintf("The value of the field '%s' has an invalid format (%s)", e.Path, e.Reason)
}

var (
	timeType   = reflect.TypeFor[time.Time]()
	readerType = reflect.TypeFor[io.Reader]()
	bytesType  = reflect.TypeFor[[]byte]()
)

// Decode fills dst, a pointer to an SDK input struct, from params, a
// Task's parameters in the jsonval model. Member names are the struct's
// Go field names, which are AWS's PascalCase member names. Strings,
// numbers, booleans, enums (string types), timestamps (ISO-8601 text or
// epoch seconds), blobs (base64 text, as AWS's JSON protocols and API
// references write them: KMS's Plaintext and CiphertextBlob, Secrets
// Manager's SecretBinary), streaming bodies (a string, or
// any other value as its JSON text, as AWS sends a non-string S3 Body),
// nested structures, lists and maps are decoded; anything else, and any
// member the input does not have, is a *[ParameterError].
func Decode(params any, dst any) error {
	v := reflect.ValueOf(dst)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return fmt.Errorf("sdk: decode into %T, want a non-nil pointer", dst)
	}
	if params == nil {
		return nil
	}
	return decodeValue(params, v.Elem(), "")
}

func decodeValue(in any, dst reflect.Value, path string) error {
	bad := func(want string) error {
		return &ParameterError{Path: pathOr(path), Reason: fmt.Sprintf("expected %s, got %s", want, jsonval.KindOf(in))}
	}
	t := dst.Type()
	if in == nil {
		// null is a member not given, whatever its type.
		return nil
	}
	switch {
	case t == timeType:
		tm, err := decodeTime(in)
		if err != nil {
			return &ParameterError{Path: pathOr(path), Reason: err.Error()}
		}
		dst.Set(reflect.ValueOf(tm))
		return nil
	case t == readerType:
		s, ok := in.(string)
		if !ok {
			var err error
			if s, err = jsonval.MarshalString(in); err != nil {
				return &ParameterError{Path: pathOr(path), Reason: err.Error()}
			}
		}
		dst.Set(reflect.ValueOf(io.Reader(strings.NewReader(s))))
		return nil
	case t == bytesType:
		s, ok := in.(string)
		if !ok {
			return bad("a base64 string")
		}
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return &ParameterError{Path: pathOr(path), Reason: "expected a base64 string: " + err.Error()}
		}
		dst.SetBytes(b)
		return nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		p := reflect.New(t.Elem())
		if err := decodeValue(in, p.Elem(), path); err != nil {
			return err
		}
		dst.Set(p)
		return nil
	case reflect.String:
		s, ok := in.(string)
		if !ok {
			return bad("a string")
		}
		dst.SetString(s)
	case reflect.Bool:
		b, ok := in.(bool)
		if !ok {
			return bad("a boolean")
		}
		dst.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := jsonval.Int(in)
		if !ok || dst.OverflowInt(n) {
			return bad(fmt.Sprintf("an integer that fits in %s", t.Kind()))
		}
		dst.SetInt(n)
	case reflect.Float32, reflect.Float64:
		f, ok := jsonval.Float(in)
		if !ok || math.IsInf(f, 0) || dst.OverflowFloat(f) {
			return bad("a number")
		}
		dst.SetFloat(f)
	case reflect.Slice:
		arr, ok := in.([]any)
		if !ok {
			return bad("an array")
		}
		s := reflect.MakeSlice(t, len(arr), len(arr))
		for i, e := range arr {
			if err := decodeValue(e, s.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		dst.Set(s)
	case reflect.Map:
		obj, ok := in.(*jsonval.Object)
		if !ok || t.Key().Kind() != reflect.String {
			return bad("an object")
		}
		m := reflect.MakeMapWithSize(t, obj.Len())
		for k, e := range obj.All() {
			ev := reflect.New(t.Elem()).Elem()
			if err := decodeValue(e, ev, joinPath(path, k)); err != nil {
				return err
			}
			m.SetMapIndex(reflect.ValueOf(k).Convert(t.Key()), ev)
		}
		dst.Set(m)
	case reflect.Struct:
		obj, ok := in.(*jsonval.Object)
		if !ok {
			return bad("an object")
		}
		for k, e := range obj.All() {
			f, ok := t.FieldByName(k)
			if !ok || !f.IsExported() || len(f.Index) != 1 || f.Anonymous {
				return &ParameterError{Path: joinPath(path, k), Unknown: true, Reason: "not a member of " + t.Name()}
			}
			if err := decodeValue(e, dst.Field(f.Index[0]), joinPath(path, k)); err != nil {
				return err
			}
		}
	case reflect.Interface:
		members, ok := unionTypes[t]
		if !ok {
			// Documents (smithy document.Interface), and any interface
			// the SDK may add, are refused rather than guessed at.
			return &ParameterError{Path: pathOr(path), Reason: "members of type " + t.String() + " are not supported"}
		}
		return decodeUnion(in, dst, path, members)
	default:
		return &ParameterError{Path: pathOr(path), Reason: "members of type " + t.String() + " are not supported"}
	}
	return nil
}

// unionTypes are the member types of every union of the services this
// build links, by union interface and member name (genops).
var unionTypes = func() map[reflect.Type]map[string]reflect.Type {
	all := maps.Clone(linkedUnions)
	maps.Copy(all, optionalUnions)
	return all
}()

// decodeUnion reads in, an object of exactly one member as AWS writes a
// union ({"StringValue": "x"} for RDS Data's Field), into dst, the
// union's interface, as the SDK for Go holds it:
// &FieldMemberStringValue{Value: "x"}.
func decodeUnion(in any, dst reflect.Value, path string, members map[string]reflect.Type) error {
	obj, ok := in.(*jsonval.Object)
	if !ok || obj.Len() != 1 {
		names := slices.Sorted(maps.Keys(members))
		return &ParameterError{Path: pathOr(path), Reason: "expected an object with exactly one of " + strings.Join(names, ", ")}
	}
	for name, v := range obj.All() {
		mt, ok := members[name]
		if !ok {
			return &ParameterError{Path: joinPath(path, name), Unknown: true, Reason: "not a member of " + dst.Type().Name()}
		}
		m := reflect.New(mt)
		f, ok := mt.FieldByName("Value")
		if !ok {
			return &ParameterError{Path: joinPath(path, name), Reason: "members of type " + mt.String() + " are not supported"}
		}
		if err := decodeValue(v, m.Elem().FieldByIndex(f.Index), joinPath(path, name)); err != nil {
			return err
		}
		dst.Set(m)
	}
	return nil
}

// decodeTime reads a timestamp as AWS SDK integrations accept it: ISO-8601
// text or seconds since the epoch.
func decodeTime(in any) (time.Time, error) {
	if s, ok := in.(string); ok {
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
			if tm, err := time.Parse(layout, s); err == nil {
				return tm.UTC(), nil
			}
		}
		return time.Time{}, fmt.Errorf("expected an ISO-8601 timestamp, got %q", s)
	}
	f, ok := jsonval.Float(in)
	if !ok || math.IsInf(f, 0) || math.Abs(f) > 1e11 {
		return time.Time{}, fmt.Errorf("expected a timestamp, got %s", jsonval.KindOf(in))
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(math.Round(frac*1e9))).UTC(), nil
}

func joinPath(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func pathOr(path string) string {
	if path == "" {
		return "parameters"
	}
	return path
}

// Encode returns v, an SDK output struct (or a pointer to one), in the
// jsonval model the way Step Functions returns an AWS SDK integration's
// result: exported members by their Go names (AWS's member names), nil
// members left out, ResultMetadata dropped, timestamps as ISO-8601 UTC
// text, blobs as base64 text (binary ciphertext has no other lossless
// JSON form), enums as their strings, and a streaming
// body (S3 GetObject's Body) read fully, as its text. A body larger than
// [MaxBody] is an error; the caller names it [ErrorDataLimitExceeded].
func Encode(v any) (any, error) {
	out, _, err := encodeValue(reflect.ValueOf(v))
	return out, err
}

var (
	readCloserType = reflect.TypeFor[io.ReadCloser]()
	metadataName   = "ResultMetadata"
)

// ErrBodyTooLarge is returned by [Encode] for a body over [MaxBody].
var ErrBodyTooLarge = fmt.Errorf("sdk: the response body is larger than %d bytes", MaxBody)

// encodeValue returns v's model and whether v is present (not nil).
func encodeValue(v reflect.Value) (any, bool, error) {
	if !v.IsValid() {
		return nil, false, nil
	}
	t := v.Type()
	switch {
	case t == timeType:
		return formatTime(v.Interface().(time.Time)), true, nil
	case t == bytesType:
		if v.IsNil() {
			return nil, false, nil
		}
		return base64.StdEncoding.EncodeToString(v.Bytes()), true, nil
	case t == readCloserType || t == readerType:
		if v.IsNil() {
			return nil, false, nil
		}
		r := v.Interface().(io.Reader)
		if c, ok := r.(io.Closer); ok {
			defer c.Close()
		}
		data, err := io.ReadAll(io.LimitReader(r, MaxBody+1))
		if err != nil {
			return nil, false, fmt.Errorf("read the response body: %w", err)
		}
		if len(data) > MaxBody {
			return nil, false, ErrBodyTooLarge
		}
		return string(data), true, nil
	}
	switch t.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			return nil, false, nil
		}
		if name, value, ok := unionMember(t, v.Elem()); ok {
			// A union (RDS Data's Field) is an object of its one member
			// set, as AWS writes it: {"StringValue": "x"}.
			e, present, err := encodeValue(value)
			if err != nil || !present {
				return nil, present, err
			}
			o := jsonval.NewObject(1)
			o.Set(name, e)
			return o, true, nil
		}
		return encodeValue(v.Elem())
	case reflect.Pointer:
		if v.IsNil() {
			return nil, false, nil
		}
		return encodeValue(v.Elem())
	case reflect.String:
		return v.String(), true, nil
	case reflect.Bool:
		return v.Bool(), true, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return json.Number(fmt.Sprint(v.Int())), true, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return json.Number(fmt.Sprint(v.Uint())), true, nil
	case reflect.Float32, reflect.Float64:
		return json.Number(jsonval.FormatFloat(v.Float())), true, nil
	case reflect.Slice, reflect.Array:
		if t.Kind() == reflect.Slice && v.IsNil() {
			return nil, false, nil
		}
		out := make([]any, 0, v.Len())
		for i := range v.Len() {
			e, ok, err := encodeValue(v.Index(i))
			if err != nil {
				return nil, false, err
			}
			if ok {
				out = append(out, e)
			}
		}
		return out, true, nil
	case reflect.Map:
		if v.IsNil() {
			return nil, false, nil
		}
		// Maps encode with sorted keys, so equal results are equal text.
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		o := jsonval.NewObject(len(keys))
		for _, k := range keys {
			e, ok, err := encodeValue(v.MapIndex(k))
			if err != nil {
				return nil, false, err
			}
			if ok {
				o.Set(k.String(), e)
			}
		}
		return o, true, nil
	case reflect.Struct:
		// Members in the order of their names, as AWS returns SDK
		// integration results (conformance test_s3_get_object,
		// test_s3_put_object), not the SDK's required-first order.
		o := jsonval.NewObject(t.NumField())
		for _, i := range sortedFields(t) {
			f := t.Field(i)
			if !f.IsExported() || f.Anonymous || f.Name == metadataName {
				continue
			}
			// The SDK holds enums by value, and "" is an enum not set:
			// AWS leaves it out.
			if f.Type.Kind() == reflect.String && v.Field(i).String() == "" {
				continue
			}
			e, ok, err := encodeValue(v.Field(i))
			if err != nil {
				return nil, false, err
			}
			if ok {
				o.Set(f.Name, e)
			}
		}
		return o, true, nil
	}
	// Functions, channels and the like carry no data for a result.
	return nil, false, nil
}

// formatTime writes a timestamp as Java's Instant.toString does (the AWS
// SDK for Java 2.x behind Step Functions): UTC, with the fraction only
// when it is not zero, in groups of three digits.
func formatTime(tm time.Time) string {
	tm = tm.UTC()
	ns := tm.Nanosecond()
	switch {
	case ns == 0:
		return tm.Format("2006-01-02T15:04:05Z")
	case ns%1e6 == 0:
		return tm.Format("2006-01-02T15:04:05.000Z")
	case ns%1e3 == 0:
		return tm.Format("2006-01-02T15:04:05.000000Z")
	}
	return tm.Format("2006-01-02T15:04:05.000000000Z")
}

// sortedFields returns the indexes of t's fields ordered by name.
func sortedFields(t reflect.Type) []int {
	idx := make([]int, t.NumField())
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return strings.Compare(t.Field(a).Name, t.Field(b).Name) })
	return idx
}

// unionMember reads v, the value of an interface of type iface, as a
// member of an SDK union: the SDK for Go holds a union Field's member
// StringValue as a *FieldMemberStringValue whose Value is the member's
// value. It returns the member's name and value, and false for anything
// else (a document, or a member the SDK does not know).
func unionMember(iface reflect.Type, v reflect.Value) (string, reflect.Value, bool) {
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return "", reflect.Value{}, false
	}
	st := v.Elem().Type()
	name, ok := strings.CutPrefix(st.Name(), iface.Name()+"Member")
	if !ok || name == "" || st.PkgPath() != iface.PkgPath() {
		return "", reflect.Value{}, false
	}
	f, ok := st.FieldByName("Value")
	if !ok {
		return "", reflect.Value{}, false
	}
	return name, v.Elem().FieldByIndex(f.Index), true
}
