import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  describeExecution, describeStateMachineForExecution, getHistory, getNewEvents, stopExecution,
  type Execution as Exec, type StateMachine,
} from '../api';
import { cost, freeTierTransitions, maxHistoryEvents, maxPayloadBytes, utf8Bytes } from '../cost';
import { duration, pretty, when } from '../format';
import { Graph, statusLabel } from '../graph/Graph';
import { buildGraph } from '../graph/model';
import { Link, machinePath } from '../router';
import { analyse, detailsOf, seconds, stateOf, type Analysis, type HistoryEvent, type StateStatus } from '../status';
import { ErrorBox, StatusBadge } from './common';

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
  const status = useMemo(() => {
    const m = new Map<string, StateStatus>();
    for (const [k, v] of analysis.states) m.set(k, v.status);
    return m;
  }, [analysis]);

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
  const end = exec.stopDate ? seconds(exec.stopDate) : Date.now() / 1000;
  return (
    <main>
      <nav class="crumbs">
        <Link to="/">State machines</Link> / <Link to={machinePath(exec.stateMachineArn)}>{sm?.name ?? 'state machine'}</Link> /
      </nav>
      <h1>{exec.name} <StatusBadge status={exec.status} /></h1>
      <p class="muted arn">
        {exec.executionArn} · started {when(exec.startDate)} · {running ? 'running for' : 'took'} {duration(end - seconds(exec.startDate))}
        {running && <span class="live" aria-live="polite"> · live</span>}
      </p>
      <div class="actions">
        {running && <button type="button" class="danger" onClick={stop}>Stop execution</button>}
      </div>
      {err ? <ErrorBox err={err} /> : null}
      {exec.error !== undefined && (
        <div class="failure" data-testid="execution-error">
          <strong>{exec.error}</strong>
          {exec.cause && <pre>{pretty(exec.cause)}</pre>}
        </div>
      )}
      <div class="columns graph-columns">
        <div>
          {graph && <Graph scope={graph} status={status} selected={selected} onSelect={setSelected} name={exec.name} />}
          <Legend />
        </div>
        <StatePanel name={selected} analysis={analysis} exec={exec} />
      </div>
      <CostView exec={exec} analysis={analysis} events={events} />
      <HistoryTable events={events} analysis={analysis} />
    </main>
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

function StatePanel({ name, analysis, exec }: { name?: string; analysis: Analysis; exec: Exec }) {
  const [pick, setPick] = useState(-1);
  useEffect(() => setPick(-1), [name]);
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
      <Iterations list={analysis.iterations.get(name)} />
      {v.error !== undefined && (
        <div class="failure" data-testid="state-error">
          <strong>{v.error}</strong>
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

/** Rows shown at once; the rest come on request, so huge histories stay fast. */
const historyPage = 500;

function HistoryTable({ events, analysis }: { events: HistoryEvent[]; analysis: Analysis }) {
  const [open, setOpen] = useState<Set<number>>(new Set());
  const [shown, setShown] = useState(historyPage);
  const t0 = events.length ? seconds(events[0].timestamp) : 0;
  const toggle = (id: number) => {
    const n = new Set(open);
    if (n.has(id)) n.delete(id); else n.add(id);
    setOpen(n);
  };
  return (
    <section aria-labelledby="history-h">
      <h2 id="history-h">History <span class="muted small">{events.length} events</span></h2>
      <table class="list history" data-testid="history">
        <thead><tr><th>ID</th><th>Type</th><th>State</th><th>Elapsed</th><th>Time</th></tr></thead>
        <tbody>
          {events.slice(0, shown).map((ev) => {
            const d = detailsOf(ev);
            const isOpen = open.has(ev.id);
            const failed = /Failed|TimedOut|Aborted/.test(ev.type);
            return [
              <tr key={ev.id} class={failed ? 'bad' : ''} data-event-id={ev.id}>
                <td>
                  {d ? (
                    <button type="button" class="link" aria-expanded={isOpen} onClick={() => toggle(ev.id)}>
                      {isOpen ? '▾' : '▸'} {ev.id}
                    </button>
                  ) : <span class="pad">{ev.id}</span>}
                </td>
                <td>{ev.type}</td>
                <td>{stateOf(ev, analysis)}</td>
                <td>{duration(seconds(ev.timestamp) - t0)}</td>
                <td>{when(ev.timestamp)}</td>
              </tr>,
              isOpen && d ? (
                <tr key={`${ev.id}-d`} class="details"><td colSpan={5}><pre class="json">{prettyDetails(d)}</pre></td></tr>
              ) : null,
            ];
          })}
        </tbody>
      </table>
      {events.length > shown && (
        <button type="button" onClick={() => setShown(shown + historyPage)}>Show {Math.min(historyPage, events.length - shown)} more</button>
      )}
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
