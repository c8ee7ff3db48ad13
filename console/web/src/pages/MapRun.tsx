import { useEffect, useState } from 'preact/hooks';
import { describeMapRun, updateMapRun, type MapRun as Run } from '../api';
import { duration, when } from '../format';
import {
  executionName, parseMapRunArn, parseUpdate, progress, progressKinds, progressLabel,
  type MapRunCounts, type UpdateFields,
} from '../maprun';
import { executionPath, Link, machinePath } from '../router';
import { seconds } from '../status';
import { ErrorBox, StatusBadge } from './common';
import './maprun.css';

/** How often a running Map Run is refreshed, in milliseconds (as an execution is). */
const pollMs = 1000;

/** A Map Run: its status, settings, progress by status, and the form that updates it. */
export function MapRun({ arn }: { arn: string }) {
  const [run, setRun] = useState<Run | null>(null);
  const [err, setErr] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => setRun(null), [arn]);
  useEffect(() => {
    let live = true;
    describeMapRun(arn).then((r) => {
      if (!live) return;
      setRun(r);
      setErr(null);
    }, (x) => live && setErr(x));
    return () => { live = false; };
  }, [arn, tick]);
  const running = run?.status === 'RUNNING';
  useEffect(() => {
    if (!running) return;
    const t = setTimeout(() => setTick((n) => n + 1), pollMs);
    return () => clearTimeout(t);
  }, [running, run]);

  const name = parseMapRunArn(arn);
  if (err && !run) return <main><ErrorBox err={err} /></main>;
  if (!run) return <main><p class="muted">Loading…</p></main>;
  const machineArn = run.executionArn.replace(/:execution:([^:]+):.*$/, ':stateMachine:$1');
  const end = run.stopDate ? seconds(run.stopDate) : Date.now() / 1000;
  return (
    <main>
      <nav class="crumbs">
        <Link to="/">State machines</Link> / <Link to={machinePath(machineArn)}>{name?.machine ?? 'state machine'}</Link> /{' '}
        <Link to={executionPath(run.executionArn)}>{executionName(run.executionArn)}</Link> /
      </nav>
      <h1>Map Run {name?.label ?? ''} <StatusBadge status={run.status} /></h1>
      <p class="muted arn">
        {run.mapRunArn} · started {when(run.startDate)} · {running ? 'running for' : 'took'} {duration(Math.max(0, end - seconds(run.startDate)))}
        {running && <span class="live" aria-live="polite"> · live</span>}
      </p>
      {err ? <ErrorBox err={err} /> : null}
      <p class="note" data-testid="maprun-note">
        In this version of Stepwise the child executions of a Map Run run inside the parent execution, so they have
        no execution pages of their own: open the parent execution <Link to={executionPath(run.executionArn)}>{executionName(run.executionArn)}</Link> to
        see its Map state and history.
      </p>
      <div class="columns">
        <div>
          <Counts title="Items" testId="item-counts" counts={run.itemCounts} />
          <Counts title="Child executions" testId="execution-counts" counts={run.executionCounts} />
        </div>
        <aside class="panel" data-testid="maprun-panel">
          <h2>Settings</h2>
          <dl class="facts" data-testid="maprun-facts">
            <dt>Status</dt><dd data-testid="maprun-status">{run.status}</dd>
            <dt>Started</dt><dd>{when(run.startDate)}</dd>
            <dt>Stopped</dt><dd>{run.stopDate ? when(run.stopDate) : '—'}</dd>
            <dt>Max concurrency</dt><dd data-testid="max-concurrency">{run.maxConcurrency === 0 ? '0 (no limit)' : run.maxConcurrency}</dd>
            <dt>Tolerated failures</dt><dd data-testid="tolerated-count">{run.toleratedFailureCount}</dd>
            <dt>Tolerated failure %</dt><dd data-testid="tolerated-percentage">{run.toleratedFailurePercentage}</dd>
            {run.redriveCount ? <><dt>Redrives</dt><dd>{run.redriveCount}{run.redriveDate ? `, last ${when(run.redriveDate)}` : ''}</dd></> : null}
            <dt>Execution</dt><dd><Link to={executionPath(run.executionArn)}>{executionName(run.executionArn)}</Link></dd>
          </dl>
          <UpdateForm run={run} onUpdated={() => setTick((n) => n + 1)} />
        </aside>
      </div>
    </main>
  );
}

/** Counts by status: a stacked progress bar and the numbers behind it. */
function Counts({ title, testId, counts }: { title: string; testId: string; counts?: MapRunCounts }) {
  const p = progress(counts);
  const pct = (x: number) => `${x.toFixed(x > 0 && x < 1 ? 1 : 0)}%`;
  return (
    <section class="maprun-counts" data-testid={testId} aria-label={title}>
      <h2>{title} <span class="muted small">{p.done.toLocaleString()} of {p.total.toLocaleString()} done ({pct(p.percentDone)})</span></h2>
      <div class="progress" role="progressbar" aria-label={`${title} done`} aria-valuemin={0} aria-valuemax={p.total} aria-valuenow={p.done}
        aria-valuetext={p.segments.map((s) => `${s.count} ${progressLabel[s.kind].toLowerCase()}`).join(', ') || 'none'}>
        {p.segments.map((s) => (
          <div key={s.kind} class={`seg seg-${s.kind}`} style={{ width: `${s.percent}%` }} title={`${progressLabel[s.kind]}: ${s.count.toLocaleString()}`} />
        ))}
      </div>
      <table class="list counts">
        <thead><tr>{progressKinds.map((k) => <th key={k}><span class={`swatch seg-${k}`} />{progressLabel[k]}</th>)}<th>Total</th><th>Results written</th></tr></thead>
        <tbody>
          <tr>
            {progressKinds.map((k) => <td key={k} data-kind={k}>{(counts?.[k] ?? 0).toLocaleString()}</td>)}
            <td data-kind="total">{(counts?.total ?? 0).toLocaleString()}</td>
            <td data-kind="resultsWritten">{(counts?.resultsWritten ?? 0).toLocaleString()}</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}

const fieldsOf = (r: Run): UpdateFields => ({
  maxConcurrency: String(r.maxConcurrency ?? ''),
  toleratedFailureCount: String(r.toleratedFailureCount ?? ''),
  toleratedFailurePercentage: String(r.toleratedFailurePercentage ?? ''),
});

/**
 * UpdateMapRun's form. It starts from the run's settings and keeps what
 * is typed while the page refreshes; empty fields are left out. What the
 * API refuses is shown as its error.
 */
function UpdateForm({ run, onUpdated }: { run: Run; onUpdated: () => void }) {
  const [fields, setFields] = useState<UpdateFields>(() => fieldsOf(run));
  const [err, setErr] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => setFields(fieldsOf(run)), [run.mapRunArn]);
  const set = (k: keyof UpdateFields) => (e: Event) => {
    setFields({ ...fields, [k]: (e.target as HTMLInputElement).value });
    setDone(false);
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setErr(null);
    setDone(false);
    const p = parseUpdate(fields);
    if ('error' in p) {
      setErr(p.error);
      return;
    }
    setBusy(true);
    try {
      await updateMapRun(run.mapRunArn, p.update);
      setDone(true);
      onUpdated();
    } catch (x) {
      setErr(x);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="maprun-update" data-testid="maprun-update" onSubmit={submit}>
      <h2>Update</h2>
      <p class="muted small">Changes an in-progress run; an empty field keeps its setting.</p>
      <label>Max concurrency (0: no limit)
        <input type="text" inputMode="numeric" name="maxConcurrency" value={fields.maxConcurrency} onInput={set('maxConcurrency')} />
      </label>
      <label>Tolerated failure count
        <input type="text" inputMode="numeric" name="toleratedFailureCount" value={fields.toleratedFailureCount} onInput={set('toleratedFailureCount')} />
      </label>
      <label>Tolerated failure percentage
        <input type="text" inputMode="decimal" name="toleratedFailurePercentage" value={fields.toleratedFailurePercentage} onInput={set('toleratedFailurePercentage')} />
      </label>
      <button type="submit" disabled={busy}>Update Map Run</button>
      {done && <p class="ok" role="status" data-testid="maprun-updated">Updated.</p>}
      {err ? <div data-testid="maprun-update-error"><ErrorBox err={err} /></div> : null}
    </form>
  );
}
