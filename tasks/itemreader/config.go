package itemreader

import (
	"slices"
	"strings"

	"stepwise/jsonval"
)

// The resources of an ItemReader.
const (
	ResourceGetObject     = "arn:aws:states:::s3:getObject"
	ResourceListObjectsV2 = "arn:aws:states:::s3:listObjectsV2"
)

// The InputTypes of a ReaderConfig.
const (
	InputJSON     = "JSON"
	InputJSONL    = "JSONL"
	InputCSV      = "CSV"
	InputManifest = "MANIFEST"
	InputParquet  = "PARQUET"
)

// config is an ItemReader's evaluated Parameters (or Arguments) and
// ReaderConfig, checked.
type config struct {
	listing bool // s3:listObjectsV2, else s3:getObject

	bucket, key, version string // getObject
	// listObjectsV2's request members.
	prefix, delimiter, startAfter, token, requestPayer, expectedOwner string
	maxKeys                                                           int
	fetchOwner                                                        bool

	inputType    string // "" for a listing's object descriptions
	manifestType string // S3_INVENTORY, ATHENA_DATA or ""
	flatten      bool   // Transformation LOAD_AND_FLATTEN
	headerFirst  bool   // CSVHeaderLocation FIRST_ROW
	headers      []string
	delim        rune
	maxItems     int64  // 0: no limit
	itemsPointer string // a JSON Pointer into a JSON document
}

var delimiters = map[string]rune{"COMMA": ',', "PIPE": '|', "SEMICOLON": ';', "SPACE": ' ', "TAB": '\t'}

// parseConfig checks resource, params and readerConfig. What Stepwise
// cannot carry out, and what AWS's validation would have refused, is
// States.Runtime naming the field.
func parseConfig(resource string, params, readerConfig any) (config, error) {
	c := config{delim: ','}
	switch resource {
	case ResourceGetObject:
	case ResourceListObjectsV2:
		c.listing = true
	default:
		return c, runtimeError("The ItemReader Resource %s is not one Stepwise reads: it reads %s and %s", resource, ResourceGetObject, ResourceListObjectsV2)
	}
	p, err := asObject("Parameters", params)
	if err != nil {
		return c, err
	}
	allowed := []string{"Bucket", "Key", "VersionId"}
	if c.listing {
		allowed = []string{"Bucket", "Prefix", "Delimiter", "StartAfter", "ContinuationToken", "MaxKeys", "FetchOwner", "RequestPayer", "ExpectedBucketOwner"}
	}
	for k := range p.All() {
		if !slices.Contains(allowed, k) {
			return c, runtimeError("The ItemReader parameter %s is not one Stepwise carries out for %s (it takes %s)", k, resource, strings.Join(allowed, ", "))
		}
	}
	if c.bucket, err = stringField(p, "Parameters", "Bucket", true); err != nil {
		return c, err
	}
	if !c.listing {
		if c.key, err = stringField(p, "Parameters", "Key", true); err != nil {
			return c, err
		}
		if c.version, err = stringField(p, "Parameters", "VersionId", false); err != nil {
			return c, err
		}
	} else {
		for _, f := range []struct {
			name string
			dst  *string
		}{{"Prefix", &c.prefix}, {"Delimiter", &c.delimiter}, {"StartAfter", &c.startAfter}, {"ContinuationToken", &c.token},
			{"RequestPayer", &c.requestPayer}, {"ExpectedBucketOwner", &c.expectedOwner}} {
			if *f.dst, err = stringField(p, "Parameters", f.name, false); err != nil {
				return c, err
			}
		}
		if v, ok := p.Get("MaxKeys"); ok {
			n, ok := jsonval.Int(v)
			if !ok || n < 1 || n > 1000 {
				return c, runtimeError("The ItemReader parameter MaxKeys must be an integer from 1 to 1000, not %s", jsonval.MustMarshalString(v))
			}
			c.maxKeys = int(n)
		}
		if v, ok := p.Get("FetchOwner"); ok {
			b, ok := v.(bool)
			if !ok {
				return c, runtimeError("The ItemReader parameter FetchOwner must be a boolean, not %s", jsonval.MustMarshalString(v))
			}
			c.fetchOwner = b
		}
	}

	rc, err := asObject("ReaderConfig", readerConfig)
	if err != nil {
		return c, err
	}
	for k := range rc.All() {
		switch k {
		case "InputType", "CSVHeaderLocation", "CSVHeaders", "CSVDelimiter", "MaxItems", "ManifestType", "Transformation", "ItemsPointer":
		default:
			return c, runtimeError("The ReaderConfig field %s is not one Stepwise carries out", k)
		}
	}
	if c.inputType, err = stringField(rc, "ReaderConfig", "InputType", false); err != nil {
		return c, err
	}
	if c.manifestType, err = stringField(rc, "ReaderConfig", "ManifestType", false); err != nil {
		return c, err
	}
	if c.itemsPointer, err = stringField(rc, "ReaderConfig", "ItemsPointer", false); err != nil {
		return c, err
	}
	transformation, err := stringField(rc, "ReaderConfig", "Transformation", false)
	if err != nil {
		return c, err
	}
	switch transformation {
	case "", "NONE":
	case "LOAD_AND_FLATTEN":
		c.flatten = true
	default:
		return c, runtimeError("The ReaderConfig Transformation must be NONE or LOAD_AND_FLATTEN, not %s", transformation)
	}
	if v, ok := rc.Get("MaxItems"); ok {
		n, ok := jsonval.Int(v)
		if !ok || n < 0 || n > MaxItemsLimit {
			return c, runtimeError("The ReaderConfig MaxItems must be an integer from 0 to %d, not %s", MaxItemsLimit, jsonval.MustMarshalString(v))
		}
		c.maxItems = n
	}

	// Which InputType each resource takes.
	switch {
	case c.listing && !c.flatten:
		if c.inputType != "" || c.manifestType != "" {
			return c, runtimeError("An ItemReader of %s takes no InputType or ManifestType unless its Transformation is LOAD_AND_FLATTEN", resource)
		}
	case c.listing && c.flatten:
		switch c.inputType {
		case InputJSON, InputJSONL, InputCSV, InputParquet:
		default:
			return c, runtimeError("An ItemReader of %s with Transformation LOAD_AND_FLATTEN takes InputType JSON, JSONL, CSV or PARQUET, not %q", resource, c.inputType)
		}
		if c.manifestType != "" {
			return c, runtimeError("An ItemReader of %s takes no ManifestType", resource)
		}
	case c.flatten:
		return c, runtimeError("The ReaderConfig Transformation LOAD_AND_FLATTEN is for %s only", ResourceListObjectsV2)
	case c.manifestType == "ATHENA_DATA":
		switch c.inputType {
		case InputCSV, InputJSONL, InputParquet:
		default:
			return c, runtimeError("An ItemReader with ManifestType ATHENA_DATA takes InputType CSV, JSONL or PARQUET, not %q", c.inputType)
		}
	case c.manifestType == "S3_INVENTORY" || c.inputType == InputManifest:
		if c.inputType != InputManifest {
			return c, runtimeError("An ItemReader with ManifestType S3_INVENTORY takes InputType MANIFEST, not %q", c.inputType)
		}
		c.manifestType = "S3_INVENTORY"
	case c.manifestType != "":
		return c, runtimeError("The ReaderConfig ManifestType must be S3_INVENTORY or ATHENA_DATA, not %s", c.manifestType)
	default:
		switch c.inputType {
		case InputJSON, InputJSONL, InputCSV, InputParquet:
		case "":
			return c, runtimeError("An ItemReader of %s needs a ReaderConfig InputType (JSON, JSONL, CSV, MANIFEST or PARQUET)", resource)
		default:
			return c, runtimeError("The ReaderConfig InputType must be JSON, JSONL, CSV, MANIFEST or PARQUET, not %s", c.inputType)
		}
	}
	if c.itemsPointer != "" && c.inputType != InputJSON {
		return c, runtimeError("The ReaderConfig ItemsPointer is for InputType JSON only")
	}
	if c.itemsPointer != "" && !strings.HasPrefix(c.itemsPointer, "/") {
		return c, runtimeError("The ReaderConfig ItemsPointer must be a JSON Pointer beginning with '/', not %q", c.itemsPointer)
	}

	// CSV's header and delimiter.
	loc, err := stringField(rc, "ReaderConfig", "CSVHeaderLocation", false)
	if err != nil {
		return c, err
	}
	d, err := stringField(rc, "ReaderConfig", "CSVDelimiter", false)
	if err != nil {
		return c, err
	}
	_, hasHeaders := rc.Get("CSVHeaders")
	if c.inputType != InputCSV && (loc != "" || d != "" || hasHeaders) {
		return c, runtimeError("The ReaderConfig fields CSVHeaderLocation, CSVHeaders and CSVDelimiter are for InputType CSV only")
	}
	if d != "" {
		r, ok := delimiters[d]
		if !ok {
			return c, runtimeError("The ReaderConfig CSVDelimiter must be COMMA, PIPE, SEMICOLON, SPACE or TAB, not %s", d)
		}
		c.delim = r
	}
	switch loc {
	case "", "FIRST_ROW":
		c.headerFirst = c.inputType == InputCSV
		if hasHeaders {
			return c, runtimeError("The ReaderConfig CSVHeaders are given only with CSVHeaderLocation GIVEN")
		}
	case "GIVEN":
		v, _ := rc.Get("CSVHeaders")
		arr, ok := v.([]any)
		if !ok || len(arr) == 0 {
			return c, runtimeError("The ReaderConfig CSVHeaderLocation GIVEN needs CSVHeaders, a non-empty array of strings")
		}
		size := 0
		for _, h := range arr {
			s, ok := h.(string)
			if !ok {
				return c, runtimeError("The ReaderConfig CSVHeaders must be strings, not %s", jsonval.MustMarshalString(h))
			}
			size += len(s) + 1
			c.headers = append(c.headers, s)
		}
		if size > MaxCSVHeaderBytes {
			return c, failed("The CSV headers are larger than %d bytes", MaxCSVHeaderBytes)
		}
		if err := checkHeaders(c.headers); err != nil {
			return c, err
		}
	default:
		return c, runtimeError("The ReaderConfig CSVHeaderLocation must be FIRST_ROW or GIVEN, not %s", loc)
	}
	return c, nil
}

// checkHeaders refuses repeated CSV headers, which would make two fields
// of one item.
func checkHeaders(h []string) error {
	seen := make(map[string]bool, len(h))
	for _, s := range h {
		if seen[s] {
			return failed("CSV headers cannot contain duplicates.")
		}
		seen[s] = true
	}
	return nil
}

func asObject(field string, v any) (*jsonval.Object, error) {
	switch x := v.(type) {
	case nil:
		return jsonval.NewObject(0), nil
	case *jsonval.Object:
		return x, nil
	}
	return nil, runtimeError("The ItemReader %s must be an object, not %s", field, jsonval.KindOf(v))
}

func stringField(o *jsonval.Object, where, name string, required bool) (string, error) {
	v, ok := o.Get(name)
	if !ok {
		if required {
			return "", runtimeError("The ItemReader %s need a %s", where, name)
		}
		return "", nil
	}
	s, ok := v.(string)
	if !ok || (required && s == "") {
		return "", runtimeError("The ItemReader %s field %s must be a non-empty string, not %s", where, name, jsonval.MustMarshalString(v))
	}
	return s, nil
}
