package history

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"time"
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
	Timestamp time.Time `json:"-"`
	// Type is the event type.
	Type EventType `json:"type"`
	// ID numbers the events of an execution from 1.
	ID int64 `json:"id"`
	// PreviousEventID is the id of the event this one follows from, 0 for
	// none.
	PreviousEventID int64 `json:"previousEventId"`

	ActivityFailedEventDetails               *ActivityFailedEventDetails               `json:"activityFailedEventDetails,omitempty"`
	ActivityScheduleFailedEventDetails       *ActivityScheduleFailedEventDetails       `json:"activityScheduleFailedEventDetails,omitempty"`
	ActivityScheduledEventDetails            *ActivityScheduledEventDetails            `json:"activityScheduledEventDetails,omitempty"`
	ActivityStartedEventDetails              *ActivityStartedEventDetails              `json:"activityStartedEventDetails,omitempty"`
	ActivitySucceededEventDetails            *ActivitySucceededEventDetails            `json:"activitySucceededEventDetails,omitempty"`
	ActivityTimedOutEventDetails             *ActivityTimedOutEventDetails             `json:"activityTimedOutEventDetails,omitempty"`
	EvaluationFailedEventDetails             *EvaluationFailedEventDetails             `json:"evaluationFailedEventDetails,omitempty"`
	ExecutionAbortedEventDetails             *ExecutionAbortedEventDetails             `json:"executionAbortedEventDetails,omitempty"`
	ExecutionFailedEventDetails              *ExecutionFailedEventDetails              `json:"executionFailedEventDetails,omitempty"`
	ExecutionRedrivenEventDetails            *ExecutionRedrivenEventDetails            `json:"executionRedrivenEventDetails,omitempty"`
	ExecutionStartedEventDetails             *ExecutionStartedEventDetails             `json:"executionStartedEventDetails,omitempty"`
	ExecutionSucceededEventDetails           *ExecutionSucceededEventDetails           `json:"executionSucceededEventDetails,omitempty"`
	ExecutionTimedOutEventDetails            *ExecutionTimedOutEventDetails            `json:"executionTimedOutEventDetails,omitempty"`
	LambdaFunctionFailedEventDetails         *LambdaFunctionFailedEventDetails         `json:"lambdaFunctionFailedEventDetails,omitempty"`
	LambdaFunctionScheduleFailedEventDetails *LambdaFunctionScheduleFailedEventDetails `json:"lambdaFunctionScheduleFailedEventDetails,omitempty"`
	LambdaFunctionScheduledEventDetails      *LambdaFunctionScheduledEventDetails      `json:"lambdaFunctionScheduledEventDetails,omitempty"`
	LambdaFunctionStartFailedEventDetails    *LambdaFunctionStartFailedEventDetails    `json:"lambdaFunctionStartFailedEventDetails,omitempty"`
	LambdaFunctionSucceededEventDetails      *LambdaFunctionSucceededEventDetails      `json:"lambdaFunctionSucceededEventDetails,omitempty"`
	LambdaFunctionTimedOutEventDetails       *LambdaFunctionTimedOutEventDetails       `json:"lambdaFunctionTimedOutEventDetails,omitempty"`
	MapIterationAbortedEventDetails          *MapIterationEventDetails                 `json:"mapIterationAbortedEventDetails,omitempty"`
	MapIterationFailedEventDetails           *MapIterationEventDetails                 `json:"mapIterationFailedEventDetails,omitempty"`
	MapIterationStartedEventDetails          *MapIterationEventDetails                 `json:"mapIterationStartedEventDetails,omitempty"`
	MapIterationSucceededEventDetails        *MapIterationEventDetails                 `json:"mapIterationSucceededEventDetails,omitempty"`
	MapRunFailedEventDetails                 *MapRunFailedEventDetails                 `json:"mapRunFailedEventDetails,omitempty"`
	MapRunRedrivenEventDetails               *MapRunRedrivenEventDetails               `json:"mapRunRedrivenEventDetails,omitempty"`
	MapRunStartedEventDetails                *MapRunStartedEventDetails                `json:"mapRunStartedEventDetails,omitempty"`
	MapStateStartedEventDetails              *MapStateStartedEventDetails              `json:"mapStateStartedEventDetails,omitempty"`
	StateEnteredEventDetails                 *StateEnteredEventDetails                 `json:"stateEnteredEventDetails,omitempty"`
	StateExitedEventDetails                  *StateExitedEventDetails                  `json:"stateExitedEventDetails,omitempty"`
	TaskFailedEventDetails                   *TaskFailedEventDetails                   `json:"taskFailedEventDetails,omitempty"`
	TaskScheduledEventDetails                *TaskScheduledEventDetails                `json:"taskScheduledEventDetails,omitempty"`
	TaskStartFailedEventDetails              *TaskStartFailedEventDetails              `json:"taskStartFailedEventDetails,omitempty"`
	TaskStartedEventDetails                  *TaskStartedEventDetails                  `json:"taskStartedEventDetails,omitempty"`
	TaskSubmitFailedEventDetails             *TaskSubmitFailedEventDetails             `json:"taskSubmitFailedEventDetails,omitempty"`
	TaskSubmittedEventDetails                *TaskSubmittedEventDetails                `json:"taskSubmittedEventDetails,omitempty"`
	TaskSucceededEventDetails                *TaskSucceededEventDetails                `json:"taskSucceededEventDetails,omitempty"`
	TaskTimedOutEventDetails                 *TaskTimedOutEventDetails                 `json:"taskTimedOutEventDetails,omitempty"`
}

// detailsMember is one details pointer of an event: its JSON name and the
// pointer as an interface, nil when unset.
type detailsMember struct {
	field string
	value any
}

// members lists the details pointers of e that are set.
func (e *Event) members() []detailsMember {
	all := []detailsMember{
		{fieldActivityFailed, ptr(e.ActivityFailedEventDetails)},
		{fieldActivityScheduleFailed, ptr(e.ActivityScheduleFailedEventDetails)},
		{fieldActivityScheduled, ptr(e.ActivityScheduledEventDetails)},
		{fieldActivityStarted, ptr(e.ActivityStartedEventDetails)},
		{fieldActivitySucceeded, ptr(e.ActivitySucceededEventDetails)},
		{fieldActivityTimedOut, ptr(e.ActivityTimedOutEventDetails)},
		{fieldEvaluationFailed, ptr(e.EvaluationFailedEventDetails)},
		{fieldExecutionAborted, ptr(e.ExecutionAbortedEventDetails)},
		{fieldExecutionFailed, ptr(e.ExecutionFailedEventDetails)},
		{fieldExecutionRedriven, ptr(e.ExecutionRedrivenEventDetails)},
		{fieldExecutionStarted, ptr(e.ExecutionStartedEventDetails)},
		{fieldExecutionSucceeded, ptr(e.ExecutionSucceededEventDetails)},
		{fieldExecutionTimedOut, ptr(e.ExecutionTimedOutEventDetails)},
		{fieldLambdaFunctionFailed, ptr(e.LambdaFunctionFailedEventDetails)},
		{fieldLambdaFunctionScheduleFailed, ptr(e.LambdaFunctionScheduleFailedEventDetails)},
		{fieldLambdaFunctionScheduled, ptr(e.LambdaFunctionScheduledEventDetails)},
		{fieldLambdaFunctionStartFailed, ptr(e.LambdaFunctionStartFailedEventDetails)},
		{fieldLambdaFunctionSucceeded, ptr(e.LambdaFunctionSucceededEventDetails)},
		{fieldLambdaFunctionTimedOut, ptr(e.LambdaFunctionTimedOutEventDetails)},
		{fieldMapIterationAborted, ptr(e.MapIterationAbortedEventDetails)},
		{fieldMapIterationFailed, ptr(e.MapIterationFailedEventDetails)},
		{fieldMapIterationStarted, ptr(e.MapIterationStartedEventDetails)},
		{fieldMapIterationSucceeded, ptr(e.MapIterationSucceededEventDetails)},
		{fieldMapRunFailed, ptr(e.MapRunFailedEventDetails)},
		{fieldMapRunRedriven, ptr(e.MapRunRedrivenEventDetails)},
		{fieldMapRunStarted, ptr(e.MapRunStartedEventDetails)},
		{fieldMapStateStarted, ptr(e.MapStateStartedEventDetails)},
		{fieldStateEntered, ptr(e.StateEnteredEventDetails)},
		{fieldStateExited, ptr(e.StateExitedEventDetails)},
		{fieldTaskFailed, ptr(e.TaskFailedEventDetails)},
		{fieldTaskScheduled, ptr(e.TaskScheduledEventDetails)},
		{fieldTaskStartFailed, ptr(e.TaskStartFailedEventDetails)},
		{fieldTaskStarted, ptr(e.TaskStartedEventDetails)},
		{fieldTaskSubmitFailed, ptr(e.TaskSubmitFailedEventDetails)},
		{fieldTaskSubmitted, ptr(e.TaskSubmittedEventDetails)},
		{fieldTaskSucceeded, ptr(e.TaskSucceededEventDetails)},
		{fieldTaskTimedOut, ptr(e.TaskTimedOutEventDetails)},
	}
	set := all[:0]
	for _, m := range all {
		if m.value != nil {
			set = append(set, m)
		}
	}
	return set
}

// ptr returns p as an interface, or a nil interface for a nil pointer.
func ptr[T any](p *T) any {
	if p == nil {
		return nil
	}
	return p
}

// Details returns the details pointer set on e (for example a
// *[StateEnteredEventDetails]), or nil if none is set. If several are set,
// which is invalid, it returns the first in JSON-name order.
func (e *Event) Details() any {
	if m := e.members(); len(m) > 0 {
		return m[0].value
	}
	return nil
}

// ErrInvalidEvent is wrapped by the errors [Event.Validate] returns.
var ErrInvalidEvent = errors.New("history: invalid event")

// Validate reports whether e is well formed: its Type is one AWS defines and
// its details pointers are exactly the one [DetailsField] names for that
// type (none for the types without details). The error wraps
// [ErrInvalidEvent].
func (e *Event) Validate() error {
	want, ok := DetailsField(e.Type)
	if !ok {
		return fmt.Errorf("%w: unknown type %q", ErrInvalidEvent, e.Type)
	}
	set := e.members()
	switch {
	case len(set) > 1:
		return fmt.Errorf("%w: %s event %d has %d details (%s, %s, ...)", ErrInvalidEvent, e.Type, e.ID, len(set), set[0].field, set[1].field)
	case len(set) == 1 && set[0].field != want:
		if want == "" {
			return fmt.Errorf("%w: %s event %d has %s, but this type has no details", ErrInvalidEvent, e.Type, e.ID, set[0].field)
		}
		return fmt.Errorf("%w: %s event %d has %s, want %s", ErrInvalidEvent, e.Type, e.ID, set[0].field, want)
	case len(set) == 0 && want != "":
		return fmt.Errorf("%w: %s event %d lacks %s", ErrInvalidEvent, e.Type, e.ID, want)
	}
	return nil
}

// MarshalJSON encodes e as GetExecutionHistory does. It does not validate
// e; call [Event.Validate] for that.
func (e Event) MarshalJSON() ([]byte, error) {
	type plain Event
	return marshal(struct {
		Timestamp epochSeconds `json:"timestamp"`
		*plain
	}{epochSeconds(e.Timestamp), (*plain)(&e)})
}

// UnmarshalJSON decodes an event in GetExecutionHistory's form. Members it
// does not know are ignored, as AWS SDKs do; it does not validate the
// event. A null or absent timestamp gives the zero time.
func (e *Event) UnmarshalJSON(data []byte) error {
	type plain Event
	*e = Event{}
	w := struct {
		Timestamp epochSeconds `json:"timestamp"`
		*plain
	}{plain: (*plain)(e)}
	if err := json.Unmarshal(data, &w); err != nil {
		return fmt.Errorf("history: decode event: %w", err)
	}
	e.Timestamp = time.Time(w.Timestamp)
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
