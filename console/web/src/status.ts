// Status colouring: what happened to each state, computed from the
// execution's history events as GetExecutionHistory returns them.

/** A history event in AWS's shape: one envelope, one details block. */
export interface HistoryEvent {
  id: number;
  previousEventId?: number;
  timestamp: number | string;
  type: string;
  [details: string]: unknown;
}

export type StateStatus = 'notReached' | 'running' | 'succeeded' | 'failed' | 'caught' | 'aborted';

/** One entry into a state (a state may be entered many times: loops, Map items). */
export interface Visit {
  name: string;
  type: string;
  enteredId: number;
  exitedId?: number;
  entered: number;
  exited?: number;
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
  /** Attempts after the first (Retry). */
  retries: number;
  /** The outcome of the last task, Parallel or Map attempt. */
  outcome?: 'success' | 'failure';
  status: StateStatus;
  /** A task is scheduled and has no result yet. */
  pending?: boolean;
  /** How many times the execution had been redriven when the state was entered. */
  redrive: number;
  /** Still open when the execution was redriven: entering its state again ends it. */
  redriven?: boolean;
}

export interface StateInfo {
  status: StateStatus;
  visits: Visit[];
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE' | string;

/** Epoch seconds of an event timestamp (a number, or an ISO text). */
export function seconds(ts: number | string | undefined): number {
  if (typeof ts === 'number') return ts;
  if (typeof ts === 'string') {
    const n = Date.parse(ts);
    return Number.isNaN(n) ? 0 : n / 1000;
  }
  return 0;
}

/** The details block of an event, whatever its name. */
export function detailsOf(ev: HistoryEvent): Record<string, unknown> | undefined {
  for (const [k, v] of Object.entries(ev)) {
    if (k.endsWith('EventDetails') && v && typeof v === 'object') return v as Record<string, unknown>;
  }
  return undefined;
}

const successTypes = /^(Task|LambdaFunction|Activity|ChildWorkflowExecution)Succeeded$|^(Parallel|Map)StateSucceeded$/;
const failureTypes =
  /^(Task|LambdaFunction|Activity|ChildWorkflowExecution)(Failed|TimedOut|Aborted)$|^(Task)(StartFailed|SubmitFailed)$|^(LambdaFunction|Activity)(ScheduleFailed|StartFailed)$|^(Parallel|Map)StateFailed$|^(Parallel|Map)StateAborted$/;
const scheduledTypes = /^(TaskScheduled|LambdaFunctionScheduled|ActivityScheduled)$/;
const taskFamily = /^(Task|LambdaFunction|Activity|ChildWorkflowExecution)[A-Z]/;
const containerEvent = /^(Parallel|Map)State(Started|Succeeded|Failed|Aborted)$/;

/** The result of {@link analyse}: each state's status and visits, and each event's owning visit. */
export interface Analysis {
  states: Map<string, StateInfo>;
  /** The visit an event belongs to, by event id. */
  owner: Map<number, Visit>;
  transitions: number;
  /** Map iterations by Map state name: index and status, in index order. */
  iterations: Map<string, { index: number; status: StateStatus }[]>;
}

const rank: Record<StateStatus, number> = {
  notReached: 0, succeeded: 1, caught: 2, aborted: 3, failed: 4, running: 5,
};

/**
 * Computes every state's status from the history. States never entered
 * are absent from the result (not reached). execStatus is the execution's
 * status from DescribeExecution; states still open when it ended are
 * aborted, unless the execution's failure came from them.
 */
export function analyse(events: HistoryEvent[], execStatus: ExecutionStatus): Analysis {
  const byId = new Map<number, HistoryEvent>();
  for (const e of events) byId.set(e.id, e);
  const owner = new Map<number, Visit>();
  const visits: Visit[] = [];
  const open: Visit[] = [];
  let transitions = 0;

  // The visit an event belongs to. previousEventId chains cannot be
  // trusted to stay within one Parallel branch or Map iteration, so the
  // chain only chooses among the visits that can own the event: the first
  // candidate found up the chain wins, else the fallback.
  const pick = (ev: HistoryEvent, candidates: Visit[], fallback: Visit | undefined): Visit | undefined => {
    if (candidates.length <= 1) return candidates[0] ?? fallback;
    let cur: HistoryEvent | undefined = ev;
    for (let i = 0; cur && i < 200; i++) {
      const o = owner.get(cur.id);
      if (o && candidates.includes(o)) return o;
      cur = cur.previousEventId ? byId.get(cur.previousEventId) : undefined;
    }
    return fallback;
  };

  const iterations = new Map<string, Map<number, StateStatus>>();
  let redrives = 0;
  for (const ev of events) {
    const d = detailsOf(ev) ?? {};
    const it = /^MapIteration(Started|Succeeded|Failed|Aborted)$/.exec(ev.type);
    if (it && typeof d.name === 'string' && typeof d.index === 'number') {
      const m = iterations.get(d.name) ?? new Map<number, StateStatus>();
      iterations.set(d.name, m);
      m.set(d.index, ({ Started: 'running', Succeeded: 'succeeded', Failed: 'failed', Aborted: 'aborted' } as const)[it[1] as 'Started']);
      continue;
    }
    const t = seconds(ev.timestamp);
    if (ev.type === 'ExecutionRedriven') {
      // A redrive enters again the states that had not succeeded; a
      // Parallel or inline Map waiting on them is not entered again but
      // waits for them, so it has no outcome yet.
      redrives++;
      for (const o of open) {
        o.redriven = true;
        if (o.type === 'Parallel' || o.type === 'Map') {
          o.outcome = undefined;
          o.error = undefined;
          o.cause = undefined;
        }
      }
      continue;
    }
    if (ev.type.endsWith('StateEntered')) {
      transitions++;
      const v: Visit = {
        name: String(d.name ?? ''),
        type: ev.type.slice(0, -'StateEntered'.length),
        enteredId: ev.id,
        entered: t,
        input: d.input as string | undefined,
        retries: 0,
        status: 'running',
        redrive: redrives,
      };
      // Entered again by a redrive: the earlier entry ended as it was.
      const again = open.findIndex((o) => o.redriven && o.name === v.name);
      if (again >= 0) {
        const o = open[again];
        open.splice(again, 1);
        o.status = o.outcome === 'failure' ? 'failed' : 'aborted';
      }
      if (v.type === 'Fail') v.outcome = 'failure';
      visits.push(v);
      open.push(v);
      owner.set(ev.id, v);
      continue;
    }
    if (ev.type.endsWith('StateExited')) {
      const name = String(d.name ?? '');
      const i = findLastIndex(open, (v) => v.name === name);
      if (i >= 0) {
        const v = open[i];
        open.splice(i, 1);
        v.exitedId = ev.id;
        v.exited = t;
        v.output = d.output as string | undefined;
        v.status = v.outcome === 'failure' ? 'caught' : 'succeeded';
        owner.set(ev.id, v);
      }
      continue;
    }
    let v: Visit | undefined;
    if (containerEvent.test(ev.type)) {
      // ParallelStateFailed points into the failed branch: attribute it to
      // the innermost open Parallel (or Map) instead.
      const type = ev.type.startsWith('Parallel') ? 'Parallel' : 'Map';
      v = findLast(open, (o) => o.type === type && o.outcome === undefined);
    } else if (taskFamily.test(ev.type)) {
      const tasks = open.filter((o) => o.type === 'Task');
      if (scheduledTypes.test(ev.type)) {
        const idle = tasks.filter((o) => !o.pending);
        v = pick(ev, idle, idle[idle.length - 1]);
        if (v) v.pending = true;
      } else {
        const busy = tasks.filter((o) => o.pending);
        v = pick(ev, busy, busy[0]);
        if (v && (successTypes.test(ev.type) || failureTypes.test(ev.type))) v.pending = false;
      }
    } else if (ev.type.startsWith('Execution') && ev.type !== 'ExecutionStarted') {
      v = pick(ev, open, open[open.length - 1]);
    }
    if (v) owner.set(ev.id, v);
    if (!v) continue;
    if (scheduledTypes.test(ev.type)) {
      if (v.outcome) v.retries++;
    } else if (successTypes.test(ev.type)) {
      v.outcome = 'success';
    } else if (failureTypes.test(ev.type)) {
      v.outcome = 'failure';
      if (d.error !== undefined) v.error = String(d.error);
      if (d.cause !== undefined) v.cause = String(d.cause);
    } else if (ev.type === 'ExecutionFailed' || ev.type === 'ExecutionTimedOut') {
      v.outcome = 'failure';
      if (d.error !== undefined && v.error === undefined) v.error = String(d.error);
      if (d.cause !== undefined && v.cause === undefined) v.cause = String(d.cause);
    }
  }

  // States still open.
  const done = execStatus !== 'RUNNING';
  for (const v of open) {
    if (v.outcome === 'failure') v.status = 'failed';
    else if (!done) v.status = 'running';
    else v.status = 'aborted';
  }

  // A state's status is that of its entries since the last redrive that
  // entered it: a state that failed and then succeeded when redriven is
  // succeeded. All its entries stay listed.
  const last = new Map<string, number>();
  for (const v of visits) last.set(v.name, Math.max(last.get(v.name) ?? 0, v.redrive));
  const states = new Map<string, StateInfo>();
  for (const v of visits) {
    const current = v.redrive === last.get(v.name);
    const s = states.get(v.name);
    if (!s) {
      states.set(v.name, { status: current ? v.status : 'notReached', visits: [v] });
      continue;
    }
    s.visits.push(v);
    if (current && rank[v.status] > rank[s.status]) s.status = v.status;
  }
  const its = new Map<string, { index: number; status: StateStatus }[]>();
  for (const [name, m] of iterations) {
    its.set(name, [...m].sort((a, b) => a[0] - b[0]).map(([index, status]) => ({
      index, status: status === 'running' && done ? 'aborted' : status,
    })));
  }
  return { states, owner, transitions, iterations: its };
}

function findLastIndex<T>(xs: T[], f: (x: T) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (f(xs[i])) return i;
  return -1;
}

function findLast<T>(xs: T[], f: (x: T) => boolean): T | undefined {
  const i = findLastIndex(xs, f);
  return i >= 0 ? xs[i] : undefined;
}

/** The state an event concerns, for the history table ('' when none). */
export function stateOf(ev: HistoryEvent, a: Analysis): string {
  const d = detailsOf(ev);
  if (d && typeof d.name === 'string' && /State(Entered|Exited)$/.test(ev.type)) return d.name;
  return a.owner.get(ev.id)?.name ?? '';
}
