package httptask

import (
	"net/url"
	"strconv"
	"strings"

	"stepwise/jsonval"
	"stepwise/tasks"
)

// Array formats of Transform.RequestEncodingOptions.ArrayFormat.
const (
	ArrayBrackets = "BRACKETS" // a[]=1&a[]=2
	ArrayCommas   = "COMMAS"   // a=1,2
	ArrayRepeat   = "REPEAT"   // a=1&a=2
	ArrayIndices  = "INDICES"  // a[0]=1&a[1]=2, the default
)

// EncodeBody encodes a RequestBody as the HTTP Task sends it, and gives
// its content type: JSON, or a form when Transform.RequestBodyEncoding is
// URL_ENCODED (arrays as Transform.RequestEncodingOptions.ArrayFormat says,
// INDICES by default). A string body is sent as it is. Its errors are
// States.Runtime task errors.
func EncodeBody(body, transform any) ([]byte, string, error) {
	t, _ := transform.(*jsonval.Object)
	enc := ""
	format := ArrayIndices
	if t != nil {
		enc, _ = field(t, "RequestBodyEncoding").(string)
		if opts, ok := field(t, "RequestEncodingOptions").(*jsonval.Object); ok {
			if f, ok := field(opts, "ArrayFormat").(string); ok {
				format = f
			}
		}
	}
	switch enc {
	case "", "NONE":
		if s, ok := body.(string); ok {
			return []byte(s), "text/plain; charset=UTF-8", nil
		}
		b, err := jsonval.Marshal(body)
		if err != nil {
			return nil, "", runtimeError("encode RequestBody: " + err.Error())
		}
		return b, "application/json; charset=UTF-8", nil
	case "URL_ENCODED":
		switch format {
		case ArrayBrackets, ArrayCommas, ArrayRepeat, ArrayIndices:
		default:
			return nil, "", runtimeError("unknown ArrayFormat " + strconv.Quote(format))
		}
		o, ok := body.(*jsonval.Object)
		if !ok {
			if s, ok := body.(string); ok {
				return []byte(s), "application/x-www-form-urlencoded", nil
			}
			return nil, "", runtimeError("a URL_ENCODED RequestBody must be an object")
		}
		var pairs []string
		for k, v := range o.All() {
			pairs = appendForm(pairs, k, v, format)
		}
		return []byte(strings.Join(pairs, "&")), "application/x-www-form-urlencoded", nil
	}
	return nil, "", &tasks.Error{Name: tasks.ErrorRuntime, Cause: "unknown RequestBodyEncoding " + strconv.Quote(enc)}
}

// appendForm appends key=value pairs for v under key: nested objects as
// key[sub], arrays in the given format.
func appendForm(pairs []string, key string, v any, format string) []string {
	switch x := v.(type) {
	case *jsonval.Object:
		for k, e := range x.All() {
			pairs = appendForm(pairs, key+"["+k+"]", e, format)
		}
		return pairs
	case []any:
		if format == ArrayCommas {
			parts := make([]string, len(x))
			for i, e := range x {
				parts[i] = url.QueryEscape(scalar(e))
			}
			return append(pairs, escape(key)+"="+strings.Join(parts, ","))
		}
		for i, e := range x {
			k := key
			switch format {
			case ArrayBrackets:
				k += "[]"
			case ArrayIndices:
				k += "[" + strconv.Itoa(i) + "]"
			}
			pairs = appendForm(pairs, k, e, format)
		}
		return pairs
	}
	return append(pairs, escape(key)+"="+url.QueryEscape(scalar(v)))
}

// escape escapes a form key but keeps its brackets readable.
func escape(key string) string {
	return strings.NewReplacer("%5B", "[", "%5D", "]").Replace(url.QueryEscape(key))
}
