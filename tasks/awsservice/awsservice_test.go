package awsservice_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"go.uber.org/goleak"

	"stepwise/jsonval"
	"stepwise/resource"
	"stepwise/tasks"
	"stepwise/tasks/awsservice"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	key    = "AKIDEXAMPLE"
	secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	region = "eu-central-1"
)

// checkSignature recomputes r's SigV4 signature for the signing name its
// credential scope must name.
func checkSignature(r *http.Request, body []byte, signingName string) error {
	auth := r.Header.Get("Authorization")
	if !strings.Contains(auth, "/"+region+"/"+signingName+"/aws4_request") {
		return fmt.Errorf("credential scope of %q is not for %s in %s", auth, signingName, region)
	}
	_, signed, _ := strings.Cut(auth, "SignedHeaders=")
	signed, _, _ = strings.Cut(signed, ",")
	when, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return err
	}
	re, _ := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), bytes.NewReader(body))
	for _, h := range strings.Split(signed, ";") {
		if h != "host" && h != "content-length" && h != "x-amz-date" {
			re.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
		}
	}
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(r.Context(), aws.Credentials{AccessKeyID: key, SecretAccessKey: secret}, re,
		hex.EncodeToString(sum[:]), signingName, region, when); err != nil {
		return err
	}
	if re.Header.Get("Authorization") != auth {
		return fmt.Errorf("signature mismatch")
	}
	return nil
}

// fakeAWS speaks enough of DynamoDB, SQS, SNS, EventBridge and SES v2 for
// the tests, and checks every request's signature.
func fakeAWS(t *testing.T, signingName string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := checkSignature(r, body, signingName); err != nil {
			w.Header().Set("X-Amzn-ErrorType", "InvalidSignatureException")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, `{"message":%q}`, err.Error())
			return
		}
		w.Header().Set("X-Amzn-RequestId", "req-1")
		p, _ := jsonval.Parse(body)
		get := func(k string) any { v, _ := p.(*jsonval.Object).Get(k); return v }
		jsonErr := func(code, msg string) {
			w.Header().Set("Content-Type", "application/x-amz-json-1.0")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"__type":"com.amazonaws.dynamodb.v20120810#%s","message":%q}`, code, msg)
		}
		switch target := r.Header.Get("X-Amz-Target"); {
		case target == "DynamoDB_20120810.PutItem":
			switch get("TableName") {
			case "missing":
				jsonErr("ResourceNotFoundException", "Requested resource not found")
			case "/bad":
				jsonErr("ValidationException", "1 validation error detected")
			default:
				w.Header().Set("Content-Type", "application/x-amz-json-1.0")
				io.WriteString(w, `{}`)
			}
		case target == "DynamoDB_20120810.GetItem":
			io.WriteString(w, `{"Item":{"id":{"S":"id1"}}}`)
		case target == "DynamoDB_20120810.Query":
			io.WriteString(w, `{"Count":1,"Items":[{"id":{"S":"id1"}}],"ScannedCount":1}`)
		case target == "AmazonSQS.SendMessage":
			if _, ok := get("MessageBody").(string); !ok {
				http.Error(w, "MessageBody is not a string", http.StatusBadRequest)
				return
			}
			fmt.Fprintf(w, `{"MD5OfMessageBody":"md5","MessageId":"m-1","Echo":%q}`, get("MessageBody"))
		case target == "AWSEvents.PutEvents":
			entries := get("Entries").([]any)
			e0, _ := entries[0].(*jsonval.Object).Get("Detail")
			if _, ok := e0.(string); !ok {
				http.Error(w, "Detail is not a string", http.StatusBadRequest)
				return
			}
			if src, _ := entries[0].(*jsonval.Object).Get("Source"); src == "fail" {
				io.WriteString(w, `{"Entries":[{"ErrorCode":"InternalFailure","ErrorMessage":"boom"}],"FailedEntryCount":1}`)
				return
			}
			io.WriteString(w, `{"Entries":[{"EventId":"e-1"}],"FailedEntryCount":0}`)
		case r.URL.Path == "/v2/email/outbound-emails":
			if get("FromEmailAddress") == "unverified@example.com" {
				w.Header().Set("X-Amzn-ErrorType", "MessageRejected")
				w.WriteHeader(http.StatusBadRequest)
				io.WriteString(w, `{"message":"Email address is not verified."}`)
				return
			}
			io.WriteString(w, `{"MessageId":"ses-1"}`)
		default:
			form, _ := url.ParseQuery(string(body))
			if form.Get("Action") != "Publish" || form.Get("Version") != "2010-03-31" {
				http.Error(w, "unknown request", http.StatusBadRequest)
				return
			}
			w.Header().Set("Content-Type", "text/xml")
			if form.Get("TopicArn") == "fifo" {
				w.WriteHeader(http.StatusBadRequest)
				io.WriteString(w, `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>Invalid parameter: The MessageGroupId parameter is required for FIFO topics</Message></Error><RequestId>req-2</RequestId></ErrorResponse>`)
				return
			}
			fmt.Fprintf(w, `<PublishResponse><PublishResult><MessageId>sns-1</MessageId></PublishResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></PublishResponse>`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func invoker(t *testing.T) *awsservice.Invoker {
	t.Helper()
	eps := map[string]string{}
	for svc, signing := range map[string]string{"dynamodb": "dynamodb", "sqs": "sqs", "sns": "sns", "events": "events", "sesv2": "ses"} {
		eps[svc] = fakeAWS(t, signing).URL
	}
	return awsservice.New(awsservice.Config{Endpoints: eps, Region: region, AccessKeyID: key, SecretAccessKey: secret})
}

func TestIntegrations(t *testing.T) {
	iv := invoker(t)
	tests := []struct {
		resource string
		params   string
		want     string // the result without SdkHttpMetadata/SdkResponseMetadata
		metadata bool
		errName  string
		cause    string
	}{
		{"arn:aws:states:::dynamodb:putItem", `{"TableName":"t","Item":{"id":{"S":"id1"}}}`, `{}`, true, "", ""},
		{"arn:aws:states:::dynamodb:getItem", `{"TableName":"t","Key":{"id":{"S":"id1"}}}`, `{"Item":{"id":{"S":"id1"}}}`, true, "", ""},
		{"arn:aws:states:::dynamodb:putItem", `{"TableName":"missing","Item":{}}`, "", false, "DynamoDB.ResourceNotFoundException",
			"Requested resource not found (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ResourceNotFoundException; Request ID: req-1; Proxy: null)"},
		{"arn:aws:states:::dynamodb:putItem", `{"TableName":"/bad","Item":{}}`, "", false, "DynamoDB.AmazonDynamoDBException", "Error Code: ValidationException"},
		{"arn:aws:states:::aws-sdk:dynamodb:putItem", `{"TableName":"t","Item":{}}`, `{}`, false, "", ""},
		{"arn:aws:states:::aws-sdk:dynamodb:query", `{"TableName":"t","KeyConditionExpression":"id = :id"}`, `{"Count":1,"Items":[{"id":{"S":"id1"}}],"ScannedCount":1}`, false, "", ""},
		{"arn:aws:states:::aws-sdk:dynamodb:putItem", `{"TableName":"missing","Item":{}}`, "", false, "DynamoDb.ResourceNotFoundException",
			"Requested resource not found (Service: DynamoDb, Status Code: 400, Request ID: req-1)"},
		{"arn:aws:states:::sqs:sendMessage", `{"QueueUrl":"q","MessageBody":{"a":1}}`, `{"MD5OfMessageBody":"md5","MessageId":"m-1","Echo":"{\"a\":1}"}`, true, "", ""},
		{"arn:aws:states:::sqs:sendMessage.waitForTaskToken", `{"QueueUrl":"q","MessageBody":"x"}`, `{"MD5OfMessageBody":"md5","MessageId":"m-1","Echo":"x"}`, true, "", ""},
		{"arn:aws:states:::sns:publish", `{"TopicArn":"t","Message":{"m":"hi"}}`, `{"MessageId":"sns-1"}`, true, "", ""},
		{"arn:aws:states:::sns:publish", `{"TopicArn":"fifo","Message":"x"}`, "", false, "SNS.InvalidParameterException",
			"Invalid parameter: The MessageGroupId parameter is required for FIFO topics (Service: AmazonSNS; Status Code: 400; Error Code: InvalidParameter; Request ID: req-1; Proxy: null)"},
		{"arn:aws:states:::events:putEvents", `{"Entries":[{"Source":"s","DetailType":"d","Detail":{"m":1}}]}`, `{"Entries":[{"EventId":"e-1"}],"FailedEntryCount":0}`, false, "", ""},
		{"arn:aws:states:::events:putEvents", `{"Entries":[{"Source":"fail","DetailType":"d","Detail":"{}"}]}`, "", false, "EventBridge.FailedEntry", "InternalFailure"},
		{"arn:aws:states:::aws-sdk:sesv2:sendEmail", `{"FromEmailAddress":"a@example.com","Destination":{"ToAddresses":["b@example.com"]},"Content":{"Simple":{"Subject":{"Data":"s"},"Body":{"Text":{"Data":"b"}}}}}`,
			`{"MessageId":"ses-1"}`, false, "", ""},
		{"arn:aws:states:::aws-sdk:sesv2:sendEmail", `{"FromEmailAddress":"unverified@example.com"}`, "", false, "SesV2.MessageRejectedException",
			"Email address is not verified. (Service: SesV2, Status Code: 400, Request ID: req-1)"},
		{"arn:aws:states:::aws-sdk:sesv2:deleteContact", `{}`, "", false, tasks.ErrorRuntime, "does not carry out"},
	}
	for _, tt := range tests {
		t.Run(tt.resource, func(t *testing.T) {
			in, err := jsonval.ParseString(tt.params)
			if err != nil {
				t.Fatal(err)
			}
			got, err := iv.Invoke(t.Context(), tasks.Request{Resource: tt.resource, Input: in})
			if tt.errName != "" {
				if te := tasks.AsError(err); te.Name != tt.errName || !strings.Contains(te.Cause, tt.cause) {
					t.Fatalf("got %v; want %s containing %q", err, tt.errName, tt.cause)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			o := got.(*jsonval.Object).Clone()
			_, hasMeta := o.Get("SdkHttpMetadata")
			if hasMeta != tt.metadata {
				t.Errorf("SdkHttpMetadata present: %v, want %v", hasMeta, tt.metadata)
			}
			if hasMeta {
				rm, _ := o.Get("SdkResponseMetadata")
				if jsonval.MustMarshalString(rm) != `{"RequestId":"req-1"}` {
					t.Errorf("SdkResponseMetadata %s", jsonval.MustMarshalString(rm))
				}
			}
			o.Delete("SdkHttpMetadata")
			o.Delete("SdkResponseMetadata")
			if s := jsonval.MustMarshalString(o); s != tt.want {
				t.Errorf("got %s, want %s", s, tt.want)
			}
		})
	}
}

func TestHandles(t *testing.T) {
	for r, want := range map[string]bool{
		"arn:aws:states:::dynamodb:putItem":                 true,
		"arn:aws:states:::sqs:sendMessage.waitForTaskToken": true,
		"arn:aws:states:::aws-sdk:dynamodb:scan":            true,
		"arn:aws:states:::aws-sdk:s3:getObject":             false,
		"arn:aws:states:::lambda:invoke":                    false,
		"arn:aws:states:::dynamodb:scan":                    false,
		"arn:aws:states:::dynamodb:getItem.sync":            false,
		"arn:aws:states:::dynamodb:getItem.later":           false,
		"arn:aws-cn:states:::dynamodb:getItem":              false,
		"arn:aws:states:us-east-1:1:dynamodb:getItem":       false,
		"arn:aws:states:::aws-sdk:sns:publish":              true,
		"arn:aws:states:::aws-sdk:sns:listTopics":           false,
		"arn:aws:states:::aws-sdk:dynamodb":                 false,
		"arn:aws:states:::aws-sdk:eventbridge:putEvents":    true,
	} {
		res := resource.Parse(r)
		if got := awsservice.Handles(res); got != want {
			t.Errorf("Handles(%s) = %v", r, got)
		}
		if got := awsservice.ServiceOf(res); (got != "") != want {
			t.Errorf("ServiceOf(%s) = %q", r, got)
		}
	}
}

func TestUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	u := srv.URL
	srv.Close()
	iv := awsservice.New(awsservice.Config{Endpoints: map[string]string{"dynamodb": u}})
	_, err := iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::dynamodb:putItem", Input: jsonval.NewObject(0)})
	if te := tasks.AsError(err); te.Name != "DynamoDB.SdkClientException" {
		t.Errorf("got %v", err)
	}
}
