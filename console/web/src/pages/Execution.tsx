import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  describeExecution, describeStateMachineForExecution, getHistory, getNewEvents, listMapRuns, redriveExecution, stopExecution,
  type Execution as Exec, type MapRunItem, type StateMachine,
} from '../api';
import { cost, freeTierTransitions, maxHistoryEvents, maxPayloadBytes, utf8Bytes } from '../cost';
import { duration, pretty, when } from '../format';
import { Graph, statusLabel } from '../graph/Graph';
import { allStates, buildGraph, type Scope } from '../graph/model';
import { analysePart, failStates, partition, partStatus, type FailInfo, type Part, type Parts } from '../parts';
import { mapRunsOf, parseMapRunArn, type StartedRun } from '../maprun';
import { Link, machinePath, mapRunPath } from '../router';
import { analyse, detailsOf, seconds, stateOf, type Analysis, type HistoryEvent, type StateStatus } from '../status';
import { ErrorBox, StatusBadge } from './common';
import { aliasName, clientToken, parseStateMachineArn, redriveOffer, versionNumber } from '../versions';
import './execution.css';

/** How often a running execution is refreshed, in milliseconds. */
const pollMs = 1000;

/** An execution: coloured graph, state details, history, cost. */
export function Execution({ arn }: { arn: string }) {
  const [exec, setExec] = useState<Exec | null>(null);
  const [sm, setSm] = useState<StateMachine | null>(null);
  const [events, setEvents] = useState<HistoryEvent[]>([]);
  const [err, setErr] = useState<unknown>(null);
  const [selected, setSelected] = useState<string | undefined>();
  const [tick, setTick] = useState(0);

  useEffect(() => {
    setExec(null); setSm(null); setEvents([]); setSelected(undefined);
    describeStateMachineForExecution(arn).then(setSm, setErr);
  }, [arn]);
  // The first load reads the whole history; refreshes read only the new
  // events. The execution is described first, so no event of its end is
  // missed.
  const eventsRef = useRef<{ arn: string; events: HistoryEvent[] }>({ arn, events: [] });
  useEffect(() => {
    let live = true;
    (async () => {
      const e = await describeExecution(arn);
      const known = eventsRef.current.arn === arn ? eventsRef.current.events : [];
      const last = known.length ? known[known.length - 1].id : 0;
      const h = last ? known.concat(await getNewEvents(arn, last)) : await getHistory(arn);
      if (!live) return;
      eventsRef.current = { arn, events: h };
      setExec(e);
      setEvents(h);
      setErr(null);
    })().catch((x) => live && setErr(x));
    return () => { live = false; };
  }, [arn, tick]);
  const running = exec?.status === 'RUNNING';
  useEffect(() => {
    if (!running) return;
    const t = setTimeout(() => setTick((n) => n + 1), pollMs);
    return () => clearTimeout(t);
  }, [running, exec, events]);

  const graph = useMemo(() => (sm ? buildGraph(sm.definition) : null), [sm]);
  const analysis = useMemo(() => analyse(events, exec?.status ?? 'RUNNING'), [events, exec]);
  const status = useMemo(() => statusMap(analysis), [analysis]);
  // The iterations and branches of Map and Parallel runs, worked out only
  // once one is asked for: a long history takes a moment to split.
  const [sub, setSub] = useState<PartKey | null>(null);
  const selectedKind = graph && selected ? allStates(graph).find((n) => n.name === selected)?.kind : undefined;
  const needParts = !!sub || selectedKind === 'Map' || selectedKind === 'Parallel';
  const parts = useMemo(() => (needParts && graph ? partition(events, graph) : null), [needParts, events, graph]);
  const fails = useMemo(() => (sm ? failStates(sm.definition) : undefined), [sm]);
  const runs = useMemo(() => mapRunsOf(events), [events]);
  useEffect(() => setSub(null), [arn]);

  if (err && !exec) return <main><ErrorBox err={err} /></main>;
  if (!exec) return <main><p class="muted">Loading…</p></main>;
  const stop = async () => {
    if (!confirm(`Stop execution ${exec.name}?`)) return;
    try {
      await stopExecution(arn, 'Stopped', 'Stopped from the Stepwise console');
      setTick((n) => n + 1);
    } catch (x) {
      setErr(x);
    }
  };
  const offer = redriveOffer(exec);
  const redrive = async () => {
    if (!confirm(`Redrive execution ${exec.name} from where it stopped?`)) return;
    try {
      await redriveExecution(arn, clientToken());
      setErr(null);
      setTick((n) => n + 1);
    } catch (x) {
      setErr(x);
    }
  };
  const end = exec.stopDate ? seconds(exec.stopDate) : Date.now() / 1000;
  return (
    <main>
      <nav class="crumbs">
        <Link to="/">State machines</Link> / <Link to={machinePath(parseStateMachineArn(exec.stateMachineArn)?.machineArn ?? exec.stateMachineArn)}>{sm?.name ?? 'state machine'}</Link> /
      </nav>
      <h1>{exec.name} <StatusBadge status={exec.status} /></h1>
      <p class="muted arn">
        {exec.executionArn} · started {when(exec.startDate)} · {running ? 'running for' : 'took'} {duration(end - seconds(exec.startDate))}
        {running && <span class="live" aria-live="polite"> · live</span>}
      </p>
      <Ran exec={exec} />
      <div class="actions">
        {running && <button type="button" class="danger" onClick={stop}>Stop execution</button>}
        {offer.show && <button type="button" class="primary" onClick={redrive} data-testid="redrive">Redrive</button>}
        {!offer.show && offer.hint && <span class="muted small" data-testid="redrive-hint">{offer.hint}</span>}
      </div>
      {err ? <ErrorBox err={err} /> : null}
      {exec.error !== undefined && (
        <div class="failure" data-testid="execution-error">
          <strong class="error-name" title={exec.error}>{exec.error}</strong>
          {exec.cause && <pre>{pretty(exec.cause)}</pre>}
        </div>
      )}
      <div class="columns graph-columns">
        <div>
          {graph && <Graph scope={graph} status={status} selected={selected} onSelect={setSelected} name={exec.name} />}
          <Legend />
        </div>
        <StatePanel name={selected} analysis={analysis} exec={exec} parts={parts} runs={runs} onOpenPart={setSub} />
      </div>
      {sub && parts && graph && (
        <PartView key={`${sub.visitId}:${sub.index}`} at={sub} parts={parts} graph={graph} exec={exec} fails={fails} runs={runs} onClose={() => setSub(null)} />
      )}
      {runs.length > 0 && <MapRuns arn={arn} runs={runs} />}
      <CostView exec={exec} analysis={analysis} events={events} />
      <HistoryTable events={events} analysis={analysis} runs={runs} />
    </main>
  );
}

/** The version and alias an execution ran on, and its redrives, when it has them. */
function Ran({ exec }: { exec: Exec }) {
  const v = exec.stateMachineVersionArn;
  const a = exec.stateMachineAliasArn;
  if (!v && !a && !exec.redriveCount && !exec.redriveDate) return null;
  return (
    <dl class="facts ran" data-testid="ran-on">
      {v && <><dt>Version</dt><dd data-testid="ran-version" title={v}>Version {versionNumber(v) ?? '?'} <span class="muted arn">{v}</span></dd></>}
      {a && <><dt>Alias</dt><dd data-testid="ran-alias" title={a}>{aliasName(a) ?? a} <span class="muted arn">{a}</span></dd></>}
      {exec.redriveCount ? <><dt>Redrives</dt><dd data-testid="redrive-count">{exec.redriveCount}</dd></> : null}
      {exec.redriveDate ? <><dt>Last redriven</dt><dd data-testid="redrive-date">{when(exec.redriveDate)}</dd></> : null}
    </dl>
  );
}

function Legend() {
  const all: StateStatus[] = ['notReached', 'running', 'succeeded', 'failed', 'caught', 'aborted'];
  return (
    <ul class="legend" aria-label="Colours">
      {all.map((s) => <li key={s}><span class={`swatch status-${s}`} />{statusLabel[s]}</li>)}
    </ul>
  );
}

function statusMap(a: Analysis): Map<string, StateStatus> {
  const m = new Map<string, StateStatus>();
  for (const [k, v] of a.states) m.set(k, v.status);
  return m;
}

/** Which part is open: a run of a Map or Parallel state (its entered event) and an index. */
interface PartKey { visitId: number; index: number }

interface PanelProps {
  name?: string;
  analysis: Analysis;
  exec: Exec;
  parts: Parts | null;
  /** The Map Runs the history shows started, to link a distributed Map's entry to its run. */
  runs: StartedRun[];
  onOpenPart: (k: PartKey) => void;
  /** Shown when no state is selected; the execution's input and output otherwise. */
  intro?: ComponentChildren;
}

function StatePanel({ name, analysis, exec, parts, runs, onOpenPart, intro }: PanelProps) {
  const [pick, setPick] = useState(-1);
  useEffect(() => setPick(-1), [name]);
  if (!name && intro) return <aside class="panel" data-testid="state-panel">{intro}</aside>;
  if (!name) {
    return (
      <aside class="panel" data-testid="state-panel">
        <h2>Execution</h2>
        <p class="muted">Select a state to see its input, output and error.</p>
        <h3>Input</h3><pre class="json">{pretty(exec.input)}</pre>
        {exec.output !== undefined && <><h3>Output</h3><pre class="json">{pretty(exec.output)}</pre></>}
      </aside>
    );
  }
  const info = analysis.states.get(name);
  if (!info) {
    return (
      <aside class="panel" data-testid="state-panel">
        <h2>{name}</h2>
        <p class="muted">Not reached.</p>
      </aside>
    );
  }
  const visits = info.visits;
  const v = visits[pick >= 0 && pick < visits.length ? pick : visits.length - 1];
  // Fail states never exit: they end with the execution.
  const ended = v.exited ?? (exec.stopDate !== undefined ? seconds(exec.stopDate) : undefined);
  const took = (ended ?? Date.now() / 1000) - v.entered;
  const run = v.type === 'Map' ? runs.find((r) => r.enteredId === v.enteredId) : undefined;
  return (
    <aside class="panel" data-testid="state-panel">
      <h2>{name} <span class={`badge status-${v.status}`}>{statusLabel[v.status]}</span></h2>
      {visits.length > 1 && (
        <label>Entry{' '}
          <select value={String(visits.indexOf(v))} onChange={(e) => setPick(Number((e.target as HTMLSelectElement).value))}>
            {visits.map((x, i) => <option key={i} value={String(i)}>{`#${i + 1} of ${visits.length} (${statusLabel[x.status]})`}</option>)}
          </select>
        </label>
      )}
      <dl class="facts">
        <dt>Entered</dt><dd>{when(v.entered)} (event {v.enteredId})</dd>
        {v.exited !== undefined && <><dt>Exited</dt><dd>{when(v.exited)} (event {v.exitedId})</dd></>}
        <dt>Duration</dt><dd>{duration(Math.max(0, took))}{ended === undefined ? ' so far' : ''}</dd>
        <dt>Retries</dt><dd>{v.retries}</dd>
      </dl>
      {run && (
        <p class="map-run-link" data-testid="map-run-link">
          Distributed Map run: <Link to={mapRunPath(run.mapRunArn)}>Map Run {parseMapRunArn(run.mapRunArn)?.label ?? ''}</Link>{' '}
          <StatusBadge status={run.status} />
        </p>
      )}
      <Iterations list={analysis.iterations.get(name)} />
      {parts && !run && (v.type === 'Map' || v.type === 'Parallel') && (
        <PartPicker visit={v.enteredId} kind={v.type} parts={parts} done={exec.status !== 'RUNNING'} onOpen={onOpenPart} />
      )}
      {v.error !== undefined && (
        <div class="failure" data-testid="state-error">
          <strong class="error-name" title={v.error}>{v.error}</strong>
          {v.cause && <pre>{pretty(v.cause)}</pre>}
        </div>
      )}
      <h3>Input</h3><pre class="json">{pretty(v.input)}</pre>
      {v.output !== undefined && <><h3>Output</h3><pre class="json">{pretty(v.output)}</pre></>}
    </aside>
  );
}

/** A Map state's iterations, counted by status, with the failed ones named. */
function Iterations({ list }: { list?: { index: number; status: StateStatus }[] }) {
  if (!list || list.length === 0) return null;
  const counts = new Map<StateStatus, number>();
  for (const i of list) counts.set(i.status, (counts.get(i.status) ?? 0) + 1);
  const bad = list.filter((i) => i.status === 'failed' || i.status === 'aborted').slice(0, 20);
  return (
    <div class="iterations" data-testid="iterations">
      <h3>Iterations</h3>
      <p>
        {list.length.toLocaleString()} items:{' '}
        {[...counts].map(([s, n]) => <span key={s} class={`badge status-${s}`}>{n.toLocaleString()} {statusLabel[s]}</span>)}
      </p>
      {bad.length > 0 && <p class="small">Failed or aborted: {bad.map((i) => `#${i.index}`).join(', ')}{bad.length === 20 ? '…' : ''}</p>}
    </div>
  );
}

/**
 * Opens one iteration of a Map run or one branch of a Parallel run. Many
 * iterations are picked by index; a few, and the branches, from a list.
 */
function PartPicker({ visit, kind, parts, done, onOpen }: {
  visit: number; kind: 'Map' | 'Parallel'; parts: Parts; done: boolean; onOpen: (k: PartKey) => void;
}) {
  const all = parts.byVisit.get(visit);
  const list = useMemo(() => [...(all?.values() ?? [])].sort((a, b) => a.index - b.index), [all]);
  const [index, setIndex] = useState(list[0]?.index ?? 0);
  if (list.length === 0) return <p class="muted small">No {kind === 'Map' ? 'iteration' : 'branch'} has started in this entry.</p>;
  const label = (p: Part) => `${kind === 'Map' ? `#${p.index}` : `Branch ${p.index + 1}`} (${statusLabel[partStatus(p, parts, done)]})`;
  if (kind === 'Parallel') {
    return (
      <div class="part-picker" data-testid="part-picker">
        <h3>Branches</h3>
        <div class="buttons">
          {list.map((p) => (
            <button type="button" key={p.index} class={`status-chip status-${partStatus(p, parts, done)}`} onClick={() => onOpen({ visitId: visit, index: p.index })}>
              {label(p)}
            </button>
          ))}
        </div>
      </div>
    );
  }
  const bad = list.filter((p) => { const s = partStatus(p, parts, done); return s === 'failed' || s === 'aborted'; }).slice(0, 10);
  const open = (e: Event) => {
    e.preventDefault();
    if (all?.has(index)) onOpen({ visitId: visit, index });
  };
  return (
    <form class="part-picker" data-testid="part-picker" onSubmit={open}>
      <h3>Open an iteration</h3>
      {list.length <= 300 ? (
        <label>Iteration{' '}
          <select value={String(index)} onChange={(e) => setIndex(Number((e.target as HTMLSelectElement).value))}>
            {list.map((p) => <option key={p.index} value={String(p.index)}>{label(p)}</option>)}
          </select>
        </label>
      ) : (
        <label>Iteration (0 to {list[list.length - 1].index}){' '}
          <input type="number" min={0} max={list[list.length - 1].index} value={index}
            onInput={(e) => setIndex(Number((e.target as HTMLInputElement).value))} />
        </label>
      )}
      <button type="submit" disabled={!all?.has(index)}>Open iteration</button>
      {bad.length > 0 && (
        <p class="small">Failed or aborted:{' '}
          {bad.map((p) => (
            <button type="button" class="link" key={p.index} onClick={() => onOpen({ visitId: visit, index: p.index })}>#{p.index}</button>
          ))}
        </p>
      )}
    </form>
  );
}

/**
 * One Map iteration or Parallel branch: its own graph (the item processor
 * or the branch), coloured by what happened in it, and its states' input,
 * output and error. Fan-outs nested in it open below it the same way.
 */
function PartView({ at, parts, graph, exec, fails, runs, onClose }: {
  at: PartKey; parts: Parts; graph: Scope; exec: Exec; fails?: Map<string, FailInfo>; runs: StartedRun[]; onClose: () => void;
}) {
  const part = parts.byVisit.get(at.visitId)?.get(at.index);
  const [selected, setSelected] = useState<string | undefined>();
  const [sub, setSub] = useState<PartKey | null>(null);
  const done = exec.status !== 'RUNNING';
  const a = useMemo(() => (part ? analysePart(part, parts, done, fails) : null), [part, parts, done, fails]);
  const status = useMemo(() => (a ? statusMap(a) : undefined), [a]);
  const box = useRef<HTMLElement>(null);
  useEffect(() => box.current?.scrollIntoView({ block: 'nearest' }), []);
  if (!part || !a) return null;
  const node = allStates(graph).find((n) => n.name === part.state);
  const scope = node?.scopes?.[part.kind === 'branch' ? part.index : 0];
  const what = part.kind === 'iteration' ? `${part.state}: iteration #${part.index}` : `${part.state}: branch ${part.index + 1}`;
  const st = partStatus(part, parts, done, a);
  const first = a.states.size ? [...a.states.values()].flatMap((s) => s.visits).sort((x, y) => x.enteredId - y.enteredId)[0] : undefined;
  return (
    <section class="part-view" ref={box} data-testid="part-view" data-part={`${part.state}:${part.index}`} aria-label={what}>
      <div class="section-head">
        <h2>{what} <span class={`badge status-${st}`} data-testid="part-status">{statusLabel[st]}</span></h2>
        <button type="button" onClick={onClose}>Close</button>
      </div>
      <p class="muted small">{part.events.length.toLocaleString()} events; entry of {part.state} at event {part.visitId}</p>
      <div class="columns graph-columns">
        <div>{scope && <Graph scope={scope} status={status} selected={selected} onSelect={setSelected} name={`${exec.name}-${part.state}-${part.index}`} />}</div>
        <StatePanel name={selected} analysis={a} exec={exec} parts={parts} runs={runs} onOpenPart={setSub} intro={
          <>
            <h2>{what}</h2>
            <p class="muted">Select a state to see its input, output and error in this {part.kind}.</p>
            {first?.input !== undefined && <><h3>Input</h3><pre class="json">{pretty(first.input)}</pre></>}
          </>
        } />
      </div>
      {sub && <PartView key={`${sub.visitId}:${sub.index}`} at={sub} parts={parts} graph={graph} exec={exec} fails={fails} runs={runs} onClose={() => setSub(null)} />}
    </section>
  );
}

/** How many Map Runs one ListMapRuns page asks for. */
const mapRunsPage = 100;

/**
 * The execution's Map Runs, as ListMapRuns lists them, with the state
 * that started each and its status from the history. Read again when a
 * run starts or ends in the history, so the stop dates show.
 */
function MapRuns({ arn, runs }: { arn: string; runs: StartedRun[] }) {
  const [list, setList] = useState<MapRunItem[] | null>(null);
  const [next, setNext] = useState<string | undefined>();
  const [err, setErr] = useState<unknown>(null);
  const key = runs.map((r) => `${r.mapRunArn}:${r.status}`).join(' ');
  useEffect(() => {
    let live = true;
    listMapRuns(arn, undefined, mapRunsPage).then((p) => {
      if (!live) return;
      setList(p.mapRuns);
      setNext(p.nextToken);
      setErr(null);
    }, (x) => live && setErr(x));
    return () => { live = false; };
  }, [arn, key]);
  const more = async () => {
    try {
      const p = await listMapRuns(arn, next, mapRunsPage);
      setList([...(list ?? []), ...p.mapRuns]);
      setNext(p.nextToken);
    } catch (x) {
      setErr(x);
    }
  };
  const byArn = new Map(runs.map((r) => [r.mapRunArn, r]));
  return (
    <section class="map-runs" aria-labelledby="map-runs-h" data-testid="map-runs">
      <h2 id="map-runs-h">Map Runs <span class="muted small">{(list?.length ?? runs.length).toLocaleString()}</span></h2>
      {err ? <ErrorBox err={err} /> : null}
      {list && (
        <table class="list">
          <thead><tr><th>Map Run</th><th>State</th><th>Status</th><th>Started</th><th>Stopped</th></tr></thead>
          <tbody>
            {list.map((m) => {
              const r = byArn.get(m.mapRunArn);
              return (
                <tr key={m.mapRunArn} data-map-run={m.mapRunArn}>
                  <td><Link to={mapRunPath(m.mapRunArn)}>{parseMapRunArn(m.mapRunArn)?.label ?? m.mapRunArn}</Link>
                    <div class="muted small arn">{parseMapRunArn(m.mapRunArn)?.id ?? ''}</div></td>
                  <td>{r?.state ?? ''}</td>
                  <td>{r ? <StatusBadge status={r.status} /> : ''}</td>
                  <td>{when(m.startDate)}</td>
                  <td>{m.stopDate ? when(m.stopDate) : ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {next && <p><button type="button" onClick={more}>More Map Runs</button></p>}
    </section>
  );
}

function CostView({ exec, analysis, events }: { exec: Exec; analysis: Analysis; events: HistoryEvent[] }) {
  const c = cost(analysis.transitions, events.length);
  const inBytes = utf8Bytes(exec.input);
  const outBytes = utf8Bytes(exec.output);
  const pct = (x: number) => `${(x * 100).toFixed(x < 0.01 ? 2 : 1)}%`;
  return (
    <section class="cost" aria-labelledby="cost-h" data-testid="cost">
      <h2 id="cost-h">Cost and size on AWS</h2>
      <div class="meters">
        <Meter label="History events" value={c.events} max={maxHistoryEvents} note={`${c.events.toLocaleString()} of ${maxHistoryEvents.toLocaleString()} (${pct(c.eventsShare)})`} />
        <Meter label="Input size" value={inBytes} max={maxPayloadBytes} note={`${inBytes.toLocaleString()} B of 256 KiB`} />
        <Meter label="Output size" value={outBytes} max={maxPayloadBytes} note={`${outBytes.toLocaleString()} B of 256 KiB`} />
      </div>
      <p>
        <strong data-testid="transitions">{c.transitions.toLocaleString()}</strong> state transitions ·
        as a Standard workflow on AWS this run would cost <strong data-testid="usd">${c.usd.toFixed(6)}</strong>{' '}
        ($0.025 per 1,000 transitions; the first {freeTierTransitions.toLocaleString()} each month are free).
        {' '}A million such runs: ${(c.usd * 1e6).toLocaleString(undefined, { maximumFractionDigits: 2 })}.
      </p>
    </section>
  );
}

function Meter({ label, value, max, note }: { label: string; value: number; max: number; note: string }) {
  const share = Math.min(1, value / max);
  return (
    <div class="meter">
      <div class="meter-label">{label}</div>
      <div class="bar" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={value}>
        <div class={share > 0.8 ? 'fill warn' : 'fill'} style={{ width: `${Math.max(share * 100, value > 0 ? 0.5 : 0)}%` }} />
      </div>
      <div class="muted small">{note}</div>
    </div>
  );
}

// The history table is virtualised past virtualFrom events: only the rows
// in view (and a margin) are in the page, so 25,000 events scroll and
// expand as quickly as 50. Rows have a fixed height and an expanded row's
// details a fixed height too, so every row's offset is known without
// measuring: row i starts at i * rowPx plus detailPx per expanded row above it.
// (The CSS sets those heights; the rendered ones are measured once anyway,
// so that borders or fonts cannot make the spacers drift over 10,000 rows.)
const virtualFrom = 200;
const rowPx = 30;
const detailPx = 280;
const viewPx = 600;
const overscan = 12;

function HistoryTable({ events, analysis, runs }: { events: HistoryEvent[]; analysis: Analysis; runs: StartedRun[] }) {
  // Map Run events name no state: they are the Map state's that started the run.
  const runState = useMemo(() => {
    const m = new Map<number, string>();
    for (const r of runs) {
      m.set(r.eventId, r.state);
      if (r.endId !== undefined) m.set(r.endId, r.state);
    }
    return m;
  }, [runs]);
  const [open, setOpen] = useState<number[]>([]); // indices of expanded rows, sorted
  const [scrollTop, setScrollTop] = useState(0);
  const [size, setSize] = useState({ row: rowPx, detail: detailPx });
  const scroller = useRef<HTMLDivElement>(null);
  const t0 = events.length ? seconds(events[0].timestamp) : 0;
  const virtual = events.length > virtualFrom;
  const toggle = (i: number) => {
    setOpen(open.includes(i) ? open.filter((x) => x !== i) : [...open, i].sort((a, b) => a - b));
  };
  // Offset of row i: rows above it, plus the details opened above it.
  const top = (i: number) => {
    let n = 0;
    while (n < open.length && open[n] < i) n++;
    return i * size.row + n * size.detail;
  };
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const row = el.querySelector<HTMLElement>('tr.row')?.getBoundingClientRect().height;
    const det = el.querySelector<HTMLElement>('tr.details')?.getBoundingClientRect().height;
    const next = { row: row || size.row, detail: det || size.detail };
    if (Math.abs(next.row - size.row) > 0.01 || Math.abs(next.detail - size.detail) > 0.01) setSize(next);
  });
  let first = 0;
  let last = events.length;
  if (virtual) {
    let lo = 0;
    let hi = events.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (top(mid) <= scrollTop) lo = mid; else hi = mid - 1;
    }
    first = Math.max(0, lo - overscan);
    last = lo;
    while (last < events.length && top(last) < scrollTop + viewPx) last++;
    last = Math.min(events.length, last + overscan);
  }
  const rows = events.slice(first, last).map((ev, k) => {
    const i = first + k;
    const d = detailsOf(ev);
    const isOpen = open.includes(i);
    const failed = /Failed|TimedOut|Aborted/.test(ev.type);
    return [
      <tr key={ev.id} class={failed ? 'bad row' : 'row'} data-event-id={ev.id} aria-rowindex={i + 2}>
        <td>
          {d ? (
            <button type="button" class="link" aria-expanded={isOpen} onClick={() => toggle(i)}>
              {isOpen ? '▾' : '▸'} {ev.id}
            </button>
          ) : <span class="pad">{ev.id}</span>}
        </td>
        <td>{ev.type}</td>
        <td>{stateOf(ev, analysis) || runState.get(ev.id) || ''}</td>
        <td>{duration(seconds(ev.timestamp) - t0)}</td>
        <td>{when(ev.timestamp)}</td>
      </tr>,
      isOpen && d ? (
        <tr key={`${ev.id}-d`} class="details"><td colSpan={5}><pre class="json">{prettyDetails(d)}</pre></td></tr>
      ) : null,
    ];
  });
  const table = (
    <table class={virtual ? 'list history virtual' : 'list history'} data-testid="history" aria-rowcount={events.length + 1}>
      <thead><tr aria-rowindex={1}><th>ID</th><th>Type</th><th>State</th><th>Elapsed</th><th>Time</th></tr></thead>
      <tbody>
        {virtual && first > 0 && <tr class="spacer" aria-hidden="true" style={{ height: `${top(first)}px` }}><td colSpan={5} /></tr>}
        {rows}
        {virtual && last < events.length && (
          <tr class="spacer" aria-hidden="true" style={{ height: `${top(events.length) - top(last)}px` }}><td colSpan={5} /></tr>
        )}
      </tbody>
    </table>
  );
  return (
    <section aria-labelledby="history-h">
      <h2 id="history-h">History <span class="muted small">{events.length.toLocaleString()} events</span></h2>
      {virtual ? (
        <div class="history-scroll" ref={scroller} data-testid="history-scroll" style={{ maxHeight: `${viewPx}px` }}
          onScroll={(e) => setScrollTop((e.currentTarget as HTMLDivElement).scrollTop)}>
          {table}
        </div>
      ) : table}
    </section>
  );
}

/** Details with their embedded JSON texts (input, output) unfolded. */
function prettyDetails(d: Record<string, unknown>): string {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d)) {
    if (typeof v === 'string' && /^(input|output|parameters|cause)$/.test(k)) {
      try {
        o[k] = JSON.parse(v);
        continue;
      } catch { /* not JSON: keep the text */ }
    }
    o[k] = v;
  }
  return JSON.stringify(o, null, 2);
}
