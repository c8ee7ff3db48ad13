package memory

import (
	"cmp"
	"container/heap"
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"stepwise/store"
)

var _ store.Store = (*Store)(nil)

// Store is an in-memory [store.Store]. It is safe for concurrent use by
// multiple goroutines; all operations are serialized by one mutex, and
// values are copied in and out, so callers never share memory with it.
type Store struct {
	mu sync.Mutex // protects the following fields

	closed bool
	seq    int64 // last sequence number handed out

	machines     map[string]*machineRec // by ARN
	machineNames map[string]string      // name -> ARN
	activities   map[string]*activityRec
	activityName map[string]string
	tags         map[string]map[string]string // resource ARN -> key -> value

	execs map[string]*execRec   // by ARN
	bySM  map[string][]*execRec // by state machine ARN, in creation order
	work  workHeap              // every work item, by ready time
	tasks map[string]*taskRec   // by token
	queue map[string][]*taskRec // by activity ARN, oldest first; may hold finished tasks

	mapRuns map[string]*store.MapRun // by ARN; see mapruns.go

	secrets map[string][]byte // by name; see secrets.go
}

type machineRec struct {
	seq       int64
	latest    store.StateMachine
	revisions map[string]store.StateMachine
	// versions by number, lastVersion the highest number ever given, and
	// aliases by ARN: see versions.go.
	versions    map[int64]store.StateMachineVersion
	lastVersion int64
	aliases     map[string]*aliasRec
}

type activityRec struct {
	seq int64
	a   store.Activity
}

type execRec struct {
	seq    int64
	e      store.Execution
	events []store.Event // sorted by ID
	work   map[string]*workRec
}

type workRec struct {
	item  store.WorkItem
	ready int64 // UnixNano of item.ReadyAt
	seq   int64 // tie-break: older first
	index int   // position in the heap
}

type taskRec struct {
	t    store.Task
	done bool // deleted or claimed: skip when found in a queue
}

// New returns an empty store.
func New() *Store {
	return &Store{
		machines:     map[string]*machineRec{},
		machineNames: map[string]string{},
		activities:   map[string]*activityRec{},
		activityName: map[string]string{},
		tags:         map[string]map[string]string{},
		execs:        map[string]*execRec{},
		bySM:         map[string][]*execRec{},
		tasks:        map[string]*taskRec{},
		queue:        map[string][]*taskRec{},
		mapRuns:      map[string]*store.MapRun{},
	}
}

// Close marks the store closed; later calls return [store.ErrClosed]. It is
// idempotent and always returns nil.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return nil
}

// lock takes the mutex and checks ctx and the closed flag; on error the
// mutex is not held.
func (s *Store) lock(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return store.ErrClosed
	}
	return nil
}

func (s *Store) nextSeqLocked() int64 {
	s.seq++
	return s.seq
}

// norm drops the monotonic reading and location, and precision below what
// the sqlite backend keeps, so both backends return equal values.
func norm(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return time.Unix(0, t.UnixNano()).UTC()
}

func cloneBytes(b []byte) []byte {
	if b == nil {
		return nil
	}
	return slices.Clone(b)
}

// State machines.

// CreateStateMachine implements [store.StateMachines].
func (s *Store) CreateStateMachine(ctx context.Context, sm store.StateMachine, tags []store.Tag) (store.StateMachine, error) {
	if err := s.lock(ctx); err != nil {
		return store.StateMachine{}, err
	}
	defer s.mu.Unlock()
	if arn, ok := s.machineNames[sm.Name]; ok {
		return s.machines[arn].latest, fmt.Errorf("create state machine %s: %w", sm.Name, store.ErrAlreadyExists)
	}
	if m, ok := s.machines[sm.ARN]; ok {
		return m.latest, fmt.Errorf("create state machine %s: %w", sm.ARN, store.ErrAlreadyExists)
	}
	sm.CreationDate = norm(sm.CreationDate)
	sm.UpdateDate = sm.CreationDate
	if sm.Status == "" {
		sm.Status = store.StatusActive
	}
	sm.VersionARN = ""
	m := &machineRec{seq: s.nextSeqLocked(), latest: sm, revisions: map[string]store.StateMachine{sm.RevisionID: sm},
		versions: map[int64]store.StateMachineVersion{}, aliases: map[string]*aliasRec{}}
	s.machines[sm.ARN] = m
	s.machineNames[sm.Name] = sm.ARN
	s.tagLocked(sm.ARN, tags)
	return sm, nil
}

// GetStateMachine implements [store.StateMachines].
func (s *Store) GetStateMachine(ctx context.Context, arn string) (store.StateMachine, error) {
	if err := s.lock(ctx); err != nil {
		return store.StateMachine{}, err
	}
	defer s.mu.Unlock()
	m, ok := s.machines[arn]
	if !ok {
		return store.StateMachine{}, fmt.Errorf("get state machine %s: %w", arn, store.ErrNotFound)
	}
	return m.latest, nil
}

// GetStateMachineRevision implements [store.StateMachines].
func (s *Store) GetStateMachineRevision(ctx context.Context, arn, revisionID string) (store.StateMachine, error) {
	if err := s.lock(ctx); err != nil {
		return store.StateMachine{}, err
	}
	defer s.mu.Unlock()
	m, ok := s.machines[arn]
	if !ok {
		return store.StateMachine{}, fmt.Errorf("get state machine %s: %w", arn, store.ErrNotFound)
	}
	r, ok := m.revisions[revisionID]
	if !ok {
		return store.StateMachine{}, fmt.Errorf("get state machine %s revision %s: %w", arn, revisionID, store.ErrNotFound)
	}
	r.Status, r.Description = m.latest.Status, m.latest.Description
	return r, nil
}

// UpdateStateMachine implements [store.StateMachines].
func (s *Store) UpdateStateMachine(ctx context.Context, u store.StateMachineUpdate) (store.StateMachine, error) {
	if err := s.lock(ctx); err != nil {
		return store.StateMachine{}, err
	}
	defer s.mu.Unlock()
	m, ok := s.machines[u.ARN]
	if !ok {
		return store.StateMachine{}, fmt.Errorf("update state machine %s: %w", u.ARN, store.ErrNotFound)
	}
	sm := m.latest
	if u.Status != nil {
		sm.Status = *u.Status
	}
	revised := u.Definition != nil || u.RoleARN != nil || u.LoggingConfiguration != nil || u.TracingConfiguration != nil || u.EncryptionConfiguration != nil
	if revised {
		if _, ok := m.revisions[u.RevisionID]; ok {
			return m.latest, fmt.Errorf("update state machine %s revision %s: %w", u.ARN, u.RevisionID, store.ErrAlreadyExists)
		}
		set(&sm.Definition, u.Definition)
		set(&sm.RoleARN, u.RoleARN)
		set(&sm.LoggingConfiguration, u.LoggingConfiguration)
		set(&sm.TracingConfiguration, u.TracingConfiguration)
		set(&sm.EncryptionConfiguration, u.EncryptionConfiguration)
		sm.RevisionID = u.RevisionID
		sm.UpdateDate = norm(u.UpdateDate)
	}
	var version store.StateMachineVersion
	if u.Publish != nil {
		// Checked before anything changes, so a refused publish writes
		// nothing.
		p := *u.Publish
		p.StateMachineARN, p.RevisionID, p.CreationDate = u.ARN, "", u.UpdateDate
		var err error
		if version, err = s.checkPublishLocked(m, sm, revised, p); err != nil && !errors.Is(err, store.ErrAlreadyExists) {
			return store.StateMachine{}, fmt.Errorf("update state machine %s: %w", u.ARN, err)
		}
	}
	if revised {
		m.revisions[sm.RevisionID] = sm
	}
	m.latest = sm
	if u.Publish != nil {
		m.addVersionLocked(version)
		sm.VersionARN = version.ARN
	}
	return sm, nil
}

func set(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}

// DeleteStateMachine implements [store.StateMachines].
func (s *Store) DeleteStateMachine(ctx context.Context, arn string) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	m, ok := s.machines[arn]
	if !ok {
		return fmt.Errorf("delete state machine %s: %w", arn, store.ErrNotFound)
	}
	if s.runningLocked(arn) {
		m.latest.Status = store.StatusDeleting
		return nil
	}
	s.deleteMachineLocked(m)
	return nil
}

// runningLocked reports whether an execution of the state machine runs.
func (s *Store) runningLocked(arn string) bool {
	for _, x := range s.bySM[arn] {
		if x.e.Status == store.ExecutionRunning {
			return true
		}
	}
	return false
}

func (s *Store) deleteMachineLocked(m *machineRec) {
	// Its versions and aliases live in m and go with it.
	delete(s.machines, m.latest.ARN)
	delete(s.machineNames, m.latest.Name)
	delete(s.tags, m.latest.ARN)
}

// ListStateMachines implements [store.StateMachines].
func (s *Store) ListStateMachines(ctx context.Context, p store.Page) ([]store.StateMachine, string, error) {
	after, err := store.DecodeTokenAfter(store.TokenStateMachines, p.NextToken, 0)
	if err != nil {
		return nil, "", err
	}
	if err := s.lock(ctx); err != nil {
		return nil, "", err
	}
	defer s.mu.Unlock()
	recs, next := pageBySeq(s.machines, func(m *machineRec) int64 { return m.seq }, after, p.MaxResults, store.TokenStateMachines)
	out := make([]store.StateMachine, len(recs))
	for i, m := range recs {
		out[i] = m.latest
		out[i].Definition = ""
	}
	return out, next, nil
}

// Activities.

// CreateActivity implements [store.Activities].
func (s *Store) CreateActivity(ctx context.Context, a store.Activity, tags []store.Tag) (store.Activity, error) {
	if err := s.lock(ctx); err != nil {
		return store.Activity{}, err
	}
	defer s.mu.Unlock()
	if arn, ok := s.activityName[a.Name]; ok {
		return s.activities[arn].a, fmt.Errorf("create activity %s: %w", a.Name, store.ErrAlreadyExists)
	}
	if r, ok := s.activities[a.ARN]; ok {
		return r.a, fmt.Errorf("create activity %s: %w", a.ARN, store.ErrAlreadyExists)
	}
	a.CreationDate = norm(a.CreationDate)
	s.activities[a.ARN] = &activityRec{seq: s.nextSeqLocked(), a: a}
	s.activityName[a.Name] = a.ARN
	s.tagLocked(a.ARN, tags)
	return a, nil
}

// GetActivity implements [store.Activities].
func (s *Store) GetActivity(ctx context.Context, arn string) (store.Activity, error) {
	if err := s.lock(ctx); err != nil {
		return store.Activity{}, err
	}
	defer s.mu.Unlock()
	r, ok := s.activities[arn]
	if !ok {
		return store.Activity{}, fmt.Errorf("get activity %s: %w", arn, store.ErrNotFound)
	}
	return r.a, nil
}

// DeleteActivity implements [store.Activities].
func (s *Store) DeleteActivity(ctx context.Context, arn string) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	r, ok := s.activities[arn]
	if !ok {
		return fmt.Errorf("delete activity %s: %w", arn, store.ErrNotFound)
	}
	delete(s.activities, arn)
	delete(s.activityName, r.a.Name)
	delete(s.tags, arn)
	return nil
}

// ListActivities implements [store.Activities].
func (s *Store) ListActivities(ctx context.Context, p store.Page) ([]store.Activity, string, error) {
	after, err := store.DecodeTokenAfter(store.TokenActivities, p.NextToken, 0)
	if err != nil {
		return nil, "", err
	}
	if err := s.lock(ctx); err != nil {
		return nil, "", err
	}
	defer s.mu.Unlock()
	recs, next := pageBySeq(s.activities, func(r *activityRec) int64 { return r.seq }, after, p.MaxResults, store.TokenActivities)
	out := make([]store.Activity, len(recs))
	for i, r := range recs {
		out[i] = r.a
	}
	return out, next, nil
}

// Tags.

func (s *Store) tagLocked(arn string, tags []store.Tag) {
	if len(tags) == 0 {
		return
	}
	m := s.tags[arn]
	if m == nil {
		m = map[string]string{}
		s.tags[arn] = m
	}
	for _, t := range tags {
		m[t.Key] = t.Value
	}
}

func (s *Store) resourceExistsLocked(arn string) bool {
	_, ok := s.machines[arn]
	if !ok {
		_, ok = s.activities[arn]
	}
	return ok
}

// TagResource implements [store.Tags].
func (s *Store) TagResource(ctx context.Context, arn string, tags []store.Tag) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if !s.resourceExistsLocked(arn) {
		return fmt.Errorf("tag %s: %w", arn, store.ErrNotFound)
	}
	s.tagLocked(arn, tags)
	return nil
}

// UntagResource implements [store.Tags].
func (s *Store) UntagResource(ctx context.Context, arn string, keys []string) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if !s.resourceExistsLocked(arn) {
		return fmt.Errorf("untag %s: %w", arn, store.ErrNotFound)
	}
	for _, k := range keys {
		delete(s.tags[arn], k)
	}
	return nil
}

// ListTags implements [store.Tags].
func (s *Store) ListTags(ctx context.Context, arn string) ([]store.Tag, error) {
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	if !s.resourceExistsLocked(arn) {
		return nil, fmt.Errorf("list tags %s: %w", arn, store.ErrNotFound)
	}
	out := []store.Tag{}
	for k, v := range s.tags[arn] {
		out = append(out, store.Tag{Key: k, Value: v})
	}
	slices.SortFunc(out, func(a, b store.Tag) int { return cmp.Compare(a.Key, b.Key) })
	return out, nil
}

// Executions.

// Commit implements [store.Executions]. It validates the whole commit
// before changing anything, so a failing commit writes nothing.
func (s *Store) Commit(ctx context.Context, c store.Commit) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	arn := c.ExecutionARN
	var x *execRec
	if c.Start != nil {
		arn = c.Start.ARN
		if _, ok := s.execs[arn]; ok {
			return fmt.Errorf("commit %s: %w", arn, store.ErrAlreadyExists)
		}
		m, ok := s.machines[c.Start.StateMachineARN]
		if !ok {
			return fmt.Errorf("commit %s: state machine %s: %w", arn, c.Start.StateMachineARN, store.ErrNotFound)
		}
		if m.latest.Status == store.StatusDeleting {
			return fmt.Errorf("commit %s: state machine %s: %w", arn, c.Start.StateMachineARN, store.ErrStateMachineDeleting)
		}
	} else {
		var ok bool
		if x, ok = s.execs[arn]; !ok {
			return fmt.Errorf("commit %s: %w", arn, store.ErrNotFound)
		}
		if x.e.Version != c.ExpectedVersion {
			return fmt.Errorf("commit %s: version %d, expected %d: %w", arn, x.e.Version, c.ExpectedVersion, store.ErrConflict)
		}
	}
	if err := s.checkCommitLocked(x, c); err != nil {
		return fmt.Errorf("commit %s: %w", arn, err)
	}
	if err := s.checkMapRunsLocked(arn, c.MapRuns); err != nil {
		return fmt.Errorf("commit %s: %w", arn, err)
	}

	if c.Start != nil {
		e := *c.Start
		e.StartDate, e.StopDate = norm(e.StartDate), norm(e.StopDate)
		e.State = cloneBytes(e.State)
		e.Version = 0
		if e.Status == "" {
			e.Status = store.ExecutionRunning
		}
		x = &execRec{seq: s.nextSeqLocked(), e: e, work: map[string]*workRec{}}
		s.execs[arn] = x
		s.bySM[e.StateMachineARN] = append(s.bySM[e.StateMachineARN], x)
	}
	x.e.Version++
	if c.State != nil {
		x.e.State = cloneBytes(c.State)
	}
	if r := c.Redrive; r != nil {
		x.e.Status = store.ExecutionRunning
		x.e.Output, x.e.Error, x.e.Cause, x.e.StopDate = "", "", "", time.Time{}
		x.e.RedriveCount, x.e.RedriveDate, x.e.RedriveToken = r.Count, norm(r.Date), r.Token
	}
	if c.End != nil {
		x.e.Status = c.End.Status
		x.e.Output, x.e.Error, x.e.Cause = c.End.Output, c.End.Error, c.End.Cause
		x.e.StopDate = norm(c.End.StopDate)
		if m, ok := s.machines[x.e.StateMachineARN]; ok && m.latest.Status == store.StatusDeleting && !s.runningLocked(m.latest.ARN) {
			s.deleteMachineLocked(m)
		}
	}
	for _, tok := range c.CloseTasks {
		if t, ok := s.tasks[tok]; ok {
			t.done = true
			delete(s.tasks, tok)
		}
	}
	s.appendEventsLocked(x, c.Events)
	for _, id := range c.DoneWork {
		if w, ok := x.work[id]; ok {
			heap.Remove(&s.work, w.index)
			delete(x.work, id)
		}
	}
	for _, it := range c.AddWork {
		if w, ok := x.work[it.ID]; ok {
			heap.Remove(&s.work, w.index)
		}
		it.ExecutionARN = arn
		it.Payload = cloneBytes(it.Payload)
		it.Due = norm(it.Due)
		it.Owner, it.LeaseExpiry, it.Claims = "", time.Time{}, 0
		w := &workRec{item: it, ready: store.UnixNanos(it.Due), seq: s.nextSeqLocked()}
		x.work[it.ID] = w
		heap.Push(&s.work, w)
	}
	for _, id := range c.WakeWork {
		if w, ok := x.work[id]; ok {
			w.item.Due, w.item.Owner, w.item.LeaseExpiry = time.Time{}, "", time.Time{}
			w.ready = store.UnixNanos(w.item.Due)
			heap.Fix(&s.work, w.index)
		}
	}
	for _, tok := range c.DoneTasks {
		if t, ok := s.tasks[tok]; ok {
			t.done = true
			delete(s.tasks, tok)
		}
	}
	for _, t := range c.AddTasks {
		t.ExecutionARN = arn
		t.Created, t.ClaimDate = norm(t.Created), norm(t.ClaimDate)
		r := &taskRec{t: t}
		s.tasks[t.Token] = r
		if t.ActivityARN != "" && !t.Claimed {
			s.queue[t.ActivityARN] = append(s.queue[t.ActivityARN], r)
		}
	}
	s.putMapRunsLocked(c.MapRuns)
	return nil
}

// checkCommitLocked reports what would make c fail on x (nil when c starts
// the execution).
func (s *Store) checkCommitLocked(x *execRec, c store.Commit) error {
	ids := map[int64]bool{}
	for _, ev := range c.Events {
		if ids[ev.ID] || (x != nil && x.hasEvent(ev.ID)) {
			return fmt.Errorf("event %d: %w", ev.ID, store.ErrAlreadyExists)
		}
		ids[ev.ID] = true
	}
	done := map[string]bool{}
	for _, tok := range c.CloseTasks {
		t, ok := s.tasks[tok]
		if !ok || done[tok] || x == nil || t.t.ExecutionARN != x.e.ARN {
			return fmt.Errorf("task token: %w", store.ErrTaskClosed)
		}
		done[tok] = true
	}
	for _, tok := range c.DoneTasks {
		done[tok] = true
	}
	toks := map[string]bool{}
	for _, t := range c.AddTasks {
		_, exists := s.tasks[t.Token]
		if toks[t.Token] || (exists && !done[t.Token]) {
			return fmt.Errorf("task token: %w", store.ErrAlreadyExists)
		}
		toks[t.Token] = true
	}
	return nil
}

func (x *execRec) hasEvent(id int64) bool {
	_, ok := slices.BinarySearchFunc(x.events, id, func(e store.Event, id int64) int { return cmp.Compare(e.ID, id) })
	return ok
}

func (s *Store) appendEventsLocked(x *execRec, evs []store.Event) {
	sorted := true
	for _, ev := range evs {
		ev.Time = norm(ev.Time)
		ev.JSON = cloneBytes(ev.JSON)
		if n := len(x.events); n > 0 && x.events[n-1].ID > ev.ID {
			sorted = false
		}
		x.events = append(x.events, ev)
	}
	if !sorted {
		slices.SortFunc(x.events, func(a, b store.Event) int { return cmp.Compare(a.ID, b.ID) })
	}
}

// GetExecution implements [store.Executions].
func (s *Store) GetExecution(ctx context.Context, arn string) (store.Execution, error) {
	if err := s.lock(ctx); err != nil {
		return store.Execution{}, err
	}
	defer s.mu.Unlock()
	x, ok := s.execs[arn]
	if !ok {
		return store.Execution{}, fmt.Errorf("get execution %s: %w", arn, store.ErrNotFound)
	}
	e := x.e
	e.State = cloneBytes(e.State)
	return e, nil
}

// ListExecutions implements [store.Executions].
func (s *Store) ListExecutions(ctx context.Context, q store.ExecutionQuery) ([]store.Execution, string, error) {
	before := int64(-1)
	if q.NextToken != "" {
		var err error
		if before, err = store.DecodeToken(store.TokenExecutions, q.NextToken); err != nil {
			return nil, "", err
		}
	}
	if err := s.lock(ctx); err != nil {
		return nil, "", err
	}
	defer s.mu.Unlock()
	machine := q.StateMachineARN
	if q.VersionARN != "" {
		machine = qualifiedMachine(q.VersionARN)
	} else if q.AliasARN != "" {
		machine = qualifiedMachine(q.AliasARN)
	}
	recs := s.bySM[machine]
	i := len(recs)
	if before >= 0 {
		i = sort.Search(len(recs), func(i int) bool { return recs[i].seq >= before })
	}
	n := store.PageSize(q.MaxResults)
	out := []store.Execution{}
	var next string
	var lastSeq int64
	for i--; i >= 0; i-- {
		x := recs[i]
		if lo, hi := q.Redrive.CountRange(); x.e.RedriveCount < lo || x.e.RedriveCount > hi {
			continue
		}
		if q.Status != "" && x.e.Status != q.Status ||
			q.VersionARN != "" && x.e.VersionARN != q.VersionARN || q.AliasARN != "" && x.e.AliasARN != q.AliasARN {
			continue
		}
		if len(out) == n {
			// There is one more: resume before the last one returned.
			next = store.EncodeToken(store.TokenExecutions, lastSeq)
			break
		}
		lastSeq = x.seq
		e := x.e
		e.Input, e.Output, e.State = "", "", nil
		out = append(out, e)
	}
	return out, next, nil
}

// History implements [store.Executions].
func (s *Store) History(ctx context.Context, q store.HistoryQuery) ([]store.Event, string, error) {
	after := int64(-1)
	if q.NextToken != "" {
		var err error
		if after, err = store.DecodeToken(store.TokenHistory, q.NextToken); err != nil {
			return nil, "", err
		}
	}
	if err := s.lock(ctx); err != nil {
		return nil, "", err
	}
	defer s.mu.Unlock()
	x, ok := s.execs[q.ExecutionARN]
	if !ok {
		return nil, "", fmt.Errorf("history %s: %w", q.ExecutionARN, store.ErrNotFound)
	}
	n := store.PageSize(q.MaxResults)
	evs := x.events
	var page []store.Event
	if !q.Reverse {
		i := 0
		if after >= 0 {
			i = sort.Search(len(evs), func(i int) bool { return evs[i].ID > after })
		}
		page = evs[i:min(len(evs), i+n)]
	} else {
		j := len(evs)
		if after >= 0 {
			j = sort.Search(len(evs), func(i int) bool { return evs[i].ID >= after })
		}
		page = slices.Clone(evs[max(0, j-n):j])
		slices.Reverse(page)
	}
	out := make([]store.Event, len(page))
	for i, ev := range page {
		ev.JSON = cloneBytes(ev.JSON)
		out[i] = ev
	}
	var next string
	if len(out) == n && len(out) > 0 {
		last := out[len(out)-1].ID
		more := (!q.Reverse && last < evs[len(evs)-1].ID) || (q.Reverse && last > evs[0].ID)
		if more {
			next = store.EncodeToken(store.TokenHistory, last)
		}
	}
	return out, next, nil
}

// pageBySeq returns one page of records in creation (seq) order after the
// seq after, and the token of the next page ("" after the last).
func pageBySeq[R any](records map[string]R, seq func(R) int64, after int64, maxResults int, kind string) ([]R, string) {
	recs := make([]R, 0, len(records))
	for _, r := range records {
		if seq(r) > after {
			recs = append(recs, r)
		}
	}
	slices.SortFunc(recs, func(a, b R) int { return cmp.Compare(seq(a), seq(b)) })
	n := store.PageSize(maxResults)
	if len(recs) <= n {
		return recs, ""
	}
	recs = recs[:n]
	return recs, store.EncodeToken(kind, seq(recs[n-1]))
}
