package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"stepwise/asl"
)

type validateOptions struct {
	output string // "text" or "json"
	files  []string
}

func parseValidate(args []string, stderr io.Writer) (validateOptions, error) {
	fs := flag.NewFlagSet("stepwise validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: stepwise validate [--output text|json] FILE...")
		fmt.Fprintln(stderr, "\nChecks each state machine definition and prints its problems.")
		fmt.Fprintln(stderr, "Exit status: 0 when no file has an ERROR, 1 when any has, 2 on bad usage.")
		fs.PrintDefaults()
	}
	var o validateOptions
	fs.StringVar(&o.output, "output", "text", "output format: text, or json (the ValidateStateMachineDefinition response)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.output != "text" && o.output != "json" {
		return o, fmt.Errorf("--output must be text or json, not %q", o.output)
	}
	o.files = fs.Args()
	if len(o.files) == 0 {
		fs.Usage()
		return o, errors.New("no definition file given")
	}
	return o, nil
}

func runValidate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseValidate(args, stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "stepwise validate:", err)
		}
		return exitUsage
	}
	return validateFiles(ctx, o, stdout, stderr)
}

// validationResult is the response shape of AWS's ValidateStateMachineDefinition.
type validationResult struct {
	Result      string          `json:"result"`
	Diagnostics asl.Diagnostics `json:"diagnostics"`
	Truncated   bool            `json:"truncated"`
}

func validateFiles(_ context.Context, o validateOptions, stdout, stderr io.Writer) int {
	code := exitOK
	for _, name := range o.files {
		data, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintf(stderr, "stepwise validate: %v\n", err)
			return exitUsage
		}
		diags := asl.Validate(data)
		if diags.HasErrors() {
			code = exitFail
		}
		if o.output == "json" {
			res := validationResult{Result: "OK", Diagnostics: diags}
			if res.Diagnostics == nil {
				res.Diagnostics = asl.Diagnostics{}
			}
			if diags.HasErrors() {
				res.Result = "FAIL"
			}
			out, _ := json.MarshalIndent(res, "", "  ")
			fmt.Fprintf(stdout, "%s\n", out)
			continue
		}
		printDiagnostics(stdout, name, diags)
	}
	return code
}

func printDiagnostics(w io.Writer, name string, diags asl.Diagnostics) {
	if len(diags) == 0 {
		fmt.Fprintf(w, "%s: OK\n", name)
		return
	}
	errs := len(diags.Errors())
	fmt.Fprintf(w, "%s: %s\n", name, plural(errs, "error")+", "+plural(len(diags)-errs, "warning"))
	for _, d := range diags {
		loc := d.Location
		if loc == "" {
			loc = "(definition)"
		}
		fmt.Fprintf(w, "  %-7s %s\n          %s [%s]\n", d.Severity, loc, d.Message, d.Code)
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
