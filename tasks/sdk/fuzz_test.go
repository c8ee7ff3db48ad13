package sdk

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/rdsdata"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"stepwise/jsonval"
)

// FuzzDecode feeds any JSON to Decode for inputs with every kind of
// member (strings, numbers, enums, timestamps, bodies, lists, maps,
// nested structures, unions): it returns an error or nil, never panics.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"Bucket":"b","Key":"k","Body":{"a":[1,2]},"Metadata":{"x":"y"},"ContentLength":5,"Expires":"2024-01-01T00:00:00Z"}`,
		`{"Bucket":"b","Delete":{"Objects":[{"Key":"k"}],"Quiet":true}}`,
		`{"StateMachineArn":"a","Tags":[{"Key":"k"}],"LoggingConfiguration":{"Destinations":[{"CloudWatchLogsLogGroup":{"LogGroupArn":"x"}}]}}`,
		`{"IfModifiedSince":1e300,"PartNumber":-1}`, `[]`, `null`, `"x"`, `{"Body":null}`,
		`{"Sql":"s","Parameters":[{"Name":"id","Value":{"ArrayValue":{"LongValues":[1,2]}}},{"Value":{"BlobValue":"AAE="}}]}`,
		`{"Messages":[{"Role":"user","Content":[{"Text":"hi"},{"Image":{"Format":"png","Source":{"Bytes":"AAE="}}}]}]}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		v, err := jsonval.ParseString(text)
		if err != nil {
			return
		}
		for _, dst := range []any{&s3.PutObjectInput{}, &s3.DeleteObjectsInput{}, &s3.PutBucketLifecycleConfigurationInput{},
			&s3.GetObjectInput{}, &sfn.CreateStateMachineInput{}, &sfn.StartExecutionInput{},
			&rdsdata.ExecuteStatementInput{}, &bedrockruntime.ConverseInput{}} {
			_ = Decode(v, dst)
		}
	})
}
