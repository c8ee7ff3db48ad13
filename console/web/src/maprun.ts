// Map Runs of distributed Map states: their ARNs taken apart, their
// counts turned into a progress bar, and the Map Run each Map state
// started, read from the execution's history.

import { detailsOf, type HistoryEvent } from './status';

/** The parts of a Map Run ARN: arn:aws:states:REGION:ACCOUNT:mapRun:MACHINE/LABEL:ID. */
export interface MapRunName {
  region: string;
  account: string;
  /** The state machine's name. */
  machine: string;
  /** The Map state's Label, or its name when it has none. */
  label: string;
  /** The run's own ID (a UUID). */
  id: string;
}

/**
 * Takes a Map Run ARN apart; null when arn is not one. The label and the
 * machine's name cannot hold '/' or ':' (AWS refuses them in both), so
 * the first '/' and the last ':' after "mapRun:" split them.
 */
export function parseMapRunArn(arn: string): MapRunName | null {
  const parts = arn.split(':');
  if (parts.length < 8 || parts[0] !== 'arn' || parts[2] !== 'states' || parts[5] !== 'mapRun') return null;
  const rest = parts.slice(6).join(':');
  const slash = rest.indexOf('/');
  const colon = rest.lastIndexOf(':');
  if (slash <= 0 || colon <= slash + 1 || colon === rest.length - 1) return null;
  return {
    region: parts[3],
    account: parts[4],
    machine: rest.slice(0, slash),
    label: rest.slice(slash + 1, colon),
    id: rest.slice(colon + 1),
  };
}

/** The execution name at the end of an execution ARN (…:execution:MACHINE:NAME), or the ARN itself. */
export function executionName(arn: string): string {
  const parts = arn.split(':');
  return parts.length >= 8 && parts[5] === 'execution' ? parts.slice(7).join(':') : arn;
}

/**
 * Counts of a Map Run's items or child executions by status, as
 * DescribeMapRun's itemCounts and executionCounts carry them.
 */
export interface MapRunCounts {
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  timedOut: number;
  aborted: number;
  total: number;
  resultsWritten: number;
  failuresNotRedrivable?: number;
  pendingRedrive?: number;
}

/** The statuses a progress bar shows, in the order drawn. */
export const progressKinds = ['succeeded', 'failed', 'timedOut', 'aborted', 'running', 'pending'] as const;
export type ProgressKind = (typeof progressKinds)[number];

export const progressLabel: Record<ProgressKind, string> = {
  succeeded: 'Succeeded', failed: 'Failed', timedOut: 'Timed out', aborted: 'Aborted', running: 'Running', pending: 'Pending',
};

/** One coloured stretch of a progress bar. */
export interface Segment {
  kind: ProgressKind;
  count: number;
  /** Share of the bar, 0 to 100. */
  percent: number;
}

/** A progress bar worked out from counts. */
export interface Progress {
  /** The count the shares are of: total, or the statuses' sum when that is larger. */
  total: number;
  /** Items that have ended (succeeded, failed, timed out or aborted). */
  done: number;
  /** done as a share of total, 0 to 100 (100 when there is nothing to do). */
  percentDone: number;
  /** Only the statuses with a count above zero, in progressKinds order. */
  segments: Segment[];
}

/**
 * Works out a progress bar from counts. Missing, negative or non-finite
 * counts are taken as 0. The shares never add up to more than 100: when
 * the statuses sum to more than total (counts read while they change),
 * the sum is the whole.
 */
export function progress(c: Partial<MapRunCounts> | undefined): Progress {
  const n = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : 0);
  const counts = progressKinds.map((kind) => ({ kind, count: n(c?.[kind]) }));
  const sum = counts.reduce((s, x) => s + x.count, 0);
  const total = Math.max(n(c?.total), sum);
  const done = counts.filter((x) => x.kind !== 'running' && x.kind !== 'pending').reduce((s, x) => s + x.count, 0);
  return {
    total,
    done,
    percentDone: total ? (done / total) * 100 : 100,
    segments: counts.filter((x) => x.count > 0).map((x) => ({ ...x, percent: (x.count / total) * 100 })),
  };
}

/** A Map Run started by one entry into a Map state. */
export interface StartedRun {
  /** The Map state's name. */
  state: string;
  /** The id of the MapStateEntered event of that entry. */
  enteredId: number;
  mapRunArn: string;
  /** The id of the MapRunStarted event. */
  eventId: number;
  /** 'RUNNING' until a MapRunSucceeded, MapRunFailed or MapRunAborted follows. */
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  /** The id of the event that ended the run, once one has. */
  endId?: number;
}

/**
 * Finds the Map Runs in a history and the Map state entry that started
 * each. A MapRunStarted event follows its state's MapStateStarted and
 * MapStateEntered up the previousEventId chain; an event that ends a run
 * (MapRunSucceeded, MapRunFailed, MapRunAborted) leads up the chain to its
 * MapRunStarted. When a chain does not lead there (Parallel branches
 * interleave), the innermost open Map state entry is taken: a Map nested
 * in a distributed Map runs in child executions, not in this history.
 */
export function mapRunsOf(events: HistoryEvent[]): StartedRun[] {
  const byId = new Map<number, HistoryEvent>();
  for (const e of events) byId.set(e.id, e);
  const runs: StartedRun[] = [];
  const open: { name: string; id: number }[] = [];
  const running = new Map<number, StartedRun>(); // by MapRunStarted id
  // The first event up ev's chain (ev excluded) for which found answers.
  const upChain = <T>(ev: HistoryEvent, found: (id: number) => T | undefined): T | undefined => {
    let cur = ev.previousEventId ? byId.get(ev.previousEventId) : undefined;
    for (let i = 0; cur && i < 50; i++) {
      const x = found(cur.id);
      if (x !== undefined) return x;
      cur = cur.previousEventId ? byId.get(cur.previousEventId) : undefined;
    }
    return undefined;
  };
  for (const ev of events) {
    if (ev.type === 'MapStateEntered') {
      open.push({ name: String(detailsOf(ev)?.name ?? ''), id: ev.id });
      continue;
    }
    if (ev.type === 'MapStateExited') {
      const name = String(detailsOf(ev)?.name ?? '');
      for (let i = open.length - 1; i >= 0; i--) {
        if (open[i].name === name) {
          open.splice(i, 1);
          break;
        }
      }
      continue;
    }
    if (ev.type === 'MapRunStarted') {
      const arn = detailsOf(ev)?.mapRunArn;
      const entry = upChain(ev, (id) => open.find((o) => o.id === id)) ?? open[open.length - 1];
      if (typeof arn !== 'string' || !entry) continue;
      const run: StartedRun = { state: entry.name, enteredId: entry.id, mapRunArn: arn, eventId: ev.id, status: 'RUNNING' };
      runs.push(run);
      running.set(ev.id, run);
      continue;
    }
    const end = /^MapRun(Succeeded|Failed|Aborted)$/.exec(ev.type);
    if (!end) continue;
    let run = upChain(ev, (id) => running.get(id));
    if (!run) {
      // The innermost open entry with a run still running.
      for (let i = open.length - 1; i >= 0 && !run; i--) {
        run = [...running.values()].find((r) => r.enteredId === open[i].id);
      }
    }
    if (!run) continue;
    run.status = end[1].toUpperCase() as StartedRun['status'];
    run.endId = ev.id;
    running.delete(run.eventId);
  }
  return runs;
}

/** The Update form's fields as typed. */
export interface UpdateFields {
  maxConcurrency: string;
  toleratedFailureCount: string;
  toleratedFailurePercentage: string;
}

/**
 * Turns the Update form's fields into UpdateMapRun's settings: an empty
 * field is left out (the run keeps its value), any other must be a
 * number. Ranges are the API's to check, so that its own error shows.
 */
export function parseUpdate(f: UpdateFields): { update: Record<string, number> } | { error: string } {
  const update: Record<string, number> = {};
  for (const key of ['maxConcurrency', 'toleratedFailureCount', 'toleratedFailurePercentage'] as const) {
    const text = f[key].trim();
    if (text === '') continue;
    const n = Number(text);
    if (!Number.isFinite(n)) return { error: `${key} must be a number, not "${text}"` };
    update[key] = n;
  }
  return { update };
}
