package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"stepwise/jsonval"
)

// Case is one execution recorded against AWS. Its values are in the
// [jsonval] model. A Case is not modified after loading and may be shared.
type Case struct {
	// ID is the file's base name without ".json"; test names use it.
	ID string
	// Name says where the case comes from (the originating test).
	Name string
	// Definition is the state machine, parsed.
	Definition any
	// DefinitionJSON is the state machine as compact JSON text, with its
	// members in the file's order (duplicates, if any, kept).
	DefinitionJSON []byte
	// Input is the execution input.
	Input any
	// Mocks maps a Task state's name to how its invocations ended, in the
	// order the execution scheduled them (across Map iterations and
	// Parallel branches too). Nil for the asl suite.
	Mocks map[string][]Mock
	// Expected is what AWS recorded.
	Expected Expected
	// Recorded is when the case was recorded on AWS (meta.recorded_date),
	// or the zero time when the file does not say.
	Recorded time.Time
	// Type is the type of the state machine the case ran on,
	// TypeStandard or TypeExpress (meta.state_machine_type; Standard when
	// the file does not say). An Express case must run as an Express
	// execution: its context object, for one, differs.
	Type string
}

// The state machine types a case may have run on, as AWS names them.
const (
	TypeStandard = "STANDARD"
	TypeExpress  = "EXPRESS"
)

// Mock is how one recorded invocation of a Task state ended: exactly one of
// a result (HasReturn), an error (Throw) or no answer at all (Timeout).
type Mock struct {
	// Return is the task's result when HasReturn is set; for lambda:invoke
	// it is the whole Invoke response.
	Return    any
	HasReturn bool
	// Throw is the task's error, or nil.
	Throw *Throw
	// Timeout means the task never answered: the state's own
	// TimeoutSeconds or HeartbeatSeconds must fire.
	Timeout bool
	// Submitted is, when HasSubmitted is set, the output of the
	// TaskSubmitted event (.sync and .waitForTaskToken resources): what the
	// request returned before the execution waited.
	Submitted    any
	HasSubmitted bool
	// CauseReserialized means the recording stored the cause as parsed
	// JSON and Throw.Cause is it turned back into compact JSON text; such
	// causes compare as JSON values.
	CauseReserialized bool
}

// Throw is a task failure: its error name and cause.
type Throw struct {
	Error string
	Cause string
}

// Expected is the recorded outcome of a case.
type Expected struct {
	// Status is "SUCCEEDED" or "FAILED".
	Status string
	// Output is the execution output when HasOutput is set.
	Output    any
	HasOutput bool
	// Error is the execution's error name ("" when none was recorded) and
	// Cause its cause when HasCause is set.
	Error    string
	Cause    string
	HasCause bool
	// History is GetExecutionHistory's events as recorded, each an
	// *jsonval.Object; nil when no history was recorded.
	History []any
}

// file is the JSON form of a case file.
type file struct {
	Name       string                       `json:"name"`
	Definition json.RawMessage              `json:"definition"`
	Input      json.RawMessage              `json:"input"`
	Mocks      map[string][]json.RawMessage `json:"mocks"`
	Expected   map[string]json.RawMessage   `json:"expected"`
	Meta       json.RawMessage              `json:"meta"`
	Source     json.RawMessage              `json:"source"`
}

// SuiteDir returns the directory holding the cases of a recorded suite
// ("asl" or "asl-tasks") in the shared folder beside this repository, found
// from the location of this source file. It is meant for tests run from a
// checkout of the repository; commands take the directory as a flag.
func SuiteDir(suite string) string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return filepath.Join("..", "shared", "conformance", suite, "cases")
	}
	// file is .../main/internal/conformance/case.go.
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "conformance", suite, "cases")
}

// Load reads every *.json case in dir, sorted by ID. It fails on the first
// file that cannot be read or does not have the case format.
func Load(dir string) ([]Case, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("conformance: list %s: %w", dir, err)
	}
	cases := make([]Case, 0, len(paths))
	for _, p := range paths {
		c, err := LoadFile(p)
		if err != nil {
			return nil, err
		}
		cases = append(cases, c)
	}
	slices.SortFunc(cases, func(a, b Case) int { return strings.Compare(a.ID, b.ID) })
	return cases, nil
}

// LoadFile reads one case file.
func LoadFile(path string) (Case, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Case{}, fmt.Errorf("conformance: %w", err)
	}
	c, err := parseCase(data)
	if err != nil {
		return Case{}, fmt.Errorf("conformance: %s: %w", path, err)
	}
	c.ID = strings.TrimSuffix(filepath.Base(path), ".json")
	return c, nil
}

func parseCase(data []byte) (Case, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f file
	if err := dec.Decode(&f); err != nil {
		return Case{}, err
	}
	c := Case{Name: f.Name}
	if f.Definition == nil {
		return Case{}, fmt.Errorf("no definition")
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, f.Definition); err != nil {
		return Case{}, fmt.Errorf("definition: %w", err)
	}
	c.DefinitionJSON = buf.Bytes()
	var err error
	if c.Definition, err = jsonval.Parse(f.Definition); err != nil {
		return Case{}, fmt.Errorf("definition: %w", err)
	}
	if f.Input != nil {
		if c.Input, err = jsonval.Parse(f.Input); err != nil {
			return Case{}, fmt.Errorf("input: %w", err)
		}
	}
	if f.Mocks != nil {
		c.Mocks = make(map[string][]Mock, len(f.Mocks))
		for state, raws := range f.Mocks {
			mocks := make([]Mock, 0, len(raws))
			for i, raw := range raws {
				m, err := parseMock(raw)
				if err != nil {
					return Case{}, fmt.Errorf("mocks[%q][%d]: %w", state, i, err)
				}
				mocks = append(mocks, m)
			}
			c.Mocks[state] = mocks
		}
	}
	if c.Expected, err = parseExpected(f.Expected); err != nil {
		return Case{}, fmt.Errorf("expected: %w", err)
	}
	if c.Recorded, c.Type, err = readMeta(f.Meta); err != nil {
		return Case{}, fmt.Errorf("meta: %w", err)
	}
	return c, nil
}

func parseMock(raw json.RawMessage) (Mock, error) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return Mock{}, err
	}
	var m Mock
	var err error
	for k, v := range members {
		switch k {
		case "Return":
			m.HasReturn = true
			m.Return, err = jsonval.Parse(v)
		case "Submitted":
			m.HasSubmitted = true
			m.Submitted, err = jsonval.Parse(v)
		case "Throw":
			var t struct{ Error, Cause string }
			err = json.Unmarshal(v, &t)
			m.Throw = &Throw{Error: t.Error, Cause: t.Cause}
		case "Timeout":
			err = json.Unmarshal(v, &m.Timeout)
		case "CauseReserialized":
			err = json.Unmarshal(v, &m.CauseReserialized)
		default:
			err = fmt.Errorf("unknown member %q", k)
		}
		if err != nil {
			return Mock{}, fmt.Errorf("%s: %w", k, err)
		}
	}
	n := 0
	for _, b := range []bool{m.HasReturn, m.Throw != nil, m.Timeout} {
		if b {
			n++
		}
	}
	if n != 1 {
		return Mock{}, fmt.Errorf("want exactly one of Return, Throw, Timeout; have %d", n)
	}
	return m, nil
}

func parseExpected(members map[string]json.RawMessage) (Expected, error) {
	var e Expected
	var err error
	for k, v := range members {
		switch k {
		case "status":
			err = json.Unmarshal(v, &e.Status)
		case "output":
			e.HasOutput = true
			e.Output, err = jsonval.Parse(v)
		case "error":
			err = json.Unmarshal(v, &e.Error)
		case "cause":
			e.HasCause = true
			err = json.Unmarshal(v, &e.Cause)
		case "history":
			var h any
			if h, err = jsonval.Parse(v); err == nil {
				var ok bool
				if e.History, ok = h.([]any); !ok {
					err = fmt.Errorf("not an array")
				}
			}
		case "describe_execution":
			// Recorded for one case only; the other members say the same.
		default:
			err = fmt.Errorf("unknown member")
		}
		if err != nil {
			return Expected{}, fmt.Errorf("%s: %w", k, err)
		}
	}
	if e.Status != "SUCCEEDED" && e.Status != "FAILED" {
		return Expected{}, fmt.Errorf("status %q", e.Status)
	}
	for i, ev := range e.History {
		if _, ok := ev.(*jsonval.Object); !ok {
			return Expected{}, fmt.Errorf("history[%d]: not an object", i)
		}
	}
	return e, nil
}

// readMeta reads meta.recorded_date ("24-10-2023, 17:18:16", UTC; the
// zero time when absent) and meta.state_machine_type (TypeStandard when
// absent).
func readMeta(meta json.RawMessage) (time.Time, string, error) {
	if meta == nil {
		return time.Time{}, TypeStandard, nil
	}
	var m struct {
		RecordedDate     string `json:"recorded_date"`
		StateMachineType string `json:"state_machine_type"`
	}
	if err := json.Unmarshal(meta, &m); err != nil {
		return time.Time{}, "", err
	}
	typ := TypeStandard
	switch m.StateMachineType {
	case "", TypeStandard:
	case TypeExpress:
		typ = TypeExpress
	default:
		return time.Time{}, "", fmt.Errorf("state_machine_type %q", m.StateMachineType)
	}
	if m.RecordedDate == "" {
		return time.Time{}, typ, nil
	}
	t, err := time.Parse("02-01-2006, 15:04:05", m.RecordedDate)
	if err != nil {
		return time.Time{}, "", fmt.Errorf("recorded_date: %w", err)
	}
	return t, typ, nil
}
