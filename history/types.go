package history

// EventType is the type of a history event, AWS's HistoryEventType; its
// values are AWS's names verbatim.
type EventType string

// String returns the AWS name of the event type.
func (t EventType) String() string { return string(t) }

// Known reports whether t is one of the event types AWS defines.
func (t EventType) Known() bool {
	_, ok := detailsFields[t]
	return ok
}

// The event types, in the order of AWS's HistoryEventType enumeration.
const (
	// ActivityFailed is emitted when an activity worker reports failure
	// with SendTaskFailure. Details: [ActivityFailedEventDetails].
	ActivityFailed EventType = "ActivityFailed"
	// ActivityScheduled is emitted when a Task state with an activity
	// resource makes its task available to workers.
	// Details: [ActivityScheduledEventDetails].
	ActivityScheduled EventType = "ActivityScheduled"
	// ActivityScheduleFailed is emitted when an activity task cannot be
	// scheduled (for example, the activity does not exist).
	// Details: [ActivityScheduleFailedEventDetails].
	ActivityScheduleFailed EventType = "ActivityScheduleFailed"
	// ActivityStarted is emitted when a worker receives the activity task
	// through GetActivityTask. Details: [ActivityStartedEventDetails].
	ActivityStarted EventType = "ActivityStarted"
	// ActivitySucceeded is emitted when an activity worker reports success
	// with SendTaskSuccess. Details: [ActivitySucceededEventDetails].
	ActivitySucceeded EventType = "ActivitySucceeded"
	// ActivityTimedOut is emitted when an activity task exceeds its
	// TimeoutSeconds or HeartbeatSeconds.
	// Details: [ActivityTimedOutEventDetails].
	ActivityTimedOut EventType = "ActivityTimedOut"
	// ChoiceStateEntered is emitted when a Choice state starts.
	// Details: [StateEnteredEventDetails].
	ChoiceStateEntered EventType = "ChoiceStateEntered"
	// ChoiceStateExited is emitted when a Choice state has picked its next
	// state. Details: [StateExitedEventDetails].
	ChoiceStateExited EventType = "ChoiceStateExited"
	// ExecutionAborted is emitted when StopExecution stops a running
	// execution; it is the execution's last event.
	// Details: [ExecutionAbortedEventDetails].
	ExecutionAborted EventType = "ExecutionAborted"
	// ExecutionFailed is emitted when an execution ends with an error
	// (a Fail state or an uncaught error); it is the execution's last
	// event. Details: [ExecutionFailedEventDetails].
	ExecutionFailed EventType = "ExecutionFailed"
	// ExecutionStarted is always the first event of an execution.
	// Details: [ExecutionStartedEventDetails].
	ExecutionStarted EventType = "ExecutionStarted"
	// ExecutionSucceeded is emitted when an execution ends successfully;
	// it is the execution's last event.
	// Details: [ExecutionSucceededEventDetails].
	ExecutionSucceeded EventType = "ExecutionSucceeded"
	// ExecutionTimedOut is emitted when an execution exceeds the state
	// machine's TimeoutSeconds; it is the execution's last event.
	// Details: [ExecutionTimedOutEventDetails].
	ExecutionTimedOut EventType = "ExecutionTimedOut"
	// FailStateEntered is emitted when a Fail state starts; a Fail state
	// has no exited event. Details: [StateEnteredEventDetails].
	FailStateEntered EventType = "FailStateEntered"
	// LambdaFunctionFailed is emitted when a Task state with a bare Lambda
	// function ARN as its resource gets an error from the function.
	// Details: [LambdaFunctionFailedEventDetails].
	LambdaFunctionFailed EventType = "LambdaFunctionFailed"
	// LambdaFunctionScheduled is emitted when a Task state with a bare
	// Lambda function ARN as its resource is about to invoke it.
	// Details: [LambdaFunctionScheduledEventDetails].
	LambdaFunctionScheduled EventType = "LambdaFunctionScheduled"
	// LambdaFunctionScheduleFailed is emitted when such an invocation
	// cannot be scheduled.
	// Details: [LambdaFunctionScheduleFailedEventDetails].
	LambdaFunctionScheduleFailed EventType = "LambdaFunctionScheduleFailed"
	// LambdaFunctionStarted is emitted right after LambdaFunctionScheduled,
	// when the invocation starts. It has no details.
	LambdaFunctionStarted EventType = "LambdaFunctionStarted"
	// LambdaFunctionStartFailed is emitted when the invocation cannot
	// start. Details: [LambdaFunctionStartFailedEventDetails].
	LambdaFunctionStartFailed EventType = "LambdaFunctionStartFailed"
	// LambdaFunctionSucceeded is emitted when the function returns a
	// result. Details: [LambdaFunctionSucceededEventDetails].
	LambdaFunctionSucceeded EventType = "LambdaFunctionSucceeded"
	// LambdaFunctionTimedOut is emitted when the invocation exceeds the
	// state's TimeoutSeconds or HeartbeatSeconds.
	// Details: [LambdaFunctionTimedOutEventDetails].
	LambdaFunctionTimedOut EventType = "LambdaFunctionTimedOut"
	// MapIterationAborted is emitted for each unfinished iteration of an
	// inline Map state when another iteration fails or the execution
	// stops. Details: [MapIterationEventDetails].
	MapIterationAborted EventType = "MapIterationAborted"
	// MapIterationFailed is emitted when an iteration of an inline Map
	// state ends with an error. Details: [MapIterationEventDetails].
	MapIterationFailed EventType = "MapIterationFailed"
	// MapIterationStarted is emitted when an iteration of an inline Map
	// state starts, before the first event of its states.
	// Details: [MapIterationEventDetails].
	MapIterationStarted EventType = "MapIterationStarted"
	// MapIterationSucceeded is emitted when an iteration of an inline Map
	// state ends successfully. Details: [MapIterationEventDetails].
	MapIterationSucceeded EventType = "MapIterationSucceeded"
	// MapStateAborted is emitted when a running Map state is stopped
	// (the execution was stopped). It has no details.
	MapStateAborted EventType = "MapStateAborted"
	// MapStateEntered is emitted when a Map state starts, before its items
	// are read. Details: [StateEnteredEventDetails].
	MapStateEntered EventType = "MapStateEntered"
	// MapStateExited is emitted when a Map state ends, successfully or
	// through a Catch. Details: [StateExitedEventDetails].
	MapStateExited EventType = "MapStateExited"
	// MapStateFailed is emitted when a Map state fails (an iteration
	// failed, or its items could not be processed). It has no details.
	MapStateFailed EventType = "MapStateFailed"
	// MapStateStarted is emitted when a Map state has its items and starts
	// iterating (again on each retry).
	// Details: [MapStateStartedEventDetails].
	MapStateStarted EventType = "MapStateStarted"
	// MapStateSucceeded is emitted when every iteration of a Map state has
	// succeeded, before MapStateExited. It has no details.
	MapStateSucceeded EventType = "MapStateSucceeded"
	// ParallelStateAborted is emitted when a running Parallel state is
	// stopped. It has no details.
	ParallelStateAborted EventType = "ParallelStateAborted"
	// ParallelStateEntered is emitted when a Parallel state starts.
	// Details: [StateEnteredEventDetails].
	ParallelStateEntered EventType = "ParallelStateEntered"
	// ParallelStateExited is emitted when a Parallel state ends,
	// successfully or through a Catch. Details: [StateExitedEventDetails].
	ParallelStateExited EventType = "ParallelStateExited"
	// ParallelStateFailed is emitted when a branch of a Parallel state
	// fails. It has no details.
	ParallelStateFailed EventType = "ParallelStateFailed"
	// ParallelStateStarted is emitted when a Parallel state starts its
	// branches (again on each retry). It has no details.
	ParallelStateStarted EventType = "ParallelStateStarted"
	// ParallelStateSucceeded is emitted when every branch of a Parallel
	// state has succeeded, before ParallelStateExited. It has no details.
	ParallelStateSucceeded EventType = "ParallelStateSucceeded"
	// PassStateEntered is emitted when a Pass state starts.
	// Details: [StateEnteredEventDetails].
	PassStateEntered EventType = "PassStateEntered"
	// PassStateExited is emitted when a Pass state ends.
	// Details: [StateExitedEventDetails].
	PassStateExited EventType = "PassStateExited"
	// SucceedStateEntered is emitted when a Succeed state starts.
	// Details: [StateEnteredEventDetails].
	SucceedStateEntered EventType = "SucceedStateEntered"
	// SucceedStateExited is emitted when a Succeed state ends.
	// Details: [StateExitedEventDetails].
	SucceedStateExited EventType = "SucceedStateExited"
	// TaskFailed is emitted when a service-integration task ends with an
	// error. Details: [TaskFailedEventDetails].
	TaskFailed EventType = "TaskFailed"
	// TaskScheduled is emitted when a Task state with a service
	// integration (including arn:aws:states:::lambda:invoke) is about to
	// call it, with the parameters it built.
	// Details: [TaskScheduledEventDetails].
	TaskScheduled EventType = "TaskScheduled"
	// TaskStarted is emitted right after TaskScheduled, when the call
	// starts. Details: [TaskStartedEventDetails].
	TaskStarted EventType = "TaskStarted"
	// TaskStartFailed is emitted when the call cannot start.
	// Details: [TaskStartFailedEventDetails].
	TaskStartFailed EventType = "TaskStartFailed"
	// TaskStateAborted is emitted when a running Task state is stopped:
	// the execution stopped, or its Parallel branch failed. The recordings
	// show it also for the failing Task itself, after its TaskFailed, when
	// the error leaves a Parallel branch uncaught (conformance case
	// test_error_output__..._PARALLEL_CATCH_ERROR_OUTPUT). It has no
	// details.
	TaskStateAborted EventType = "TaskStateAborted"
	// TaskStateEntered is emitted when a Task state starts.
	// Details: [StateEnteredEventDetails].
	TaskStateEntered EventType = "TaskStateEntered"
	// TaskStateExited is emitted when a Task state ends, successfully or
	// through a Catch. Details: [StateExitedEventDetails].
	TaskStateExited EventType = "TaskStateExited"
	// TaskSubmitFailed is emitted when a .sync or .waitForTaskToken
	// request fails to be submitted.
	// Details: [TaskSubmitFailedEventDetails].
	TaskSubmitFailed EventType = "TaskSubmitFailed"
	// TaskSubmitted is emitted when a .sync or .waitForTaskToken request
	// was accepted and the state starts waiting for its completion.
	// Details: [TaskSubmittedEventDetails].
	TaskSubmitted EventType = "TaskSubmitted"
	// TaskSucceeded is emitted when a service-integration task returns a
	// result. Details: [TaskSucceededEventDetails].
	TaskSucceeded EventType = "TaskSucceeded"
	// TaskTimedOut is emitted when a service-integration task exceeds its
	// TimeoutSeconds or HeartbeatSeconds.
	// Details: [TaskTimedOutEventDetails].
	TaskTimedOut EventType = "TaskTimedOut"
	// WaitStateAborted is emitted when a waiting Wait state is stopped.
	// It has no details.
	WaitStateAborted EventType = "WaitStateAborted"
	// WaitStateEntered is emitted when a Wait state starts waiting.
	// Details: [StateEnteredEventDetails].
	WaitStateEntered EventType = "WaitStateEntered"
	// WaitStateExited is emitted when a Wait state's time has come.
	// Details: [StateExitedEventDetails].
	WaitStateExited EventType = "WaitStateExited"
	// MapRunAborted is emitted when a Distributed Map run is stopped.
	// It has no details.
	MapRunAborted EventType = "MapRunAborted"
	// MapRunFailed is emitted when a Distributed Map run fails.
	// Details: [MapRunFailedEventDetails].
	MapRunFailed EventType = "MapRunFailed"
	// MapRunStarted is emitted when a Distributed Map state starts its map
	// run, after MapStateStarted. Details: [MapRunStartedEventDetails].
	MapRunStarted EventType = "MapRunStarted"
	// MapRunSucceeded is emitted when every child execution of a
	// Distributed Map run has succeeded. It has no details.
	MapRunSucceeded EventType = "MapRunSucceeded"
	// ExecutionRedriven is emitted when RedriveExecution restarts a failed
	// execution. Details: [ExecutionRedrivenEventDetails].
	ExecutionRedriven EventType = "ExecutionRedriven"
	// MapRunRedriven is emitted when a redrive restarts a Distributed Map
	// run. Details: [MapRunRedrivenEventDetails].
	MapRunRedriven EventType = "MapRunRedriven"
	// EvaluationFailed is emitted when a state fails to evaluate an
	// expression or path (JSONata, JSONPath, intrinsic), just before the
	// resulting States.* error is handled.
	// Details: [EvaluationFailedEventDetails].
	EvaluationFailed EventType = "EvaluationFailed"
)

// Types returns every event type AWS defines, in the order of AWS's
// HistoryEventType enumeration. The caller owns the returned slice.
func Types() []EventType {
	return []EventType{
		ActivityFailed, ActivityScheduled, ActivityScheduleFailed, ActivityStarted,
		ActivitySucceeded, ActivityTimedOut, ChoiceStateEntered, ChoiceStateExited,
		ExecutionAborted, ExecutionFailed, ExecutionStarted, ExecutionSucceeded,
		ExecutionTimedOut, FailStateEntered, LambdaFunctionFailed, LambdaFunctionScheduled,
		LambdaFunctionScheduleFailed, LambdaFunctionStarted, LambdaFunctionStartFailed,
		LambdaFunctionSucceeded, LambdaFunctionTimedOut, MapIterationAborted,
		MapIterationFailed, MapIterationStarted, MapIterationSucceeded, MapStateAborted,
		MapStateEntered, MapStateExited, MapStateFailed, MapStateStarted, MapStateSucceeded,
		ParallelStateAborted, ParallelStateEntered, ParallelStateExited, ParallelStateFailed,
		ParallelStateStarted, ParallelStateSucceeded, PassStateEntered, PassStateExited,
		SucceedStateEntered, SucceedStateExited, TaskFailed, TaskScheduled, TaskStarted,
		TaskStartFailed, TaskStateAborted, TaskStateEntered, TaskStateExited,
		TaskSubmitFailed, TaskSubmitted, TaskSucceeded, TaskTimedOut, WaitStateAborted,
		WaitStateEntered, WaitStateExited, MapRunAborted, MapRunFailed, MapRunStarted,
		MapRunSucceeded, ExecutionRedriven, MapRunRedriven, EvaluationFailed,
	}
}

// The JSON names of the details members of a history event.
const (
	fieldActivityFailed               = "activityFailedEventDetails"
	fieldActivityScheduleFailed       = "activityScheduleFailedEventDetails"
	fieldActivityScheduled            = "activityScheduledEventDetails"
	fieldActivityStarted              = "activityStartedEventDetails"
	fieldActivitySucceeded            = "activitySucceededEventDetails"
	fieldActivityTimedOut             = "activityTimedOutEventDetails"
	fieldEvaluationFailed             = "evaluationFailedEventDetails"
	fieldExecutionAborted             = "executionAbortedEventDetails"
	fieldExecutionFailed              = "executionFailedEventDetails"
	fieldExecutionRedriven            = "executionRedrivenEventDetails"
	fieldExecutionStarted             = "executionStartedEventDetails"
	fieldExecutionSucceeded           = "executionSucceededEventDetails"
	fieldExecutionTimedOut            = "executionTimedOutEventDetails"
	fieldLambdaFunctionFailed         = "lambdaFunctionFailedEventDetails"
	fieldLambdaFunctionScheduleFailed = "lambdaFunctionScheduleFailedEventDetails"
	fieldLambdaFunctionScheduled      = "lambdaFunctionScheduledEventDetails"
	fieldLambdaFunctionStartFailed    = "lambdaFunctionStartFailedEventDetails"
	fieldLambdaFunctionSucceeded      = "lambdaFunctionSucceededEventDetails"
	fieldLambdaFunctionTimedOut       = "lambdaFunctionTimedOutEventDetails"
	fieldMapIterationAborted          = "mapIterationAbortedEventDetails"
	fieldMapIterationFailed           = "mapIterationFailedEventDetails"
	fieldMapIterationStarted          = "mapIterationStartedEventDetails"
	fieldMapIterationSucceeded        = "mapIterationSucceededEventDetails"
	fieldMapRunFailed                 = "mapRunFailedEventDetails"
	fieldMapRunRedriven               = "mapRunRedrivenEventDetails"
	fieldMapRunStarted                = "mapRunStartedEventDetails"
	fieldMapStateStarted              = "mapStateStartedEventDetails"
	fieldStateEntered                 = "stateEnteredEventDetails"
	fieldStateExited                  = "stateExitedEventDetails"
	fieldTaskFailed                   = "taskFailedEventDetails"
	fieldTaskScheduled                = "taskScheduledEventDetails"
	fieldTaskStartFailed              = "taskStartFailedEventDetails"
	fieldTaskStarted                  = "taskStartedEventDetails"
	fieldTaskSubmitFailed             = "taskSubmitFailedEventDetails"
	fieldTaskSubmitted                = "taskSubmittedEventDetails"
	fieldTaskSucceeded                = "taskSucceededEventDetails"
	fieldTaskTimedOut                 = "taskTimedOutEventDetails"
)

// detailsFields maps each event type to the JSON name of its details
// member, "" for the types without details.
var detailsFields = map[EventType]string{
	ActivityFailed:               fieldActivityFailed,
	ActivityScheduled:            fieldActivityScheduled,
	ActivityScheduleFailed:       fieldActivityScheduleFailed,
	ActivityStarted:              fieldActivityStarted,
	ActivitySucceeded:            fieldActivitySucceeded,
	ActivityTimedOut:             fieldActivityTimedOut,
	ChoiceStateEntered:           fieldStateEntered,
	ChoiceStateExited:            fieldStateExited,
	ExecutionAborted:             fieldExecutionAborted,
	ExecutionFailed:              fieldExecutionFailed,
	ExecutionStarted:             fieldExecutionStarted,
	ExecutionSucceeded:           fieldExecutionSucceeded,
	ExecutionTimedOut:            fieldExecutionTimedOut,
	FailStateEntered:             fieldStateEntered,
	LambdaFunctionFailed:         fieldLambdaFunctionFailed,
	LambdaFunctionScheduled:      fieldLambdaFunctionScheduled,
	LambdaFunctionScheduleFailed: fieldLambdaFunctionScheduleFailed,
	LambdaFunctionStarted:        "",
	LambdaFunctionStartFailed:    fieldLambdaFunctionStartFailed,
	LambdaFunctionSucceeded:      fieldLambdaFunctionSucceeded,
	LambdaFunctionTimedOut:       fieldLambdaFunctionTimedOut,
	MapIterationAborted:          fieldMapIterationAborted,
	MapIterationFailed:           fieldMapIterationFailed,
	MapIterationStarted:          fieldMapIterationStarted,
	MapIterationSucceeded:        fieldMapIterationSucceeded,
	MapStateAborted:              "",
	MapStateEntered:              fieldStateEntered,
	MapStateExited:               fieldStateExited,
	MapStateFailed:               "",
	MapStateStarted:              fieldMapStateStarted,
	MapStateSucceeded:            "",
	ParallelStateAborted:         "",
	ParallelStateEntered:         fieldStateEntered,
	ParallelStateExited:          fieldStateExited,
	ParallelStateFailed:          "",
	ParallelStateStarted:         "",
	ParallelStateSucceeded:       "",
	PassStateEntered:             fieldStateEntered,
	PassStateExited:              fieldStateExited,
	SucceedStateEntered:          fieldStateEntered,
	SucceedStateExited:           fieldStateExited,
	TaskFailed:                   fieldTaskFailed,
	TaskScheduled:                fieldTaskScheduled,
	TaskStarted:                  fieldTaskStarted,
	TaskStartFailed:              fieldTaskStartFailed,
	TaskStateAborted:             "",
	TaskStateEntered:             fieldStateEntered,
	TaskStateExited:              fieldStateExited,
	TaskSubmitFailed:             fieldTaskSubmitFailed,
	TaskSubmitted:                fieldTaskSubmitted,
	TaskSucceeded:                fieldTaskSucceeded,
	TaskTimedOut:                 fieldTaskTimedOut,
	WaitStateAborted:             "",
	WaitStateEntered:             fieldStateEntered,
	WaitStateExited:              fieldStateExited,
	MapRunAborted:                "",
	MapRunFailed:                 fieldMapRunFailed,
	MapRunStarted:                fieldMapRunStarted,
	MapRunSucceeded:              "",
	ExecutionRedriven:            fieldExecutionRedriven,
	MapRunRedriven:               fieldMapRunRedriven,
	EvaluationFailed:             fieldEvaluationFailed,
}

// DetailsField returns the JSON name of the details member that events of
// type t carry (for example "stateEnteredEventDetails" for
// [TaskStateEntered]), or "" if events of that type carry none. ok is false
// for a type AWS does not define.
func DetailsField(t EventType) (field string, ok bool) {
	field, ok = detailsFields[t]
	return field, ok
}
