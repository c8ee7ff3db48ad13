package history

// This file holds the details blocks of the history events, one type per
// AWS shape, named as AWS names them. Payload fields (Input, Output,
// Parameters, Cause, the values of AssignedVariables) hold JSON text, as on
// the wire; an empty string means the field is absent. Optional string and
// number fields are omitted from the JSON when empty or zero.

// DataDetails says whether a payload in an event was truncated to fit the
// history; it is AWS's HistoryEventExecutionDataDetails, the inputDetails
// and outputDetails members.
type DataDetails struct {
	Truncated bool `json:"truncated"`
}

// AssignedVariablesDetails says whether the assignedVariables of a
// [StateExitedEventDetails] were truncated.
type AssignedVariablesDetails struct {
	Truncated bool `json:"truncated"`
}

// TaskCredentials is the role a task was run with, from the state's
// Credentials field.
type TaskCredentials struct {
	RoleArn string `json:"roleArn,omitempty"`
}

// ActivityFailedEventDetails are the details of an [ActivityFailed] event.
type ActivityFailedEventDetails struct {
	Error string `json:"error,omitempty"`
	Cause string `json:"cause,omitempty"`
}

// ActivityScheduleFailedEventDetails are the details of an
// [ActivityScheduleFailed] event.
type ActivityScheduleFailedEventDetails struct {
	Error string `json:"error,omitempty"`
	Cause string `json:"cause,omitempty"`
}

// ActivityScheduledEventDetails are the details of an [ActivityScheduled]
// event: the activity ARN and the input handed to the worker.
type ActivityScheduledEventDetails struct {
	Resource           string      `json:"resource"`
	Input              string      `json:"input,omitempty"`
	InputDetails       DataDetails `json:"inputDetails"`
	TimeoutInSeconds   int64       `json:"timeoutInSeconds,omitempty"`
	HeartbeatInSeconds int64       `json:"heartbeatInSeconds,omitempty"`
}

// ActivityStartedEventDetails are the details of an [ActivityStarted] event:
// the worker name given to GetActivityTask.
type ActivityStartedEventDetails struct {
	WorkerName string `json:"workerName,omitempty"`
}

// ActivitySucceededEventDetails are the details of an [ActivitySucceeded]
// event.
type ActivitySucceededEventDetails struct {
	Output        string      `json:"output,omitempty"`
	OutputDetails DataDetails `json:"outputDetails"`
}

// ActivityTimedOutEventDetails are the details of an [ActivityTimedOut]
// event.
type ActivityTimedOutEventDetails struct {
	Error string `json:"error,omitempty"`
	Cause string `json:"cause,omitempty"`
}

// EvaluationFailedEventDetails are the details of an [EvaluationFailed]
// event: the error, its cause, the state, and where in the state the
// evaluation failed (for example "Arguments").
type EvaluationFailedEventDetails struct {
	Error    string `json:"error,omitempty"`
	Cause    string `json:"cause,omitempty"`
	Location string `json:"location,omitempty"`
	State    string `json:"state"`
}

// ExecutionAbortedEventDetails are the details of an [ExecutionAborted]
// event: the error and cause given to StopExecution.
type ExecutionAbortedEventDetails struct {
	Error string `json:"error,omitempty"`
	Cause string `json:"cause,omitempty"`
}

// ExecutionFailedEventDetails are the details of an [ExecutionFailed] event.
type ExecutionFailedEventDetails struct {
	Error string `json:"error,omitempty"`
	Cause string `json:"cause,omitempty"`
}

// ExecutionRedrivenEventDetails are the details of an [ExecutionRedriven]
// event.
type ExecutionRedrivenEventDetails struct {
	RedriveCount int `json:"redriveCount"`
}

// ExecutionStartedEventDetails are the details of an [ExecutionStarted]
// event: the execution input and the role and version it runs with.
type ExecutionStartedEventDetails struct {
	Input                  string      `json:"input,omitempty"`
	InputDetails           DataDetails `json:"inputDetails"`
	RoleArn                string      `json:"roleArn,omitempty"`
	StateMachineAliasArn   string      `json:"stateMachineAliasArn,omitempty"`
	StateMachineVersionArn string      `json:"stateMachineVersionArn,omitempty"`
}

// ExecutionSucceededEventDetails are the details of an [ExecutionSucceeded]
// event: the execution output.
type ExecutionSucceededEventDetails struct {
	Output        string      `json:"output,omitempty"`
	OutputDetails DataDetails `json:"outputDetails"`
}

// ExecutionTimedOutEventDetails are the details of an [ExecutionTimedOut]
// event.
type ExecutionTimedOutEventDetails struct {
	Error string `json:"error,omitempty"`
	Cause string `json:"cause,omitempty"`
}

// LambdaFunctionFailedEventDetails are the details of a
// [LambdaFunctionFailed] event.
type LambdaFunctionFailedEventDetails struct {
	Error string `json:"error,omitempty"`
	Cause string `json:"cause,omitempty"`
}

// LambdaFunctionScheduleFailedEventDetails are the details of a
// [LambdaFunctionScheduleFailed] event.
type LambdaFunctionScheduleFailedEventDetails struct {
	Error string `json:"error,omitempty"`
	Cause string `json:"cause,omitempty"`
}

// LambdaFunctionScheduledEventDetails are the details of a
// [LambdaFunctionScheduled] event: the function ARN and its input.
type LambdaFunctionScheduledEventDetails struct {
	Resource         string           `json:"resource"`
	Input            string           `json:"input,omitempty"`
	InputDetails     DataDetails      `json:"inputDetails"`
	TimeoutInSeconds int64            `json:"timeoutInSeconds,omitempty"`
	TaskCredentials  *TaskCredentials `json:"taskCredentials,omitempty"`
}

// LambdaFunctionStartFailedEventDetails are the details of a
// [LambdaFunctionStartFailed] event.
type LambdaFunctionStartFailedEventDetails struct {
	Error string `json:"error,omitempty"`
	Cause string `json:"cause,omitempty"`
}

// LambdaFunctionSucceededEventDetails are the details of a
// [LambdaFunctionSucceeded] event: the function's result.
type LambdaFunctionSucceededEventDetails struct {
	Output        string      `json:"output,omitempty"`
	OutputDetails DataDetails `json:"outputDetails"`
}

// LambdaFunctionTimedOutEventDetails are the details of a
// [LambdaFunctionTimedOut] event.
type LambdaFunctionTimedOutEventDetails struct {
	Error string `json:"error,omitempty"`
	Cause string `json:"cause,omitempty"`
}

// MapIterationEventDetails are the details of the [MapIterationStarted],
// [MapIterationSucceeded], [MapIterationFailed] and [MapIterationAborted]
// events: the Map state's name and the iteration's index (always present,
// even when 0).
type MapIterationEventDetails struct {
	Name  string `json:"name,omitempty"`
	Index int    `json:"index"`
}

// MapRunFailedEventDetails are the details of a [MapRunFailed] event.
type MapRunFailedEventDetails struct {
	Error string `json:"error,omitempty"`
	Cause string `json:"cause,omitempty"`
}

// MapRunRedrivenEventDetails are the details of a [MapRunRedriven] event.
type MapRunRedrivenEventDetails struct {
	MapRunArn    string `json:"mapRunArn,omitempty"`
	RedriveCount int    `json:"redriveCount"`
}

// MapRunStartedEventDetails are the details of a [MapRunStarted] event.
type MapRunStartedEventDetails struct {
	MapRunArn string `json:"mapRunArn,omitempty"`
}

// MapStateStartedEventDetails are the details of a [MapStateStarted] event:
// the number of items (always present, even when 0).
type MapStateStartedEventDetails struct {
	Length int `json:"length"`
}

// StateEnteredEventDetails are the details of every *StateEntered event:
// the state's name and its raw input.
type StateEnteredEventDetails struct {
	Name         string      `json:"name"`
	Input        string      `json:"input,omitempty"`
	InputDetails DataDetails `json:"inputDetails"`
}

// StateExitedEventDetails are the details of every *StateExited event: the
// state's name, its output, and the variables its Assign field set.
//
// AssignedVariables maps each assigned variable's name to its value as JSON
// text. It and AssignedVariablesDetails appear only for states that
// assign: set AssignedVariablesDetails whenever the state has an Assign
// field, and assignedVariables is then written even when empty ({}).
type StateExitedEventDetails struct {
	Name                     string                    `json:"name"`
	Output                   string                    `json:"output,omitempty"`
	OutputDetails            DataDetails               `json:"outputDetails"`
	AssignedVariables        map[string]string         `json:"assignedVariables,omitempty"`
	AssignedVariablesDetails *AssignedVariablesDetails `json:"assignedVariablesDetails,omitempty"`
}

// MarshalJSON encodes d, writing assignedVariables (possibly empty) whenever
// AssignedVariablesDetails is set.
func (d StateExitedEventDetails) MarshalJSON() ([]byte, error) {
	type plain StateExitedEventDetails
	w := struct {
		plain
		AssignedVariables *map[string]string `json:"assignedVariables,omitempty"`
	}{plain: plain(d)}
	if d.AssignedVariables != nil || d.AssignedVariablesDetails != nil {
		vars := d.AssignedVariables
		if vars == nil {
			vars = map[string]string{}
		}
		w.AssignedVariables = &vars
	}
	return marshal(w)
}

// TaskFailedEventDetails are the details of a [TaskFailed] event.
type TaskFailedEventDetails struct {
	ResourceType string `json:"resourceType"`
	Resource     string `json:"resource"`
	Error        string `json:"error,omitempty"`
	Cause        string `json:"cause,omitempty"`
}

// TaskScheduledEventDetails are the details of a [TaskScheduled] event: the
// service integration called (resourceType "lambda", resource "invoke" for
// arn:aws:states:::lambda:invoke), the region, and the request parameters
// as JSON text.
type TaskScheduledEventDetails struct {
	ResourceType       string           `json:"resourceType"`
	Resource           string           `json:"resource"`
	Region             string           `json:"region"`
	Parameters         string           `json:"parameters"`
	TimeoutInSeconds   int64            `json:"timeoutInSeconds,omitempty"`
	HeartbeatInSeconds int64            `json:"heartbeatInSeconds,omitempty"`
	TaskCredentials    *TaskCredentials `json:"taskCredentials,omitempty"`
}

// TaskStartFailedEventDetails are the details of a [TaskStartFailed] event.
type TaskStartFailedEventDetails struct {
	ResourceType string `json:"resourceType"`
	Resource     string `json:"resource"`
	Error        string `json:"error,omitempty"`
	Cause        string `json:"cause,omitempty"`
}

// TaskStartedEventDetails are the details of a [TaskStarted] event.
type TaskStartedEventDetails struct {
	ResourceType string `json:"resourceType"`
	Resource     string `json:"resource"`
}

// TaskSubmitFailedEventDetails are the details of a [TaskSubmitFailed]
// event.
type TaskSubmitFailedEventDetails struct {
	ResourceType string `json:"resourceType"`
	Resource     string `json:"resource"`
	Error        string `json:"error,omitempty"`
	Cause        string `json:"cause,omitempty"`
}

// TaskSubmittedEventDetails are the details of a [TaskSubmitted] event:
// what the request returned before the state started waiting.
type TaskSubmittedEventDetails struct {
	ResourceType  string      `json:"resourceType"`
	Resource      string      `json:"resource"`
	Output        string      `json:"output,omitempty"`
	OutputDetails DataDetails `json:"outputDetails"`
}

// TaskSucceededEventDetails are the details of a [TaskSucceeded] event: the
// task's result.
type TaskSucceededEventDetails struct {
	ResourceType  string      `json:"resourceType"`
	Resource      string      `json:"resource"`
	Output        string      `json:"output,omitempty"`
	OutputDetails DataDetails `json:"outputDetails"`
}

// TaskTimedOutEventDetails are the details of a [TaskTimedOut] event.
type TaskTimedOutEventDetails struct {
	ResourceType string `json:"resourceType"`
	Resource     string `json:"resource"`
	Error        string `json:"error,omitempty"`
	Cause        string `json:"cause,omitempty"`
}
