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
				if reason, ok := enginetest.Skipped[c.ID]; ok {
					t.Skip(reason)
				}
				if d := enginetest.CheckCase(c); d != "" {
					t.Error(d)
				}
			})
		}
	}
}
