package memory

import (
	"cmp"
	"container/heap"
	"context"
	"fmt"
	"slices"
	"time"

	"stepwise/store"
)

// workHeap orders work items by ready time, then age. It implements
// heap.Interface; each item knows its index so it can be removed or fixed.
type workHeap []*workRec

func (h workHeap) Len() int { return len(h) }
func (h workHeap) Less(i, j int) bool {
	if h[i].ready != h[j].ready {
		return h[i].ready < h[j].ready
	}
	return h[i].seq < h[j].seq
}
func (h workHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *workHeap) Push(x any) {
	w := x.(*workRec)
	w.index = len(*h)
	*h = append(*h, w)
}
func (h *workHeap) Pop() any {
	old := *h
	w := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	w.index = -1
	return w
}

func cloneItem(it store.WorkItem) store.WorkItem {
	it.Payload = cloneBytes(it.Payload)
	return it
}

// ClaimWork implements [store.Work].
func (s *Store) ClaimWork(ctx context.Context, c store.Claim) ([]store.WorkItem, error) {
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	limit := max(c.Limit, 1)
	now := store.UnixNanos(c.Now)
	expiry := norm(c.Now.Add(c.Lease))
	var claimed []*workRec
	for len(claimed) < limit && len(s.work) > 0 && s.work[0].ready <= now {
		claimed = append(claimed, heap.Pop(&s.work).(*workRec))
	}
	out := make([]store.WorkItem, len(claimed))
	for i, w := range claimed {
		w.item.Owner, w.item.LeaseExpiry = c.Owner, expiry
		w.item.Claims++
		w.ready = store.UnixNanos(w.item.ReadyAt())
		w.seq = s.nextSeqLocked()
		heap.Push(&s.work, w)
		out[i] = cloneItem(w.item)
	}
	return out, nil
}

// ReleaseLeases implements [store.Work].
func (s *Store) ReleaseLeases(ctx context.Context, owner string) (int, error) {
	if err := s.lock(ctx); err != nil {
		return 0, err
	}
	defer s.mu.Unlock()
	var held []*workRec
	for _, w := range s.work {
		if w.item.Owner != "" && (owner == "" || w.item.Owner == owner) {
			held = append(held, w)
		}
	}
	// Fix moves items within the heap: only after the scan.
	for _, w := range held {
		w.item.Owner, w.item.LeaseExpiry = "", time.Time{}
		w.ready = store.UnixNanos(w.item.ReadyAt())
		heap.Fix(&s.work, w.index)
	}
	return len(held), nil
}

// leasedLocked returns the item the owner holds, or ErrNotFound or
// ErrLeaseLost.
func (s *Store) leasedLocked(executionARN, id, owner string) (*workRec, error) {
	x, ok := s.execs[executionARN]
	var w *workRec
	if ok {
		w, ok = x.work[id]
	}
	if !ok {
		return nil, fmt.Errorf("work %s %s: %w", executionARN, id, store.ErrNotFound)
	}
	if w.item.Owner != owner || owner == "" {
		return nil, fmt.Errorf("work %s %s: %w", executionARN, id, store.ErrLeaseLost)
	}
	return w, nil
}

// ExtendLease implements [store.Work].
func (s *Store) ExtendLease(ctx context.Context, executionARN, id, owner string, until time.Time) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	w, err := s.leasedLocked(executionARN, id, owner)
	if err != nil {
		return fmt.Errorf("extend lease: %w", err)
	}
	w.item.LeaseExpiry = norm(until)
	w.ready = store.UnixNanos(w.item.ReadyAt())
	heap.Fix(&s.work, w.index)
	return nil
}

// ReleaseWork implements [store.Work].
func (s *Store) ReleaseWork(ctx context.Context, executionARN, id, owner string, readyAt time.Time) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	w, err := s.leasedLocked(executionARN, id, owner)
	if err != nil {
		return fmt.Errorf("release work: %w", err)
	}
	w.item.Owner, w.item.LeaseExpiry = "", time.Time{}
	w.item.Claims = max(w.item.Claims-1, 0)
	w.item.Due = norm(readyAt)
	w.ready = store.UnixNanos(w.item.Due)
	heap.Fix(&s.work, w.index)
	return nil
}

// NextWorkTime implements [store.Work].
func (s *Store) NextWorkTime(ctx context.Context) (time.Time, bool, error) {
	if err := s.lock(ctx); err != nil {
		return time.Time{}, false, err
	}
	defer s.mu.Unlock()
	if len(s.work) == 0 {
		return time.Time{}, false, nil
	}
	return s.work[0].item.ReadyAt(), true, nil
}

// ListWork implements [store.Work].
func (s *Store) ListWork(ctx context.Context, executionARN string) ([]store.WorkItem, error) {
	if err := s.lock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	out := []store.WorkItem{}
	if x, ok := s.execs[executionARN]; ok {
		for _, w := range x.work {
			out = append(out, cloneItem(w.item))
		}
	}
	slices.SortFunc(out, func(a, b store.WorkItem) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// GetTask implements [store.Work].
func (s *Store) GetTask(ctx context.Context, token string) (store.Task, error) {
	if err := s.lock(ctx); err != nil {
		return store.Task{}, err
	}
	defer s.mu.Unlock()
	r, ok := s.tasks[token]
	if !ok {
		return store.Task{}, fmt.Errorf("get task: %w", store.ErrNotFound)
	}
	return r.t, nil
}

// ClaimActivityTask implements [store.Work].
func (s *Store) ClaimActivityTask(ctx context.Context, activityARN, workerName string, now time.Time) (store.Task, error) {
	if err := s.lock(ctx); err != nil {
		return store.Task{}, err
	}
	defer s.mu.Unlock()
	q := s.queue[activityARN]
	for len(q) > 0 {
		r := q[0]
		q[0] = nil
		q = q[1:]
		if r.done {
			continue
		}
		r.done = true
		r.t.Claimed, r.t.WorkerName, r.t.ClaimDate = true, workerName, norm(now)
		s.setQueueLocked(activityARN, q)
		return r.t, nil
	}
	s.setQueueLocked(activityARN, q)
	return store.Task{}, fmt.Errorf("claim activity task %s: %w", activityARN, store.ErrNotFound)
}

func (s *Store) setQueueLocked(activityARN string, q []*taskRec) {
	if len(q) == 0 {
		delete(s.queue, activityARN)
		return
	}
	s.queue[activityARN] = q
}
