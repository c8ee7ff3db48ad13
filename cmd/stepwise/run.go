package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"stepwise/asl"
	"stepwise/engine"
	"stepwise/history"
	"stepwise/jsonval"
	"stepwise/loop"
	"stepwise/runtime"
	"stepwise/service"
	"stepwise/tasks"
	"stepwise/tasks/mock"
)

// Defaults for the identity of local executions, as in DESIGN.md.
const (
	defaultRegion  = "us-east-1"
	defaultAccount = "123456789012"
)

type runOptions struct {
	file     string
	input    string // JSON text, or @path
	name     string // state machine name; default from the file name
	history  bool
	fastTime bool
	typ      string // STANDARD or EXPRESS, as AWS's state machine type

	mockConfig string // Step Functions Local mock configuration file
	testCase   string // test case of mockConfig to run
	invokers   invokerOptions
}

// parseInterspersed parses flags that may come before or after the
// positional arguments ("stepwise run FILE --input X").
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

func parseRun(args []string, stderr io.Writer) (runOptions, error) {
	fs := flag.NewFlagSet("stepwise run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o runOptions
	fs.StringVar(&o.input, "input", "{}", "execution input: JSON text, or @FILE to read it from a file")
	fs.StringVar(&o.name, "name", "", "state machine name (default: the file name without .asl.json or .json)")
	fs.BoolVar(&o.history, "history", false, "print the execution's history events too")
	fs.BoolVar(&o.fastTime, "fast-time", false, "do not wait for Wait states, retry intervals and timeouts in real time")
	o.typ = typeStandard
	fs.Func("type", "state machine `TYPE` to run the definition as: STANDARD or EXPRESS, as AWS spells them (default STANDARD)", func(v string) error {
		if v != typeStandard && v != typeExpress {
			// AWS's CreateStateMachine error for the same value, verbatim.
			//lint:ignore ST1005 the message is AWS's, capital included
			return fmt.Errorf("Value '%s' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]", v)
		}
		o.typ = v
		return nil
	})
	fs.StringVar(&o.mockConfig, "mock-config", "", "Step Functions Local mock configuration `FILE` (MockConfigFile.json) answering Task states")
	fs.StringVar(&o.testCase, "test-case", "", "`NAME` of the test case of --mock-config to run, under the state machine's name")
	o.invokers.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: stepwise run FILE [--input JSON|@FILE] [--type STANDARD|EXPRESS] [--history] [--fast-time] [--name NAME]")
		fmt.Fprintln(stderr, "                      [--mock-config FILE --test-case NAME] [--lambda-config FILE] [--lambda-endpoint URL] [--http-connections FILE]")
		fmt.Fprintln(stderr, "\nRuns one execution of the state machine in FILE in-process and prints its result as JSON.")
		fmt.Fprintln(stderr, "Exit status: 0 when the execution succeeded, 1 when it failed, 2 on bad usage or an invalid definition.")
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return o, err
	}
	if len(pos) != 1 {
		fs.Usage()
		return o, errors.New("expected exactly one definition file")
	}
	o.file = pos[0]
	if (o.mockConfig == "") != (o.testCase == "") {
		return o, errMockFlags
	}
	if o.name == "" {
		base := filepath.Base(o.file)
		base = strings.TrimSuffix(base, ".json")
		o.name = strings.TrimSuffix(base, ".asl")
	}
	return o, nil
}

func runRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseRun(args, stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "stepwise run:", err)
		}
		return exitUsage
	}
	def, input, err := loadRun(o)
	if err != nil {
		fmt.Fprintln(stderr, "stepwise run:", err)
		return exitUsage
	}
	// A Lambda command's stderr goes to the user's stderr, as the server
	// logs it; stdout keeps only the result.
	o.invokers.logger = slog.New(slog.NewTextHandler(stderr, nil))
	inv, err := o.invokers.build()
	if err != nil {
		fmt.Fprintln(stderr, "stepwise run:", err)
		return exitUsage
	}
	defer closeInvoker(inv)
	var mocks *mock.Invoker
	if o.mockConfig != "" {
		cfg, err := loadMocks(o.mockConfig)
		if err != nil {
			fmt.Fprintln(stderr, "stepwise run:", err)
			return exitUsage
		}
		if mocks, err = cfg.Invoker(o.name, o.testCase, nil); err != nil {
			fmt.Fprintln(stderr, "stepwise run:", err)
			return exitUsage
		}
	}
	// Nested executions start the definitions beside FILE, by name.
	machines, _, err := loadMachines(filepath.Dir(o.file))
	if err != nil {
		fmt.Fprintln(stderr, "stepwise run:", err)
		return exitUsage
	}
	machines[o.name] = def
	m := engine.NewMachine(def, engine.Options{NoHistory: !o.history})
	exec := localExecution(o.name, input)
	// Parent and children run on one clock, so that a child's Wait moves
	// the parent's time under --fast-time as it does on AWS.
	opts := runtime.LocalOptions{Clock: loop.Real(nil), Seed: runtime.RandomSeed()}
	if o.fastTime {
		opts.Clock = loop.Fast(nil)
	}
	express := o.typ == typeExpress
	if express {
		exec.ARN = expressARN(o.name, exec.Name)
		exec.Express = true
	}
	opts.Invocations = localInvoker(machines, inv, mocks, opts, express)
	res, err := runtime.RunLocal(ctx, m, exec, opts)
	if err != nil && res.Status == "" {
		fmt.Fprintln(stderr, "stepwise run:", err)
		return exitFail
	}
	if err := printResult(stdout, res, o.history); err != nil {
		fmt.Fprintln(stderr, "stepwise run:", err)
		return exitFail
	}
	if res.Status != engine.StatusSucceeded {
		return exitFail
	}
	return exitOK
}

func loadRun(o runOptions) (*asl.StateMachine, any, error) {
	data, err := os.ReadFile(o.file)
	if err != nil {
		return nil, nil, err
	}
	def, err := asl.Parse(data)
	if err != nil {
		var ide *asl.InvalidDefinitionError
		if errors.As(err, &ide) {
			var b strings.Builder
			fmt.Fprintf(&b, "%s is not a valid state machine:", o.file)
			for _, d := range ide.Diagnostics {
				fmt.Fprintf(&b, "\n  %s", d)
			}
			return nil, nil, errors.New(b.String())
		}
		return nil, nil, err
	}
	text := o.input
	if name, ok := strings.CutPrefix(text, "@"); ok {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, nil, fmt.Errorf("read input: %w", err)
		}
		text = string(b)
	}
	input, err := jsonval.ParseString(text)
	if err != nil {
		return nil, nil, fmt.Errorf("--input is not valid JSON: %w", err)
	}
	return def, input, nil
}

// State machine types, as AWS spells them.
const (
	typeStandard = "STANDARD"
	typeExpress  = "EXPRESS"
)

// expressARN is the ARN of an Express execution named name, as AWS and
// the server give it: arn:aws:states:REGION:ACCOUNT:express:MACHINE:NAME:ID.
func expressARN(machine, name string) string {
	return fmt.Sprintf("arn:aws:states:%s:%s:express:%s:%s:%s", defaultRegion, defaultAccount, machine, name, runtime.NewUUID())
}

// localExecution names an in-process execution like an AWS one.
func localExecution(machine string, input any) engine.Execution {
	id := runtime.NewUUID()
	smARN := fmt.Sprintf("arn:aws:states:%s:%s:stateMachine:%s", defaultRegion, defaultAccount, machine)
	return engine.Execution{
		ARN:              fmt.Sprintf("arn:aws:states:%s:%s:execution:%s:%s", defaultRegion, defaultAccount, machine, id),
		Name:             id,
		StateMachineARN:  smARN,
		StateMachineName: machine,
		RoleARN:          fmt.Sprintf("arn:aws:iam::%s:role/StepwiseExecutionRole", defaultAccount),
		Region:           defaultRegion,
		Input:            input,
	}
}

// printResult writes the result object: status, and output or error and
// cause, and the history when asked.
func printResult(w io.Writer, res runtime.LocalResult, withHistory bool) error {
	out := jsonval.NewObject(5)
	out.Set("status", string(res.Status))
	if res.Status == engine.StatusSucceeded {
		out.Set("output", res.Output)
	} else {
		out.Set("error", res.Error)
		out.Set("cause", res.Cause)
	}
	if withHistory {
		events, err := historyValues(res.Events)
		if err != nil {
			return err
		}
		out.Set("history", events)
	}
	text, err := jsonval.Marshal(out)
	if err != nil {
		return err
	}
	var pretty strings.Builder
	if err := indent(&pretty, text); err != nil {
		return err
	}
	_, err = fmt.Fprintln(w, pretty.String())
	return err
}

func historyValues(events []history.Event) ([]any, error) {
	out := make([]any, 0, len(events))
	for i := range events {
		b, err := events[i].MarshalJSON()
		if err != nil {
			return nil, err
		}
		v, err := jsonval.Parse(b)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func indent(w *strings.Builder, text []byte) error {
	var buf bytes.Buffer
	if err := json.Indent(&buf, text, "", "  "); err != nil {
		return err
	}
	w.Write(buf.Bytes())
	return nil
}

// loadMachines parses the definitions NAME.asl.json of a folder, by NAME;
// those that do not parse are returned apart with their errors.
func loadMachines(dir string) (map[string]*asl.StateMachine, map[string]error, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.asl.json"))
	if err != nil {
		return nil, nil, err
	}
	machines, invalid := map[string]*asl.StateMachine{}, map[string]error{}
	for _, p := range paths {
		name := strings.TrimSuffix(filepath.Base(p), ".asl.json")
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, nil, err
		}
		if sm, err := asl.Parse(data); err != nil {
			invalid[name] = err
		} else {
			machines[name] = sm
		}
	}
	return machines, invalid, nil
}

// localInvoker carries out the invocations of an in-process run: the
// states its test case mocks from their mocked responses, whatever their
// resource, then states:startExecution tasks with children of machines,
// then everything else with next. The mocks come first by the rule of
// [mock.Invoker.Before], which the server follows too; mocks may be nil.
// An express run starts children with the request-response pattern only.
// Children run with opts, on its clock.
func localInvoker(machines map[string]*asl.StateMachine, next tasks.Invoker, mocks *mock.Invoker, opts runtime.LocalOptions, express bool) loop.Invoker {
	inv := nestedLocal(machines, next, opts)
	inv.Express = express
	if mocks == nil {
		return inv
	}
	return runtime.MockedFirst(mocks, inv)
}

// nestedLocal carries out states:startExecution tasks of an in-process
// run with executions of these machines (see runtime.LocalNested), with
// the StartExecution action's checks, and every other task with next.
func nestedLocal(machines map[string]*asl.StateMachine, next tasks.Invoker, opts runtime.LocalOptions) *runtime.LocalNested {
	ms := make(map[string]*engine.Machine, len(machines))
	for name, sm := range machines {
		ms[name] = engine.NewMachine(sm, engine.Options{NoHistory: true})
	}
	return &runtime.LocalNested{Machines: ms, Next: runtime.TaskInvoker(next), Region: defaultRegion, Account: defaultAccount,
		Options: opts, Rules: service.StartRules()}
}
