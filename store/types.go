package store

import (
	"math"
	"time"
)

// StateMachineType is STANDARD or EXPRESS.
type StateMachineType string

// State machine types, as the AWS API names them.
const (
	TypeStandard StateMachineType = "STANDARD"
	TypeExpress  StateMachineType = "EXPRESS"
)

func (t StateMachineType) String() string { return string(t) }

// StateMachineStatus is ACTIVE or DELETING.
type StateMachineStatus string

// State machine statuses, as the AWS API names them.
const (
	StatusActive   StateMachineStatus = "ACTIVE"
	StatusDeleting StateMachineStatus = "DELETING"
)

func (s StateMachineStatus) String() string { return string(s) }

// ExecutionStatus is the status of an execution.
type ExecutionStatus string

// Execution statuses, as the AWS API names them.
const (
	ExecutionRunning   ExecutionStatus = "RUNNING"
	ExecutionSucceeded ExecutionStatus = "SUCCEEDED"
	ExecutionFailed    ExecutionStatus = "FAILED"
	ExecutionTimedOut  ExecutionStatus = "TIMED_OUT"
	ExecutionAborted   ExecutionStatus = "ABORTED"
)

func (s ExecutionStatus) String() string { return string(s) }

// Tag is a key-value pair attached to a state machine or an activity.
type Tag struct {
	Key   string
	Value string
}

// StateMachine is one revision of a state machine: the machine's identity
// (ARN, Name, Type, Status, Description, CreationDate) and the fields that
// change with each update (Definition, RoleARN, the configurations),
// identified by RevisionID.
type StateMachine struct {
	ARN    string
	Name   string
	Type   StateMachineType
	Status StateMachineStatus
	// Definition is the ASL text. ListStateMachines leaves it empty.
	Definition  string
	RoleARN     string
	Description string
	// LoggingConfiguration and TracingConfiguration are opaque JSON texts.
	LoggingConfiguration string
	TracingConfiguration string
	// EncryptionConfiguration is an opaque JSON text too, kept per
	// revision; empty when never set.
	EncryptionConfiguration string
	// RevisionID identifies this revision; the caller chooses it (a UUID).
	RevisionID   string
	CreationDate time.Time
	// UpdateDate is when this revision was made; for the first revision it
	// equals CreationDate.
	UpdateDate time.Time
	// VersionARN is set by UpdateStateMachine when its Publish published
	// this revision; other methods leave it empty.
	VersionARN string
}

// StateMachineUpdate changes a state machine. Nil fields are left as they
// are. When any of Definition, RoleARN, LoggingConfiguration,
// TracingConfiguration or EncryptionConfiguration is set, a new revision
// RevisionID made at UpdateDate becomes the latest; a change of Status
// alone makes no revision.
type StateMachineUpdate struct {
	ARN                     string
	RevisionID              string
	UpdateDate              time.Time
	Definition              *string
	RoleARN                 *string
	LoggingConfiguration    *string
	TracingConfiguration    *string
	EncryptionConfiguration *string
	Status                  *StateMachineStatus
	// Publish, when set, publishes the new revision as a version in the
	// same transaction; its StateMachineARN, RevisionID and CreationDate
	// are ignored (the update's own are used).
	Publish *VersionPublish
}

// Execution is one execution of a state machine.
type Execution struct {
	ARN             string
	StateMachineARN string
	// RevisionID is the state machine revision the execution runs.
	RevisionID string
	Name       string
	Status     ExecutionStatus
	// Input and Output are JSON texts; Output is empty until the execution
	// succeeds. ListExecutions leaves Input, Output and State empty.
	Input  string
	Output string
	Error  string
	Cause  string
	// StopDate is zero while the execution runs.
	StartDate time.Time
	StopDate  time.Time
	// State is the serialized engine state; the store does not look inside.
	State []byte
	// Version counts committed steps: 1 after the creating Commit, and one
	// more after each Commit. Commit.ExpectedVersion is checked against it.
	Version            int64
	ParentExecutionARN string
	// RedriveCount counts the execution's redrives; RedriveDate is when
	// the last one was made (zero if never), RedriveToken the client
	// token it was asked with (empty if none), which makes a retried
	// RedriveExecution idempotent.
	RedriveCount int64
	RedriveDate  time.Time
	RedriveToken string
	// VersionARN is the version the execution runs when it was started on
	// a version or an alias; AliasARN the alias when started on one. Both
	// are empty for an execution of the unqualified state machine.
	VersionARN string
	AliasARN   string
	// TestCase names the mock configuration test case whose mocked
	// responses answer the execution's Task states (StartExecution of
	// "STATE_MACHINE_ARN#TEST_CASE"); empty for a normal execution.
	TestCase string
}

// Event is one history event of an execution.
type Event struct {
	// ID is the event id, unique within the execution; histories are read
	// in ID order.
	ID   int64
	Time time.Time
	Type string
	// JSON is the event as GetExecutionHistory returns it.
	JSON []byte
}

// WorkKind names the kind of a work item; the service defines the kinds
// (for example "invoke" and "timer"). The store does not interpret it.
type WorkKind string

func (k WorkKind) String() string { return string(k) }

// WorkItem is a pending action of an execution: a task invocation, a
// timer, or anything else the service must carry out (again, after a
// crash) until a Commit consumes it.
type WorkItem struct {
	// ExecutionARN is the execution the item belongs to. In Commit.AddWork
	// it is ignored: the item belongs to the committed execution.
	ExecutionARN string
	// ID is unique within the execution.
	ID      string
	Kind    WorkKind
	Payload []byte
	// Due is when the item may first be claimed; zero means at once.
	Due time.Time
	// Owner and LeaseExpiry describe the current (or last) lease; empty and
	// zero for an item never claimed or released.
	Owner       string
	LeaseExpiry time.Time
	// Claims counts how many times the item was claimed.
	Claims int64
}

// ReadyAt is when the item can next be claimed: its Due time, or its lease
// expiry while it is leased.
func (w WorkItem) ReadyAt() time.Time {
	if w.Owner != "" && w.LeaseExpiry.After(w.Due) {
		return w.LeaseExpiry
	}
	return w.Due
}

// Task is an outstanding task token: a .waitForTaskToken callback or an
// activity task. SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat
// find the execution and work item through it. A task with an ActivityARN
// is also queued for that activity's workers.
type Task struct {
	Token string
	// ExecutionARN is the execution waiting for the task. In Commit.AddTasks
	// it is ignored: the task belongs to the committed execution.
	ExecutionARN string
	// WorkID is the id of the work item (or engine task) the token answers.
	WorkID string
	// ActivityARN is set for activity tasks; empty for callbacks.
	ActivityARN      string
	Input            string
	TimeoutSeconds   int64
	HeartbeatSeconds int64
	Created          time.Time
	// Claimed, WorkerName and ClaimDate are set when a worker took the
	// activity task (ClaimActivityTask).
	Claimed    bool
	WorkerName string
	ClaimDate  time.Time
}

// Activity is an activity: a named queue of tasks for workers.
type Activity struct {
	ARN          string
	Name         string
	CreationDate time.Time
}

// End describes how an execution ended in a Commit.
type End struct {
	Status ExecutionStatus
	Output string
	Error  string
	Cause  string
	// StopDate is when it ended.
	StopDate time.Time
}

// Redrive describes a redrive in a Commit: the execution's Status becomes
// RUNNING, its Output, Error, Cause and StopDate are cleared, and its
// RedriveCount, RedriveDate and RedriveToken are set to Count, Date and
// Token.
type Redrive struct {
	Count int64
	Date  time.Time
	Token string
}

// Commit is one atomic write of an execution step. Everything in it is
// applied in one transaction, or nothing is.
type Commit struct {
	// Start, when set, creates this execution (with Version 1) as part of
	// the commit; ExecutionARN and ExpectedVersion are then ignored. Commit
	// returns ErrAlreadyExists if an execution with Start.ARN exists.
	Start *Execution
	// ExecutionARN and ExpectedVersion name the execution to update and the
	// Version it must have; it will then have ExpectedVersion+1.
	ExecutionARN    string
	ExpectedVersion int64
	// State, when non-nil, replaces the engine state.
	State []byte
	// Events are appended to the history; their IDs must be new.
	Events []Event
	// Redrive, when set, makes the ended execution RUNNING again (see
	// [Redrive]). It is applied before End, so one commit can redrive an
	// execution and end it again.
	Redrive *Redrive
	// End, when set, sets the execution's Status, Output, Error, Cause and
	// StopDate. It does not remove work items or tasks: list them in
	// DoneWork and DoneTasks.
	End *End
	// DoneWork are ids of this execution's work items to delete; ids that
	// do not exist are ignored. They are deleted before AddWork is applied.
	DoneWork []string
	// AddWork are new work items of this execution. An item with the id of
	// an existing item replaces it (and drops its lease).
	AddWork []WorkItem
	// WakeWork are ids of this execution's work items to make claimable at
	// once: their Due becomes zero and any lease is dropped, payload and
	// kind are kept. Ids that do not exist are ignored. They are applied
	// after DoneWork and AddWork. A service parks an item with a far Due
	// and wakes it when something it waits for happens.
	WakeWork []string
	// DoneTasks are task tokens to delete; tokens that do not exist are
	// ignored. They are deleted before AddTasks is applied.
	DoneTasks []string
	// AddTasks are new tasks of this execution; a token that exists gives
	// ErrAlreadyExists.
	AddTasks []Task
	// CloseTasks are task tokens that must still be open: they are deleted
	// like DoneTasks, and if one does not exist (another commit closed it
	// first) the commit writes nothing and returns ErrTaskClosed. Of
	// concurrent commits closing one token, exactly one succeeds.
	CloseTasks []string
	// MapRuns are the current records of the Map Runs this step changed,
	// each upserted by ARN: inserted, or replacing every field of the
	// stored record. Each must belong to the committed execution (its
	// ExecutionARN is the execution's ARN, and a stored record of the same
	// ARN belongs to it too); otherwise the commit writes nothing and
	// returns an error.
	MapRuns []MapRun
}

// Page selects one page of a listing.
type Page struct {
	// MaxResults is the page size; 0 means DefaultMaxResults.
	MaxResults int
	// NextToken is the token returned with the previous page, or empty for
	// the first page.
	NextToken string
}

// ExecutionQuery selects executions of one state machine, newest first.
type ExecutionQuery struct {
	StateMachineARN string
	// VersionARN, when set, keeps only the executions that ran this
	// version (started on it, or on an alias that chose it); AliasARN
	// only those started on this alias. StateMachineARN is then ignored.
	VersionARN string
	AliasARN   string
	// Status, when not empty, keeps only executions with this status.
	Status ExecutionStatus
	// Redrive, when not empty, keeps only executions that were redriven
	// (RedriveCount above 0) or only those that were not.
	Redrive RedriveFilter
	Page
}

// RedriveFilter selects executions by whether they were redriven, as
// ListExecutions' redriveFilter does.
type RedriveFilter string

// The redrive filters, as the AWS API names them.
const (
	RedriveFilterRedriven    RedriveFilter = "REDRIVEN"
	RedriveFilterNotRedriven RedriveFilter = "NOT_REDRIVEN"
)

func (f RedriveFilter) String() string { return string(f) }

// CountRange returns the RedriveCounts f keeps, from lo to hi; an empty
// filter keeps every count.
func (f RedriveFilter) CountRange() (lo, hi int64) {
	switch f {
	case RedriveFilterRedriven:
		return 1, math.MaxInt64
	case RedriveFilterNotRedriven:
		return 0, 0
	}
	return 0, math.MaxInt64
}

// HistoryQuery selects history events of one execution.
type HistoryQuery struct {
	ExecutionARN string
	// Reverse lists events newest first.
	Reverse bool
	Page
}

// Claim asks for due work items.
type Claim struct {
	// Owner identifies the claimant; it must be unique per claimant (for
	// example node id and worker number), since lease calls check it.
	Owner string
	// Now is the claimant's clock: items whose ReadyAt is at or before Now
	// are claimed, and their lease expires at Now+Lease.
	Now   time.Time
	Lease time.Duration
	// Limit is the most items to claim; 0 or less means 1.
	Limit int
}

// MapRunStatus is the status of a Map Run.
type MapRunStatus string

// Map Run statuses, as the AWS API names them.
const (
	MapRunRunning   MapRunStatus = "RUNNING"
	MapRunSucceeded MapRunStatus = "SUCCEEDED"
	MapRunFailed    MapRunStatus = "FAILED"
	MapRunAborted   MapRunStatus = "ABORTED"
)

func (s MapRunStatus) String() string { return string(s) }

// MapRunCounts counts a Map Run's items or child executions by status,
// as DescribeMapRun's itemCounts and executionCounts do.
type MapRunCounts struct {
	Pending, Running, Succeeded, Failed, TimedOut, Aborted, Total int64
	// ResultsWritten counts those whose results a ResultWriter wrote.
	ResultsWritten int64
	// FailuresNotRedrivable counts failed, aborted or timed-out ones that
	// cannot be redriven; PendingRedrive those waiting to be redriven.
	FailuresNotRedrivable, PendingRedrive int64
}

// MapRun is the record of one run of a distributed Map state: its
// configuration (which UpdateMapRun may change while it runs) and its
// progress. The runtime writes it with the step that changed it
// ([Commit.MapRuns]).
type MapRun struct {
	ARN string
	// ExecutionARN is the execution that started the run; StateMachineARN
	// is that execution's state machine.
	ExecutionARN    string
	StateMachineARN string
	Status          MapRunStatus
	// StopDate is zero while the run is RUNNING.
	StartDate, StopDate        time.Time
	MaxConcurrency             int64
	ToleratedFailurePercentage float64
	ToleratedFailureCount      int64
	ItemCounts                 MapRunCounts
	ExecutionCounts            MapRunCounts
	RedriveCount               int64
	// RedriveDate is zero until the run is redriven.
	RedriveDate time.Time
}

// MapRunUpdate is what UpdateMapRun changes in a running Map Run; nil
// fields are left as they are.
type MapRunUpdate struct {
	MaxConcurrency             *int64
	ToleratedFailurePercentage *float64
	ToleratedFailureCount      *int64
}
