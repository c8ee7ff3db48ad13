package history

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"strconv"
	"time"

	"stepwise/jsonval"
)

// Event is one execution history event, AWS's HistoryEvent: the envelope
// every event shares and exactly one details pointer, the one
// [DetailsField] names for its Type (or none for the types without
// details). [Event.Validate] checks this.
//
// Its JSON form is GetExecutionHistory's: timestamp as epoch seconds with a
// millisecond fraction, "type", "id", "previousEventId" (always written,
// 0 when there is none) and the details member under AWS's name.
type Event struct {
	// Timestamp is when the event happened. It is written with millisecond
	// precision; finer precision is dropped.
	Timestamp time.Time
	// Type is the event type.
	Type EventType
	// ID numbers the events of an execution from 1.
	ID int64
	// PreviousEventID is the id of the event this one follows from, 0 for
	// none.
	PreviousEventID int64
	// Details is the one details block of the event, a pointer to the type
	// [DetailsField] names for Type (for example *[StateEnteredEventDetails]
	// for a TaskStateEntered event), or nil for the types without details.
	// One field rather than one per details type keeps an Event small: an
	// execution's events are built, copied and stored in bulk.
	Details Details
}

// Details is implemented by the details types of history events.
type Details interface {
	isDetails()
}

func (*ActivityFailedEventDetails) isDetails()               {}
func (*ActivityScheduleFailedEventDetails) isDetails()       {}
func (*ActivityScheduledEventDetails) isDetails()            {}
func (*ActivityStartedEventDetails) isDetails()              {}
func (*ActivitySucceededEventDetails) isDetails()            {}
func (*ActivityTimedOutEventDetails) isDetails()             {}
func (*EvaluationFailedEventDetails) isDetails()             {}
func (*ExecutionAbortedEventDetails) isDetails()             {}
func (*ExecutionFailedEventDetails) isDetails()              {}
func (*ExecutionRedrivenEventDetails) isDetails()            {}
func (*ExecutionStartedEventDetails) isDetails()             {}
func (*ExecutionSucceededEventDetails) isDetails()           {}
func (*ExecutionTimedOutEventDetails) isDetails()            {}
func (*LambdaFunctionFailedEventDetails) isDetails()         {}
func (*LambdaFunctionScheduleFailedEventDetails) isDetails() {}
func (*LambdaFunctionScheduledEventDetails) isDetails()      {}
func (*LambdaFunctionStartFailedEventDetails) isDetails()    {}
func (*LambdaFunctionSucceededEventDetails) isDetails()      {}
func (*LambdaFunctionTimedOutEventDetails) isDetails()       {}
func (*MapIterationEventDetails) isDetails()                 {}
func (*MapRunFailedEventDetails) isDetails()                 {}
func (*MapRunRedrivenEventDetails) isDetails()               {}
func (*MapRunStartedEventDetails) isDetails()                {}
func (*MapStateStartedEventDetails) isDetails()              {}
func (*StateEnteredEventDetails) isDetails()                 {}
func (*StateExitedEventDetails) isDetails()                  {}
func (*TaskFailedEventDetails) isDetails()                   {}
func (*TaskScheduledEventDetails) isDetails()                {}
func (*TaskStartFailedEventDetails) isDetails()              {}
func (*TaskStartedEventDetails) isDetails()                  {}
func (*TaskSubmitFailedEventDetails) isDetails()             {}
func (*TaskSubmittedEventDetails) isDetails()                {}
func (*TaskSucceededEventDetails) isDetails()                {}
func (*TaskTimedOutEventDetails) isDetails()                 {}

// newDetails returns an empty details value of the type stored under the
// JSON member name field, or nil for an unknown name.
func newDetails(field string) Details {
	switch field {
	case fieldActivityFailed:
		return &ActivityFailedEventDetails{}
	case fieldActivityScheduleFailed:
		return &ActivityScheduleFailedEventDetails{}
	case fieldActivityScheduled:
		return &ActivityScheduledEventDetails{}
	case fieldActivityStarted:
		return &ActivityStartedEventDetails{}
	case fieldActivitySucceeded:
		return &ActivitySucceededEventDetails{}
	case fieldActivityTimedOut:
		return &ActivityTimedOutEventDetails{}
	case fieldEvaluationFailed:
		return &EvaluationFailedEventDetails{}
	case fieldExecutionAborted:
		return &ExecutionAbortedEventDetails{}
	case fieldExecutionFailed:
		return &ExecutionFailedEventDetails{}
	case fieldExecutionRedriven:
		return &ExecutionRedrivenEventDetails{}
	case fieldExecutionStarted:
		return &ExecutionStartedEventDetails{}
	case fieldExecutionSucceeded:
		return &ExecutionSucceededEventDetails{}
	case fieldExecutionTimedOut:
		return &ExecutionTimedOutEventDetails{}
	case fieldLambdaFunctionFailed:
		return &LambdaFunctionFailedEventDetails{}
	case fieldLambdaFunctionScheduleFailed:
		return &LambdaFunctionScheduleFailedEventDetails{}
	case fieldLambdaFunctionScheduled:
		return &LambdaFunctionScheduledEventDetails{}
	case fieldLambdaFunctionStartFailed:
		return &LambdaFunctionStartFailedEventDetails{}
	case fieldLambdaFunctionSucceeded:
		return &LambdaFunctionSucceededEventDetails{}
	case fieldLambdaFunctionTimedOut:
		return &LambdaFunctionTimedOutEventDetails{}
	case fieldMapIterationAborted, fieldMapIterationFailed, fieldMapIterationStarted, fieldMapIterationSucceeded:
		return &MapIterationEventDetails{}
	case fieldMapRunFailed:
		return &MapRunFailedEventDetails{}
	case fieldMapRunRedriven:
		return &MapRunRedrivenEventDetails{}
	case fieldMapRunStarted:
		return &MapRunStartedEventDetails{}
	case fieldMapStateStarted:
		return &MapStateStartedEventDetails{}
	case fieldStateEntered:
		return &StateEnteredEventDetails{}
	case fieldStateExited:
		return &StateExitedEventDetails{}
	case fieldTaskFailed:
		return &TaskFailedEventDetails{}
	case fieldTaskScheduled:
		return &TaskScheduledEventDetails{}
	case fieldTaskStartFailed:
		return &TaskStartFailedEventDetails{}
	case fieldTaskStarted:
		return &TaskStartedEventDetails{}
	case fieldTaskSubmitFailed:
		return &TaskSubmitFailedEventDetails{}
	case fieldTaskSubmitted:
		return &TaskSubmittedEventDetails{}
	case fieldTaskSucceeded:
		return &TaskSucceededEventDetails{}
	case fieldTaskTimedOut:
		return &TaskTimedOutEventDetails{}
	}
	return nil
}

// sameType reports whether a and b are pointers to the same details type.
func sameType(a, b Details) bool {
	return reflect.TypeOf(a) == reflect.TypeOf(b)
}

// ErrInvalidEvent is wrapped by the errors [Event.Validate] returns.
var ErrInvalidEvent = errors.New("history: invalid event")

// Validate reports whether e is well formed: its Type is one AWS defines and
// its Details is of the type [DetailsField] names for that
// type (none for the types without details). The error wraps
// [ErrInvalidEvent].
func (e *Event) Validate() error {
	want, ok := DetailsField(e.Type)
	if !ok {
		return fmt.Errorf("%w: unknown type %q", ErrInvalidEvent, e.Type)
	}
	switch {
	case want == "" && e.Details != nil:
		return fmt.Errorf("%w: %s event %d has %T, but this type has no details", ErrInvalidEvent, e.Type, e.ID, e.Details)
	case want != "" && e.Details == nil:
		return fmt.Errorf("%w: %s event %d lacks %s", ErrInvalidEvent, e.Type, e.ID, want)
	case want != "" && !sameType(e.Details, newDetails(want)):
		return fmt.Errorf("%w: %s event %d has %T, want %s", ErrInvalidEvent, e.Type, e.ID, e.Details, want)
	}
	return nil
}

// MarshalJSON encodes e as GetExecutionHistory does: timestamp, type,
// id, previousEventId, then the details under the member name DetailsField
// gives for e's type. It does not validate e; call [Event.Validate] for
// that.
func (e Event) MarshalJSON() ([]byte, error) {
	ts, _ := epochSeconds(e.Timestamp).MarshalJSON()
	b := make([]byte, 0, 128)
	b = append(b, `{"timestamp":`...)
	b = append(b, ts...)
	b = append(b, `,"type":`...)
	b = strconv.AppendQuote(b, string(e.Type))
	b = append(b, `,"id":`...)
	b = strconv.AppendInt(b, e.ID, 10)
	b = append(b, `,"previousEventId":`...)
	b = strconv.AppendInt(b, e.PreviousEventID, 10)
	if e.Details != nil {
		field, _ := DetailsField(e.Type)
		if field == "" {
			field = fieldFor(e.Details)
		}
		b = append(b, ',', '"')
		b = append(b, field...)
		b = append(b, '"', ':')
		var err error
		if b, err = appendDetails(b, e.Details); err != nil {
			return nil, fmt.Errorf("history: encode %s event %d: %w", e.Type, e.ID, err)
		}
	}
	return append(b, '}'), nil
}

// fieldFor names the member of a details value whose event type has none
// (an invalid event, written anyway so that nothing is lost).
func fieldFor(d Details) string {
	for _, f := range []string{fieldStateEntered, fieldStateExited, fieldTaskScheduled, fieldTaskFailed} {
		if sameType(d, newDetails(f)) {
			return f
		}
	}
	return "details"
}

// UnmarshalJSON decodes an event in GetExecutionHistory's form. Members it
// does not know are ignored, as AWS SDKs do; it does not validate the
// event. A null or absent timestamp gives the zero time.
func (e *Event) UnmarshalJSON(data []byte) error {
	*e = Event{}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("history: decode event: %w", err)
	}
	var w struct {
		Timestamp       epochSeconds `json:"timestamp"`
		Type            EventType    `json:"type"`
		ID              int64        `json:"id"`
		PreviousEventID int64        `json:"previousEventId"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return fmt.Errorf("history: decode event: %w", err)
	}
	e.Timestamp, e.Type, e.ID, e.PreviousEventID = time.Time(w.Timestamp), w.Type, w.ID, w.PreviousEventID
	for field, value := range raw {
		d := newDetails(field)
		if d == nil {
			continue
		}
		if err := json.Unmarshal(value, d); err != nil {
			return fmt.Errorf("history: decode %s: %w", field, err)
		}
		e.Details = d
	}
	return nil
}

// epochSeconds is a time in awsJson1_0's timestamp form: seconds since the
// Unix epoch as a JSON number, here with exactly three fraction digits.
type epochSeconds time.Time

func (t epochSeconds) MarshalJSON() ([]byte, error) {
	ms := time.Time(t).UnixMilli()
	var b []byte
	if ms < 0 {
		b = append(b, '-')
		ms = -ms
	}
	b = strconv.AppendInt(b, ms/1000, 10)
	b = append(b, '.')
	frac := ms % 1000
	b = append(b, byte('0'+frac/100), byte('0'+frac/10%10), byte('0'+frac%10))
	return b, nil
}

func (t *epochSeconds) UnmarshalJSON(data []byte) error {
	s := string(bytes.TrimSpace(data))
	if s == "null" {
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(data, &n); err != nil {
		return fmt.Errorf("timestamp %s: not a number", s)
	}
	r, ok := new(big.Rat).SetString(string(n))
	if !ok {
		return fmt.Errorf("timestamp %s: not a number", s)
	}
	// Exact decimal arithmetic: float64 would misplace the last digits of
	// a millisecond timestamp.
	nanos := new(big.Int).Quo(new(big.Int).Mul(r.Num(), big.NewInt(1e9)), r.Denom())
	if !nanos.IsInt64() {
		return fmt.Errorf("timestamp %s: out of range", s)
	}
	*t = epochSeconds(time.Unix(0, nanos.Int64()).UTC())
	return nil
}

// marshal is json.Marshal without HTML escaping, so that payloads keep
// '<', '>' and '&' as they are, as AWS writes them.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// appendDetails appends the JSON of a details value. The two most common
// kinds, written for every state an execution passes, are encoded by hand;
// the others through encoding/json. Both give the same text.
func appendDetails(b []byte, d Details) ([]byte, error) {
	switch x := d.(type) {
	case *StateEnteredEventDetails:
		b = append(b, `{"name":`...)
		b = jsonval.AppendString(b, x.Name)
		if x.Input != "" {
			b = append(b, `,"input":`...)
			b = jsonval.AppendString(b, x.Input)
		}
		b = append(b, `,"inputDetails":`...)
		return appendDataDetails(b, x.InputDetails), nil
	case *StateExitedEventDetails:
		if x.AssignedVariables != nil || x.AssignedVariablesDetails != nil {
			break
		}
		b = append(b, `{"name":`...)
		b = jsonval.AppendString(b, x.Name)
		if x.Output != "" {
			b = append(b, `,"output":`...)
			b = jsonval.AppendString(b, x.Output)
		}
		b = append(b, `,"outputDetails":`...)
		return appendDataDetails(b, x.OutputDetails), nil
	}
	j, err := marshal(d)
	if err != nil {
		return nil, err
	}
	return append(b, j...), nil
}

func appendDataDetails(b []byte, d DataDetails) []byte {
	if d.Truncated {
		return append(b, `{"truncated":true}}`...)
	}
	return append(b, `{"truncated":false}}`...)
}
