package asl_test

import (
	"path/filepath"
	"testing"

	"stepwise/asl"
)

// FuzzParseDefinition checks that no input makes the parser panic and that
// Parse and Validate agree on whether a definition is valid.
func FuzzParseDefinition(f *testing.F) {
	for _, suite := range []string{"asl", "asl-tasks"} {
		for _, def := range caseDefinitions(f, filepath.Join(conformanceDir, suite, "cases"), "definition") {
			f.Add(def)
		}
	}
	f.Add([]byte(`{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Not":{"Not":{"Variable":"$","IsNull":true}},"Next":"A"}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sm, err := asl.Parse(data)
		diags := asl.Validate(data)
		if (err == nil) == diags.HasErrors() {
			t.Fatalf("Parse error %v but Validate has errors=%v", err, diags.HasErrors())
		}
		if err == nil && sm == nil {
			t.Fatal("nil StateMachine without error")
		}
	})
}
