package conformance

import "fmt"

// Result compares how an execution ended with c's expected outcome: the
// status ("SUCCEEDED", "FAILED", ...), and then the output for a success,
// or the error name and cause for a failure (errName and cause are "" when
// the execution had none). Output compares as a JSON value; the cause as a
// payload (see the package doc). It returns "" when they match, or the
// first difference.
func (m *Matcher) Result(c Case, status string, output any, errName, cause string) string {
	exp := c.Expected
	if status != exp.Status {
		return fmt.Sprintf("status: expected %s, got %s", exp.Status, status)
	}
	if status == "SUCCEEDED" {
		if exp.HasOutput {
			if d := m.Value(exp.Output, output); d != "" {
				return "output " + d
			}
		}
		return ""
	}
	if d := m.try(func() string { return m.str("", exp.Error, errName) }); d != "" {
		return "error " + d
	}
	if !exp.HasCause {
		if cause != "" {
			return fmt.Sprintf("cause: expected none, got %s", show(cause))
		}
		return ""
	}
	if d := m.try(func() string { return m.payload("", exp.Cause, cause) }); d != "" {
		return "cause " + d
	}
	return ""
}
