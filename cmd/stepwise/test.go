package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"stepwise/asl"
	"stepwise/engine"
	"stepwise/history"
	"stepwise/jsonval"
	"stepwise/loop"
	"stepwise/runtime"
	"stepwise/tasks"
	"stepwise/tasks/mock"
)

// testUsage documents the layout of a test folder.
const testUsage = `Usage: stepwise test [DIR] [--run REGEXP] [--lambda-config FILE] [--lambda-endpoint URL] [--http-connections FILE]

Runs the workflow tests in DIR (default: the current directory) in-process,
with fast time, and reports one line per test. Exit status: 0 when every
test passed, 1 when one failed, 2 on bad usage or an unreadable folder.

DIR holds:
  NAME.asl.json          state machine definitions; NAME is the state machine's name
  MockConfigFile.json    optional: mocked Task responses, in AWS Step Functions Local's format
  lambda.json            optional: how Lambda functions run (local commands run in DIR);
                         used unless --lambda-config is given
  tests.json, *.test.json
                         the tests: {"Tests": [TEST, ...]}, each TEST an object with
    Name           optional; default STATEMACHINE/TESTCASE
    StateMachine   the NAME of a definition; optional when DIR has only one
    TestCase       optional: a test case of MockConfigFile.json for this state machine
    Input          the execution input; default {}
    Status         the expected status; default SUCCEEDED
    Output         optional: the expected output (compared as JSON values)
    Error, Cause   optional: the expected error and cause of a failed execution
    StatesVisited  optional: state names that must be entered, in this order
`

type testOptions struct {
	dir      string
	run      *regexp.Regexp
	invokers invokerOptions
}

// workflowTest is one entry of a tests file.
type workflowTest struct {
	Name          string
	StateMachine  string
	TestCase      string
	Input         json.RawMessage
	Status        string
	Output        json.RawMessage
	Error         *string
	Cause         *string
	StatesVisited []string

	file string // the tests file it came from
}

func parseTest(args []string, stderr io.Writer) (testOptions, error) {
	fs := flag.NewFlagSet("stepwise test", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o testOptions
	runPattern := fs.String("run", "", "run only the tests whose name matches `REGEXP`")
	o.invokers.register(fs)
	fs.Usage = func() {
		fmt.Fprint(stderr, testUsage)
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return o, err
	}
	switch len(pos) {
	case 0:
		o.dir = "."
	case 1:
		o.dir = pos[0]
	default:
		fs.Usage()
		return o, errors.New("expected at most one folder")
	}
	if *runPattern != "" {
		if o.run, err = regexp.Compile(*runPattern); err != nil {
			return o, fmt.Errorf("--run: %w", err)
		}
	}
	if o.invokers.lambdaConfig == "" {
		if p := filepath.Join(o.dir, "lambda.json"); fileExists(p) {
			o.invokers.lambdaConfig = p
		}
	}
	return o, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func runTest(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseTest(args, stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "stepwise test:", err)
		}
		return exitUsage
	}
	suite, err := loadSuite(o)
	if err != nil {
		fmt.Fprintln(stderr, "stepwise test:", err)
		return exitUsage
	}
	defer closeInvoker(suite.invoker)
	passed, failed := 0, 0
	for _, tt := range suite.tests {
		if o.run != nil && !o.run.MatchString(tt.Name) {
			continue
		}
		start := time.Now()
		problems := suite.run(ctx, tt)
		took := time.Since(start).Round(time.Millisecond)
		if len(problems) == 0 {
			passed++
			fmt.Fprintf(stdout, "PASS  %s (%v)\n", tt.Name, took)
			continue
		}
		failed++
		fmt.Fprintf(stdout, "FAIL  %s (%v)\n", tt.Name, took)
		for _, p := range problems {
			fmt.Fprintf(stdout, "        %s\n", strings.ReplaceAll(p, "\n", "\n        "))
		}
		if ctx.Err() != nil {
			break
		}
	}
	switch {
	case failed > 0:
		fmt.Fprintf(stdout, "FAIL: %d of %d tests failed\n", failed, passed+failed)
		return exitFail
	case passed == 0:
		fmt.Fprintln(stdout, "no tests to run")
		return exitOK
	}
	fmt.Fprintf(stdout, "ok: %s passed\n", plural(passed, "test"))
	return exitOK
}

// suite is a loaded test folder.
type suite struct {
	machines map[string]*asl.StateMachine
	invalid  map[string]error // definitions that did not parse
	mocks    *mock.Config     // nil without MockConfigFile.json
	invoker  tasks.Invoker
	tests    []*workflowTest
}

func loadSuite(o testOptions) (*suite, error) {
	s := &suite{}
	var err error
	if s.machines, s.invalid, err = loadMachines(o.dir); err != nil {
		return nil, err
	}
	if len(s.machines)+len(s.invalid) == 0 {
		return nil, fmt.Errorf("%s has no *.asl.json definitions", o.dir)
	}
	if p := filepath.Join(o.dir, "MockConfigFile.json"); fileExists(p) {
		if s.mocks, err = loadMocks(p); err != nil {
			return nil, err
		}
	}
	if s.invoker, err = o.invokers.build(); err != nil {
		return nil, err
	}
	files, _ := filepath.Glob(filepath.Join(o.dir, "*.test.json"))
	if p := filepath.Join(o.dir, "tests.json"); fileExists(p) {
		files = append([]string{p}, files...)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s has no tests.json or *.test.json", o.dir)
	}
	for _, p := range files {
		if err := s.readTests(p); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *suite) readTests(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var f struct{ Tests []*workflowTest }
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for i, tt := range f.Tests {
		tt.file = path
		if tt.StateMachine == "" {
			if len(s.machines)+len(s.invalid) != 1 {
				return fmt.Errorf("%s: test %d needs a StateMachine: the folder has several definitions", path, i+1)
			}
			for n := range s.machines {
				tt.StateMachine = n
			}
			for n := range s.invalid {
				tt.StateMachine = n
			}
		}
		if tt.Name == "" {
			tt.Name = tt.StateMachine + "/" + tt.TestCase
			if tt.TestCase == "" {
				tt.Name = fmt.Sprintf("%s/%d", tt.StateMachine, i+1)
			}
		}
		if tt.Status == "" {
			tt.Status = string(engine.StatusSucceeded)
		}
		s.tests = append(s.tests, tt)
	}
	return nil
}

// testTimeout bounds one test, so that a hung local command fails a test
// instead of the whole run.
const testTimeout = 5 * time.Minute

// run runs one test and returns what went wrong, if anything.
func (s *suite) run(ctx context.Context, tt *workflowTest) []string {
	if err, ok := s.invalid[tt.StateMachine]; ok {
		return []string{fmt.Sprintf("%s.asl.json is not a valid state machine: %v", tt.StateMachine, err)}
	}
	sm, ok := s.machines[tt.StateMachine]
	if !ok {
		return []string{fmt.Sprintf("no state machine %s (%s.asl.json)", tt.StateMachine, tt.StateMachine)}
	}
	var mocks *mock.Invoker
	if tt.TestCase != "" {
		if s.mocks == nil {
			return []string{"TestCase " + tt.TestCase + " needs a MockConfigFile.json"}
		}
		var err error
		if mocks, err = s.mocks.Invoker(tt.StateMachine, tt.TestCase, nil); err != nil {
			return []string{err.Error()}
		}
	}
	var input any = jsonval.NewObject(0)
	if len(tt.Input) > 0 {
		var err error
		if input, err = jsonval.Parse(tt.Input); err != nil {
			return []string{"Input: " + err.Error()}
		}
	}
	ctx, cancel := context.WithTimeout(ctx, testTimeout)
	defer cancel()
	// Parent and children share one fast clock.
	opts := runtime.LocalOptions{Clock: loop.Fast(nil), Seed: runtime.RandomSeed()}
	opts.Invocations = localInvoker(s.machines, s.invoker, mocks, opts, false)
	res, err := runtime.RunLocal(ctx, engine.NewMachine(sm, engine.Options{}), localExecution(tt.StateMachine, input), opts)
	if err != nil && res.Status == "" {
		return []string{"the execution did not run: " + err.Error()}
	}
	return check(tt, res, err)
}

// check compares an execution's result with a test's expectations.
func check(tt *workflowTest, res runtime.LocalResult, runErr error) []string {
	var problems []string
	if string(res.Status) != tt.Status {
		p := fmt.Sprintf("status: want %s, got %s", tt.Status, res.Status)
		if res.Status != engine.StatusSucceeded {
			p += fmt.Sprintf("\n  error: %s\n  cause: %s", res.Error, res.Cause)
		}
		if runErr != nil {
			p += "\n  " + runErr.Error()
		}
		return append(problems, p)
	}
	if len(tt.Output) > 0 {
		want, err := jsonval.Parse(tt.Output)
		if err != nil {
			return append(problems, "Output: "+err.Error())
		}
		if diffs := diffJSON("$", want, res.Output, nil); len(diffs) > 0 {
			problems = append(problems, "output differs:")
			for _, d := range diffs {
				problems = append(problems, "  "+d)
			}
		}
	}
	if tt.Error != nil && *tt.Error != res.Error {
		problems = append(problems, fmt.Sprintf("error: want %q, got %q", *tt.Error, res.Error))
	}
	if tt.Cause != nil && *tt.Cause != res.Cause {
		problems = append(problems, fmt.Sprintf("cause: want %q, got %q", *tt.Cause, res.Cause))
	}
	if len(tt.StatesVisited) > 0 {
		visited := statesEntered(res.Events)
		if !isSubsequence(tt.StatesVisited, visited) {
			problems = append(problems, fmt.Sprintf("states visited: want %s in this order, got %s",
				strings.Join(tt.StatesVisited, " → "), strings.Join(visited, " → ")))
		}
	}
	return problems
}

func statesEntered(events []history.Event) []string {
	var names []string
	for _, ev := range events {
		if d, ok := ev.Details.(*history.StateEnteredEventDetails); ok {
			names = append(names, d.Name)
		}
	}
	return names
}

// isSubsequence reports whether want appears in got in order, not
// necessarily next to each other.
func isSubsequence(want, got []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}

// maxDiffs bounds the differences reported per test.
const maxDiffs = 10

// diffJSON appends the differences between want and got under path,
// one line each, naming the JSONPath of each.
func diffJSON(path string, want, got any, out []string) []string {
	if len(out) >= maxDiffs {
		return out
	}
	wo, wok := want.(*jsonval.Object)
	gobj, gok := got.(*jsonval.Object)
	if wok && gok {
		for k, wv := range wo.All() {
			gv, ok := gobj.Get(k)
			if !ok {
				out = append(out, fmt.Sprintf("%s: missing, want %s", childPath(path, k), short(wv)))
				continue
			}
			out = diffJSON(childPath(path, k), wv, gv, out)
		}
		for k, gv := range gobj.All() {
			if !wo.Has(k) {
				out = append(out, fmt.Sprintf("%s: unexpected %s", childPath(path, k), short(gv)))
			}
		}
		return out
	}
	wa, wok := want.([]any)
	ga, gok := got.([]any)
	if wok && gok {
		if len(wa) != len(ga) {
			out = append(out, fmt.Sprintf("%s: want %d elements, got %d: %s", path, len(wa), len(ga), short(got)))
		}
		for i := range min(len(wa), len(ga)) {
			out = diffJSON(fmt.Sprintf("%s[%d]", path, i), wa[i], ga[i], out)
		}
		return out
	}
	if !jsonval.Equal(want, got) {
		out = append(out, fmt.Sprintf("%s: want %s, got %s", path, short(want), short(got)))
	}
	return out
}

func childPath(path, key string) string {
	if regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`).MatchString(key) {
		return path + "." + key
	}
	return path + "[" + jsonval.MustMarshalString(key) + "]"
}

// short renders a value as JSON, cut to a readable length.
func short(v any) string {
	s, err := jsonval.MarshalString(v)
	if err != nil {
		s = fmt.Sprint(v)
	}
	if r := []rune(s); len(r) > 120 {
		s = string(r[:117]) + "..."
	}
	return s
}
