package sdk

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go/middleware"

	"stepwise/jsonval"
)

func parse(t *testing.T, s string) any {
	t.Helper()
	v, err := jsonval.ParseString(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestDecode decodes Task parameters, as the conformance recordings and
// AWS's API references write them, into the SDK input structs.
func TestDecode(t *testing.T) {
	ts := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	for _, c := range []struct {
		name   string
		params string
		into   any
		want   any
	}{
		{"s3 getObject", `{"Bucket":"b","Key":"k","PartNumber":2,"ChecksumMode":"ENABLED","IfModifiedSince":"2024-05-06T07:08:09Z"}`,
			&s3.GetObjectInput{}, &s3.GetObjectInput{Bucket: aws.String("b"), Key: aws.String("k"), PartNumber: aws.Int32(2),
				ChecksumMode: s3types.ChecksumModeEnabled, IfModifiedSince: &ts}},
		{"s3 getObject epoch timestamp", `{"Bucket":"b","Key":"k","IfModifiedSince":1714979289}`,
			&s3.GetObjectInput{}, &s3.GetObjectInput{Bucket: aws.String("b"), Key: aws.String("k"), IfModifiedSince: &ts}},
		{"s3 getObject null members", `{"Bucket":"b","Key":null,"ChecksumMode":null,"PartNumber":null}`,
			&s3.GetObjectInput{}, &s3.GetObjectInput{Bucket: aws.String("b")}},
		{"s3 listObjectsV2", `{"Bucket":"b","Prefix":"p/","MaxKeys":10,"FetchOwner":true,"OptionalObjectAttributes":["RestoreStatus"]}`,
			&s3.ListObjectsV2Input{}, &s3.ListObjectsV2Input{Bucket: aws.String("b"), Prefix: aws.String("p/"), MaxKeys: aws.Int32(10),
				FetchOwner: aws.Bool(true), OptionalObjectAttributes: []s3types.OptionalObjectAttributes{"RestoreStatus"}}},
		{"s3 putObject metadata and tagging", `{"Bucket":"b","Key":"k","Metadata":{"a":"1"},"ContentLength":3}`,
			&s3.PutObjectInput{}, &s3.PutObjectInput{Bucket: aws.String("b"), Key: aws.String("k"), Metadata: map[string]string{"a": "1"}, ContentLength: aws.Int64(3)}},
		{"sfn startExecution", `{"StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:m","Name":"e","Input":"{\"a\":1}"}`,
			&sfn.StartExecutionInput{}, &sfn.StartExecutionInput{StateMachineArn: aws.String("arn:aws:states:us-east-1:123456789012:stateMachine:m"),
				Name: aws.String("e"), Input: aws.String(`{"a":1}`)}},
		{"sfn describeExecution", `{"ExecutionArn":"arn:x","IncludedData":"METADATA_ONLY"}`,
			&sfn.DescribeExecutionInput{}, &sfn.DescribeExecutionInput{ExecutionArn: aws.String("arn:x"), IncludedData: sfntypes.IncludedDataMetadataOnly}},
		{"sfn nested structs and lists", `{"Name":"m","Definition":"{}","RoleArn":"r","Tags":[{"Key":"k","Value":"v"}],"LoggingConfiguration":{"IncludeExecutionData":true,"Level":"ALL"}}`,
			&sfn.CreateStateMachineInput{}, &sfn.CreateStateMachineInput{Name: aws.String("m"), Definition: aws.String("{}"), RoleArn: aws.String("r"),
				Tags:                 []sfntypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}},
				LoggingConfiguration: &sfntypes.LoggingConfiguration{IncludeExecutionData: true, Level: sfntypes.LogLevelAll}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := Decode(parse(t, c.params), c.into); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(c.into, c.want) {
				t.Errorf("got  %+v\nwant %+v", c.into, c.want)
			}
		})
	}
}

// TestDecodeBody sends S3 PutObject's Body as AWS does: a string as its
// text, any other value as its JSON text (conformance test_s3_put_object
// [dict], [num], [bool]: the ETags recorded are the MD5s of that text).
func TestDecodeBody(t *testing.T) {
	for params, want := range map[string]string{
		`{"Body":"text data"}`:      "text data",
		`{"Body":{"Dict":"Value"}}`: `{"Dict":"Value"}`,
		`{"Body":0}`:                "0",
		`{"Body":false}`:            "false",
		`{"Body":[1,"a",null]}`:     `[1,"a",null]`,
		`{"Body":""}`:               "",
	} {
		var in s3.PutObjectInput
		if err := Decode(parse(t, params), &in); err != nil {
			t.Fatalf("%s: %v", params, err)
		}
		got, err := io.ReadAll(in.Body)
		if err != nil || string(got) != want {
			t.Errorf("%s: Body %q, %v; want %q", params, got, err, want)
		}
	}
}

// TestDecodeRefuses refuses members the input does not have and values
// of the wrong type, naming the member.
func TestDecodeRefuses(t *testing.T) {
	for _, c := range []struct {
		params, path string
		into         any
	}{
		{`{"Bucket":"b","Bukcet":"x"}`, "Bukcet", &s3.GetObjectInput{}},
		{`{"Bucket":1}`, "Bucket", &s3.GetObjectInput{}},
		{`{"PartNumber":1.5}`, "PartNumber", &s3.GetObjectInput{}},
		{`{"PartNumber":4294967296}`, "PartNumber", &s3.GetObjectInput{}},
		{`{"IfModifiedSince":"yesterday"}`, "IfModifiedSince", &s3.GetObjectInput{}},
		{`{"Metadata":["a"]}`, "Metadata", &s3.PutObjectInput{}},
		{`{"Metadata":{"a":1}}`, "Metadata.a", &s3.PutObjectInput{}},
		{`{"Tags":[{"Key":"k","Colour":"v"}]}`, "Tags[0].Colour", &sfn.CreateStateMachineInput{}},
		{`{"ResultMetadata":{}}`, "ResultMetadata", &s3.GetObjectInput{}},
		{`"just text"`, "parameters", &s3.GetObjectInput{}},
	} {
		err := Decode(parse(t, c.params), c.into)
		var pe *ParameterError
		if !errors.As(err, &pe) || pe.Path != c.path || !strings.Contains(err.Error(), "'"+c.path+"'") {
			t.Errorf("%s: got %v, want a ParameterError at %s", c.params, err, c.path)
		}
	}
}

// TestEncode encodes SDK outputs as Step Functions returns them
// (conformance test_s3_get_object[str], test_s3_put_object[dict]):
// members by name, nil members left out, ResultMetadata dropped, Body as
// text, enums as strings, timestamps as ISO-8601 UTC.
func TestEncode(t *testing.T) {
	mod := time.Date(2025, 11, 6, 12, 21, 21, 0, time.UTC)
	start := time.Date(2025, 11, 6, 12, 21, 21, 713e6, time.FixedZone("x", 3600))
	var md middleware.Metadata
	md.Set("k", "v")
	for _, c := range []struct {
		name string
		out  any
		want string
	}{
		{"s3 getObject", &s3.GetObjectOutput{AcceptRanges: aws.String("bytes"), ContentLength: aws.Int64(9), ContentType: aws.String("binary/octet-stream"),
			ETag: aws.String(`"332eec544317a6d340b8e77da7fe54ad"`), LastModified: &mod, Metadata: map[string]string{},
			ServerSideEncryption: s3types.ServerSideEncryptionAes256, Body: io.NopCloser(strings.NewReader("text data")), ResultMetadata: md},
			`{"AcceptRanges":"bytes","Body":"text data","ContentLength":9,"ContentType":"binary/octet-stream","ETag":"\"332eec544317a6d340b8e77da7fe54ad\"","LastModified":"2025-11-06T12:21:21Z","Metadata":{},"ServerSideEncryption":"AES256"}`},
		{"s3 putObject", &s3.PutObjectOutput{ChecksumCRC32: aws.String("hnEfWw=="), ChecksumType: s3types.ChecksumTypeFullObject,
			ETag: aws.String(`"49e31cee5aec8faf3345893addb14346"`), ServerSideEncryption: s3types.ServerSideEncryptionAes256},
			`{"ChecksumCRC32":"hnEfWw==","ChecksumType":"FULL_OBJECT","ETag":"\"49e31cee5aec8faf3345893addb14346\"","ServerSideEncryption":"AES256"}`},
		{"s3 listObjectsV2", &s3.ListObjectsV2Output{Name: aws.String("b"), KeyCount: aws.Int32(1), MaxKeys: aws.Int32(1000), IsTruncated: aws.Bool(false),
			Contents: []s3types.Object{{Key: aws.String("k"), Size: aws.Int64(3), LastModified: &mod, StorageClass: s3types.ObjectStorageClassStandard}}},
			`{"Contents":[{"Key":"k","LastModified":"2025-11-06T12:21:21Z","Size":3,"StorageClass":"STANDARD"}],"IsTruncated":false,"KeyCount":1,"MaxKeys":1000,"Name":"b"}`},
		{"sfn startExecution", &sfn.StartExecutionOutput{ExecutionArn: aws.String("arn:e"), StartDate: &start},
			`{"ExecutionArn":"arn:e","StartDate":"2025-11-06T11:21:21.713Z"}`},
		{"sfn describeExecution", &sfn.DescribeExecutionOutput{ExecutionArn: aws.String("arn:e"), StateMachineArn: aws.String("arn:m"), StartDate: &start,
			Status: sfntypes.ExecutionStatusSucceeded, Input: aws.String("{}"), InputDetails: &sfntypes.CloudWatchEventsExecutionDataDetails{Included: true},
			RedriveCount: aws.Int32(0)},
			`{"ExecutionArn":"arn:e","Input":"{}","InputDetails":{"Included":true},"RedriveCount":0,"StartDate":"2025-11-06T11:21:21.713Z","StateMachineArn":"arn:m","Status":"SUCCEEDED"}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := Encode(c.out)
			if err != nil {
				t.Fatal(err)
			}
			if !jsonval.Equal(got, parse(t, c.want)) {
				t.Errorf("got  %s\nwant %s", jsonval.MustMarshalString(got), c.want)
			}
		})
	}
}

// TestEncodeBodyLimit refuses a Body over the 256 KiB payload limit and
// keeps one at the limit.
func TestEncodeBodyLimit(t *testing.T) {
	at := &s3.GetObjectOutput{Body: io.NopCloser(strings.NewReader(strings.Repeat("a", MaxBody)))}
	if got, err := Encode(at); err != nil || len(jsonval.MustMarshalString(got)) < MaxBody {
		t.Errorf("a body of MaxBody bytes: %v", err)
	}
	over := &s3.GetObjectOutput{Body: io.NopCloser(strings.NewReader(strings.Repeat("a", MaxBody+1)))}
	if _, err := Encode(over); !errors.Is(err, ErrBodyTooLarge) {
		t.Errorf("a body over MaxBody: got %v, want ErrBodyTooLarge", err)
	}
}
