import { useEffect, useState } from 'preact/hooks';
import { listExecutions, listStateMachines, type StateMachineItem } from '../api';
import { when } from '../format';
import { Link, machinePath } from '../router';
import { ErrorBox } from './common';

/** The list of state machines. */
export function Machines() {
  const [items, setItems] = useState<StateMachineItem[] | null>(null);
  const [err, setErr] = useState<unknown>(null);
  useEffect(() => {
    (async () => {
      const all: StateMachineItem[] = [];
      let token: string | undefined;
      do {
        const page = await listStateMachines(token);
        all.push(...page.stateMachines);
        token = page.nextToken;
      } while (token && all.length < 10000);
      setItems(all);
    })().catch(setErr);
  }, []);
  return (
    <main>
      <div class="section-head">
        <h1>State machines</h1>
        <Link to="/studio" class="button">Design in Workflow Studio</Link>
        <Link to="/new" class="button">New state machine</Link>
      </div>
      {err ? <ErrorBox err={err} /> : null}
      {items === null && !err && <p class="muted">Loading…</p>}
      {items && items.length === 0 && (
        <p class="muted">No state machines yet. Create one with the AWS CLI or SDK, e.g. <code>aws stepfunctions create-state-machine --endpoint-url {location.origin} …</code></p>
      )}
      {items && items.length > 0 && (
        <table class="list" data-testid="machines">
          <thead><tr><th>Name</th><th>Type</th><th>Created</th><th>Recent executions</th></tr></thead>
          <tbody>
            {items.map((m) => (
              <tr key={m.stateMachineArn}>
                <td><Link to={machinePath(m.stateMachineArn)}>{m.name}</Link></td>
                <td><span class={`badge type-${m.type}`}>{m.type}</span></td>
                <td>{when(m.creationDate)}</td>
                <td><Recent arn={m.stateMachineArn} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}

/** Executions looked at for the counts by status. */
const recentCount = 100;

/** Counts of a machine's latest executions by status. */
function Recent({ arn }: { arn: string }) {
  const [counts, setCounts] = useState<[string, number][] | null>(null);
  useEffect(() => {
    listExecutions(arn, undefined, undefined, recentCount).then((p) => {
      const m = new Map<string, number>();
      for (const e of p.executions) m.set(e.status, (m.get(e.status) ?? 0) + 1);
      setCounts([...m].sort());
    }, () => setCounts([]));
  }, [arn]);
  if (!counts) return <span class="muted">…</span>;
  if (counts.length === 0) return <span class="muted">none</span>;
  return (
    <span class="recent" title={`Latest ${recentCount} executions`}>
      {counts.map(([s, n]) => <span key={s} class={`badge st-${s}`}>{n} {s.toLowerCase().replace('_', ' ')}</span>)}
    </span>
  );
}
