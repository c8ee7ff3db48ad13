// Workflow Studio: design a state machine by drag and drop (Design), edit
// its ASL (Code), set its name, type, logging and tags (Config), test one
// state (TestState), and save it (CreateStateMachine / UpdateStateMachine,
// with a diff first). Both modes edit one draft (draft.ts): the definition
// text is the source of truth, so nothing Design mode cannot show is lost.

import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, startExecution, validateDefinition, type Diagnostic } from '../api';
import { Editor, pointerRange } from '../editor';
import { ErrorBox } from '../pages/common';
import { jsonProblem } from '../pages/Machine';
import { executionPath, Link, machinePath, navigate } from '../router';
import { createMachine, describeMachine, listTags, tagResource, untagResource, updateMachine, type MachineConfig, type Tag } from './api';
import { Canvas, refFromElement } from './Canvas';
import { TextInput } from './TextInput';
import { hunks, lineDiff } from './diff';
import { edit, load, type Draft } from './draft';
import { StateForm } from './Form';
import { studioGraph } from './graph';
import * as hist from './history';
import { JObj, parse, print, str } from './json';
import {
  allStateNames, deleteState, edgesFrom, findState, insertIntoEmpty, insertState, ModelError, moveState, ROOT,
  setTopField, statesOf, uniqueName, type EdgeRef,
} from './model';
import { palette, paletteItem, type PaletteItem, type QueryLanguage } from './palette';
import { emptyDefinition, templates } from './templates';
import { TestPanel } from './TestPanel';
import './studio.css';

export const studioPath = (arn?: string) => (arn ? `/studio/${encodeURIComponent(arn)}` : '/studio');

type Mode = 'design' | 'code' | 'config';

const defaultConfig = (): MachineConfig => ({
  name: '', type: 'STANDARD', roleArn: 'arn:aws:iam::123456789012:role/stepwise', logging: { level: 'OFF', includeExecutionData: false }, tags: [],
});

/** The formatted form of a definition, for the diff before an update. */
function formatted(text: string): string {
  try {
    return print(parse(text));
  } catch {
    return text;
  }
}

/** Which state a diagnostic location points into (the innermost). */
function stateOf(names: string[], location = ''): string | null {
  let best: string | null = null;
  let at = -1;
  for (const n of names) {
    const i = location.lastIndexOf(`/States/${n}`);
    const endOk = i >= 0 && (location.length === i + 8 + n.length || location[i + 8 + n.length] === '/');
    if (endOk && i > at) { best = n; at = i; }
  }
  return best;
}

export function Studio({ arn: initialArn }: { arn?: string }) {
  const [arn, setArn] = useState(initialArn);
  const [h, setH] = useState(() => hist.start(emptyDefinition));
  // The draft the next edit applies to: the latest edit's result, even
  // before the render that shows it, and reused by that render rather than
  // parsed again.
  const latest = useRef<Draft | null>(null);
  const draft = useMemo(() => (latest.current?.text === h.present ? latest.current : load(h.present)), [h.present]);
  latest.current = draft;
  const [mode, setMode] = useState<Mode>('design');
  const [selected, setSelected] = useState<string | null>(null);
  const [config, setConfig] = useState<MachineConfig>(defaultConfig);
  const [saved, setSaved] = useState<{ definition: string; tags: Tag[] } | null>(null);
  const [loadErr, setLoadErr] = useState<unknown>(null);
  const [diags, setDiags] = useState<{ text: string; list: Diagnostic[] } | null>(null);
  const [editErr, setEditErr] = useState('');
  const [confirm, setConfirm] = useState<string | null>(null);
  const [saveErr, setSaveErr] = useState<unknown>(null);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const lastCode = useRef(0);

  // An existing machine: its definition, configuration and tags.
  useEffect(() => {
    if (!initialArn) return;
    Promise.all([describeMachine(initialArn), listTags(initialArn).catch(() => ({ tags: [] as Tag[] }))]).then(([m, t]) => {
      setH(hist.start(m.definition));
      setConfig({ name: m.name, type: m.type, roleArn: m.roleArn, logging: { level: 'OFF', includeExecutionData: false, ...m.loggingConfiguration }, tags: t.tags ?? [] });
      setSaved({ definition: m.definition, tags: t.tags ?? [] });
    }, setLoadErr);
  }, [initialArn]);

  // Validate with the server once typing pauses.
  useEffect(() => {
    if (!draft.doc) return;
    let live = true;
    const text = draft.text;
    const t = setTimeout(() => {
      validateDefinition(text, config.type).then((r) => live && setDiags({ text, list: r.diagnostics ?? [] }), () => undefined);
    }, 350);
    return () => { live = false; clearTimeout(t); };
  }, [draft.text, config.type]);

  const current = diags && diags.text === draft.text ? diags.list : null;
  const names = useMemo(() => (draft.doc ? allStateNames(draft.doc) : []), [draft.doc]);
  const byState = useMemo(() => {
    const m = new Map<string, Diagnostic[]>();
    for (const d of current ?? []) {
      const s = stateOf(names, d.location);
      if (s) m.set(s, [...(m.get(s) ?? []), d]);
    }
    return m;
  }, [current, names]);
  const errorStates = [...byState.keys()].sort().join('\n');
  const errorSet = useMemo(() => new Set(errorStates ? errorStates.split('\n') : []), [errorStates]);

  // Typing in a form changes the draft with every key. Laying the graph out
  // again per key made keys pile up on a large machine (150 ms a key at 300
  // states), so the canvas takes a typed edit once typing pauses, and every
  // other edit at once.
  const typedText = useRef<string | null>(null);
  const [settled, setSettled] = useState('');
  const typing = draft.text === typedText.current && settled !== draft.text;
  const graphDraft = useRef(draft);
  if (!typing) graphDraft.current = draft;
  useEffect(() => {
    if (!typing) return;
    const t = setTimeout(() => setSettled(draft.text), 300);
    return () => clearTimeout(t);
  }, [typing, draft.text]);
  const graphDoc = graphDraft.current.doc;
  const graph = useMemo(() => (graphDoc ? studioGraph(graphDoc) : null), [graphDoc]);

  // Every Design edit goes through here: one undo step each. typed marks an
  // edit made by typing in a field (see graphDraft).
  const apply = (fn: (doc: JObj) => JObj, typed = false): string | null => {
    try {
      const base = latest.current ?? draft;
      const next = edit(base, fn);
      if (next !== base) {
        latest.current = next;
        typedText.current = typed ? next.text : null;
        setH((x) => hist.record(x, next.text));
      }
      setEditErr('');
      return null;
    } catch (e) {
      const msg = e instanceof ModelError ? e.message : String(e);
      setEditErr(msg);
      return msg;
    }
  };
  const applyRef = useRef(apply);
  applyRef.current = apply;
  const draftRef = useRef(draft);
  draftRef.current = draft;

  const ql = (doc: JObj): QueryLanguage => (str(doc.get('QueryLanguage')) === 'JSONata' ? 'JSONata' : 'JSONPath');

  /** Makes a state from a palette item, its name and nested names unique. */
  const make = (doc: JObj, item: PaletteItem): [string, JObj] => {
    const taken = new Set<string>();
    const fresh = (b: string) => {
      let n = uniqueName(doc, b);
      for (let k = 2; taken.has(n); k++) n = uniqueName(doc, `${b} ${k}`);
      taken.add(n);
      return n;
    };
    const name = fresh(item.name);
    return [name, item.make(ql(doc), fresh)];
  };

  const dropNew = (item: PaletteItem, ref: EdgeRef) => {
    let created = '';
    const err = applyRef.current((doc) => {
      const [name, st] = make(doc, item);
      created = name;
      return insertState(doc, ref, name, st);
    });
    if (!err) setSelected(created);
  };

  /** A palette item clicked (or Enter): add it after the selected state, or to an empty canvas. */
  const addAfterSelection = (item: PaletteItem) => {
    const doc = draft.doc;
    if (!doc) return;
    if (statesOf(doc).entries.length === 0) {
      let created = '';
      if (!apply((d) => { const [n, st] = make(d, item); created = n; return insertIntoEmpty(d, ROOT, n, st); })) setSelected(created);
      return;
    }
    const f = selected ? findState(doc, selected) : null;
    const next = f ? edgesFrom(f.scope, selected!, f.state).find((e) => e.via === 'next') : undefined;
    if (!next) {
      setEditErr('Select a state with a Next (not a Choice, Succeed or Fail) to add after it, or drag onto an arrow.');
      return;
    }
    dropNew(item, next);
  };

  // Pointer-driven drags: from the palette (new state) or of a state (move).
  const pending = useRef<{ kind: 'new'; item: PaletteItem } | { kind: 'move'; name: string; x0: number; y0: number; started: boolean } | null>(null);
  const [drag, setDrag] = useState<{ label: string; x: number; y: number; over: string | null } | null>(null);
  // Stable, so the canvas (memo) does not re-render for a keystroke in a form.
  const onNodePointerDown = useCallback((name: string, e: PointerEvent) => {
    pending.current = { kind: 'move', name, x0: e.clientX, y0: e.clientY, started: false };
  }, []);
  useEffect(() => {
    const target = (e: PointerEvent) => document.elementFromPoint(e.clientX, e.clientY)?.closest('[data-drop]') ?? null;
    const move = (e: PointerEvent) => {
      const p = pending.current;
      if (!p) return;
      if (p.kind === 'move' && !p.started) {
        if (Math.hypot(e.clientX - p.x0, e.clientY - p.y0) < 6) return;
        p.started = true;
      }
      const t = target(e);
      setDrag({ label: p.kind === 'new' ? p.item.label : p.name, x: e.clientX, y: e.clientY, over: t?.getAttribute('data-key') ?? null });
    };
    const up = (e: PointerEvent) => {
      const p = pending.current;
      pending.current = null;
      if (!p) return;
      setDrag(null);
      if (p.kind === 'move' && !p.started) return;
      const t = target(e);
      if (!t) return;
      const ref = refFromElement(t);
      if (p.kind === 'new') dropNew(p.item, ref);
      else applyRef.current((doc) => moveState(doc, p.name, ref));
    };
    addEventListener('pointermove', move);
    addEventListener('pointerup', up);
    return () => { removeEventListener('pointermove', move); removeEventListener('pointerup', up); };
  }, []);

  // Undo, redo and delete from the keyboard (not while typing in a field).
  useEffect(() => {
    const on = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement;
      const typing = el.closest('input, textarea, select, [contenteditable=true], .cm-editor');
      if (typing) return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 'z') {
        e.preventDefault();
        setH((x) => (e.shiftKey ? hist.redo(x) : hist.undo(x)));
      } else if (mod && e.key.toLowerCase() === 'y') {
        e.preventDefault();
        setH(hist.redo);
      } else if ((e.key === 'Delete' || e.key === 'Backspace') && mode === 'design' && selected) {
        e.preventDefault();
        if (!applyRef.current((d) => deleteState(d, selected))) setSelected(null);
      }
    };
    addEventListener('keydown', on);
    return () => removeEventListener('keydown', on);
  }, [mode, selected]);

  // A selection that no longer exists (undo, Code edits) is dropped.
  useEffect(() => {
    if (selected && draft.doc && !findState(draft.doc, selected)) setSelected(null);
  }, [draft.doc, selected]);

  const onCode = (text: string) => {
    const now = Date.now();
    // Typing within a second of the last keystroke is one undo step.
    setH((x) => hist.record(x, text, now - lastCode.current < 1000));
    lastCode.current = now;
  };

  const errors = (current ?? []).filter((d) => d.severity === 'ERROR');
  const canSave = !!draft.doc && errors.length === 0 && current !== null && !!config.name.trim() && !busy;

  const doSave = async () => {
    setBusy(true);
    setSaveErr(null);
    try {
      if (!arn) {
        const r = await createMachine(config, draft.text);
        setArn(r.stateMachineArn);
        // The address now names the machine, without reloading the page.
        history.replaceState(null, '', studioPath(r.stateMachineArn));
      } else {
        await updateMachine(arn, config, draft.text);
        const old = new Map((saved?.tags ?? []).map((t) => [t.key, t.value]));
        const now = new Map(config.tags.filter((t) => t.key).map((t) => [t.key, t.value]));
        const gone = [...old.keys()].filter((k) => !now.has(k));
        const changed = [...now].filter(([k, v]) => old.get(k) !== v).map(([key, value]) => ({ key, value }));
        if (gone.length) await untagResource(arn, gone);
        if (changed.length) await tagResource(arn, changed);
      }
      setSaved({ definition: draft.text, tags: config.tags });
      setSavedAt(new Date().toLocaleTimeString());
      setConfirm(null);
    } catch (e) {
      setSaveErr(e);
    } finally {
      setBusy(false);
    }
  };
  const save = () => {
    if (arn && saved) setConfirm(draft.text);
    else void doSave();
  };

  if (loadErr) return <main><ErrorBox err={loadErr} /></main>;
  const doc = draft.doc;
  const dirty = !saved || saved.definition !== draft.text;

  return (
    <main class="studio">
      <nav class="crumbs"><Link to="/">State machines</Link>{arn && <> / <Link to={machinePath(arn)}>{config.name}</Link></>} / </nav>
      <div class="studio-head">
        <h1>Workflow Studio{config.name ? <span class="muted"> · {config.name}</span> : null}</h1>
        <div class="tabs" role="tablist" aria-label="Mode">
          {(['design', 'code', 'config'] as const).map((m) => (
            <button key={m} role="tab" aria-selected={mode === m} data-testid={`mode-${m}`} onClick={() => setMode(m)}>
              {m === 'design' ? 'Design' : m === 'code' ? 'Code' : 'Config'}
            </button>
          ))}
        </div>
        <div class="studio-tools">
          <button type="button" onClick={() => setH(hist.undo)} disabled={h.past.length === 0} title="Undo (Ctrl+Z)" data-testid="undo">Undo</button>
          <button type="button" onClick={() => setH(hist.redo)} disabled={h.future.length === 0} title="Redo (Ctrl+Shift+Z)" data-testid="redo">Redo</button>
          <label class="inline">Template{' '}
            <select data-testid="template" value="" onChange={(e) => {
              const t = templates.find((x) => x.id === (e.target as HTMLSelectElement).value);
              if (!t) return;
              setH((x) => hist.record(x, t.definition));
              setSelected(null);
              if (!config.name) setConfig({ ...config, name: t.id });
            }}>
              <option value="">Start from…</option>
              <option value="" disabled>──────</option>
              {templates.map((t) => <option key={t.id} value={t.id} title={t.description}>{t.title}</option>)}
            </select>
          </label>
          <button type="button" onClick={() => { setH((x) => hist.record(x, emptyDefinition)); setSelected(null); }}>Clear</button>
          <button type="button" class="primary" data-testid="save" disabled={!canSave} onClick={save}
            title={!config.name.trim() ? 'Give the state machine a name in Config' : errors.length ? 'Fix the problems first' : ''}>
            {arn ? 'Save…' : 'Create'}
          </button>
        </div>
      </div>
      <Status draft={draft} diags={current} name={config.name} dirty={dirty} savedAt={savedAt} onShow={() => setMode('code')} />
      {editErr && <p class="error small" role="alert" data-testid="edit-error">{editErr}</p>}
      {saveErr ? <ErrorBox err={saveErr} /> : null}

      {mode === 'design' && (
        doc && graph ? (
          <div class="studio-design">
            <Palette onPick={addAfterSelection} onStart={(item, e) => { e.preventDefault(); pending.current = { kind: 'new', item }; }} />
            <Canvas graph={graph} selected={selected} errors={errorSet} dragging={!!drag} over={drag?.over ?? null}
              onSelect={setSelected} onNodePointerDown={onNodePointerDown} />
            <aside class="studio-side panel" aria-label="Selected state">
              {selected && findState(doc, selected) ? (
                <>
                  <StateForm doc={doc} name={selected} apply={apply} onRenamed={setSelected} diagnostics={byState.get(selected) ?? []} />
                  <TestPanel doc={doc} name={selected} />
                </>
              ) : <MachineForm doc={doc} apply={apply} />}
            </aside>
          </div>
        ) : (
          <p class="error" data-testid="design-blocked">The definition is not valid JSON ({draft.error}); fix it in Code mode to design again.</p>
        )
      )}
      {mode === 'code' && <CodeMode draft={draft} diags={current} onChange={onCode} />}
      {mode === 'config' && <ConfigMode config={config} setConfig={setConfig} existing={!!arn} doc={doc} apply={apply} />}

      {arn && savedAt && <RunPanel arn={arn} />}
      {drag && <div class="drag-ghost" style={{ left: drag.x + 12, top: drag.y + 8 }}>{drag.label}</div>}
      {confirm !== null && saved && (
        <DiffDialog oldText={saved.definition} newText={confirm} busy={busy} onCancel={() => setConfirm(null)} onConfirm={() => void doSave()} />
      )}
    </main>
  );
}

function Status({ draft, diags, name, dirty, savedAt, onShow }: { draft: Draft; diags: Diagnostic[] | null; name: string; dirty: boolean; savedAt: string | null; onShow: () => void }) {
  const errs = diags?.filter((d) => d.severity === 'ERROR') ?? [];
  return (
    <p class="studio-status small" aria-live="polite" data-testid="studio-status">
      {draft.error ? <span class="error">Not valid JSON: {draft.error}</span>
        : diags === null ? <span class="muted">Validating…</span>
        : errs.length ? <><span class="error">{errs.length} problem{errs.length > 1 ? 's' : ''}</span> <button type="button" class="link" onClick={onShow}>show in code</button></>
        : <span class="ok">Valid definition</span>}
      {!name.trim() && <span class="muted"> · name the state machine in Config to save it</span>}
      {savedAt && !dirty && <span class="ok" data-testid="saved"> · saved at {savedAt}</span>}
      {savedAt && dirty && <span class="muted"> · unsaved changes</span>}
    </p>
  );
}

function Palette({ onPick, onStart }: { onPick: (item: PaletteItem) => void; onStart: (item: PaletteItem, e: PointerEvent) => void }) {
  const groups = ['Flow', 'Task', 'AWS service'] as const;
  return (
    <nav class="palette" aria-label="States to add: drag onto an arrow, or press Enter to add after the selected state">
      {groups.map((g) => (
        <div key={g}>
          <h3>{g === 'Flow' ? 'Flow' : g === 'Task' ? 'Tasks' : 'AWS services'}</h3>
          {palette.filter((p) => p.group === g).map((p) => (
            <button type="button" key={p.id} class={`palette-item t-${p.id}`} data-palette={p.id} title={p.help}
              onPointerDown={(e) => onStart(p, e)} onClick={() => onPick(p)}>
              {p.label}
            </button>
          ))}
        </div>
      ))}
    </nav>
  );
}

/** With nothing selected: the machine's own fields. */
/** Applies a Design edit; typed marks one made by typing in a field. */
type Apply = (fn: (d: JObj) => JObj, typed?: boolean) => string | null;

function MachineForm({ doc, apply }: { doc: JObj; apply: Apply }) {
  const n = statesOf(doc).entries.length;
  return (
    <div class="state-form">
      <h2>State machine</h2>
      <p class="muted small">{n === 0 ? 'Drag a state from the palette onto the canvas to begin.' : 'Select a state to edit it. Drag states onto arrows to insert them; drag a state onto another arrow to move it; Delete removes the selected state.'}</p>
      <TopFields doc={doc} apply={apply} />
    </div>
  );
}

function TopFields({ doc, apply }: { doc: JObj; apply: Apply }) {
  const text = (k: string, help: string, multiline = false) => {
    const v = doc.get(k);
    const shown = v === undefined ? '' : typeof v === 'string' ? v : print(v);
    const set = (t: string) => apply((d) => setTopField(d, k, t === '' ? undefined : typeof v === 'string' || v === undefined ? t : parseOr(t, v)), true);
    return (
      <label class="field" key={k}>{k}
        <TextInput multiline={multiline} rows={multiline ? 2 : undefined} value={shown} data-field={k} onText={set} />
        <span class="help small muted">{help}</span>
      </label>
    );
  };
  const qlv = str(doc.get('QueryLanguage')) ?? '';
  const to = doc.get('TimeoutSeconds');
  return (
    <>
      {text('Comment', 'What the state machine does.', true)}
      <label class="field">QueryLanguage
        <select value={qlv} data-field="QueryLanguage" onChange={(e) => apply((d) => setTopField(d, 'QueryLanguage', (e.target as HTMLSelectElement).value || undefined))}>
          <option value="">JSONPath (default)</option><option>JSONPath</option><option>JSONata</option>
        </select>
        <span class="help small muted">New states use this language; each state may override it.</span>
      </label>
      <label class="field">TimeoutSeconds
        <TextInput value={to === undefined ? '' : print(to)} data-field="TimeoutSeconds" shows={(t, v) => t.trim() === v} onText={(text) => {
          const t = text.trim();
          if (t === '' || /^\d+$/.test(t)) apply((d) => setTopField(d, 'TimeoutSeconds', t === '' ? undefined : parse(t)), true);
        }} />
        <span class="help small muted">Fails the execution with States.Timeout after this long.</span>
      </label>
    </>
  );
}

function parseOr(t: string, fallback: ReturnType<JObj['get']>) {
  try {
    return parse(t);
  } catch {
    return fallback;
  }
}

function CodeMode({ draft, diags, onChange }: { draft: Draft; diags: Diagnostic[] | null; onChange: (t: string) => void }) {
  const host = useRef<HTMLDivElement>(null);
  /** Puts the cursor on a diagnostic's range, selected, so typing replaces it. */
  const follow = async (d: Diagnostic) => {
    const r = d.location !== undefined ? pointerRange(draft.text, d.location) : null;
    const el = host.current?.querySelector('.cm-editor');
    if (!r || !el) return;
    const { EditorView } = await import('@codemirror/view');
    const v = EditorView.findFromDOM(el as HTMLElement);
    if (!v) return;
    v.dispatch({ selection: { anchor: r.from, head: r.to }, scrollIntoView: true });
    v.focus();
  };
  return (
    <div class="studio-code">
      <div ref={host}>
        <Editor value={draft.text} onChange={onChange} label="State machine definition (ASL JSON)" testId="code" height="min(70vh, 44rem)"
          describedBy="code-diagnostics"
          diagnostics={(diags ?? []).map((d) => ({ location: d.location, severity: d.severity, message: `${d.code}: ${d.message}` }))} />
      </div>
      <div id="code-diagnostics" class="panel" data-testid="code-diagnostics" aria-live="polite">
        <h2>Problems</h2>
        {draft.error && <p class="error small">{draft.error}</p>}
        {!draft.error && diags === null && <p class="muted small">Validating…</p>}
        {!draft.error && diags && diags.length === 0 && <p class="ok small">Valid definition</p>}
        {diags && diags.length > 0 && (
          <ul class="diags">
            {diags.map((d, i) => (
              <li key={i} class={d.severity === 'ERROR' ? 'error small' : 'small'}>
                <button type="button" class="link diag-link" data-testid="diagnostic" onClick={() => void follow(d)} title="Select it in the editor">
                  {d.location || '(definition)'}
                </button>{' '}
                <strong>{d.code}</strong> {d.message}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

function ConfigMode({ config, setConfig, existing, doc, apply }: {
  config: MachineConfig; setConfig: (c: MachineConfig) => void; existing: boolean; doc: JObj | null; apply: Apply;
}) {
  const nameProblem = config.name && !/^[A-Za-z0-9_-]{1,80}$/.test(config.name) ? 'Use 1 to 80 letters, digits, - and _' : '';
  const tags = config.tags;
  const setTag = (i: number, t: Tag | null) => {
    const out = tags.slice();
    if (t) out[i] = t;
    else out.splice(i, 1);
    setConfig({ ...config, tags: out });
  };
  return (
    <div class="studio-config columns">
      <form onSubmit={(e) => e.preventDefault()}>
        <label>Name
          <input value={config.name} disabled={existing} data-testid="config-name" aria-invalid={!!nameProblem}
            onInput={(e) => setConfig({ ...config, name: (e.target as HTMLInputElement).value })} />
          <span class={`small ${nameProblem ? 'error' : 'muted'}`}>{nameProblem || (existing ? 'A state machine keeps its name.' : 'Letters, digits, - and _.')}</span>
        </label>
        <label>Type
          <select value={config.type} disabled={existing} data-testid="config-type" onChange={(e) => setConfig({ ...config, type: (e.target as HTMLSelectElement).value })}>
            <option value="STANDARD">Standard: durable, exactly-once transitions, up to a year</option>
            <option value="EXPRESS">Express: in memory, at-least-once, up to five minutes</option>
          </select>
        </label>
        <label>Role ARN
          <input value={config.roleArn} onInput={(e) => setConfig({ ...config, roleArn: (e.target as HTMLInputElement).value })} />
        </label>
        <label>Logging level
          <select value={config.logging.level ?? 'OFF'} data-testid="config-logging" onChange={(e) => setConfig({ ...config, logging: { ...config.logging, level: (e.target as HTMLSelectElement).value } })}>
            {['OFF', 'ALL', 'ERROR', 'FATAL'].map((l) => <option key={l}>{l}</option>)}
          </select>
        </label>
        <label class="check">
          <input type="checkbox" checked={!!config.logging.includeExecutionData} onChange={(e) => setConfig({ ...config, logging: { ...config.logging, includeExecutionData: (e.target as HTMLInputElement).checked } })} />
          {' '}Include execution data in logs
        </label>
        <fieldset class="form-section">
          <legend>Tags</legend>
          {tags.map((t, i) => (
            <div class="tag-row" key={i}>
              <input aria-label="Tag key" placeholder="key" value={t.key} onInput={(e) => setTag(i, { ...t, key: (e.target as HTMLInputElement).value })} />
              <input aria-label="Tag value" placeholder="value" value={t.value} onInput={(e) => setTag(i, { ...t, value: (e.target as HTMLInputElement).value })} />
              <button type="button" aria-label="Remove tag" onClick={() => setTag(i, null)}>✕</button>
            </div>
          ))}
          <button type="button" data-testid="add-tag" onClick={() => setConfig({ ...config, tags: [...tags, { key: '', value: '' }] })}>Add tag</button>
        </fieldset>
      </form>
      <div class="panel">
        <h2>Definition</h2>
        {doc ? <TopFields doc={doc} apply={apply} /> : <p class="muted">Fix the JSON in Code mode first.</p>}
      </div>
    </div>
  );
}

function DiffDialog({ oldText, newText, busy, onCancel, onConfirm }: { oldText: string; newText: string; busy: boolean; onCancel: () => void; onConfirm: () => void }) {
  const lines = useMemo(() => hunks(lineDiff(formatted(oldText), formatted(newText))), [oldText, newText]);
  const changed = lines.some((l) => l && l.op !== ' ');
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => { ref.current?.showModal?.(); }, []);
  return (
    <dialog ref={ref} class="diff-dialog" aria-labelledby="diff-h" data-testid="diff" onCancel={onCancel}>
      <h2 id="diff-h">Update the state machine?</h2>
      {changed ? (
        <pre class="diff">
          {lines.map((l, i) => l === null
            ? <div key={i} class="gap">⋯</div>
            : <div key={i} class={`d${l.op === '+' ? 'add' : l.op === '-' ? 'del' : 'same'}`}><span class="ln">{l.a ?? ''}</span><span class="ln">{l.b ?? ''}</span>{l.op} {l.text}</div>)}
        </pre>
      ) : <p class="muted">The definition is unchanged (the configuration may still change).</p>}
      <div class="actions">
        <button type="button" onClick={onCancel}>Cancel</button>
        <button type="button" class="primary" data-testid="confirm-update" disabled={busy} onClick={onConfirm}>Update</button>
      </div>
    </dialog>
  );
}

function RunPanel({ arn }: { arn: string }) {
  const [input, setInput] = useState('{}');
  const [err, setErr] = useState<unknown>(null);
  const problem = jsonProblem(input);
  return (
    <section class="panel studio-run" aria-labelledby="run-h">
      <h2 id="run-h">Run it</h2>
      <label>Input (JSON)
        <textarea rows={3} value={input} data-testid="run-input" class={problem ? 'invalid' : ''} onInput={(e) => setInput((e.target as HTMLTextAreaElement).value)} />
      </label>
      {problem && <p class="error small">{problem}</p>}
      {err ? <ErrorBox err={err} /> : null}
      <button type="button" class="primary" data-testid="run" disabled={!!problem} onClick={async () => {
        try {
          const r = await startExecution(arn, JSON.stringify(JSON.parse(input)));
          navigate(executionPath(r.executionArn));
        } catch (e) {
          setErr(e instanceof ApiError ? e : String(e));
        }
      }}>Start execution</button>{' '}
      <Link to={machinePath(arn)}>Open the state machine</Link>
    </section>
  );
}

