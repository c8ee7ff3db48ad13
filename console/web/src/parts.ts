// Map iterations and Parallel branches, one by one: which history events
// belong to which iteration of a Map state, or which branch of a Parallel
// state, in each run of that state.
//
// AWS's history (and Stepwise's, which matches it) is one sequence for the
// whole execution: events of concurrent iterations and branches interleave,
// previousEventId mostly points at the event recorded just before, and only
// MapIterationStarted/Succeeded/Failed/Aborted carry an iteration index.
// So the owner of each event is worked out from what the history does say:
//   - the definition says which Parallel branch or Map processor a state
//     belongs to (state names are unique in a state machine);
//   - a state entered right after MapIterationStarted is that iteration's
//     first state, and a state entered right after another state exited
//     (its previousEventId) follows it in the same iteration;
//   - the events of one step are recorded together, so a task's result is
//     followed by its state's exit and, when that ends the iteration, by
//     MapIterationSucceeded/Failed with the index: that tells which of
//     several identical concurrent tasks the result belongs to.
// When none of these decides (identical tasks in several iterations whose
// results are followed by further states), the oldest candidate is taken.

import type { Scope } from './graph/model';
import { analyse, detailsOf, type Analysis, type HistoryEvent, type StateStatus } from './status';

/** One Map iteration or one Parallel branch, within one run of its state. */
export interface Part {
  kind: 'iteration' | 'branch';
  /** The Map or Parallel state. */
  state: string;
  /** The id of the event that entered that state for this run. */
  visitId: number;
  /** The iteration index, or the branch index (from 0). */
  index: number;
  /** Set from MapIteration events for iterations; see partStatus for branches. */
  iterationStatus?: StateStatus;
  /** Its events and those of parts nested in it, oldest first. */
  events: HistoryEvent[];
  /** The part the Map or Parallel state itself ran in (nested fan-outs). */
  parent?: Part;
}

/** The result of {@link partition}. */
export interface Parts {
  /** Parts by the entered-event id of their Map or Parallel run, then by index. */
  byVisit: Map<number, Map<number, Part>>;
  /** The innermost part of each event, by event id (absent: top level). */
  partOf: Map<number, Part>;
  /** Runs of Map and Parallel states that have finished, by entered-event id. */
  finished: Set<number>;
}

interface Where {
  container: string;
  kind: 'Map' | 'Parallel';
  branch: number;
}

/** Where each nested state sits: its Map or Parallel state, and the branch. */
export function containersOf(root: Scope): Map<string, Where> {
  const out = new Map<string, Where>();
  const walk = (scope: Scope) => {
    for (const n of scope.nodes) {
      if (n.kind !== 'Map' && n.kind !== 'Parallel') continue;
      (n.scopes ?? []).forEach((s, b) => {
        for (const m of s.nodes) {
          if (m.kind !== 'start' && m.kind !== 'end') out.set(m.name, { container: n.name, kind: n.kind as 'Map' | 'Parallel', branch: b });
        }
        walk(s);
      });
    }
  };
  walk(root);
  return out;
}

/** A run of a Map or Parallel state while events are read. */
interface Run {
  name: string;
  kind: 'Map' | 'Parallel';
  visitId: number;
  part?: Part;
  parts: Map<number, Part>;
  /** Iterations started whose first state has not been entered yet, oldest first. */
  awaiting: Part[];
  done: boolean;
}

/** An open state (entered, not exited). */
interface Open {
  name: string;
  enteredId: number;
  part?: Part;
  /** 'idle' (no task yet), 'pending' (scheduled), 'completed' (result in). */
  task: 'idle' | 'pending' | 'completed';
  lastOutcome?: 'success' | 'failure';
}

// Task-family events, not TaskStateEntered/Exited.
const taskEvent = /^(Task|LambdaFunction|Activity|ChildWorkflowExecution)(?!State)[A-Z]/;
const scheduled = /^(TaskScheduled|LambdaFunctionScheduled|ActivityScheduled)$/;
const started = /^(Task|LambdaFunction|Activity|ChildWorkflowExecution)(Started|Submitted)$/;
const result = /(Succeeded|Failed|TimedOut|Aborted|StartFailed|SubmitFailed|ScheduleFailed)$/;

/** Splits a history into Map iterations and Parallel branches. */
export function partition(events: HistoryEvent[], root: Scope): Parts {
  const where = containersOf(root);
  const fanKinds = new Map<string, 'Map' | 'Parallel'>();
  const kindsOf = (scope: Scope) => {
    for (const n of scope.nodes) {
      if (n.kind === 'Map' || n.kind === 'Parallel') fanKinds.set(n.name, n.kind);
      for (const s of n.scopes ?? []) kindsOf(s);
    }
  };
  kindsOf(root);

  const index = new Map<number, number>();
  events.forEach((e, i) => index.set(e.id, i));
  const partOf = new Map<number, Part>();
  const runOfEvent = new Map<number, Run>(); // a run's own Entered/Started events
  const openOfEvent = new Map<number, Open>(); // Entered, Exited, task and Map/Parallel events
  const openByEntered = new Map<number, Open>();
  const byVisit = new Map<number, Map<number, Part>>();
  const runs: Run[] = [];
  let open: Open[] = [];
  const finished = new Set<number>();
  // ExecutionRedriven goes into every part of the runs a redrive resumes,
  // so that each part's own analysis sees the redrive.
  const redrivenParts = new Map<number, Part[]>();

  const within = (p: Part | undefined, run: Run): boolean => {
    for (let q = p; q; q = q.parent) if (q.visitId === run.visitId) return true;
    return false;
  };
  // Walks previousEventId up from ev to the first event that tells which
  // of the candidate runs it continues; else the newest candidate.
  const chooseRun = (ev: HistoryEvent, cands: Run[]): Run | undefined => {
    if (cands.length <= 1) return cands[0];
    let id = ev.previousEventId;
    for (let n = 0; id && n < 500; n++) {
      const own = runOfEvent.get(id);
      if (own && cands.includes(own)) return own;
      const p = partOf.get(id);
      const hit = cands.find((r) => within(p, r));
      if (hit) return hit;
      const i = index.get(id);
      id = i === undefined ? undefined : events[i].previousEventId;
    }
    return cands[cands.length - 1];
  };
  // What the events recorded with ev (same step) say about it: the state
  // that exits next, and the iteration that ends next.
  const hint = (at: number): { exits?: string; ends?: { name: string; index: number } } => {
    const h: { exits?: string; ends?: { name: string; index: number } } = {};
    for (let i = at + 1; i < events.length && i <= at + 12; i++) {
      const e = events[i];
      if (taskEvent.test(e.type) || e.type === 'MapIterationStarted') break;
      const d = detailsOf(e) ?? {};
      if (!h.exits && e.type.endsWith('StateExited')) h.exits = String(d.name ?? '');
      if (/^MapIteration(Succeeded|Failed|Aborted)$/.test(e.type)) {
        h.ends = { name: String(d.name ?? ''), index: Number(d.index) };
        break;
      }
    }
    return h;
  };
  const inIteration = (o: Open, ends: { name: string; index: number }) => {
    for (let q = o.part; q; q = q.parent) if (q.kind === 'iteration' && q.state === ends.name && q.index === ends.index) return true;
    return false;
  };
  const narrow = (cands: Open[], at: number): Open[] => {
    if (cands.length <= 1) return cands;
    const h = hint(at);
    let c = cands;
    if (h.exits) {
      const n = c.filter((o) => o.name === h.exits);
      if (n.length) c = n;
    }
    if (h.ends) {
      const e = h.ends;
      const n = c.filter((o) => inIteration(o, e));
      if (n.length) c = n;
    }
    return c;
  };
  const prevOpen = (ev: HistoryEvent, cands: Open[]) => {
    const o = ev.previousEventId ? openOfEvent.get(ev.previousEventId) : undefined;
    return o && cands.includes(o) ? o : undefined;
  };
  const newPart = (run: Run, kind: Part['kind'], i: number): Part => {
    const p: Part = { kind, state: run.name, visitId: run.visitId, index: i, events: [], parent: run.part };
    run.parts.set(i, p);
    return p;
  };

  events.forEach((ev, at) => {
    const d = detailsOf(ev) ?? {};
    const name = typeof d.name === 'string' ? d.name : '';
    let part: Part | undefined;

    if (ev.type.endsWith('StateEntered')) {
      const w = where.get(name);
      if (w) {
        const run = chooseRun(ev, runs.filter((r) => r.name === w.container && !r.done));
        if (run && w.kind === 'Parallel') part = run.parts.get(w.branch) ?? newPart(run, 'branch', w.branch);
        if (run && w.kind === 'Map') {
          // A transition (the state before exited just now, in a running
          // iteration of this run), else an iteration's first state.
          const prev = ev.previousEventId !== undefined ? events[index.get(ev.previousEventId) ?? -1] : undefined;
          const prevPart = prev ? partOf.get(prev.id) : undefined;
          const ours = prevPart && prevPart.visitId === run.visitId && prevPart.kind === 'iteration' ? prevPart : undefined;
          if (ours && prev!.type.endsWith('StateExited') && ours.iterationStatus === 'running') part = ours;
          else if (ours && prev!.type === 'MapIterationStarted' && run.awaiting.includes(ours)) part = ours;
          else part = run.awaiting[0] ?? [...run.parts.values()].pop();
          if (part) run.awaiting = run.awaiting.filter((p) => p !== part);
        }
      }
      const o: Open = { name, enteredId: ev.id, part, task: 'idle' };
      open.push(o);
      openByEntered.set(ev.id, o);
      openOfEvent.set(ev.id, o);
      const kind = fanKinds.get(name);
      if (kind && ev.type === `${kind}StateEntered`) {
        const run: Run = { name, kind, visitId: ev.id, part, parts: new Map(), awaiting: [], done: false };
        runs.push(run);
        byVisit.set(ev.id, run.parts);
        runOfEvent.set(ev.id, run);
      }
    } else if (ev.type.endsWith('StateExited')) {
      let cands = open.filter((o) => o.name === name);
      const o = prevOpen(ev, cands) ?? (() => {
        cands = narrow(cands, at);
        return cands.find((c) => c.task === 'completed') ?? cands[0];
      })();
      if (o) {
        open = open.filter((x) => x !== o);
        openOfEvent.set(ev.id, o);
        part = o.part;
        const run = runs.find((r) => r.visitId === o.enteredId);
        if (run) {
          run.done = true;
          finished.add(run.visitId);
        }
      }
    } else if (taskEvent.test(ev.type)) {
      const tasks = open.filter((o) => o.name && !fanKinds.has(o.name));
      let o: Open | undefined;
      if (scheduled.test(ev.type)) {
        const c = tasks.filter((x) => x.task !== 'pending');
        o = prevOpen(ev, c) ?? c.find((x) => x.task === 'idle') ?? c[0];
        if (o) o.task = 'pending';
      } else {
        const c = tasks.filter((x) => x.task === 'pending');
        o = prevOpen(ev, c) ?? (started.test(ev.type) ? c[0] : narrow(c, at)[0]);
        if (o && !started.test(ev.type) && result.test(ev.type)) {
          o.task = 'completed';
          o.lastOutcome = ev.type.endsWith('Succeeded') ? 'success' : 'failure';
        }
      }
      if (o) {
        openOfEvent.set(ev.id, o);
        part = o.part;
      }
    } else if (/^(Map|Parallel)State(Started|Succeeded|Failed|Aborted)$/.test(ev.type)) {
      const kind = ev.type.startsWith('Map') ? 'Map' : 'Parallel';
      const run = chooseRun(ev, runs.filter((r) => r.kind === kind && !r.done));
      if (run) {
        part = run.part;
        const o = openByEntered.get(run.visitId);
        if (o) openOfEvent.set(ev.id, o);
        if (!ev.type.endsWith('Started')) {
          run.done = true;
          finished.add(run.visitId);
        } else runOfEvent.set(ev.id, run);
      }
    } else if (/^MapIteration(Started|Succeeded|Failed|Aborted)$/.test(ev.type)) {
      const i = Number(d.index);
      if (ev.type === 'MapIterationStarted') {
        const run = chooseRun(ev, runs.filter((r) => r.name === name && r.kind === 'Map' && !r.done));
        if (run) {
          // A redriven iteration starts again under its index: one part.
          part = run.parts.get(i) ?? newPart(run, 'iteration', i);
          part.iterationStatus = 'running';
          run.awaiting.push(part);
        }
      } else {
        const run = chooseRun(ev, runs.filter((r) => r.name === name && r.kind === 'Map' && r.parts.get(i)?.iterationStatus === 'running'));
        part = run?.parts.get(i);
        if (part) {
          part.iterationStatus = ev.type.endsWith('Succeeded') ? 'succeeded' : ev.type.endsWith('Failed') ? 'failed' : 'aborted';
          run!.awaiting = run!.awaiting.filter((p) => p !== part);
        }
      }
    } else if (ev.type === 'ExecutionRedriven') {
      // A redrive resumes the Parallel and Map runs that had not exited
      // (their failed branches and iterations run again inside them) and
      // enters again the other states that were open, which ended with
      // the failure (engine.Machine.Redrive, as AWS redrives).
      const waiting = new Set(open.map((o) => o.enteredId));
      const resumed: Part[] = [];
      for (const run of runs) {
        if (!run.done || !waiting.has(run.visitId)) continue;
        run.done = false;
        finished.delete(run.visitId);
        resumed.push(...run.parts.values());
      }
      open = open.filter((o) => runs.some((r) => r.visitId === o.enteredId && !r.done));
      redrivenParts.set(ev.id, resumed);
    } else if (!ev.type.startsWith('Execution') && ev.previousEventId) {
      // Anything else (MapRun events, ...) goes with the event before it.
      part = partOf.get(ev.previousEventId);
    }
    if (part) partOf.set(ev.id, part);
  });

  // Each part holds its own events and those of the parts inside it.
  for (const ev of events) {
    for (let p = partOf.get(ev.id); p; p = p.parent) p.events.push(ev);
    for (const p of redrivenParts.get(ev.id) ?? []) p.events.push(ev);
  }
  return { byVisit, partOf, finished };
}

/**
 * The analysis of one part alone: its states coloured by what happened in
 * that iteration or branch. done says whether the execution has ended.
 */
export function analysePart(p: Part, parts: Parts, done: boolean, fails?: Map<string, FailInfo>): Analysis {
  const over = done || parts.finished.has(p.visitId) || (p.kind === 'iteration' && p.iterationStatus !== 'running');
  const a = analyse(p.events, over ? 'ENDED' : 'RUNNING');
  // A Fail state inside an iteration or branch ends it without an event
  // that carries the error (MapIterationFailed has only the index), so the
  // error and cause come from the definition when they are fixed there.
  for (const [name, info] of a.states) {
    const f = fails?.get(name);
    if (!f) continue;
    for (const v of info.visits) {
      if (v.type !== 'Fail') continue;
      v.status = 'failed';
      v.error ??= f.error;
      v.cause ??= f.cause;
    }
    info.status = 'failed';
  }
  return a;
}

/** The fixed Error and Cause of a Fail state. */
export interface FailInfo {
  error?: string;
  cause?: string;
}

/** The Fail states of a definition (nested ones included) with their fixed Error and Cause. */
export function failStates(definition: string | Record<string, unknown>): Map<string, FailInfo> {
  const out = new Map<string, FailInfo>();
  const walk = (def: unknown) => {
    if (!def || typeof def !== 'object') return;
    const states = (def as Record<string, unknown>).States;
    if (!states || typeof states !== 'object') return;
    for (const [name, raw] of Object.entries(states as Record<string, Record<string, unknown>>)) {
      if (!raw || typeof raw !== 'object') continue;
      if (raw.Type === 'Fail') {
        const str = (x: unknown) => (typeof x === 'string' && !/^\{%.*%\}$/s.test(x) ? x : undefined);
        out.set(name, { error: str(raw.Error), cause: str(raw.Cause) });
      }
      if (Array.isArray(raw.Branches)) raw.Branches.forEach(walk);
      walk(raw.ItemProcessor ?? raw.Iterator);
    }
  };
  try {
    walk(typeof definition === 'string' ? JSON.parse(definition) : definition);
  } catch {
    // Not JSON: no Fail states to tell about.
  }
  return out;
}

const rank: Record<StateStatus, number> = { notReached: 0, succeeded: 1, caught: 2, aborted: 3, running: 4, failed: 5 };

/**
 * A part's status: an iteration's comes from its MapIteration events (a
 * running one is aborted once its Map run or the execution ended); a branch's is its
 * worst state's, failed first.
 */
export function partStatus(p: Part, parts: Parts, done: boolean, a?: Analysis): StateStatus {
  if (p.kind === 'iteration') {
    const s = p.iterationStatus ?? 'notReached';
    return s === 'running' && (done || parts.finished.has(p.visitId)) ? 'aborted' : s;
  }
  let worst: StateStatus = 'notReached';
  for (const info of (a ?? analysePart(p, parts, done)).states.values()) if (rank[info.status] > rank[worst]) worst = info.status;
  // A state whose error was caught inside the branch did not fail it.
  return worst === 'caught' ? 'succeeded' : worst;
}
