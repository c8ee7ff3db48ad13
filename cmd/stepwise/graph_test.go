package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestGraph(t *testing.T) {
	file := filepath.Join("..", "..", "examples", "order-total.asl.json")
	code, out, stderr := runCLI(t, "graph", file)
	if code != exitOK || !strings.HasPrefix(out, "flowchart TD\n") || !strings.Contains(out, `["PriceLines (Map)"]`) ||
		!strings.Contains(out, `-.->|"Default"|`) {
		t.Fatalf("mermaid: code %d\n%s\n%s", code, out, stderr)
	}
	code, out, stderr = runCLI(t, "graph", "--format", "dot", file)
	if code != exitOK || !strings.HasPrefix(out, "digraph stateMachine {") || !strings.Contains(out, `label="PriceLines (Map)"`) {
		t.Fatalf("dot: code %d\n%s\n%s", code, out, stderr)
	}
	if dot, err := exec.LookPath("dot"); err == nil {
		cmd := exec.Command(dot, "-Tsvg")
		cmd.Stdin = strings.NewReader(out)
		if svg, err := cmd.Output(); err != nil || !strings.Contains(string(svg), "PriceLines") {
			t.Errorf("Graphviz could not render it: %v", err)
		}
	}
	for _, args := range [][]string{
		{"graph"},
		{"graph", "--format", "svg", file},
		{"graph", filepath.Join("..", "..", "examples", "broken.asl.json")},
		{"graph", "no-such-file.json"},
	} {
		if code, _, stderr := runCLI(t, args...); code != exitUsage || stderr == "" {
			t.Errorf("%v: code %d, stderr %q", args, code, stderr)
		}
	}
}
