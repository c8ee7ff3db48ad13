import { describe, expect, it } from 'vitest';
import { buildGraph } from './graph/model';
import { analysePart, containersOf, failStates, partition, partStatus, type Part, type Parts } from './parts';
import type { HistoryEvent } from './status';
import order from './testdata/order.asl.json';
import fanout from './testdata/fanout.asl.json';
import shipped from './testdata/shipped.json';
import fanoutOK from './testdata/fanout-ok.json';
import fanoutBad from './testdata/fanout-bad.json';

// The histories are Stepwise's GetExecutionHistory answers for the order
// and fanout machines of console/browser_test.go (fanout-ok: four items,
// each running a Parallel of a Task and two Passes; fanout-bad: item 2 is
// bad and fails its iteration, and the Map, whose error is caught).

const orderGraph = buildGraph(order);
const fanoutGraph = buildGraph(fanout);

/** The one run of a Map or Parallel state in the history. */
function runOf(parts: Parts, events: HistoryEvent[], state: string, nth = 0): Map<number, Part> {
  const entered = events.filter((e) => /StateEntered$/.test(e.type) && (e.stateEnteredEventDetails as { name: string }).name === state);
  return parts.byVisit.get(entered[nth].id)!;
}

/** State name to status in one part, and the output of one of its states. */
function view(p: Part, parts: Parts, done = true) {
  const a = analysePart(p, parts, done, failStates(fanout));
  const status = Object.fromEntries([...a.states].map(([k, v]) => [k, v.status]));
  const output = (s: string) => a.states.get(s)?.visits.map((v) => v.output);
  return { status, output, a, whole: partStatus(p, parts, done, a) };
}

describe('failStates', () => {
  it('finds nested Fail states and skips computed errors', () => {
    expect(failStates(fanout).get('Boom')).toEqual({ error: 'Item.Bad', cause: 'the item is bad' });
    expect(failStates(order).get('Reject')).toEqual({ error: 'Rejected', cause: 'the order has no items' });
    const jsonata = failStates('{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"{% $e %}","Cause":"c"}}}');
    expect(jsonata.get('F')).toEqual({ error: undefined, cause: 'c' });
    expect(failStates('not json').size).toBe(0);
  });
});

describe('containersOf', () => {
  it('knows the branch or processor of each nested state', () => {
    const w = containersOf(orderGraph);
    expect(w.get('Price')).toEqual({ container: 'Fan', kind: 'Parallel', branch: 0 });
    expect(w.get('Held')).toEqual({ container: 'Fan', kind: 'Parallel', branch: 1 });
    expect(w.get('Ship')).toEqual({ container: 'Items', kind: 'Map', branch: 0 });
    expect(w.has('Check')).toBe(false);
  });
});

describe('partition', () => {
  it('gives each Map iteration its own task result, though results came back out of order', () => {
    // Ship ran for items 1, 2, 3; the results arrived for iteration 2,
    // then 0, then 1, each followed by MapIterationSucceeded with its index.
    const parts = partition(shipped.events, orderGraph);
    const its = runOf(parts, shipped.events, 'Items');
    expect([...its.keys()].sort()).toEqual([0, 1, 2]);
    for (const i of [0, 1, 2]) {
      const v = view(its.get(i)!, parts);
      expect(v.status).toEqual({ Ship: 'succeeded' });
      expect(v.output('Ship')).toEqual([String(i + 1)]);
      expect(v.whole).toBe('succeeded');
    }
  });

  it('splits a Parallel into its branches', () => {
    const parts = partition(shipped.events, orderGraph);
    const br = runOf(parts, shipped.events, 'Fan');
    expect(view(br.get(0)!, parts).status).toEqual({ Price: 'succeeded' });
    expect(view(br.get(1)!, parts).status).toEqual({ Hold: 'succeeded', Held: 'succeeded' });
    expect(view(br.get(0)!, parts).output('Price')).toEqual(['{"total":42}']);
    // Top-level events belong to no part.
    expect(parts.partOf.has(1)).toBe(false);
    expect(parts.partOf.get(shipped.events.find((e) => e.type === 'ChoiceStateEntered')!.id)).toBeUndefined();
  });

  it('follows a Parallel inside each of four concurrent Map iterations', () => {
    const events = fanoutOK.events as HistoryEvent[];
    const parts = partition(events, fanoutGraph);
    const its = runOf(parts, events, 'Each');
    expect(its.size).toBe(4);
    for (const i of [0, 1, 2, 3]) {
      const it = its.get(i)!;
      const v = view(it, parts);
      expect(v.status).toEqual({ Look: 'succeeded', Both: 'succeeded', Ship: 'succeeded', Note: 'succeeded', Log: 'succeeded' });
      expect(v.output('Look')).toEqual([`{"n":${i}}`]);
      expect(v.output('Ship')).toEqual([`{"n":${i}}`]);
      expect(v.output('Both')).toEqual([`[{"n":${i}},"logged"]`]);
      // The iteration's own Parallel run, branch by branch.
      const both = it.events.find((e) => e.type === 'ParallelStateEntered')!;
      const branches = parts.byVisit.get(both.id)!;
      expect(branches.get(0)!.parent).toBe(it);
      expect(view(branches.get(0)!, parts).output('Ship')).toEqual([`{"n":${i}}`]);
      expect(view(branches.get(1)!, parts).status).toEqual({ Note: 'succeeded', Log: 'succeeded' });
      expect(view(branches.get(1)!, parts).output('Note')).toEqual([`{"n":${i}}`]);
    }
    // Every event of an iteration is in exactly one iteration.
    const owned = [0, 1, 2, 3].flatMap((i) => its.get(i)!.events.map((e) => e.id));
    expect(new Set(owned).size).toBe(owned.length);
  });

  it('shows the failed iteration, and the others aborted when the Map failed', () => {
    const events = fanoutBad.events as HistoryEvent[];
    const parts = partition(events, fanoutGraph);
    const its = runOf(parts, events, 'Each');
    const bad = view(its.get(2)!, parts);
    expect(bad.whole).toBe('failed');
    expect(bad.status).toEqual({ Look: 'succeeded', Boom: 'failed' });
    expect(bad.output('Look')).toEqual(['{"n":2,"bad":true}']);
    // The Fail state's error comes from the definition: no event has it.
    const boom = bad.a.states.get('Boom')!.visits[0];
    expect([boom.error, boom.cause]).toEqual(['Item.Bad', 'the item is bad']);
    for (const i of [0, 1]) {
      const v = view(its.get(i)!, parts);
      expect(v.whole).toBe('aborted');
      expect(v.status).toEqual({ Look: 'succeeded', Both: 'aborted', Ship: 'aborted', Note: 'succeeded', Log: 'succeeded' });
    }
    // Item 3 never started: the Map failed first.
    expect(its.has(3)).toBe(false);
  });

  it('keeps a running iteration running while the execution runs', () => {
    // The first 40 events of fanout-ok: all Ship tasks still pending.
    const events = (fanoutOK.events as HistoryEvent[]).slice(0, 40);
    const parts = partition(events, fanoutGraph);
    const its = runOf(parts, events, 'Each');
    const v = view(its.get(1)!, parts, false);
    expect(v.whole).toBe('running');
    expect(v.status.Ship).toBe('running');
    expect(v.status.Note).toBe('succeeded');
  });
});

describe('partition after a redrive', () => {
  // engine.Machine.Redrive, as AWS: the Parallel or Map is not entered
  // again; only its failed branches and iterations run again inside it.
  let id = 0;
  const ev = (type: string, prev: number, extra: Record<string, unknown> = {}): HistoryEvent => ({
    id: ++id, previousEventId: prev, timestamp: 1700000000 + id, type, ...extra,
  });
  const entered = (type: string, name: string, prev: number) => ev(`${type}StateEntered`, prev, { stateEnteredEventDetails: { name, input: '{}' } });
  const exited = (type: string, name: string, prev: number) => ev(`${type}StateExited`, prev, { stateExitedEventDetails: { name, output: '{}' } });
  const task = (h: HistoryEvent[], p: number, ok: boolean) => {
    p = push(h, ev('TaskScheduled', p, { taskScheduledEventDetails: { resource: 'invoke', resourceType: 'lambda' } }));
    p = push(h, ev('TaskStarted', p));
    return push(h, ok ? ev('TaskSucceeded', p, { taskSucceededEventDetails: { output: '{}' } }) : ev('TaskFailed', p, { taskFailedEventDetails: { error: 'Boom' } }));
  };
  const push = (h: HistoryEvent[], e: HistoryEvent) => (h.push(e), e.id);
  const lambda = 'arn:aws:lambda:us-east-1:123456789012:function:b';
  const states = (p: Part, parts: Parts) => Object.fromEntries([...analysePart(p, parts, true).states].map(([k, v]) => [k, [v.status, v.visits.length]]));

  it('puts a redriven Parallel branch in its branch, succeeded', () => {
    const def = {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Parallel', End: true,
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } },
            { StartAt: 'B', States: { B: { Type: 'Task', Resource: lambda, End: true } } },
          ],
        },
      },
    };
    const h: HistoryEvent[] = [];
    let p = push(h, ev('ExecutionStarted', 0));
    const fan = push(h, entered('Parallel', 'Fan', p));
    push(h, ev('ParallelStateStarted', fan));
    push(h, exited('Pass', 'A', push(h, entered('Pass', 'A', fan))));
    p = task(h, push(h, entered('Task', 'B', fan)), false);
    p = push(h, ev('ExecutionFailed', push(h, ev('ParallelStateFailed', p))));
    p = push(h, ev('ExecutionRedriven', p, { executionRedrivenEventDetails: { redriveCount: 1 } }));
    p = push(h, exited('Task', 'B', task(h, push(h, entered('Task', 'B', p)), true)));
    push(h, ev('ExecutionSucceeded', push(h, exited('Parallel', 'Fan', push(h, ev('ParallelStateSucceeded', p))))));

    const parts = partition(h, buildGraph(def));
    const run = parts.byVisit.get(fan)!;
    expect([...run.keys()].sort()).toEqual([0, 1]);
    expect(states(run.get(0)!, parts)).toEqual({ A: ['succeeded', 1] });
    expect(states(run.get(1)!, parts)).toEqual({ B: ['succeeded', 2] });
    expect(partStatus(run.get(1)!, parts, true)).toBe('succeeded');
    expect(parts.finished.has(fan)).toBe(true);
  });

  it('keeps a redriven Map iteration under its index, succeeded', () => {
    const def = {
      StartAt: 'Each',
      States: { Each: { Type: 'Map', End: true, ItemProcessor: { StartAt: 'Do', States: { Do: { Type: 'Task', Resource: lambda, End: true } } } } },
    };
    const h: HistoryEvent[] = [];
    let p = push(h, ev('ExecutionStarted', 0));
    const each = push(h, entered('Map', 'Each', p));
    p = push(h, ev('MapStateStarted', each, { mapStateStartedEventDetails: { length: 2 } }));
    const iter = (i: number, p: number, ok: boolean) => {
      p = push(h, ev('MapIterationStarted', p, { mapIterationStartedEventDetails: { name: 'Each', index: i } }));
      p = task(h, push(h, entered('Task', 'Do', p)), ok);
      if (ok) p = push(h, exited('Task', 'Do', p));
      return push(h, ev(ok ? 'MapIterationSucceeded' : 'MapIterationFailed', p, { [ok ? 'mapIterationSucceededEventDetails' : 'mapIterationFailedEventDetails']: { name: 'Each', index: i } }));
    };
    p = iter(1, iter(0, p, true), false);
    p = push(h, ev('ExecutionFailed', push(h, ev('MapStateFailed', p))));
    p = push(h, ev('ExecutionRedriven', p, { executionRedrivenEventDetails: { redriveCount: 1 } }));
    p = iter(1, p, true);
    push(h, ev('ExecutionSucceeded', push(h, exited('Map', 'Each', push(h, ev('MapStateSucceeded', p))))));

    const parts = partition(h, buildGraph(def));
    const run = parts.byVisit.get(each)!;
    expect([...run.keys()].sort()).toEqual([0, 1]);
    expect(run.get(1)!.iterationStatus).toBe('succeeded');
    expect(states(run.get(0)!, parts)).toEqual({ Do: ['succeeded', 1] });
    expect(states(run.get(1)!, parts)).toEqual({ Do: ['succeeded', 2] });
    expect(analysePart(run.get(1)!, parts, true).states.get('Do')!.visits.map((v) => v.status)).toEqual(['failed', 'succeeded']);
  });
});
