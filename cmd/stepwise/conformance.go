package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"stepwise/engine/enginetest"
	"stepwise/internal/conformance"
)

func runConformance(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("stepwise conformance", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: stepwise conformance DIR")
		fmt.Fprintln(stderr, "\nRuns every recorded execution (*.json) in DIR with fast time and mocked tasks,")
		fmt.Fprintln(stderr, "prints a line per failing case with its first difference (and per known-skipped case with why), then 'N passed, N failed, N skipped'.")
		fmt.Fprintln(stderr, "Exit status: 0 when all passed, 1 when any failed, 2 on bad usage.")
	}
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		if err == nil {
			fs.Usage()
		}
		return exitUsage
	}
	cases, err := conformance.Load(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "stepwise conformance:", err)
		return exitUsage
	}
	if len(cases) == 0 {
		fmt.Fprintln(stderr, "stepwise conformance: no cases in", fs.Arg(0))
		return exitUsage
	}
	passed, failed, skipped := 0, 0, 0
	for _, c := range cases {
		if err := ctx.Err(); err != nil {
			fmt.Fprintln(stderr, "stepwise conformance:", err)
			return exitFail
		}
		if reason, ok := enginetest.Skipped[c.ID]; ok {
			skipped++
			fmt.Fprintf(stdout, "SKIP %s: %s\n", c.ID, reason)
			continue
		}
		if d := enginetest.CheckCase(c); d != "" {
			failed++
			fmt.Fprintf(stdout, "FAIL %s: %s\n", c.ID, d)
			continue
		}
		passed++
	}
	fmt.Fprintf(stdout, "%d passed, %d failed, %d skipped\n", passed, failed, skipped)
	if failed > 0 {
		return exitFail
	}
	return exitOK
}
