package teststate_test

import (
	"fmt"
	"time"

	"stepwise/teststate"
)

// A Choice state tested on its own: the response names the state it
// would go to.
func Example() {
	t, err := teststate.Prepare(teststate.Request{
		Definition: `{"Type":"Choice","Choices":[{"Variable":"$.cost","NumericLessThan":10,"Next":"Approve"}],"Default":"Ask"}`,
		Input:      `{"cost":12}`,
	}, teststate.Environment{Now: time.Unix(0, 0), Region: "us-east-1", Account: "123456789012"})
	if err != nil {
		fmt.Println(err)
		return
	}
	resp, _ := t.Start()
	fmt.Println(resp.Status, resp.NextState, *resp.Output)
	// Output: SUCCEEDED Ask {"cost":12}
}

// A Task whose mocked error its Retrier matches: the response says which
// Retrier and how long it would wait.
func Example_retry() {
	t, err := teststate.Prepare(teststate.Request{
		Definition: `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
			"Retry":[{"ErrorEquals":["Lambda.ServiceException"],"IntervalSeconds":2,"MaxAttempts":3,"BackoffRate":2}]}`,
		InspectionLevel: teststate.LevelDebug,
		Mock:            &teststate.Mock{ErrorOutput: &teststate.MockError{Error: "Lambda.ServiceException", Cause: "Service error"}},
		Configuration:   &teststate.Configuration{RetrierRetryCount: 1},
	}, teststate.Environment{Now: time.Unix(0, 0)})
	if err != nil {
		fmt.Println(err)
		return
	}
	resp, _ := t.Start()
	d := resp.InspectionData.ErrorDetails
	fmt.Println(resp.Status, *d.RetryIndex, *d.RetryBackoffIntervalSeconds)
	// Output: RETRIABLE 0 4
}
