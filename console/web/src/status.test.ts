import { describe, expect, it } from 'vitest';
import { analyse, stateOf, type HistoryEvent } from './status';
import shipped from './testdata/shipped.json';
import declined from './testdata/declined.json';
import rejected from './testdata/rejected.json';

// shipped, declined and rejected are histories of the order machine of
// console/browser_test.go, recorded from Stepwise's GetExecutionHistory.

const statuses = (events: HistoryEvent[], exec: string) =>
  Object.fromEntries([...analyse(events, exec).states].map(([k, v]) => [k, v.status]));

let id = 0;
const ev = (type: string, prev: number, extra: Record<string, unknown> = {}): HistoryEvent => ({
  id: ++id, previousEventId: prev, timestamp: 1700000000 + id, type, ...extra,
});
const entered = (type: string, name: string, prev: number) =>
  ev(`${type}StateEntered`, prev, { stateEnteredEventDetails: { name, input: '{}' } });
const exited = (type: string, name: string, prev: number, output = '{}') =>
  ev(`${type}StateExited`, prev, { stateExitedEventDetails: { name, output } });

describe('analyse', () => {
  it('marks every state of a successful run succeeded', () => {
    expect(statuses(shipped.events, 'SUCCEEDED')).toEqual({
      Check: 'succeeded', Fan: 'succeeded', Price: 'succeeded', Hold: 'succeeded', Held: 'succeeded',
      Items: 'succeeded', Ship: 'succeeded', Charge: 'succeeded', Done: 'succeeded',
    });
    const a = analyse(shipped.events, 'SUCCEEDED');
    expect(a.states.get('Ship')?.visits).toHaveLength(3);
    expect(a.transitions).toBe(11);
    expect(a.iterations.get('Items')?.map((i) => `${i.index}:${i.status}`)).toEqual(['0:succeeded', '1:succeeded', '2:succeeded']);
  });

  it('marks a caught task caught, with its error and cause', () => {
    const a = analyse(declined.events, 'SUCCEEDED');
    const charge = a.states.get('Charge')!;
    expect(charge.status).toBe('caught');
    expect(charge.visits[0].error).toBe('Payment.Declined');
    expect(charge.visits[0].cause).toBe('the card was declined');
    expect(a.states.get('Refund')?.status).toBe('succeeded');
    expect(a.states.has('Recover')).toBe(false); // not reached
  });

  it('marks a Fail state failed and leaves the rest not reached', () => {
    expect(statuses(rejected.events, 'FAILED')).toEqual({ Check: 'succeeded', Reject: 'failed' });
  });

  it('attributes task events to their state inside concurrent branches', () => {
    const events = shipped.events as HistoryEvent[];
    const a = analyse(events, 'SUCCEEDED');
    const succeeded = events.find((e) => e.type === 'LambdaFunctionSucceeded')!;
    expect(stateOf(succeeded, a)).toBe('Price');
    expect(stateOf(events.find((e) => e.type === 'ParallelStateSucceeded')!, a)).toBe('Fan');
  });

  it('marks a running execution: open states running, later ones not reached', () => {
    id = 0;
    const events = [
      ev('ExecutionStarted', 0),
      entered('Pass', 'A', 1), exited('Pass', 'A', 2),
      entered('Wait', 'W', 3),
    ];
    expect(statuses(events, 'RUNNING')).toEqual({ A: 'succeeded', W: 'running' });
    expect(statuses(events, 'ABORTED')).toEqual({ A: 'succeeded', W: 'aborted' });
  });

  it('counts retries and ends succeeded after a successful retry', () => {
    id = 0;
    const events = [
      ev('ExecutionStarted', 0),
      entered('Task', 'T', 1),
      ev('TaskScheduled', 2), ev('TaskStarted', 3),
      ev('TaskFailed', 4, { taskFailedEventDetails: { error: 'Boom', cause: 'first' } }),
      ev('TaskScheduled', 5), ev('TaskStarted', 6), ev('TaskSucceeded', 7),
      exited('Task', 'T', 8),
      ev('ExecutionSucceeded', 9),
    ];
    const t = analyse(events, 'SUCCEEDED').states.get('T')!;
    expect(t.status).toBe('succeeded');
    expect(t.visits[0].retries).toBe(1);
    expect(t.visits[0].error).toBe('Boom');
  });

  it('fails a task whose failure ended the execution', () => {
    id = 0;
    const events = [
      ev('ExecutionStarted', 0),
      entered('Task', 'T', 1), ev('TaskScheduled', 2), ev('TaskStarted', 3),
      ev('TaskFailed', 4, { taskFailedEventDetails: { error: 'States.TaskFailed', cause: 'no' } }),
      ev('ExecutionFailed', 5, { executionFailedEventDetails: { error: 'States.TaskFailed', cause: 'no' } }),
    ];
    expect(statuses(events, 'FAILED')).toEqual({ T: 'failed' });
  });

  it('fails the state a Choice failure came from (States.NoChoiceMatched)', () => {
    id = 0;
    const events = [
      ev('ExecutionStarted', 0),
      entered('Choice', 'C', 1),
      ev('ExecutionFailed', 2, { executionFailedEventDetails: { error: 'States.NoChoiceMatched', cause: 'none' } }),
    ];
    const c = analyse(events, 'FAILED').states.get('C')!;
    expect(c.status).toBe('failed');
    expect(c.visits[0].error).toBe('States.NoChoiceMatched');
  });

  it('catches a failed Parallel and fails the branch state (AWS parallel_state_catch)', () => {
    // Recorded on AWS: ParallelStateFailed points at the branch's Fail state.
    id = 0;
    const events = [
      ev('ExecutionStarted', 0),
      entered('Parallel', 'P', 0),
      ev('ParallelStateStarted', 2),
      entered('Fail', 'F', 3),
      ev('ParallelStateFailed', 4),
      exited('Parallel', 'P', 5),
      entered('Pass', 'Handle', 6), exited('Pass', 'Handle', 7),
      ev('ExecutionSucceeded', 8),
    ];
    expect(statuses(events, 'SUCCEEDED')).toEqual({ P: 'caught', F: 'failed', Handle: 'succeeded' });
  });

  it('aborts the other branches when a Parallel fails', () => {
    id = 0;
    const events = [
      ev('ExecutionStarted', 0),
      entered('Parallel', 'P', 1), ev('ParallelStateStarted', 2),
      entered('Wait', 'W', 3), entered('Fail', 'F', 4),
      ev('ParallelStateFailed', 5),
      ev('ExecutionFailed', 6, { executionFailedEventDetails: { error: 'E', cause: 'c' } }),
    ];
    expect(statuses(events, 'FAILED')).toEqual({ P: 'failed', W: 'aborted', F: 'failed' });
  });
});

describe('analyse after a redrive', () => {
  // A Parallel whose branch B failed, redriven: only B is entered again
  // (the Parallel waits on it, as AWS redrives only failed branches).
  const h: HistoryEvent[] = [];
  const push = (e: HistoryEvent) => (h.push(e), e.id);
  let p = push(ev('ExecutionStarted', 0));
  const fan = push(entered('Parallel', 'Fan', p));
  push(ev('ParallelStateStarted', fan));
  const a = push(entered('Pass', 'A', fan));
  push(exited('Pass', 'A', a));
  p = push(entered('Task', 'B', fan));
  p = push(ev('TaskScheduled', p, { taskScheduledEventDetails: { resource: 'invoke', resourceType: 'lambda' } }));
  p = push(ev('TaskStarted', p));
  p = push(ev('TaskFailed', p, { taskFailedEventDetails: { error: 'Boom', cause: 'first try' } }));
  p = push(ev('ParallelStateFailed', p));
  const failedAt = push(ev('ExecutionFailed', p, { executionFailedEventDetails: { error: 'Boom', cause: 'first try' } }));
  p = push(ev('ExecutionRedriven', failedAt, { executionRedrivenEventDetails: { redriveCount: 1 } }));
  p = push(entered('Task', 'B', p));
  const running = h.length;
  p = push(ev('TaskScheduled', p, { taskScheduledEventDetails: { resource: 'invoke', resourceType: 'lambda' } }));
  p = push(ev('TaskStarted', p));
  p = push(ev('TaskSucceeded', p, { taskSucceededEventDetails: { output: '{}' } }));
  p = push(exited('Task', 'B', p));
  p = push(ev('ParallelStateSucceeded', p));
  p = push(exited('Parallel', 'Fan', p));
  push(ev('ExecutionSucceeded', p));

  it('shows the failed execution failed where it failed', () => {
    expect(statuses(h.slice(0, h.findIndex((e) => e.id === failedAt) + 1), 'FAILED')).toEqual({ Fan: 'failed', A: 'succeeded', B: 'failed' });
  });

  it('shows the state entered again running, not failed, while the redrive runs', () => {
    expect(statuses(h.slice(0, running), 'RUNNING')).toEqual({ Fan: 'running', A: 'succeeded', B: 'running' });
  });

  it('colours each state by its entries since the redrive, keeping the earlier ones', () => {
    const r = analyse(h, 'SUCCEEDED');
    expect(statuses(h, 'SUCCEEDED')).toEqual({ Fan: 'succeeded', A: 'succeeded', B: 'succeeded' });
    const b = r.states.get('B')!;
    expect(b.visits.map((v) => [v.status, v.redrive, v.error])).toEqual([['failed', 0, 'Boom'], ['succeeded', 1, undefined]]);
    expect(r.states.get('A')!.visits).toHaveLength(1);
    expect(r.states.get('Fan')!.visits[0].error).toBeUndefined();
  });
});
