package engine_test

import (
	"testing"

	"stepwise/engine/enginetest"
	"stepwise/internal/conformance"
)

// TestConformance runs every execution recorded on AWS in the asl and
// asl-tasks suites and compares outcome and history.
func TestConformance(t *testing.T) {
	for _, suite := range []string{"asl", "asl-tasks"} {
		cases, err := conformance.Load(conformance.SuiteDir(suite))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			t.Run(suite+"/"+c.ID, func(t *testing.T) {
				if reason, ok := skipped[c.ID]; ok {
					t.Skip(reason)
				}
				if d := enginetest.CheckCase(c); d != "" {
					t.Error(d)
				}
			})
		}
	}
}

// skipped lists cases that need something not built yet, with the issue
// that builds it.
var skipped = map[string]string{
	// TODO(#7): the API Gateway integration validates its Parameters before invoking.
	"test_apigetway_task_service__TestTaskApiGateway__test_invoke_with_headers_singleStringHeader--e2e8a370": "API Gateway parameter validation is built with the integrations (#7)",
	// Recorded before AWS added $$.Execution.RedriveCount; the other
	// recordings of the context object (test_context_object, test_base
	// test_query_context_object_values) include it, and so does Stepwise.
	"test_base_scenarios__TestBaseScenarios__test_lambda_invoke_with_retry_extended_input--3f7e5430": "recording predates $$.Execution.RedriveCount",
}
