// The form of the selected state: its name and type, then every field of
// its type in its query language (forms.ts), each with help and a check,
// and editors for Choice rules, Retry and Catch.

import { useEffect, useRef, useState } from 'preact/hooks';
import { operators, stateTypes, type FieldKind } from './fields';
import { stateForm, queryLanguage, type FormField } from './forms';
import { fromPlain, isObj, JNum, JObj, str, type JValue } from './json';
import {
  addBranch, addListItem, connect, deleteState, findState, moveListItem, removeBranch, removeListItem,
  renameState, reorderState, replaceState, scopeObject, setField, statesOf, uniqueName,
} from './model';
import { paletteItem } from './palette';
import { TextInput } from './TextInput';

interface Props {
  doc: JObj;
  name: string;
  /** Applies an edit (typed: made by typing in a field); returns the error it threw, if any. */
  apply: (fn: (doc: JObj) => JObj, typed?: boolean) => string | null;
  onRenamed: (name: string | null) => void;
  /** Problems the server found in this state. */
  diagnostics: { code: string; message: string; location?: string }[];
}

export function StateForm({ doc, name, apply, onRenamed, diagnostics }: Props) {
  const found = findState(doc, name);
  const [newName, setNewName] = useState(name);
  const [nameErr, setNameErr] = useState('');
  useEffect(() => { setNewName(name); setNameErr(''); }, [name]);
  if (!found) return null;
  const st = found.state;
  const type = str(st.get('Type')) ?? '';
  const ql = queryLanguage(doc, st);
  const targets = statesOf(scopeObject(doc, found.scope)).keys();
  const sections = stateForm(doc, name, st);

  const rename = () => {
    const to = newName.trim();
    if (to === name) return;
    const err = apply((d) => renameState(d, name, to));
    setNameErr(err ?? '');
    if (!err) onRenamed(to);
  };
  const set = (path: (string | number)[], v: JValue | undefined, typed = false) => apply((d) => setField(d, name, path, v), typed);

  return (
    <div class="state-form" data-testid="state-form">
      <div class="form-head">
        <label>Name
          <input value={newName} data-testid="state-name" aria-invalid={!!nameErr}
            onInput={(e) => setNewName((e.target as HTMLInputElement).value)}
            onBlur={rename} onKeyDown={(e) => e.key === 'Enter' && rename()} />
        </label>
        {nameErr && <p class="error small">{nameErr}</p>}
        <label>Type
          <select value={type} data-testid="state-type" onChange={(e) => {
            const t = (e.target as HTMLSelectElement).value;
            const fresh = paletteItem(t)!.make(ql, (b) => uniqueName(doc, b));
            apply((d) => replaceState(d, name, fresh));
          }}>
            {stateTypes.map((t) => <option key={t}>{t}</option>)}
          </select>
        </label>
        <p class="muted small">Query language: {ql}{found.scope !== 'root' ? ` · in ${found.scope.replace(/#(\d+)$/, (_, i) => ` (${type === 'Map' ? 'processor' : 'branch'} ${Number(i) + 1})`)}` : ''}</p>
        <div class="actions">
          <button type="button" onClick={() => apply((d) => reorderState(d, name, -1))} title="Earlier in the definition">↑</button>
          <button type="button" onClick={() => apply((d) => reorderState(d, name, 1))} title="Later in the definition">↓</button>
          <button type="button" class="danger" data-testid="delete-state" onClick={() => { if (!apply((d) => deleteState(d, name))) onRenamed(null); }}>Delete state</button>
        </div>
        {diagnostics.length > 0 && (
          <ul class="diags" data-testid="state-diagnostics">
            {diagnostics.map((d, i) => <li key={i} class="error small"><strong>{d.code}</strong> {d.message}</li>)}
          </ul>
        )}
      </div>
      {sections.map((s) => (
        <fieldset key={s.id} class="form-section" data-section={s.id}>
          <legend>{s.title}
            {s.item && (
              <span class="item-tools">
                <button type="button" title="Move up" onClick={() => apply((d) => moveListItem(d, name, s.item!.key, s.item!.index, -1))}>↑</button>
                <button type="button" title="Move down" onClick={() => apply((d) => moveListItem(d, name, s.item!.key, s.item!.index, 1))}>↓</button>
                <button type="button" title="Remove" onClick={() => apply((d) => removeListItem(d, name, s.item!.key, s.item!.index))}>✕</button>
              </span>
            )}
          </legend>
          {s.item?.key === 'Choices' && ql === 'JSONPath' && <OperatorPicker rule={(st.get('Choices') as JValue[])[s.item.index]} onChange={(r) => set(['Choices', s.item!.index], r)} />}
          {s.fields.map((f) => (
            <Field key={f.path.join('/') + ':' + f.kind} f={f} targets={targets}
              onChange={(v, typed) => {
                if (f.path.length === 1 && f.path[0] === 'Next') return apply((d) => connect(d, { scope: found.scope, via: 'next', from: name }, typeof v === 'string' ? v : null));
                if (f.path.length === 1 && f.path[0] === 'End') return apply((d) => v === true ? connect(d, { scope: found.scope, via: 'next', from: name }, null) : setField(d, name, ['End'], undefined));
                return set(f.path, v, typed);
              }} />
          ))}
        </fieldset>
      ))}
      <div class="actions">
        {type === 'Choice' && <button type="button" data-testid="add-rule" onClick={() => apply((d) => addListItem(d, name, 'Choices', fromPlain(ql === 'JSONata' ? { Condition: '{% true %}' } : { Variable: '$.value', IsPresent: true }) as JObj))}>Add rule</button>}
        {(type === 'Task' || type === 'Parallel' || type === 'Map') && (
          <>
            <button type="button" data-testid="add-retry" onClick={() => apply((d) => addListItem(d, name, 'Retry', fromPlain({ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }) as JObj))}>Add retrier</button>
            <button type="button" data-testid="add-catch" onClick={() => apply((d) => addListItem(d, name, 'Catch', fromPlain(ql === 'JSONPath' ? { ErrorEquals: ['States.ALL'], ResultPath: '$.error' } : { ErrorEquals: ['States.ALL'] }) as JObj))}>Add catcher</button>
          </>
        )}
        {type === 'Parallel' && <button type="button" onClick={() => apply((d) => addBranch(d, name))}>Add branch</button>}
        {type === 'Parallel' && (st.get('Branches') as JValue[] | undefined)?.map((_, i) => (
          <button type="button" key={i} onClick={() => apply((d) => removeBranch(d, name, i))}>Remove branch {i + 1}</button>
        ))}
      </div>
    </div>
  );
}

/** The operator list of a simple JSONPath rule; changing it keeps Variable, Next and the rest. */
function OperatorPicker({ rule, onChange }: { rule: JValue; onChange: (r: JObj) => void }) {
  if (!isObj(rule)) return null;
  const op = rule.keys().find((k) => k in operators);
  if (!op || rule.has('And') || rule.has('Or') || rule.has('Not')) return null;
  const defaults: Record<FieldKind, JValue> = {
    text: '', path: '$.other', refpath: '$', int: new JNum('0'), number: new JNum('0'), json: null, object: new JObj(), enum: '',
    timestamp: '2026-01-01T00:00:00Z', resource: '', bool: true, errors: [],
  };
  return (
    <label class="field">Operator
      <select value={op} data-testid="rule-operator" onChange={(e) => {
        const to = (e.target as HTMLSelectElement).value;
        const keep = operators[to] === operators[op] ? rule.get(op)! : defaults[operators[to]];
        onChange(new JObj(rule.entries.map(([k, v]): [string, JValue] => (k === op ? [to, keep] : [k, v]))));
      }}>
        {Object.keys(operators).map((o) => <option key={o}>{o}</option>)}
      </select>
    </label>
  );
}

const areaRows = (text: string) => Math.min(14, Math.max(2, text.split('\n').length));

/**
 * One field: input by its codec, help, and the problem with its value.
 * onChange gets typed set for an edit made by typing (one per key), so
 * Studio can let the canvas catch up once typing pauses.
 */
export function Field({ f, targets, onChange }: { f: FormField; targets: string[]; onChange: (v: JValue | undefined, typed?: boolean) => string | null | void }) {
  const shown = f.codec.format(f.value);
  // The text of selects and checkboxes; a text input keeps its own (TextInput).
  const [text, setText] = useState(shown);
  const [rows, setRows] = useState(() => areaRows(shown));
  const [err, setErr] = useState('');
  // What the field shows again when the value changes from elsewhere (undo,
  // Code mode); a text it parses to the same value is left as typed, so a
  // JSON value is not reformatted under the cursor.
  const showsValue = (t: string, v: string) => {
    const p = f.codec.parse(t);
    return !p.error && f.codec.format(p.value) === v;
  };
  const last = useRef(shown);
  useEffect(() => {
    if (shown === last.current) return;
    last.current = shown;
    setText(shown);
    setRows(areaRows(shown));
    setErr('');
  }, [shown]);
  const id = `f-${f.path.join('-')}`;
  const commit = (t: string, typed = false) => {
    if (!typed) setText(t);
    const p = f.codec.parse(t);
    if (p.error) {
      setErr(p.error);
      return;
    }
    const e = onChange(p.value, typed);
    setErr(typeof e === 'string' ? e : '');
  };
  const type = (t: string) => {
    if (f.codec.input === 'area') setRows(areaRows(t));
    commit(t, true);
  };
  const problem = err || f.problem;
  const common = { id, 'aria-invalid': !!problem, 'aria-describedby': `${id}-help`, 'data-field': f.path.join('.') };
  let input;
  if (f.target) {
    const opts = targets.includes(text) || text === '' ? targets : [text, ...targets];
    input = (
      <select {...common} value={text} onChange={(e) => commit((e.target as HTMLSelectElement).value)}>
        <option value="">{f.path[f.path.length - 1] === 'Next' && f.path.length === 1 ? '— none —' : '— choose —'}</option>
        {opts.map((t) => <option key={t} value={t}>{t}</option>)}
      </select>
    );
  } else if (f.codec.input === 'check') {
    input = <input {...common} type="checkbox" checked={text === 'true'} onChange={(e) => commit((e.target as HTMLInputElement).checked ? 'true' : '')} />;
  } else if (f.codec.input === 'select') {
    const opts = f.options ?? [];
    input = (
      <select {...common} value={text} onChange={(e) => commit((e.target as HTMLSelectElement).value)}>
        <option value="">— default —</option>
        {(opts.includes(text) || text === '' ? opts : [text, ...opts]).map((o) => <option key={o}>{o}</option>)}
      </select>
    );
  } else {
    input = <TextInput {...common} multiline={f.codec.input === 'area'} rows={f.codec.input === 'area' ? rows : undefined} spellcheck={false}
      class={problem ? 'invalid' : ''} value={shown} shows={showsValue} onText={type} />;
  }
  return (
    <div class={`field${f.codec.input === 'check' ? ' check' : ''}`}>
      <label for={id}>{f.label}</label>
      {input}
      <p id={`${id}-help`} class="help small">
        {problem ? <span class="error">{problem}</span> : <span class="muted">{f.help}</span>}
      </p>
    </div>
  );
}
