package resultwriter

import (
	"fmt"
	"strings"

	"stepwise/jsonval"
	"stepwise/tasks"
)

// ResourcePutObject is the only Resource a ResultWriter takes: the results
// go to Amazon S3 through PutObject.
const ResourcePutObject = "arn:aws:states:::s3:putObject"

// ErrorResultWriterFailed is the error name of a Map state whose results
// could not be written as its ResultWriter names (AWS's
// States.ResultWriterFailed, for instance for a bucket in another account
// or Region).
const ErrorResultWriterFailed = "States.ResultWriterFailed"

// DefaultMaxFileSize is the size in bytes a result file does not go over
// unless one record alone is larger: AWS writes result files "of up to
// 5 GB" and starts SUCCEEDED_1.json when SUCCEEDED_0.json would exceed it.
const DefaultMaxFileSize int64 = 5 << 30

// OutputType is the format of the result files (WriterConfig.OutputType).
type OutputType string

// The output types AWS documents.
const (
	// OutputJSON writes each result file as one JSON array.
	OutputJSON OutputType = "JSON"
	// OutputJSONL writes each result file as JSON Lines: one value and a
	// newline per result.
	OutputJSONL OutputType = "JSONL"
)

// Transformation is what is kept of each child execution
// (WriterConfig.Transformation).
type Transformation string

// The transformations AWS documents. Whatever the transformation, a child
// execution that did not succeed is written as NONE writes it.
const (
	// TransformNone keeps the child's whole record: ARNs, name, status,
	// dates, redrive details, and its input and output as JSON text. It is
	// the default when results go to S3 without a WriterConfig.
	TransformNone Transformation = "NONE"
	// TransformCompact keeps only the child's output, as a JSON value.
	TransformCompact Transformation = "COMPACT"
	// TransformFlatten keeps only the child's output, and an output that is
	// an array gives its elements, one result each.
	TransformFlatten Transformation = "FLATTEN"
)

// Config is an evaluated ResultWriter. The zero value is not valid; build
// one with [Parse], then set MaxFileSize or TempDir if needed.
type Config struct {
	// Export is true when the results go to S3 (Resource and Parameters
	// or Arguments were given); false for a WriterConfig alone, whose
	// results are returned as the Map state's output.
	Export bool
	// Bucket and Prefix locate the results when Export is set. Prefix may
	// be empty.
	Bucket, Prefix string
	OutputType     OutputType
	Transformation Transformation
	// MaxFileSize bounds each result file, in bytes; 0 means
	// DefaultMaxFileSize. A record larger than it gets a file of its own.
	MaxFileSize int64
	// TempDir is where result files are assembled before they are
	// uploaded; "" means os.TempDir().
	TempDir string
}

// Parse evaluates a ResultWriter: resource is its Resource ("" when
// absent), params its Parameters (JSONPath) or Arguments (JSONata) after
// evaluation and writerConfig its WriterConfig after evaluation, each nil
// when absent, in the jsonval model.
//
// AWS accepts three combinations: WriterConfig alone (results returned in
// the state's output, transformed), Resource with Parameters (written to S3
// as NONE and JSON) and all three. Parse refuses anything else, an unknown
// Resource and WriterConfig values AWS does not list with a *[tasks.Error]
// named States.Runtime, as for a definition AWS would not have accepted; a
// Bucket or Prefix that is not a string, or an empty Bucket, is a
// *[tasks.Error] named States.ResultWriterFailed.
func Parse(resource string, params, writerConfig any) (Config, error) {
	cfg := Config{OutputType: OutputJSON, Transformation: TransformNone}
	switch {
	case resource == "" && params == nil && writerConfig == nil:
		return Config{}, runtimeError("The field 'ResultWriter' must contain either 'WriterConfig' or both 'Resource' and 'Parameters' (or 'Arguments')")
	case resource == "" && params != nil:
		return Config{}, runtimeError("The field 'Resource' is required in 'ResultWriter' when 'Parameters' or 'Arguments' is given")
	case resource != "" && params == nil:
		return Config{}, runtimeError("The field 'Parameters' (or 'Arguments') is required in 'ResultWriter' when 'Resource' is given")
	}
	if resource != "" {
		if resource != ResourcePutObject {
			return Config{}, runtimeError(fmt.Sprintf("The resource provided %s is not recognized. The value is not a valid resource ARN, or the resource is not available in this region. ResultWriter takes only %s", resource, ResourcePutObject))
		}
		if err := cfg.location(params); err != nil {
			return Config{}, err
		}
		cfg.Export = true
	}
	if writerConfig != nil {
		if err := cfg.writer(writerConfig); err != nil {
			return Config{}, err
		}
	}
	return cfg, nil
}

// location reads Bucket and Prefix from the evaluated parameters.
func (c *Config) location(params any) error {
	obj, ok := params.(*jsonval.Object)
	if !ok {
		return writerFailed(fmt.Sprintf("The ResultWriter parameters must be an object, not %s", jsonval.KindOf(params)))
	}
	for k, v := range obj.All() {
		s, isString := v.(string)
		switch k {
		case "Bucket":
			if !isString {
				return writerFailed(fmt.Sprintf("The ResultWriter field 'Bucket' must be a string, not %s", jsonval.KindOf(v)))
			}
			c.Bucket = s
		case "Prefix":
			if !isString {
				return writerFailed(fmt.Sprintf("The ResultWriter field 'Prefix' must be a string, not %s", jsonval.KindOf(v)))
			}
			c.Prefix = s
		default:
			// PutObject's other members (Body, Key, ACL, ...) are Step
			// Functions' to set; running with them ignored would write
			// something the definition did not ask for.
			return runtimeError(fmt.Sprintf("The field '%s' is not supported in the ResultWriter parameters; only 'Bucket' and 'Prefix' are", k))
		}
	}
	if c.Bucket == "" {
		return writerFailed("The ResultWriter field 'Bucket' is required and must not be empty")
	}
	return nil
}

// writer reads the evaluated WriterConfig. Both fields are required, as
// AWS's CDK renders them ("Specify both Transformation and OutputType").
func (c *Config) writer(writerConfig any) error {
	obj, ok := writerConfig.(*jsonval.Object)
	if !ok {
		return runtimeError(fmt.Sprintf("The field 'WriterConfig' must be an object, not %s", jsonval.KindOf(writerConfig)))
	}
	var haveType, haveTransform bool
	for k, v := range obj.All() {
		s, _ := v.(string)
		switch k {
		case "OutputType":
			switch OutputType(s) {
			case OutputJSON, OutputJSONL:
				c.OutputType, haveType = OutputType(s), true
			default:
				return runtimeError(fmt.Sprintf("The value %s of the field 'OutputType' is not valid; it must be one of [JSON, JSONL]", jsonval.MustMarshalString(v)))
			}
		case "Transformation":
			switch Transformation(s) {
			case TransformNone, TransformCompact, TransformFlatten:
				c.Transformation, haveTransform = Transformation(s), true
			default:
				return runtimeError(fmt.Sprintf("The value %s of the field 'Transformation' is not valid; it must be one of [NONE, COMPACT, FLATTEN]", jsonval.MustMarshalString(v)))
			}
		default:
			return runtimeError(fmt.Sprintf("The field '%s' is not supported in 'WriterConfig'", k))
		}
	}
	var missing []string
	if !haveType {
		missing = append(missing, "'OutputType'")
	}
	if !haveTransform {
		missing = append(missing, "'Transformation'")
	}
	if len(missing) > 0 {
		return runtimeError(fmt.Sprintf("The field 'WriterConfig' must contain %s", strings.Join(missing, " and ")))
	}
	return nil
}

func runtimeError(cause string) error {
	return &tasks.Error{Name: tasks.ErrorRuntime, Cause: cause}
}

func writerFailed(cause string) error {
	return &tasks.Error{Name: ErrorResultWriterFailed, Cause: cause}
}
