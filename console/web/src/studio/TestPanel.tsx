// Test one state with an input, through the AWS TestState action: its
// effective input, output, next state and error, with an optional mocked
// task result or error, inspection level, variables and context.

import { useState } from 'preact/hooks';
import { ErrorBox } from '../pages/common';
import { testState, type TestStateRequest, type TestStateResponse } from './api';
import { JObj, print, str } from './json';
import { findState } from './model';

const pretty = (s?: string) => {
  if (s === undefined) return '';
  try {
    return JSON.stringify(JSON.parse(s), null, 2);
  } catch {
    return s;
  }
};

const problem = (text: string) => {
  if (text.trim() === '') return '';
  try {
    JSON.parse(text);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
};

export function TestPanel({ doc, name }: { doc: JObj; name: string }) {
  const [input, setInput] = useState('{}');
  const [level, setLevel] = useState<'INFO' | 'DEBUG' | 'TRACE'>('DEBUG');
  const [mock, setMock] = useState<'none' | 'result' | 'error'>('none');
  const [mockResult, setMockResult] = useState('{}');
  const [mockError, setMockError] = useState({ error: 'Failure', cause: '' });
  const [variables, setVariables] = useState('');
  const [context, setContext] = useState('');
  const [res, setRes] = useState<TestStateResponse | null>(null);
  const [err, setErr] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const found = findState(doc, name);
  if (!found) return null;
  let st = found.state;
  // A state inherits the machine's query language; TestState sees the state alone.
  const top = str(doc.get('QueryLanguage'));
  if (top && !st.has('QueryLanguage')) st = st.insertAfter('Type', 'QueryLanguage', top);
  const bad = problem(input) || problem(variables) || problem(context) || (mock === 'result' ? problem(mockResult) : '');
  const run = async () => {
    setBusy(true);
    setErr(null);
    setRes(null);
    const req: TestStateRequest = {
      definition: print(st), roleArn: 'arn:aws:iam::123456789012:role/stepwise', input: input.trim() || '{}', inspectionLevel: level,
      variables: variables.trim() || undefined, context: context.trim() || undefined,
    };
    if (mock === 'result') req.mock = { result: mockResult };
    if (mock === 'error') req.mock = { errorOutput: { error: mockError.error, cause: mockError.cause || undefined } };
    try {
      setRes(await testState(req));
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(false);
    }
  };
  const data = res?.inspectionData ?? {};
  // What the state worked on: after Arguments (JSONata), or after InputPath and Parameters (JSONPath).
  const effective = [data.afterArguments, data.afterParameters, data.afterInputPath].find((x) => typeof x === 'string') as string | undefined;
  return (
    <details class="test-panel" data-testid="test-panel">
      <summary>Test this state</summary>
      <label class="field">Input (JSON)
        <textarea rows={4} spellcheck={false} value={input} data-testid="test-input" onInput={(e) => setInput((e.target as HTMLTextAreaElement).value)} />
      </label>
      <label class="field">Inspection level{' '}
        <select value={level} onChange={(e) => setLevel((e.target as HTMLSelectElement).value as typeof level)}>
          <option>INFO</option><option>DEBUG</option><option>TRACE</option>
        </select>
      </label>
      {str(st.get('Type')) === 'Task' || str(st.get('Type')) === 'Map' || str(st.get('Type')) === 'Parallel' ? (
        <fieldset class="form-section">
          <legend>Mock</legend>
          <label class="inline"><input type="radio" checked={mock === 'none'} onChange={() => setMock('none')} /> Call the task</label>{' '}
          <label class="inline"><input type="radio" checked={mock === 'result'} onChange={() => setMock('result')} data-testid="mock-result" /> Result</label>{' '}
          <label class="inline"><input type="radio" checked={mock === 'error'} onChange={() => setMock('error')} /> Error</label>
          {mock === 'result' && <textarea rows={3} spellcheck={false} value={mockResult} aria-label="Mocked result (JSON)" data-testid="mock-result-text" onInput={(e) => setMockResult((e.target as HTMLTextAreaElement).value)} />}
          {mock === 'error' && (
            <>
              <input aria-label="Mocked error name" value={mockError.error} onInput={(e) => setMockError({ ...mockError, error: (e.target as HTMLInputElement).value })} />
              <input aria-label="Mocked cause" placeholder="cause" value={mockError.cause} onInput={(e) => setMockError({ ...mockError, cause: (e.target as HTMLInputElement).value })} />
            </>
          )}
        </fieldset>
      ) : null}
      <label class="field">Variables (JSON object, optional)
        <textarea rows={2} spellcheck={false} value={variables} onInput={(e) => setVariables((e.target as HTMLTextAreaElement).value)} />
      </label>
      <label class="field">Context (JSON object, optional)
        <textarea rows={2} spellcheck={false} value={context} onInput={(e) => setContext((e.target as HTMLTextAreaElement).value)} />
      </label>
      {bad && <p class="error small">{bad}</p>}
      <button type="button" class="primary" data-testid="test-run" disabled={!!bad || busy} onClick={() => void run()}>Test state</button>
      {err ? <ErrorBox err={err} /> : null}
      {res && (
        <div class="test-result" data-testid="test-result" data-status={res.status ?? ''}>
          <dl class="facts">
            <dt>Status</dt><dd data-testid="test-status">{res.status}</dd>
            {res.nextState && <><dt>Next state</dt><dd data-testid="test-next">{res.nextState}</dd></>}
            {res.error && <><dt>Error</dt><dd class="error error-name" title={res.error} data-testid="test-error">{res.error}</dd></>}
            {res.cause && <><dt>Cause</dt><dd>{res.cause}</dd></>}
          </dl>
          {typeof data.input === 'string' && <><h3>Input</h3><pre class="json">{pretty(data.input)}</pre></>}
          {effective !== undefined && <><h3>Effective input</h3><pre class="json" data-testid="test-effective">{pretty(effective)}</pre></>}
          {res.output !== undefined && <><h3>Output</h3><pre class="json" data-testid="test-output">{pretty(res.output)}</pre></>}
          {Object.keys(data).length > 0 && (
            <details><summary>Inspection data</summary><pre class="json">{JSON.stringify(Object.fromEntries(Object.entries(data).map(([k, v]) => [k, typeof v === 'string' ? tryParse(v) : v])), null, 2)}</pre></details>
          )}
        </div>
      )}
    </details>
  );
}

function tryParse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}
