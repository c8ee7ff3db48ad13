import { useEffect, useState } from 'preact/hooks';
import { listStateMachines, type StateMachineItem } from '../api';
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
      <h1>State machines</h1>
      {err ? <ErrorBox err={err} /> : null}
      {items === null && !err && <p class="muted">Loading…</p>}
      {items && items.length === 0 && (
        <p class="muted">No state machines yet. Create one with the AWS CLI or SDK, e.g. <code>aws stepfunctions create-state-machine --endpoint-url {location.origin} …</code></p>
      )}
      {items && items.length > 0 && (
        <table class="list" data-testid="machines">
          <thead><tr><th>Name</th><th>Type</th><th>Created</th></tr></thead>
          <tbody>
            {items.map((m) => (
              <tr key={m.stateMachineArn}>
                <td><Link to={machinePath(m.stateMachineArn)}>{m.name}</Link></td>
                <td><span class={`badge type-${m.type}`}>{m.type}</span></td>
                <td>{when(m.creationDate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
