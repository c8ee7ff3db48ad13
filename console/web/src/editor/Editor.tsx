// The console's code editor: CodeMirror 6 set up for JSON (ASL definitions,
// execution input), wrapped as a Preact component. It is the one editor of
// the console: the New state machine page, the Start execution form and the
// Code mode of Workflow Studio use it.

import { useEffect, useRef } from 'preact/hooks';
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import {
  drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers, placeholder as cmPlaceholder,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import {
  bracketMatching, foldGutter, foldKeymap, HighlightStyle, indentOnInput, syntaxHighlighting,
} from '@codemirror/language';
import { json } from '@codemirror/lang-json';
import { lintGutter, setDiagnostics, type Diagnostic as CMDiagnostic } from '@codemirror/lint';
import { tags } from '@lezer/highlight';
import { locateAll, pointerRange, syntaxErrorAt, type TextRange } from './pointer';
import './editor.css';

/** A problem to mark in the editor. */
export interface EditorDiagnostic {
  /** Where: a JSON pointer such as /States/Check/Next (ASL's diagnostic location)... */
  location?: string;
  /** ...or a character range; used when given. */
  range?: TextRange;
  /** ERROR, WARNING (as ValidateStateMachineDefinition says) or error, warning, info. */
  severity: string;
  message: string;
}

export interface EditorProps {
  value: string;
  onChange?: (value: string) => void;
  diagnostics?: EditorDiagnostic[];
  readOnly?: boolean;
  /** The accessible name of the editing area. */
  label: string;
  /** Set as data-testid on the editing area (the contenteditable element). */
  testId?: string;
  /** The id of the element that explains the problems (aria-describedby). */
  describedBy?: string;
  /** Shown while the document is empty. */
  placeholder?: string;
  /** Height of the editor, e.g. '20rem'; it scrolls beyond that. */
  height?: string;
  /** Marks JSON syntax errors itself (on by default). */
  checkSyntax?: boolean;
}

/** Pretty-prints a JSON text with two-space indents; returns it unchanged when it is not JSON. */
export function formatJSON(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** The problem with a JSON text, as an editor diagnostic; null when it parses. */
export function jsonSyntaxDiagnostic(text: string): EditorDiagnostic | null {
  try {
    JSON.parse(text);
    return null;
  } catch (e) {
    const msg = (e as Error).message;
    const at = syntaxErrorAt(text, msg) ?? 0;
    return { range: { from: at, to: at }, severity: 'error', message: msg };
  }
}

/**
 * Turns diagnostics into CodeMirror's, placing each on its range: a
 * pointer is resolved against the document (its nearest existing ancestor
 * when the named field is absent), and a diagnostic that cannot be placed
 * marks the document's first character so it is still listed.
 */
export function toCodeMirror(doc: string, diags: EditorDiagnostic[]): CMDiagnostic[] {
  const located = diags.some((d) => !d.range && d.location !== undefined) ? locateAll(doc) : undefined;
  return diags.map((d) => {
    let r: TextRange | null = d.range ?? null;
    if (!r && d.location !== undefined) r = pointerRange(doc, d.location, located);
    const from = Math.max(0, Math.min(r?.from ?? 0, doc.length));
    const to = Math.max(from, Math.min(r?.to ?? from, doc.length));
    const sev = d.severity.toLowerCase();
    return {
      from, to,
      severity: sev === 'error' ? 'error' : sev === 'warning' ? 'warning' : 'info',
      message: d.location && !d.range ? `${d.message} (${d.location})` : d.message,
    };
  });
}

// Colours come from the page's CSS variables, so the editor follows the
// light or dark theme the page is in without a second theme.
const theme = EditorView.theme({
  '&': {
    backgroundColor: 'var(--card)', color: 'var(--fg)', border: '1px solid var(--line)', borderRadius: '6px',
    fontSize: '12.5px',
  },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '1px' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', lineHeight: '1.5' },
  '.cm-content': { caretColor: 'var(--fg)' },
  '.cm-gutters': { backgroundColor: 'var(--bg)', color: 'var(--muted)', borderRight: '1px solid var(--line)' },
  '.cm-activeLine': { backgroundColor: 'color-mix(in srgb, var(--accent) 7%, transparent)' },
  '.cm-activeLineGutter': { backgroundColor: 'color-mix(in srgb, var(--accent) 12%, transparent)' },
  '&.cm-focused .cm-cursor': { borderLeftColor: 'var(--fg)' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground': {
    backgroundColor: 'color-mix(in srgb, var(--accent) 28%, transparent)',
  },
  '.cm-tooltip': { backgroundColor: 'var(--card)', color: 'var(--fg)', border: '1px solid var(--line)' },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--b-failed)' },
  '.cm-diagnostic-warning': { borderLeftColor: 'var(--b-caught)' },
  '.cm-foldPlaceholder': { backgroundColor: 'var(--container)', border: '1px solid var(--line)', color: 'var(--muted)' },
});

// Token colours as variables too, defined for both themes in style.css.
const highlight = HighlightStyle.define([
  { tag: tags.propertyName, color: 'var(--code-key)' },
  { tag: tags.string, color: 'var(--code-string)' },
  { tag: tags.number, color: 'var(--code-number)' },
  { tag: [tags.bool, tags.null], color: 'var(--code-keyword)' },
  { tag: [tags.brace, tags.squareBracket, tags.separator, tags.punctuation], color: 'var(--muted)' },
]);

/**
 * A JSON code editor: syntax highlighting, folding, bracket matching,
 * undo, Tab to indent, and diagnostics marked in place and in the gutter.
 * Tab indents; Escape then Tab (or Shift-Tab) moves the focus on, so the
 * keyboard is never trapped (CodeMirror's escape hatch, stated in the hint
 * under the editor).
 */
export function Editor(props: EditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // The latest props, read by the long-lived CodeMirror listeners.
  const latest = useRef(props);
  latest.current = props;
  const editable = useRef(new Compartment());
  const attrs = useRef(new Compartment());

  const contentAttrs = (p: EditorProps): Extension =>
    EditorView.contentAttributes.of({
      'aria-label': p.label,
      ...(p.testId ? { 'data-testid': p.testId } : {}),
      ...(p.describedBy ? { 'aria-describedby': p.describedBy } : {}),
      'aria-invalid': String(hasErrors(p, p.value)),
    });

  useEffect(() => {
    const p = latest.current;
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: p.value,
        extensions: [
          lineNumbers(),
          foldGutter(),
          lintGutter(),
          highlightActiveLineGutter(),
          highlightActiveLine(),
          drawSelection(),
          history(),
          indentOnInput(),
          bracketMatching(),
          syntaxHighlighting(highlight),
          json(),
          EditorState.tabSize.of(2),
          keymap.of([
            { key: 'Shift-Alt-f', run: (ev) => formatView(ev) },
            ...defaultKeymap, ...historyKeymap, ...foldKeymap, indentWithTab,
          ]),
          editable.current.of(readOnlyExt(!!p.readOnly)),
          attrs.current.of(contentAttrs(p)),
          p.placeholder ? cmPlaceholder(p.placeholder) : [],
          theme,
          EditorView.updateListener.of((u) => {
            if (u.docChanged) latest.current.onChange?.(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
  }, []);

  // The value prop wins when it differs from the document (a reset, a
  // format, a change made elsewhere such as Studio's visual mode).
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const cur = v.state.doc.toString();
    if (cur !== props.value) v.dispatch({ changes: { from: 0, to: cur.length, insert: props.value } });
  }, [props.value]);

  useEffect(() => {
    view.current?.dispatch({ effects: editable.current.reconfigure(readOnlyExt(!!props.readOnly)) });
  }, [props.readOnly]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const doc = v.state.doc.toString();
    const all = [...(props.diagnostics ?? [])];
    if (props.checkSyntax !== false) {
      const syn = jsonSyntaxDiagnostic(doc);
      if (syn && doc.trim() !== '') all.unshift(syn);
    }
    v.dispatch(setDiagnostics(v.state, toCodeMirror(doc, all)));
    v.dispatch({ effects: attrs.current.reconfigure(contentAttrs(props)) });
  }, [props.diagnostics, props.value, props.checkSyntax, props.label, props.testId, props.describedBy]);

  return (
    <div class="editor" style={props.height ? { '--editor-height': props.height } : undefined}>
      <div class="editor-host" ref={host} />
      {!props.readOnly && (
        <div class="editor-bar small muted">
          <button type="button" class="link-button" onClick={() => view.current && formatView(view.current)} title="Format (Shift-Alt-F)">
            Format
          </button>
          <span>Tab indents; Esc then Tab leaves the editor.</span>
        </div>
      )}
    </div>
  );
}

function readOnlyExt(ro: boolean): Extension {
  return [EditorState.readOnly.of(ro), EditorView.editable.of(!ro)];
}

function hasErrors(p: EditorProps, doc: string): boolean {
  if (p.diagnostics?.some((d) => d.severity.toLowerCase() === 'error')) return true;
  return p.checkSyntax !== false && doc.trim() !== '' && jsonSyntaxDiagnostic(doc) !== null;
}

/** Reformats the document in place, when it is JSON. */
function formatView(v: EditorView): boolean {
  if (v.state.readOnly) return false;
  const doc = v.state.doc.toString();
  const out = formatJSON(doc);
  if (out !== doc) v.dispatch({ changes: { from: 0, to: doc.length, insert: out } });
  return true;
}
