package sdk

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"stepwise/jsonval"
	"stepwise/resource"
	"stepwise/tasks"
)

// jsonCall is one request a fake JSON-protocol endpoint received.
type jsonCall struct {
	target, body string
}

// fakeJSON is an endpoint of an AWS JSON-protocol service (Secrets
// Manager, SSM, KMS, Lambda's REST-JSON) answering every request with
// status and body; errorType, when set, goes in X-Amzn-ErrorType as AWS
// sends it besides __type.
func fakeJSON(t *testing.T, status int, errorType, body string, calls *[]jsonCall) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, _ := io.ReadAll(r.Body)
		*calls = append(*calls, jsonCall{target: r.Header.Get("X-Amz-Target"), body: string(data)})
		w.Header().Set("X-Amzn-Requestid", "REQ7")
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if errorType != "" {
			w.Header().Set("X-Amzn-ErrorType", errorType)
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// serviceFailure invokes resource with params at a fake endpoint of
// service answering with an error, and returns the task error.
func serviceFailure(t *testing.T, service, resource, params string, status int, errorType, body string) (*tasks.Error, []jsonCall) {
	t.Helper()
	var calls []jsonCall
	iv := New(Config{Endpoints: map[string]string{service: fakeJSON(t, status, errorType, body, &calls)}})
	_, err := invoke(t, iv, resource, params)
	var te *tasks.Error
	if !errors.As(err, &te) {
		t.Fatalf("got %v, want a *tasks.Error", err)
	}
	return te, calls
}

// TestSecretsManagerCodec decodes GetSecretValue's and CreateSecret's
// parameters and encodes GetSecretValue's result in the shapes of the
// Secrets Manager API reference: PascalCase members, CreatedDate a
// timestamp, SecretBinary a base64 blob.
func TestSecretsManagerCodec(t *testing.T) {
	var get secretsmanager.GetSecretValueInput
	if err := Decode(parse(t, `{"SecretId":"MyTestDatabaseSecret","VersionStage":"AWSCURRENT"}`), &get); err != nil {
		t.Fatal(err)
	}
	if want := (secretsmanager.GetSecretValueInput{SecretId: aws.String("MyTestDatabaseSecret"), VersionStage: aws.String("AWSCURRENT")}); !reflect.DeepEqual(get, want) {
		t.Errorf("GetSecretValue input %+v", get)
	}
	var create secretsmanager.CreateSecretInput
	if err := Decode(parse(t, `{"Name":"n","SecretBinary":"AAEC/w==","Tags":[{"Key":"k","Value":"v"}]}`), &create); err != nil {
		t.Fatal(err)
	}
	if string(create.SecretBinary) != "\x00\x01\x02\xff" || *create.Tags[0].Key != "k" {
		t.Errorf("CreateSecret input %+v", create)
	}
	created := time.Date(2018, 5, 23, 13, 16, 57, 198e6, time.UTC)
	out, err := Encode(&secretsmanager.GetSecretValueOutput{ARN: aws.String("arn:aws:secretsmanager:us-west-2:123456789012:secret:MyTestDatabaseSecret-a1b2c3"),
		CreatedDate: &created, Name: aws.String("MyTestDatabaseSecret"), SecretString: aws.String(`{"username":"david"}`),
		SecretBinary: []byte{0, 1, 2, 0xff}, VersionId: aws.String("EXAMPLE1-90ab-cdef-fedc-ba987SECRET1"), VersionStages: []string{"AWSPREVIOUS"}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"ARN":"arn:aws:secretsmanager:us-west-2:123456789012:secret:MyTestDatabaseSecret-a1b2c3","CreatedDate":"2018-05-23T13:16:57.198Z",` +
		`"Name":"MyTestDatabaseSecret","SecretBinary":"AAEC/w==","SecretString":"{\"username\":\"david\"}","VersionId":"EXAMPLE1-90ab-cdef-fedc-ba987SECRET1","VersionStages":["AWSPREVIOUS"]}`
	if got := jsonval.MustMarshalString(out); got != want {
		t.Errorf("GetSecretValue result\n got %s\nwant %s", got, want)
	}
	if err := Decode(parse(t, `{"Name":"n","SecretBinary":"not base64!"}`), &create); err == nil {
		t.Error("SecretBinary that is not base64 decoded")
	}
}

// TestSecretsManagerErrors names Secrets Manager's errors as AWS does: a
// modeled one SecretsManager.ResourceNotFoundException, one its model
// does not list (an invalid name's ValidationException) the base
// SecretsManager.SecretsManagerException (conformance
// test_aws_sdk::test_invalid_secret_name), each with the service's
// message and "(Service: SecretsManager, ...)" as the cause.
func TestSecretsManagerErrors(t *testing.T) {
	te, calls := serviceFailure(t, "secretsmanager", "arn:aws:states:::aws-sdk:secretsmanager:getSecretValue", `{"SecretId":"missing"}`,
		http.StatusBadRequest, "", `{"__type":"ResourceNotFoundException","message":"Secrets Manager can't find the specified secret."}`)
	want := tasks.Error{Name: "SecretsManager.ResourceNotFoundException",
		Cause: "Secrets Manager can't find the specified secret. (Service: SecretsManager, Status Code: 400, Request ID: REQ7) (SDK Attempt Count: 1)"}
	if *te != want {
		t.Errorf("got  %+v\nwant %+v", *te, want)
	}
	if len(calls) != 1 || calls[0].target != "secretsmanager.GetSecretValue" || calls[0].body != `{"SecretId":"missing"}` {
		t.Errorf("requests %+v", calls)
	}
	te, _ = serviceFailure(t, "secretsmanager", "arn:aws:states:::aws-sdk:secretsmanager:createSecret", `{"Name":"Invalid Name","SecretString":"HelloWorld"}`,
		http.StatusBadRequest, "ValidationException", `{"message":"Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!"}`)
	want = tasks.Error{Name: "SecretsManager.SecretsManagerException",
		Cause: "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@! (Service: SecretsManager, Status Code: 400, Request ID: REQ7) (SDK Attempt Count: 1)"}
	if *te != want {
		t.Errorf("got  %+v\nwant %+v", *te, want)
	}
}

// TestSSMCodec decodes GetParameter's parameters and encodes its result
// in the shapes of the Systems Manager API reference.
func TestSSMCodec(t *testing.T) {
	var in ssm.GetParameterInput
	if err := Decode(parse(t, `{"Name":"MyGitHubPassword","WithDecryption":true}`), &in); err != nil {
		t.Fatal(err)
	}
	if want := (ssm.GetParameterInput{Name: aws.String("MyGitHubPassword"), WithDecryption: aws.Bool(true)}); !reflect.DeepEqual(in, want) {
		t.Errorf("GetParameter input %+v", in)
	}
	if err := Decode(parse(t, `{"Name":"p","WithDecryption":"yes"}`), &in); err == nil {
		t.Error(`WithDecryption "yes" decoded`)
	}
	mod := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	out, err := Encode(&ssm.GetParameterOutput{Parameter: &ssmtypes.Parameter{ARN: aws.String("arn:aws:ssm:us-east-2:111122223333:parameter/MyGitHubPassword"),
		DataType: aws.String("text"), LastModifiedDate: &mod, Name: aws.String("MyGitHubPassword"), Type: ssmtypes.ParameterTypeSecureString,
		Value: aws.String("P@ssW*rd21"), Version: 3}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Parameter":{"ARN":"arn:aws:ssm:us-east-2:111122223333:parameter/MyGitHubPassword","DataType":"text","LastModifiedDate":"2024-01-02T03:04:05Z",` +
		`"Name":"MyGitHubPassword","Type":"SecureString","Value":"P@ssW*rd21","Version":3}}`
	if got := jsonval.MustMarshalString(out); got != want {
		t.Errorf("GetParameter result\n got %s\nwant %s", got, want)
	}
}

// TestSSMErrors names a missing parameter Ssm.ParameterNotFoundException:
// SSM's code ParameterNotFound with the Exception suffix AWS always adds,
// and SSM's absent message printed as null, as the SDK for Java does.
func TestSSMErrors(t *testing.T) {
	te, calls := serviceFailure(t, "ssm", "arn:aws:states:::aws-sdk:ssm:getParameter", `{"Name":"/missing"}`,
		http.StatusBadRequest, "", `{"__type":"ParameterNotFound"}`)
	want := tasks.Error{Name: "Ssm.ParameterNotFoundException", Cause: "null (Service: Ssm, Status Code: 400, Request ID: REQ7) (SDK Attempt Count: 1)"}
	if *te != want {
		t.Errorf("got  %+v\nwant %+v", *te, want)
	}
	if len(calls) != 1 || calls[0].target != "AmazonSSM.GetParameter" {
		t.Errorf("requests %+v", calls)
	}
}

// TestKMSCodec decodes Encrypt's and Decrypt's parameters and encodes
// their results in the shapes of the KMS API reference, whose blobs
// (Plaintext, CiphertextBlob) are base64 text: binary ciphertext
// survives the trip through JSON.
func TestKMSCodec(t *testing.T) {
	var enc kms.EncryptInput
	if err := Decode(parse(t, `{"KeyId":"alias/ExampleAlias","Plaintext":"aGVsbG8=","EncryptionContext":{"purpose":"test"}}`), &enc); err != nil {
		t.Fatal(err)
	}
	if want := (kms.EncryptInput{KeyId: aws.String("alias/ExampleAlias"), Plaintext: []byte("hello"), EncryptionContext: map[string]string{"purpose": "test"}}); !reflect.DeepEqual(enc, want) {
		t.Errorf("Encrypt input %+v", enc)
	}
	out, err := Encode(&kms.EncryptOutput{CiphertextBlob: []byte{0x01, 0x02, 0x02, 0x00, 0xfe, 0xff}, EncryptionAlgorithm: "SYMMETRIC_DEFAULT",
		KeyId: aws.String("arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"CiphertextBlob":"AQICAP7/","EncryptionAlgorithm":"SYMMETRIC_DEFAULT","KeyId":"arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}`
	if got := jsonval.MustMarshalString(out); got != want {
		t.Errorf("Encrypt result\n got %s\nwant %s", got, want)
	}
	var dec kms.DecryptInput
	if err := Decode(parse(t, `{"CiphertextBlob":"AQICAP7/"}`), &dec); err != nil || !reflect.DeepEqual(dec.CiphertextBlob, []byte{0x01, 0x02, 0x02, 0x00, 0xfe, 0xff}) {
		t.Errorf("Decrypt input %+v, %v", dec, err)
	}
	var pe *ParameterError
	if err := Decode(parse(t, `{"CiphertextBlob":"%%%"}`), &dec); !errors.As(err, &pe) || pe.Path != "CiphertextBlob" {
		t.Errorf("CiphertextBlob not base64: got %v, want a ParameterError", err)
	}
	if err := Decode(parse(t, `{"CiphertextBlob":[1,2]}`), &dec); !errors.As(err, &pe) || pe.Path != "CiphertextBlob" {
		t.Errorf("CiphertextBlob an array: got %v, want a ParameterError", err)
	}
}

// TestKMSEncryptDecrypt encrypts and decrypts through the KMS client at
// a fake KMS whose ciphertext is binary (each byte inverted): the
// plaintext comes back as it went in.
func TestKMSEncryptDecrypt(t *testing.T) {
	flip := func(b []byte) []byte {
		out := make([]byte, len(b))
		for i, c := range b {
			out[i] = ^c
		}
		return out
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			KeyID          string `json:"KeyId"`
			Plaintext      []byte
			CiphertextBlob []byte
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		switch r.Header.Get("X-Amz-Target") {
		case "TrentService.Encrypt":
			json.NewEncoder(w).Encode(map[string]any{"CiphertextBlob": flip(req.Plaintext), "KeyId": req.KeyID, "EncryptionAlgorithm": "SYMMETRIC_DEFAULT"})
		case "TrentService.Decrypt":
			json.NewEncoder(w).Encode(map[string]any{"Plaintext": flip(req.CiphertextBlob), "KeyId": "k", "EncryptionAlgorithm": "SYMMETRIC_DEFAULT"})
		}
	}))
	defer srv.Close()
	iv := New(Config{Endpoints: map[string]string{"kms": srv.URL}})
	out, err := invoke(t, iv, "arn:aws:states:::aws-sdk:kms:encrypt", `{"KeyId":"k","Plaintext":"aGVsbG8="}`)
	if err != nil {
		t.Fatal(err)
	}
	ct, _ := out.(*jsonval.Object).Get("CiphertextBlob")
	if ct != "l5qTk5A=" {
		t.Errorf("CiphertextBlob %v, want the inverted bytes in base64", ct)
	}
	out, err = invoke(t, iv, "arn:aws:states:::aws-sdk:kms:decrypt", `{"CiphertextBlob":"l5qTk5A="}`)
	if err != nil {
		t.Fatal(err)
	}
	if pt, _ := out.(*jsonval.Object).Get("Plaintext"); pt != "aGVsbG8=" {
		t.Errorf("Plaintext %v, want aGVsbG8=", pt)
	}
}

// TestKMSErrors names KMS's refusals as AWS does: Kms.NotFoundException
// for a missing key, Kms.InvalidCiphertextException for ciphertext it
// cannot decrypt, the code taken from X-Amzn-ErrorType.
func TestKMSErrors(t *testing.T) {
	te, _ := serviceFailure(t, "kms", "arn:aws:states:::aws-sdk:kms:encrypt", `{"KeyId":"alias/none","Plaintext":"aGVsbG8="}`,
		http.StatusBadRequest, "NotFoundException:", `{"message":"Alias arn:aws:kms:us-east-1:111122223333:alias/none is not found."}`)
	want := tasks.Error{Name: "Kms.NotFoundException",
		Cause: "Alias arn:aws:kms:us-east-1:111122223333:alias/none is not found. (Service: Kms, Status Code: 400, Request ID: REQ7) (SDK Attempt Count: 1)"}
	if *te != want {
		t.Errorf("got  %+v\nwant %+v", *te, want)
	}
	te, _ = serviceFailure(t, "kms", "arn:aws:states:::aws-sdk:kms:decrypt", `{"CiphertextBlob":"AAEC"}`,
		http.StatusBadRequest, "", `{"__type":"InvalidCiphertextException"}`)
	if te.Name != "Kms.InvalidCiphertextException" {
		t.Errorf("got %+v, want Kms.InvalidCiphertextException", *te)
	}
}

// fakeSTS answers STS's query protocol: GetCallerIdentity with the
// identity of the STS API reference's example, any other action with
// an XML error of code.
func fakeSTS(t *testing.T, code, message string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		w.Header().Set("X-Amzn-Requestid", "REQ8")
		if r.Form.Get("Action") == "GetCallerIdentity" && code == "" {
			io.WriteString(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>
<Arn>arn:aws:iam::123456789012:user/Alice</Arn><UserId>AIDACKCEVSQ6C2EXAMPLE</UserId><Account>123456789012</Account>
</GetCallerIdentityResult><ResponseMetadata><RequestId>REQ8</RequestId></ResponseMetadata></GetCallerIdentityResponse>`)
			return
		}
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>`+code+`</Code><Message>`+message+`</Message></Error><RequestId>REQ8</RequestId></ErrorResponse>`)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestSTSCodec decodes AssumeRole's parameters and encodes
// GetCallerIdentity's result, fetched from a fake STS, in the shapes of
// the STS API reference.
func TestSTSCodec(t *testing.T) {
	var in sts.AssumeRoleInput
	if err := Decode(parse(t, `{"RoleArn":"arn:aws:iam::123456789012:role/demo","RoleSessionName":"s","DurationSeconds":3600,"Tags":[{"Key":"Project","Value":"Unicorn"}]}`), &in); err != nil {
		t.Fatal(err)
	}
	if *in.RoleArn != "arn:aws:iam::123456789012:role/demo" || *in.DurationSeconds != 3600 || *in.Tags[0].Value != "Unicorn" {
		t.Errorf("AssumeRole input %+v", in)
	}
	iv := New(Config{Endpoints: map[string]string{"sts": fakeSTS(t, "", "")}})
	out, err := invoke(t, iv, "arn:aws:states:::aws-sdk:sts:getCallerIdentity", `{}`)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := jsonval.MustMarshalString(out), `{"Account":"123456789012","Arn":"arn:aws:iam::123456789012:user/Alice","UserId":"AIDACKCEVSQ6C2EXAMPLE"}`; got != want {
		t.Errorf("GetCallerIdentity result\n got %s\nwant %s", got, want)
	}
}

// TestSTSErrors names STS's errors as AWS does: a modeled one
// (ExpiredTokenException) by its name, an unmodeled one (an unknown
// access key's InvalidClientTokenId) the base Sts.StsException.
func TestSTSErrors(t *testing.T) {
	for code, name := range map[string]string{"ExpiredTokenException": "Sts.ExpiredTokenException", "InvalidClientTokenId": "Sts.StsException"} {
		iv := New(Config{Endpoints: map[string]string{"sts": fakeSTS(t, code, "The security token included in the request is invalid.")}})
		_, err := invoke(t, iv, "arn:aws:states:::aws-sdk:sts:assumeRole", `{"RoleArn":"arn:aws:iam::123456789012:role/demo","RoleSessionName":"s"}`)
		var te *tasks.Error
		want := tasks.Error{Name: name, Cause: "The security token included in the request is invalid. (Service: Sts, Status Code: 403, Request ID: REQ8) (SDK Attempt Count: 1)"}
		if !errors.As(err, &te) || *te != want {
			t.Errorf("%s: got %v, want %+v", code, err, want)
		}
	}
}

// TestLambdaCodec decodes GetFunction's parameters and encodes its result
// in the shapes of the Lambda API reference.
func TestLambdaCodec(t *testing.T) {
	var in lambda.GetFunctionInput
	if err := Decode(parse(t, `{"FunctionName":"my-function","Qualifier":"1"}`), &in); err != nil {
		t.Fatal(err)
	}
	if want := (lambda.GetFunctionInput{FunctionName: aws.String("my-function"), Qualifier: aws.String("1")}); !reflect.DeepEqual(in, want) {
		t.Errorf("GetFunction input %+v", in)
	}
	out, err := Encode(&lambda.GetFunctionOutput{
		Code: &lambdatypes.FunctionCodeLocation{Location: aws.String("https://awslambda-us-west-2-tasks.s3.us-west-2.amazonaws.com/snapshots/123456789012/my-function"), RepositoryType: aws.String("S3")},
		Configuration: &lambdatypes.FunctionConfiguration{FunctionName: aws.String("my-function"), FunctionArn: aws.String("arn:aws:lambda:us-west-2:123456789012:function:my-function"),
			Runtime: lambdatypes.RuntimeNodejs20x, Handler: aws.String("index.handler"), CodeSize: 5797206, MemorySize: aws.Int32(256), Timeout: aws.Int32(3),
			LastModified: aws.String("2024-09-24T18:20:35.054+0000"), State: lambdatypes.StateActive, Architectures: []lambdatypes.Architecture{lambdatypes.ArchitectureX8664}},
		Tags: map[string]string{"DEPARTMENT": "Assets"}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Code":{"Location":"https://awslambda-us-west-2-tasks.s3.us-west-2.amazonaws.com/snapshots/123456789012/my-function","RepositoryType":"S3"},` +
		`"Configuration":{"Architectures":["x86_64"],"CodeSize":5797206,"FunctionArn":"arn:aws:lambda:us-west-2:123456789012:function:my-function","FunctionName":"my-function",` +
		`"Handler":"index.handler","LastModified":"2024-09-24T18:20:35.054+0000","MemorySize":256,"Runtime":"nodejs20.x","State":"Active","Timeout":3},"Tags":{"DEPARTMENT":"Assets"}}`
	if got := jsonval.MustMarshalString(out); got != want {
		t.Errorf("GetFunction result\n got %s\nwant %s", got, want)
	}
}

// TestLambdaErrors names a missing function Lambda.ResourceNotFoundException,
// Lambda's REST-JSON error read from X-Amzn-ErrorType and its Message
// member, the request GET /2015-03-31/functions/NAME.
func TestLambdaErrors(t *testing.T) {
	var path string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path = r.Method + " " + r.URL.Path
		w.Header().Set("X-Amzn-Requestid", "REQ5")
		w.Header().Set("X-Amzn-ErrorType", "ResourceNotFoundException")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"Type":"User","Message":"Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope"}`)
	}))
	defer srv.Close()
	iv := New(Config{Endpoints: map[string]string{"lambda": srv.URL}})
	_, err := invoke(t, iv, "arn:aws:states:::aws-sdk:lambda:getFunction", `{"FunctionName":"nope"}`)
	var te *tasks.Error
	want := tasks.Error{Name: "Lambda.ResourceNotFoundException",
		Cause: "Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope (Service: Lambda, Status Code: 404, Request ID: REQ5) (SDK Attempt Count: 1)"}
	if !errors.As(err, &te) || *te != want {
		t.Errorf("got %v, want %+v", err, want)
	}
	if path != "GET /2015-03-31/functions/nope" {
		t.Errorf("request %q", path)
	}
}

// TestHandlesLeavesLambdaInvoke takes aws-sdk:lambda:* but leaves the
// optimized lambda:invoke and function ARNs to tasks/lambda.
func TestHandlesLeavesLambdaInvoke(t *testing.T) {
	for arn, want := range map[string]bool{
		"arn:aws:states:::aws-sdk:lambda:getFunction":                 true,
		"arn:aws:states:::aws-sdk:lambda:invoke":                      true,
		"arn:aws:states:::lambda:invoke":                              false,
		"arn:aws:states:::lambda:invoke.waitForTaskToken":             false,
		"arn:aws:lambda:us-east-1:123456789012:function:f":            false,
		"arn:aws:states:::aws-sdk:secretsmanager:getSecretValue":      true,
		"arn:aws:states:::aws-sdk:secretsmanager:getSecretValue.sync": false,
	} {
		if got := Handles(resource.Parse(arn)); got != want {
			t.Errorf("Handles(%s) = %v, want %v", arn, got, want)
		}
	}
}

// TestS3UnmodeledError names an S3 error its model does not list
// (AccessDenied) S3.S3Exception, the SDK for Java's base exception, as
// workflows written for AWS catch it.
func TestS3UnmodeledError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Amz-Request-Id", "REQ1")
		w.Header().Set("X-Amz-Id-2", "HOST1")
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>REQ1</RequestId><HostId>HOST1</HostId></Error>`)
	}))
	defer srv.Close()
	iv := New(Config{Endpoints: map[string]string{"s3": srv.URL}})
	_, err := invoke(t, iv, "arn:aws:states:::aws-sdk:s3:getObject", `{"Bucket":"b","Key":"k"}`)
	var te *tasks.Error
	want := tasks.Error{Name: "S3.S3Exception", Cause: "Access Denied (Service: S3, Status Code: 403, Request ID: REQ1, Extended Request ID: HOST1) (SDK Attempt Count: 1)"}
	if !errors.As(err, &te) || *te != want {
		t.Errorf("got %v, want %+v", err, want)
	}
}
