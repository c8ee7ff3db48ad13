package resultwriter_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"stepwise/jsonval"
	"stepwise/tasks"
	"stepwise/tasks/resultwriter"
)

func obj(t *testing.T, s string) any {
	t.Helper()
	if s == "" {
		return nil
	}
	v, err := jsonval.ParseString(s)
	if err != nil {
		t.Fatalf("parse %s: %v", s, err)
	}
	return v
}

// TestParse covers the field combinations the ResultWriter docs list
// ("Required field combinations": WriterConfig alone, Resource and
// Parameters, or all three), their defaults, and what is refused.
func TestParse(t *testing.T) {
	const put = resultwriter.ResourcePutObject
	tests := []struct {
		name         string
		resource     string
		params, conf string
		want         resultwriter.Config
		errName      string
	}{
		{name: "resource and parameters default to NONE and JSON", resource: put,
			params: `{"Bucket":"amzn-s3-demo-destination-bucket","Prefix":"csvProcessJobs"}`,
			want: resultwriter.Config{Export: true, Bucket: "amzn-s3-demo-destination-bucket", Prefix: "csvProcessJobs",
				OutputType: resultwriter.OutputJSON, Transformation: resultwriter.TransformNone}},
		{name: "prefix is optional", resource: put, params: `{"Bucket":"b"}`,
			want: resultwriter.Config{Export: true, Bucket: "b", OutputType: "JSON", Transformation: "NONE"}},
		{name: "all three fields", resource: put, params: `{"Bucket":"b","Prefix":"p/"}`,
			conf: `{"Transformation":"FLATTEN","OutputType":"JSONL"}`,
			want: resultwriter.Config{Export: true, Bucket: "b", Prefix: "p/", OutputType: "JSONL", Transformation: "FLATTEN"}},
		{name: "writer config alone", conf: `{"Transformation":"COMPACT","OutputType":"JSON"}`,
			want: resultwriter.Config{OutputType: "JSON", Transformation: "COMPACT"}},
		{name: "unicode bucket and prefix kept as given", resource: put, params: `{"Bucket":"b","Prefix":"résultats/✓"}`,
			want: resultwriter.Config{Export: true, Bucket: "b", Prefix: "résultats/✓", OutputType: "JSON", Transformation: "NONE"}},

		{name: "empty", errName: tasks.ErrorRuntime},
		{name: "resource without parameters", resource: put, errName: tasks.ErrorRuntime},
		{name: "parameters without resource", params: `{"Bucket":"b"}`, errName: tasks.ErrorRuntime},
		{name: "other resource", resource: "arn:aws:states:::s3:getObject", params: `{"Bucket":"b"}`, errName: tasks.ErrorRuntime},
		{name: "aws-sdk resource", resource: "arn:aws:states:::aws-sdk:s3:putObject", params: `{"Bucket":"b"}`, errName: tasks.ErrorRuntime},
		{name: "unknown parameter", resource: put, params: `{"Bucket":"b","Key":"k"}`, errName: tasks.ErrorRuntime},
		{name: "parameters not an object", resource: put, params: `["b"]`, errName: resultwriter.ErrorResultWriterFailed},
		{name: "bucket missing", resource: put, params: `{"Prefix":"p"}`, errName: resultwriter.ErrorResultWriterFailed},
		{name: "bucket empty", resource: put, params: `{"Bucket":""}`, errName: resultwriter.ErrorResultWriterFailed},
		{name: "bucket a number", resource: put, params: `{"Bucket":5}`, errName: resultwriter.ErrorResultWriterFailed},
		{name: "prefix null", resource: put, params: `{"Bucket":"b","Prefix":null}`, errName: resultwriter.ErrorResultWriterFailed},
		{name: "output type unknown", conf: `{"Transformation":"NONE","OutputType":"CSV"}`, errName: tasks.ErrorRuntime},
		{name: "output type lower case", conf: `{"Transformation":"NONE","OutputType":"json"}`, errName: tasks.ErrorRuntime},
		{name: "transformation unknown", conf: `{"Transformation":"GZIP","OutputType":"JSON"}`, errName: tasks.ErrorRuntime},
		{name: "transformation not a string", conf: `{"Transformation":1,"OutputType":"JSON"}`, errName: tasks.ErrorRuntime},
		{name: "output type missing", conf: `{"Transformation":"NONE"}`, errName: tasks.ErrorRuntime},
		{name: "transformation missing", conf: `{"OutputType":"JSON"}`, errName: tasks.ErrorRuntime},
		{name: "writer config empty", conf: `{}`, errName: tasks.ErrorRuntime},
		{name: "writer config unknown field", conf: `{"Transformation":"NONE","OutputType":"JSON","Compression":"GZIP"}`, errName: tasks.ErrorRuntime},
		{name: "writer config not an object", conf: `"JSON"`, errName: tasks.ErrorRuntime},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := resultwriter.Parse(tt.resource, obj(t, tt.params), obj(t, tt.conf))
			if tt.errName != "" {
				var te *tasks.Error
				if !errors.As(err, &te) || te.Name != tt.errName || te.Cause == "" {
					t.Fatalf("Parse: got %+v, %v; want a %s task error with a cause", got, err, tt.errName)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("Parse (-want +got):\n%s", d)
			}
		})
	}
}
