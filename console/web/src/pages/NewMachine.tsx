import { useEffect, useMemo, useState } from 'preact/hooks';
import { createStateMachine, validateDefinition, type Diagnostic } from '../api';
import { Editor, type EditorDiagnostic } from '../editor';
import { Graph } from '../graph/Graph';
import { buildGraph } from '../graph/model';
import { machinePath, navigate } from '../router';
import { ErrorBox } from './common';
import { jsonProblem } from './Machine';

const example = `{
  "Comment": "A new state machine",
  "StartAt": "Hello",
  "States": {
    "Hello": {"Type": "Pass", "Result": {"greeting": "Hello"}, "End": true}
  }
}`;

/** Creates a state machine from a definition validated as you type. */
export function NewMachine() {
  const [name, setName] = useState('');
  const [type, setType] = useState('STANDARD');
  const [role, setRole] = useState('arn:aws:iam::123456789012:role/stepwise');
  const [def, setDef] = useState(example);
  const [diags, setDiags] = useState<Diagnostic[] | null>(null);
  const [err, setErr] = useState<unknown>(null);
  const problem = jsonProblem(def);
  // Ask the server to validate, once typing pauses.
  useEffect(() => {
    setDiags(null);
    if (problem) return;
    let live = true;
    const t = setTimeout(() => {
      validateDefinition(def, type).then((r) => live && setDiags(r.diagnostics ?? []), (e) => live && setErr(e));
    }, 300);
    return () => { live = false; clearTimeout(t); };
  }, [def, type, problem]);
  const graph = useMemo(() => {
    if (problem) return null;
    try {
      return buildGraph(def);
    } catch {
      return null;
    }
  }, [def, problem]);
  const errors = diags?.filter((d) => d.severity === 'ERROR') ?? [];
  // The server's diagnostics, marked where their JSON pointer points.
  const marks = useMemo<EditorDiagnostic[]>(() => (diags ?? []).map((d) => ({
    location: d.location, severity: d.severity, message: `${d.code}: ${d.message}`,
  })), [diags]);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const r = await createStateMachine(name.trim(), def, type, role);
      navigate(machinePath(r.stateMachineArn));
    } catch (x) {
      setErr(x);
    }
  };
  return (
    <main>
      <h1>New state machine</h1>
      <div class="columns new-machine">
        <form onSubmit={submit}>
          <label>Name <input required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} /></label>
          <label>Type{' '}
            <select value={type} onChange={(e) => setType((e.target as HTMLSelectElement).value)}>
              <option>STANDARD</option><option>EXPRESS</option>
            </select>
          </label>
          <label>Role ARN <input value={role} onInput={(e) => setRole((e.target as HTMLInputElement).value)} /></label>
          <div class="field">
            <span id="def-label">Definition (ASL JSON)</span>
            <Editor value={def} onChange={setDef} diagnostics={marks} label="Definition (ASL JSON)" testId="definition-input"
              describedBy="def-problems" height="22rem" />
          </div>
          <div id="def-problems" aria-live="polite" data-testid="diagnostics">
            {problem && <p class="error small">{problem}</p>}
            {!problem && diags === null && <p class="muted small">Validating…</p>}
            {!problem && diags && diags.length === 0 && <p class="ok small">Valid definition</p>}
            {diags && diags.length > 0 && (
              <ul class="diags">
                {diags.map((d, i) => (
                  <li key={i} class={d.severity === 'ERROR' ? 'error small' : 'small'}>
                    <strong>{d.code}</strong> {d.message}{d.location ? ` (${d.location})` : ''}
                  </li>
                ))}
              </ul>
            )}
          </div>
          {err ? <ErrorBox err={err} /> : null}
          <button type="submit" class="primary" disabled={!!problem || errors.length > 0 || !name.trim()}>Create state machine</button>
        </form>
        <div>{graph ? <Graph scope={graph} name={name || 'state-machine'} /> : <p class="muted">The graph appears when the definition is valid JSON.</p>}</div>
      </div>
    </main>
  );
}
