package sdk

import (
	"errors"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	brtypes "github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/aws-sdk-go-v2/service/rdsdata"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rdsdata/types"

	"stepwise/jsonval"
)

// TestDecodeUnions decodes unions as AWS writes them, an object of the
// one member set: RDS Data's parameter values (Field) and Bedrock
// Runtime's Converse content blocks (ContentBlock), and round-trips a
// converse answer.
func TestDecodeUnions(t *testing.T) {
	var in rdsdata.ExecuteStatementInput
	if err := Decode(parse(t, `{"Sql":"select * from users where id = :id and name = :name","Parameters":[{"Name":"id","Value":{"LongValue":42}},{"Name":"name","Value":{"StringValue":"Ada"}}]}`), &in); err != nil {
		t.Fatal(err)
	}
	want := rdsdata.ExecuteStatementInput{Sql: aws.String("select * from users where id = :id and name = :name"), Parameters: []rdstypes.SqlParameter{
		{Name: aws.String("id"), Value: &rdstypes.FieldMemberLongValue{Value: 42}},
		{Name: aws.String("name"), Value: &rdstypes.FieldMemberStringValue{Value: "Ada"}}}}
	if !reflect.DeepEqual(in, want) {
		t.Errorf("ExecuteStatement input\n got %+v\nwant %+v", in, want)
	}
	var conv bedrockruntime.ConverseInput
	if err := Decode(parse(t, `{"ModelId":"m","Messages":[{"Role":"user","Content":[{"Text":"Hello"}]}],"InferenceConfig":{"MaxTokens":100}}`), &conv); err != nil {
		t.Fatal(err)
	}
	wantConv := bedrockruntime.ConverseInput{ModelId: aws.String("m"), Messages: []brtypes.Message{{Role: brtypes.ConversationRoleUser, Content: []brtypes.ContentBlock{&brtypes.ContentBlockMemberText{Value: "Hello"}}}},
		InferenceConfig: &brtypes.InferenceConfiguration{MaxTokens: aws.Int32(100)}}
	if !reflect.DeepEqual(conv, wantConv) {
		t.Errorf("Converse input\n got %+v\nwant %+v", conv, wantConv)
	}
	out, err := Encode(&bedrockruntime.ConverseOutput{Output: &brtypes.ConverseOutputMemberMessage{Value: brtypes.Message{Role: brtypes.ConversationRoleAssistant,
		Content: []brtypes.ContentBlock{&brtypes.ContentBlockMemberText{Value: "Hi!"}}}}, StopReason: brtypes.StopReasonEndTurn})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := jsonval.MustMarshalString(out), `{"Output":{"Message":{"Content":[{"Text":"Hi!"}],"Role":"assistant"}},"StopReason":"end_turn"}`; got != want {
		t.Errorf("Converse result\n got %s\nwant %s", got, want)
	}
	for _, bad := range []struct{ params, path string }{
		{`{"Parameters":[{"Name":"id","Value":{"LongValue":1,"StringValue":"x"}}]}`, "Parameters[0].Value"},
		{`{"Parameters":[{"Name":"id","Value":{}}]}`, "Parameters[0].Value"},
		{`{"Parameters":[{"Name":"id","Value":{"NoSuchValue":1}}]}`, "Parameters[0].Value.NoSuchValue"},
		{`{"Parameters":[{"Name":"id","Value":{"LongValue":"one"}}]}`, "Parameters[0].Value.LongValue"},
		{`{"Parameters":[{"Name":"id","Value":"x"}]}`, "Parameters[0].Value"},
	} {
		var in rdsdata.ExecuteStatementInput
		var pe *ParameterError
		if err := Decode(parse(t, bad.params), &in); !errors.As(err, &pe) || pe.Path != bad.path {
			t.Errorf("%s: got %v, want a ParameterError at %s", bad.params, err, bad.path)
		}
	}
}
