import { describe, expect, it } from 'vitest';
import { executionName, mapRunsOf, parseMapRunArn, parseUpdate, progress } from './maprun';
import type { HistoryEvent } from './status';
import maprun from './testdata/maprun.json';

// maprun.json is Stepwise's GetExecutionHistory answer for the machine of
// console/maprun_browser_test.go: a distributed Map "Each" over three items.

describe('parseMapRunArn', () => {
  it('takes a Map Run ARN apart', () => {
    expect(parseMapRunArn('arn:aws:states:us-east-1:123456789012:mapRun:fan/Each:08e3d040-b6e3-4345-916e-fefa77772866')).toEqual({
      region: 'us-east-1', account: '123456789012', machine: 'fan', label: 'Each', id: '08e3d040-b6e3-4345-916e-fefa77772866',
    });
    expect(parseMapRunArn('arn:aws-cn:states:cn-north-1:1:mapRun:m/Label-2:abc')).toMatchObject({ machine: 'm', label: 'Label-2', id: 'abc' });
  });

  it('refuses what is not a Map Run ARN', () => {
    for (const bad of [
      '',
      'mapRun:fan/Each:1',
      'arn:aws:states:us-east-1:123456789012:execution:fan:one',
      'arn:aws:lambda:us-east-1:123456789012:mapRun:fan/Each:1',
      'arn:aws:states:us-east-1:123456789012:mapRun:fanEach:1', // no label
      'arn:aws:states:us-east-1:123456789012:mapRun:fan/Each', // no id
      'arn:aws:states:us-east-1:123456789012:mapRun:fan/Each:', // empty id
      'arn:aws:states:us-east-1:123456789012:mapRun:/Each:1', // no machine
      'arn:aws:states:us-east-1:123456789012:mapRun:fan/:1', // empty label
    ]) {
      expect(parseMapRunArn(bad), bad).toBeNull();
    }
  });

  it('names the execution at the end of an execution ARN', () => {
    expect(executionName('arn:aws:states:us-east-1:123456789012:execution:fan:one')).toBe('one');
    expect(executionName('not an arn')).toBe('not an arn');
  });
});

describe('progress', () => {
  it('shares the bar among the statuses, in order, skipping zeros', () => {
    const p = progress({ succeeded: 5, failed: 1, running: 2, pending: 2, timedOut: 0, aborted: 0, total: 10, resultsWritten: 6 });
    expect(p.total).toBe(10);
    expect(p.done).toBe(6);
    expect(p.percentDone).toBe(60);
    expect(p.segments).toEqual([
      { kind: 'succeeded', count: 5, percent: 50 },
      { kind: 'failed', count: 1, percent: 10 },
      { kind: 'running', count: 2, percent: 20 },
      { kind: 'pending', count: 2, percent: 20 },
    ]);
  });

  it('counts timed out and aborted as done', () => {
    const p = progress({ succeeded: 1, timedOut: 1, aborted: 2, total: 4 });
    expect(p.done).toBe(4);
    expect(p.percentDone).toBe(100);
    expect(p.segments.map((s) => s.kind)).toEqual(['succeeded', 'timedOut', 'aborted']);
  });

  it('never draws more than the whole bar', () => {
    // Counts read while they change can sum past total.
    const p = progress({ succeeded: 3, running: 2, total: 4 });
    expect(p.total).toBe(5);
    expect(p.segments.reduce((s, x) => s + x.percent, 0)).toBeCloseTo(100);
  });

  it('shows nothing to do as done, and takes bad counts as zero', () => {
    expect(progress(undefined)).toEqual({ total: 0, done: 0, percentDone: 100, segments: [] });
    expect(progress({ total: 0 })).toEqual({ total: 0, done: 0, percentDone: 100, segments: [] });
    const p = progress({ succeeded: -3, failed: Number.NaN, running: Infinity, pending: 2, total: 2 });
    expect(p.segments).toEqual([{ kind: 'pending', count: 2, percent: 100 }]);
    expect(p.done).toBe(0);
    expect(p.percentDone).toBe(0);
  });
});

let id = 0;
const ev = (type: string, prev: number, extra: Record<string, unknown> = {}): HistoryEvent => ({
  id: ++id, previousEventId: prev, timestamp: 1700000000 + id, type, ...extra,
});

describe('mapRunsOf', () => {
  it('finds the Map Run of a distributed Map and its end', () => {
    expect(mapRunsOf(maprun.events)).toEqual([{
      state: 'Each', enteredId: 2, eventId: 4, status: 'SUCCEEDED', endId: 5,
      mapRunArn: 'arn:aws:states:us-east-1:123456789012:mapRun:fan/Each:08e3d040-b6e3-4345-916e-fefa77772866',
    }]);
  });

  it('leaves a run without an end RUNNING, and finds none in a history without', () => {
    expect(mapRunsOf(maprun.events.slice(0, 4)).map((r) => r.status)).toEqual(['RUNNING']);
    expect(mapRunsOf(maprun.events.filter((e) => !e.type.startsWith('MapRun')))).toEqual([]);
  });

  it('tells apart the runs of Map states in interleaved Parallel branches', () => {
    id = 0;
    const start = ev('ExecutionStarted', 0);
    const par = ev('ParallelStateEntered', start.id, { stateEnteredEventDetails: { name: 'Both' } });
    const a = ev('MapStateEntered', par.id, { stateEnteredEventDetails: { name: 'A' } });
    const b = ev('MapStateEntered', par.id, { stateEnteredEventDetails: { name: 'B' } });
    const aStarted = ev('MapStateStarted', a.id);
    const bStarted = ev('MapStateStarted', b.id);
    const aRun = ev('MapRunStarted', aStarted.id, { mapRunStartedEventDetails: { mapRunArn: 'arn:a' } });
    const bRun = ev('MapRunStarted', bStarted.id, { mapRunStartedEventDetails: { mapRunArn: 'arn:b' } });
    const aEnd = ev('MapRunFailed', aRun.id, { mapRunFailedEventDetails: { error: 'States.ExceedToleratedFailureThreshold' } });
    const bEnd = ev('MapRunSucceeded', bRun.id);
    const got = mapRunsOf([start, par, a, b, aStarted, bStarted, aRun, bRun, aEnd, bEnd]);
    expect(got.map((r) => [r.state, r.enteredId, r.mapRunArn, r.status, r.endId])).toEqual([
      ['A', a.id, 'arn:a', 'FAILED', aEnd.id],
      ['B', b.id, 'arn:b', 'SUCCEEDED', bEnd.id],
    ]);
  });

  it('gives each entry of a looping Map state its own run', () => {
    id = 0;
    const events: HistoryEvent[] = [ev('ExecutionStarted', 0)];
    for (const n of [1, 2]) {
      const last = events[events.length - 1].id;
      const entered = ev('MapStateEntered', last, { stateEnteredEventDetails: { name: 'Loop' } });
      const run = ev('MapRunStarted', entered.id, { mapRunStartedEventDetails: { mapRunArn: `arn:${n}` } });
      // No chain to follow: the innermost open entry is taken.
      const end = ev(n === 1 ? 'MapRunSucceeded' : 'MapRunAborted', 0);
      const exited = ev('MapStateExited', end.id, { stateExitedEventDetails: { name: 'Loop' } });
      events.push(entered, run, end, exited);
    }
    expect(mapRunsOf(events).map((r) => [r.enteredId, r.mapRunArn, r.status])).toEqual([
      [2, 'arn:1', 'SUCCEEDED'],
      [6, 'arn:2', 'ABORTED'],
    ]);
  });
});

describe('parseUpdate', () => {
  it('sends the fields given, as numbers', () => {
    expect(parseUpdate({ maxConcurrency: '5', toleratedFailureCount: ' 2 ', toleratedFailurePercentage: '12.5' }))
      .toEqual({ update: { maxConcurrency: 5, toleratedFailureCount: 2, toleratedFailurePercentage: 12.5 } });
  });

  it('leaves empty fields out', () => {
    expect(parseUpdate({ maxConcurrency: '', toleratedFailureCount: '0', toleratedFailurePercentage: '  ' }))
      .toEqual({ update: { toleratedFailureCount: 0 } });
  });

  it('passes out-of-range numbers on for the API to refuse', () => {
    expect(parseUpdate({ maxConcurrency: '-1', toleratedFailureCount: '', toleratedFailurePercentage: '150' }))
      .toEqual({ update: { maxConcurrency: -1, toleratedFailurePercentage: 150 } });
  });

  it('refuses text that is not a number', () => {
    expect(parseUpdate({ maxConcurrency: 'ten', toleratedFailureCount: '', toleratedFailurePercentage: '' }))
      .toEqual({ error: 'maxConcurrency must be a number, not "ten"' });
    expect(parseUpdate({ maxConcurrency: '', toleratedFailureCount: 'Infinity', toleratedFailurePercentage: '' }))
      .toEqual({ error: 'toleratedFailureCount must be a number, not "Infinity"' });
  });
});
