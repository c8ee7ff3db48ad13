package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"stepwise/asl"
	"stepwise/diagram"
)

type graphOptions struct {
	format string // "mermaid" or "dot"
	file   string
}

func parseGraph(args []string, stderr io.Writer) (graphOptions, error) {
	fs := flag.NewFlagSet("stepwise graph", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: stepwise graph [--format mermaid|dot] FILE")
		fmt.Fprintln(stderr, "\nPrints a state machine's graph as a Mermaid flowchart (for Markdown) or a Graphviz DOT graph.")
		fs.PrintDefaults()
	}
	var o graphOptions
	fs.StringVar(&o.format, "format", "mermaid", "mermaid, or dot (Graphviz: stepwise graph --format dot FILE | dot -Tsvg > graph.svg)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.format != "mermaid" && o.format != "dot" {
		return o, fmt.Errorf("--format must be mermaid or dot, not %q", o.format)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return o, errors.New("give one definition file")
	}
	o.file = fs.Arg(0)
	return o, nil
}

// runGraph prints the graph of a definition; an invalid definition is a
// usage error, with its diagnostics.
func runGraph(_ context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseGraph(args, stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "stepwise graph:", err)
		}
		return exitUsage
	}
	data, err := os.ReadFile(o.file)
	if err != nil {
		fmt.Fprintln(stderr, "stepwise graph:", err)
		return exitUsage
	}
	sm, err := asl.Parse(data)
	if err != nil {
		fmt.Fprintf(stderr, "stepwise graph: %s: %v\n", o.file, err)
		return exitUsage
	}
	if o.format == "dot" {
		fmt.Fprint(stdout, diagram.DOT(sm))
	} else {
		fmt.Fprint(stdout, diagram.Mermaid(sm))
	}
	return exitOK
}
