package teststate

import (
	"testing"

	"stepwise/resource"
)

// TestHTTPInvokeByResource pins which Task states TRACE shows an HTTP
// request and response for.
func TestHTTPInvokeByResource(t *testing.T) {
	for res, want := range map[string]bool{
		"arn:aws:states:::http:invoke":                  true,
		"arn:aws-us-gov:states:::http:invoke":           true,
		"arn:aws:states:::http:invoke.waitForTaskToken": false,
		"arn:aws:states:::aws-sdk:http:invoke":          false,
		"arn:aws:states:::lambda:invoke":                false,
	} {
		if got := isHTTPInvoke(resource.Parse(res)); got != want {
			t.Errorf("isHTTPInvoke(%s) = %v, want %v", res, got, want)
		}
	}
}
