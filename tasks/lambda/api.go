package lambda

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"stepwise/tasks"
)

// maxResponse bounds the Invoke API response body read: Lambda's
// synchronous response limit is 6 MB.
const maxResponse = 6 << 20

// callAPI sends c to the Invoke API at fn.Endpoint, SigV4-signed.
func (iv *Invoker) callAPI(ctx context.Context, fn Function, c call) (response, error) {
	region := fn.Region
	if region == "" {
		region = c.region
	}
	endpoint := fn.Endpoint
	if endpoint == "" {
		endpoint = "https://lambda." + region + ".amazonaws.com"
	}
	u := strings.TrimSuffix(endpoint, "/") + "/2015-03-31/functions/" + url.PathEscape(c.name) + "/invocations"
	if c.qualifier != "" {
		u += "?Qualifier=" + url.QueryEscape(c.qualifier)
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(c.payload))
	if err != nil {
		return response{}, &tasks.Error{Name: "Lambda.SdkClientException", Cause: fmt.Sprintf("Unable to build the request: %v", err)}
	}
	hreq.Header.Set("Content-Type", "application/json")
	if c.invokeType != "" {
		hreq.Header.Set("X-Amz-Invocation-Type", c.invokeType)
	}
	if c.logType != "" {
		hreq.Header.Set("X-Amz-Log-Type", c.logType)
	}
	if c.clientCtx != "" {
		hreq.Header.Set("X-Amz-Client-Context", c.clientCtx)
	}
	sum := sha256.Sum256(c.payload)
	creds := aws.Credentials{AccessKeyID: fn.AccessKeyID, SecretAccessKey: fn.SecretAccessKey, SessionToken: fn.SessionToken}
	if err := v4.NewSigner().SignHTTP(ctx, creds, hreq, hex.EncodeToString(sum[:]), "lambda", region, time.Now()); err != nil {
		return response{}, &tasks.Error{Name: "Lambda.SdkClientException", Cause: fmt.Sprintf("Unable to sign the request: %v", err)}
	}
	hresp, err := iv.client.Do(hreq)
	if err != nil {
		if ctx.Err() != nil {
			return response{}, ctx.Err()
		}
		return response{}, sdkClientError(err)
	}
	defer hresp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(hresp.Body, maxResponse+1))
	if err != nil {
		if ctx.Err() != nil {
			return response{}, ctx.Err()
		}
		return response{}, sdkClientError(err)
	}
	if len(body) > maxResponse {
		return response{}, &tasks.Error{Name: "Lambda.SdkClientException", Cause: "the function's response is larger than 6 MB"}
	}
	return response{status: hresp.StatusCode, header: hresp.Header, body: body}, nil
}

// sdkClientError is a request that got no answer from the Lambda service.
func sdkClientError(err error) *tasks.Error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return &tasks.Error{Name: "Lambda.SdkClientException", Cause: "Unable to execute HTTP request: " + err.Error()}
}
