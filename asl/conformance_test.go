package asl_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"stepwise/asl"
	"stepwise/jsonval"
)

const conformanceDir = "../../shared/conformance"

// caseDefinitions returns the definition text of every case file in dir,
// keyed by file name.
func caseDefinitions(t testing.TB, dir, field string) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no case files in %s (err %v)", dir, err)
	}
	out := make(map[string][]byte, len(files))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		v, err := jsonval.Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		def, ok := v.(*jsonval.Object).Get(field)
		if !ok {
			t.Fatalf("%s: no %q", f, field)
		}
		text, err := jsonval.Marshal(def)
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimSuffix(filepath.Base(f), ".json")] = text
	}
	return out
}

// TestConformanceDefinitionsValid checks that every definition AWS ran in
// the recorded executions parses and validates without an ERROR.
func TestConformanceDefinitionsValid(t *testing.T) {
	for _, suite := range []string{"asl", "asl-tasks"} {
		defs := caseDefinitions(t, filepath.Join(conformanceDir, suite, "cases"), "definition")
		for name, def := range defs {
			t.Run(suite+"/"+name, func(t *testing.T) {
				if _, err := asl.Parse(def); err != nil {
					t.Errorf("%v\ndefinition: %s", err, def)
				}
			})
		}
	}
}

// knownDisagreements lists validation fixtures whose source project's
// verdict contradicts AWS's documented rules; the validator follows AWS.
var knownDisagreements = map[string]string{
	// Resources that are not ARNs are accepted at validation time (the ASL
	// specification asks for a URI, and the recorded AWS cases themselves
	// carry placeholders); they fail when the task runs.
	"asl-validator__invalid-cfn-definition-substitutions": "a non-ARN Resource is accepted; asl-validator's own ARN check",
	// A Resource must be a string: CloudFormation resolves Fn::GetAtt before AWS sees the definition.
	"asl-validator__valid-task-intrisic-function": "Resource is a CloudFormation object, not a string",
	// AWS refuses a JSONPath state inside a JSONata machine ("'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine").
	"asl-validator__valid-map-with-item-batcher-jsonata": "JSONPath state inside a JSONata state machine",
	// Variable names are identifiers: $top-level would read as $top - level.
	"asl-validator__valid-assign.asl": "variable name 'top-level' is not an identifier",
	// Script expressions ([(@.length-1)]) are not part of the JSONPath AWS evaluates.
	"asl-validator__valid-path-array-context": "JSONPath script expression",
	// In JSONata, only strings that start with {% and end with %} are
	// expressions; anything else is a literal, and whitespace inside the
	// delimiters is allowed.
	"asl-validator__invalid-jsonata-surround-syntax-no-close":  "'{% 10 %' is a literal string",
	"asl-validator__invalid-jsonata-surround-syntax-no-open":   "'10 %}' is a literal string",
	"asl-validator__invalid-jsonata-surround-syntax-no-spaces": "'{%10%}' is a valid expression",
	"asl-validator__invalid-json-surround-syntax-extra-spaces": "whitespace inside {% %} is allowed",
	// Argument types of intrinsic functions are checked when they run
	// (States.Runtime), as AWS does for values that come from paths.
	"asl-validator__invalid-math-add": "States.MathAdd(1,'-1') fails at run time, not validation",
}

// TestValidationFixtures runs the statelint and asl-validator fixtures: each
// valid one gives no ERROR, each invalid one at least one.
func TestValidationFixtures(t *testing.T) {
	dir := filepath.Join(conformanceDir, "validation")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in %s", dir)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			v, err := jsonval.Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			fx := v.(*jsonval.Object)
			defv, _ := fx.Get("definition")
			def, _ := jsonval.Marshal(defv)
			validv, _ := fx.Get("valid")
			valid := validv == true
			diags := asl.Validate(def)
			gotValid := !diags.HasErrors()
			if reason, ok := knownDisagreements[name]; ok {
				if gotValid == valid {
					t.Errorf("listed as a known disagreement (%s) but the validator now agrees with the fixture; remove it from the list", reason)
				}
				return
			}
			if gotValid != valid {
				t.Errorf("fixture says valid=%v, validator says valid=%v: %v\ndefinition: %s", valid, gotValid, diags, def)
			}
		})
	}
}
