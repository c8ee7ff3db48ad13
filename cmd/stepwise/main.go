// Command stepwise runs, validates and serves AWS Step Functions state
// machines written in the Amazon States Language.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes shared by every subcommand.
const (
	exitOK    = 0 // success
	exitFail  = 1 // the command ran and found a failure (invalid definition, failed execution)
	exitUsage = 2 // bad usage: unknown command, bad flags, unreadable files
)

const usage = `stepwise runs AWS Step Functions state machines outside AWS.

Usage:
  stepwise run FILE [--input JSON|@FILE] [--history] [--fast-time]
                                                    run one execution in-process and print its result
  stepwise test [DIR] [--run REGEXP]                run a folder of workflow tests with mocked tasks ('stepwise test -h')
  stepwise validate [--output text|json] FILE...   check definitions like AWS's ValidateStateMachineDefinition
  stepwise conformance DIR                          run recorded AWS executions (../shared/conformance format)
  stepwise graph [--format mermaid|dot] FILE        print a definition's graph as a Mermaid flowchart or Graphviz DOT
  stepwise server [--listen ADDR] [--store sqlite|postgres|memory] [--credentials-file FILE]
                                                    serve the AWS Step Functions API (default 127.0.0.1:8083)
  stepwise version                                  print the version

Run 'stepwise COMMAND -h' for the flags of a command.
`

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	applyMemoryLimit(os.Getenv, os.DirFS("/"))
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches to a subcommand and returns the process exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "validate":
		return runValidate(ctx, args[1:], stdout, stderr)
	case "run":
		return runRun(ctx, args[1:], stdout, stderr)
	case "conformance":
		return runConformance(ctx, args[1:], stdout, stderr)
	case "test":
		return runTest(ctx, args[1:], stdout, stderr)
	case "server":
		return runServer(ctx, args[1:], stdout, stderr)
	case "graph":
		return runGraph(ctx, args[1:], stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "stepwise", version)
		return exitOK
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "stepwise: unknown command %q\n\n%s", args[0], usage)
		return exitUsage
	}
}
