import { useEffect, useState } from 'preact/hooks';
import { listExecutions, listStateMachines, type ExecutionItem, type StateMachineItem } from '../api';
import { duration, when } from '../format';
import { executionPath, Link, machinePath } from '../router';
import { seconds } from '../status';
import { ErrorBox, StatusBadge } from './common';

export const statuses = ['', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];

/** How many executions of each machine the cross-machine list reads. */
const perMachine = 50;
const pageSize = 25;

/** Recent executions of every state machine, newest first. */
export function AllExecutions() {
  const [filter, setFilter] = useState('');
  const [rows, setRows] = useState<(ExecutionItem & { machine: string })[] | null>(null);
  const [page, setPage] = useState(0);
  const [err, setErr] = useState<unknown>(null);
  useEffect(() => {
    setRows(null);
    setPage(0);
    (async () => {
      const machines: StateMachineItem[] = [];
      let token: string | undefined;
      do {
        const p = await listStateMachines(token);
        machines.push(...p.stateMachines);
        token = p.nextToken;
      } while (token);
      const lists = await Promise.all(
        machines.map(async (m) => (await listExecutions(m.stateMachineArn, filter, undefined, perMachine)).executions.map((e) => ({ ...e, machine: m.name }))),
      );
      setRows(lists.flat().sort((a, b) => seconds(b.startDate) - seconds(a.startDate)));
    })().catch(setErr);
  }, [filter]);
  const shown = rows?.slice(page * pageSize, (page + 1) * pageSize) ?? [];
  return (
    <main>
      <div class="section-head">
        <h1>Executions</h1>
        <label>Status{' '}
          <select value={filter} onChange={(e) => setFilter((e.target as HTMLSelectElement).value)}>
            {statuses.map((s) => <option value={s} key={s}>{s || 'All'}</option>)}
          </select>
        </label>
      </div>
      <p class="muted small">The latest {perMachine} executions of each state machine{filter ? ` with status ${filter}` : ''}, newest first.</p>
      {err ? <ErrorBox err={err} /> : null}
      {rows === null && !err && <p class="muted">Loading…</p>}
      {rows && rows.length === 0 && <p class="muted">No executions.</p>}
      {shown.length > 0 && (
        <table class="list" data-testid="all-executions">
          <thead><tr><th>Name</th><th>State machine</th><th>Status</th><th>Started</th><th>Duration</th></tr></thead>
          <tbody>
            {shown.map((e) => (
              <tr key={e.executionArn}>
                <td><Link to={executionPath(e.executionArn)}>{e.name}</Link></td>
                <td><Link to={machinePath(e.stateMachineArn)}>{e.machine}</Link></td>
                <td><StatusBadge status={e.status} /></td>
                <td>{when(e.startDate)}</td>
                <td>{e.stopDate ? duration(seconds(e.stopDate) - seconds(e.startDate)) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rows && rows.length > pageSize && (
        <div class="pager">
          <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>← Newer</button>
          <span class="muted">Page {page + 1} of {Math.ceil(rows.length / pageSize)}</span>
          <button type="button" disabled={(page + 1) * pageSize >= rows.length} onClick={() => setPage(page + 1)}>Older →</button>
        </div>
      )}
    </main>
  );
}
