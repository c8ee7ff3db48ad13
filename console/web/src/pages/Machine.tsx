import { useEffect, useMemo, useState } from 'preact/hooks';
import { describeStateMachine, listExecutions, startExecution, type ExecutionItem, type StateMachine } from '../api';
import { Editor } from '../editor';
import { Graph } from '../graph/Graph';
import { buildGraph } from '../graph/model';
import { duration, pretty, when } from '../format';
import { executionPath, Link, machinePath, navigate } from '../router';
import { seconds } from '../status';
import { statuses } from './AllExecutions';
import { ErrorBox, StatusBadge } from './common';
import { Aliases, useTargets, Versions, type Targets } from './Versions';
import { parseStateMachineArn, targetLabel, versionNumber } from '../versions';


/** A state machine: its graph, definition and executions. */
export function Machine({ arn }: { arn: string }) {
  const [sm, setSm] = useState<StateMachine | null>(null);
  const [err, setErr] = useState<unknown>(null);
  const [tab, setTab] = useState<'graph' | 'definition'>('graph');
  const [targetsTick, setTargetsTick] = useState(0);
  const { targets, err: targetsErr } = useTargets(arn, targetsTick);
  const refreshTargets = () => setTargetsTick((n) => n + 1);
  useEffect(() => {
    setSm(null);
    describeStateMachine(arn).then(setSm, setErr);
  }, [arn]);
  const graph = useMemo(() => {
    if (!sm) return null;
    try {
      return buildGraph(sm.definition);
    } catch {
      return null;
    }
  }, [sm]);
  // A version's or alias's ARN: its page is its machine's, which lists them.
  const q = parseStateMachineArn(arn);
  if (q && q.kind !== 'machine') {
    return (
      <main>
        <p data-testid="qualified">{arn} is {targetLabel(arn)} of <Link to={machinePath(q.machineArn)}>{q.name}</Link>, listed on its page.</p>
      </main>
    );
  }
  if (err) return <main><ErrorBox err={err} /></main>;
  if (!sm) return <main><p class="muted">Loading…</p></main>;
  return (
    <main>
      <nav class="crumbs"><Link to="/">State machines</Link> / </nav>
      <div class="section-head">
        <h1>{sm.name} <span class={`badge type-${sm.type}`}>{sm.type}</span></h1>
        <Link to={`/studio/${encodeURIComponent(arn)}`} class="button edit-link">Edit in Workflow Studio</Link>
      </div>
      <p class="muted arn">{sm.stateMachineArn} · created {when(sm.creationDate)}</p>
      <div class="tabs" role="tablist">
        <button role="tab" aria-selected={tab === 'graph'} onClick={() => setTab('graph')}>Graph</button>
        <button role="tab" aria-selected={tab === 'definition'} onClick={() => setTab('definition')}>Definition</button>
      </div>
      {tab === 'graph' && graph && <Graph scope={graph} name={sm.name} />}
      {tab === 'definition' && <Editor value={pretty(sm.definition)} readOnly label="Definition (read-only)" testId="definition" height="28rem" />}
      <div class="columns">
        <Executions arn={arn} />
        <StartForm arn={arn} targets={targets} />
      </div>
      {targetsErr ? <ErrorBox err={targetsErr} /> : null}
      {targets && (
        <div class="columns-even">
          <Versions arn={arn} targets={targets} onChange={refreshTargets} />
          <Aliases targets={targets} onChange={refreshTargets} />
        </div>
      )}
    </main>
  );
}

function Executions({ arn }: { arn: string }) {
  const [filter, setFilter] = useState('');
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<{ executions: ExecutionItem[]; nextToken?: string } | null>(null);
  const [err, setErr] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const token = tokens[tokens.length - 1];
  useEffect(() => {
    let live = true;
    listExecutions(arn, filter, token).then((p) => {
      if (!live) return;
      p.executions.sort((a, b) => seconds(b.startDate) - seconds(a.startDate));
      setPage(p);
      setErr(null);
    }, (e) => live && setErr(e));
    return () => { live = false; };
  }, [arn, filter, token, tick]);
  // Refresh while something runs.
  const running = page?.executions.some((e) => e.status === 'RUNNING');
  useEffect(() => {
    if (!running) return;
    const t = setTimeout(() => setTick((n) => n + 1), 2000);
    return () => clearTimeout(t);
  }, [running, page]);
  // The Version column appears once an execution on the page ran a version.
  const onVersions = !!page?.executions.some((e) => e.stateMachineVersionArn);
  return (
    <section class="executions" aria-labelledby="executions-h">
      <div class="section-head">
        <h2 id="executions-h">Executions</h2>
        <label>Status{' '}
          <select value={filter} onChange={(e) => { setFilter((e.target as HTMLSelectElement).value); setTokens([undefined]); }}>
            {statuses.map((s) => <option value={s} key={s}>{s || 'All'}</option>)}
          </select>
        </label>
        <button type="button" onClick={() => setTick((n) => n + 1)}>Refresh</button>
      </div>
      {err ? <ErrorBox err={err} /> : null}
      {page && page.executions.length === 0 && <p class="muted">No executions{filter ? ` with status ${filter}` : ''}.</p>}
      {page && page.executions.length > 0 && (
        <table class="list" data-testid="executions">
          <thead><tr><th>Name</th><th>Status</th>{onVersions && <th>Version</th>}<th>Started</th><th>Duration</th></tr></thead>
          <tbody>
            {page.executions.map((e) => (
              <tr key={e.executionArn}>
                <td><Link to={executionPath(e.executionArn)}>{e.name}</Link></td>
                <td><StatusBadge status={e.status} /></td>
                {onVersions && <td data-kind="version">{ranOn(e)}</td>}
                <td>{when(e.startDate)}</td>
                <td>{e.stopDate ? duration(seconds(e.stopDate) - seconds(e.startDate)) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="pager">
        <button type="button" disabled={tokens.length < 2} onClick={() => setTokens(tokens.slice(0, -1))}>← Newer</button>
        <span class="muted">Page {tokens.length}</span>
        <button type="button" disabled={!page?.nextToken} onClick={() => setTokens([...tokens, page!.nextToken])}>Older →</button>
      </div>
    </section>
  );
}

/** What an execution ran: "v2 (alias live)", "v1", or "latest". */
function ranOn(e: ExecutionItem): string {
  if (!e.stateMachineVersionArn) return 'latest';
  const v = `v${versionNumber(e.stateMachineVersionArn) ?? '?'}`;
  return e.stateMachineAliasArn ? `${v} (${targetLabel(e.stateMachineAliasArn)})` : v;
}

/** Why text is not valid JSON, or '' when it is. */
export function jsonProblem(text: string): string {
  if (text.trim() === '') return 'Input is empty; use {} for no input.';
  try {
    JSON.parse(text);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

function StartForm({ arn, targets }: { arn: string; targets: Targets | null }) {
  const [input, setInput] = useState('{\n  \n}');
  const [name, setName] = useState('');
  // What to start: the machine's latest revision (its own ARN), a version or an alias.
  const [target, setTarget] = useState(arn);
  useEffect(() => setTarget(arn), [arn]);
  const choices = [arn, ...(targets?.aliases.map((a) => a.stateMachineAliasArn) ?? []), ...(targets?.versions.map((v) => v.stateMachineVersionArn) ?? [])];
  // A version or alias deleted since it was picked falls back to the latest.
  const to = choices.includes(target) ? target : arn;
  const [err, setErr] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const problem = jsonProblem(input);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (problem) return;
    setBusy(true);
    try {
      const r = await startExecution(to, JSON.stringify(JSON.parse(input)), name.trim());
      navigate(executionPath(r.executionArn));
    } catch (x) {
      setErr(x);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="start" aria-labelledby="start-h">
      <h2 id="start-h">Start an execution</h2>
      <form onSubmit={submit}>
        <label>Run
          <select name="target" value={to} onChange={(e) => setTarget((e.target as HTMLSelectElement).value)} data-testid="start-target">
            {choices.map((c) => (
              <option key={c} value={c}>
                {c === arn ? 'Latest revision' : versionNumber(c) !== null ? `Version ${versionNumber(c)}` : targetLabel(c).replace(/^alias /, 'Alias ')}
              </option>
            ))}
          </select>
        </label>
        <label>Name (optional)
          <input value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} placeholder="generated when empty" />
        </label>
        <div class="field">
          <span>Input (JSON)</span>
          <Editor value={input} onChange={setInput} label="Execution input (JSON)" testId="input" describedBy="input-problem" height="10rem" />
        </div>
        <p id="input-problem" class={problem ? 'error small' : 'ok small'} aria-live="polite">{problem || 'Valid JSON'}</p>
        {err ? <ErrorBox err={err} /> : null}
        <button type="submit" class="primary" disabled={!!problem || busy}>Start execution</button>
      </form>
    </section>
  );
}
