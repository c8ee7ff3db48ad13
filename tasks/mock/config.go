package mock

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"stepwise/jsonval"
	"stepwise/tasks"
)

// Config is a parsed mock configuration file. It is immutable and safe
// for concurrent use.
type Config struct {
	// machines holds each state machine's test cases: state name to
	// response name.
	machines  map[string]map[string]map[string]string
	responses map[string][]step
}

// step is the response to invocations From..To (inclusive).
type step struct {
	From, To int
	Return   any
	Throw    *tasks.Error // nil for a Return
}

// Parse reads a mock configuration file. It checks the whole file: every
// invocation key is a number or a range, every response has exactly one
// of Return and Throw, and every response a test case names exists.
func Parse(data []byte) (*Config, error) {
	v, err := jsonval.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("mock config: %w", err)
	}
	root, ok := v.(*jsonval.Object)
	if !ok {
		return nil, errors.New("mock config: not a JSON object")
	}
	c := &Config{machines: map[string]map[string]map[string]string{}, responses: map[string][]step{}}
	if mr, ok := get(root, "MockedResponses"); ok {
		o, ok := mr.(*jsonval.Object)
		if !ok {
			return nil, errors.New("mock config: MockedResponses is not an object")
		}
		for name, r := range o.All() {
			steps, err := parseResponse(r)
			if err != nil {
				return nil, fmt.Errorf("mock config: MockedResponses.%s: %w", name, err)
			}
			c.responses[name] = steps
		}
	}
	sms, _ := get(root, "StateMachines")
	smo, ok := sms.(*jsonval.Object)
	if !ok {
		return nil, errors.New("mock config: StateMachines is missing or not an object")
	}
	for machine, m := range smo.All() {
		mo, _ := m.(*jsonval.Object)
		tcs, _ := get(mo, "TestCases")
		tco, ok := tcs.(*jsonval.Object)
		if !ok {
			return nil, fmt.Errorf("mock config: StateMachines.%s.TestCases is missing or not an object", machine)
		}
		cases := map[string]map[string]string{}
		for tc, states := range tco.All() {
			so, ok := states.(*jsonval.Object)
			if !ok {
				return nil, fmt.Errorf("mock config: test case %s.%s is not an object", machine, tc)
			}
			mapping := map[string]string{}
			for state, resp := range so.All() {
				name, ok := resp.(string)
				if !ok {
					return nil, fmt.Errorf("mock config: %s.%s.%s: the response name is not a string", machine, tc, state)
				}
				if _, ok := c.responses[name]; !ok {
					return nil, fmt.Errorf("mock config: %s.%s.%s: no mocked response named %q", machine, tc, state, name)
				}
				mapping[state] = name
			}
			cases[tc] = mapping
		}
		c.machines[machine] = cases
	}
	return c, nil
}

func get(o *jsonval.Object, k string) (any, bool) {
	if o == nil {
		return nil, false
	}
	return o.Get(k)
}

func parseResponse(r any) ([]step, error) {
	o, ok := r.(*jsonval.Object)
	if !ok || o.Len() == 0 {
		return nil, errors.New("not an object of invocation numbers")
	}
	var steps []step
	for key, v := range o.All() {
		from, to, err := parseRange(key)
		if err != nil {
			return nil, err
		}
		s := step{From: from, To: to}
		body, ok := v.(*jsonval.Object)
		if !ok {
			return nil, fmt.Errorf("%s: not an object", key)
		}
		ret, hasReturn := body.Get("Return")
		thr, hasThrow := body.Get("Throw")
		switch {
		case hasReturn == hasThrow:
			return nil, fmt.Errorf("%s: needs exactly one of Return and Throw", key)
		case hasReturn:
			s.Return = ret
		default:
			to, ok := thr.(*jsonval.Object)
			errName, _ := get(to, "Error")
			cause, _ := get(to, "Cause")
			en, ok1 := errName.(string)
			cs, ok2 := cause.(string)
			if !ok || !ok1 || (cause != nil && !ok2) {
				return nil, fmt.Errorf("%s: Throw needs a string Error and an optional string Cause", key)
			}
			s.Throw = &tasks.Error{Name: en, Cause: cs}
		}
		steps = append(steps, s)
	}
	slices.SortFunc(steps, func(a, b step) int { return a.From - b.From })
	for i := 1; i < len(steps); i++ {
		if steps[i].From <= steps[i-1].To {
			return nil, fmt.Errorf("invocations %d-%d and %d-%d overlap", steps[i-1].From, steps[i-1].To, steps[i].From, steps[i].To)
		}
	}
	return steps, nil
}

// parseRange reads "N" or "N-M".
func parseRange(key string) (int, int, error) {
	a, b, isRange := strings.Cut(key, "-")
	from, err := strconv.Atoi(a)
	if err != nil || from < 0 {
		return 0, 0, fmt.Errorf("%q is not an invocation number or range", key)
	}
	if !isRange {
		return from, from, nil
	}
	to, err := strconv.Atoi(b)
	if err != nil || to < from {
		return 0, 0, fmt.Errorf("%q is not an invocation number or range", key)
	}
	return from, to, nil
}

// TestCases returns the names of the test cases of machine, sorted; nil
// when the file has no such state machine.
func (c *Config) TestCases(machine string) []string {
	cases, ok := c.machines[machine]
	if !ok {
		return nil
	}
	names := make([]string, 0, len(cases))
	for n := range cases {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// ErrUnknownTestCase is returned by [Config.Invoker] when the file has no
// such state machine or test case.
var ErrUnknownTestCase = errors.New("mock: no such test case")
