import { useEffect, useRef } from 'preact/hooks';
import type { Diagnostic as CMDiagnostic } from '@codemirror/lint';
import type { EditorHandle } from './setup';
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

/**
 * A JSON code editor: syntax highlighting, folding, bracket matching,
 * undo, Tab to indent, and diagnostics marked in place and in the gutter.
 * Tab indents; Escape then Tab (or Shift-Tab) moves the focus on, so the
 * keyboard is never trapped (CodeMirror's escape hatch, stated in the hint
 * under the editor).
 *
 * CodeMirror is loaded on first use, in its own chunk, so pages without an
 * editor (and the graph on pages with one) don't wait for it.
 */
export function Editor(props: EditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorHandle | null>(null);
  // The latest props, read by the long-lived CodeMirror listeners.
  const latest = useRef(props);
  latest.current = props;

  // Texts sent through onChange that the value prop has not caught up with.
  // Effects run after paint, so one may still carry the text of a keystroke
  // or two ago; setting it would undo the newer typing and move the cursor.
  const echoes = useRef<string[]>([]);

  // The value prop as last synced. An effect runs with the props of its
  // render, which may predate keystrokes made since; only a value prop
  // that changed since the last sync may replace the document, or such a
  // late effect would undo the typing and put the cursor at the start.
  const synced = useRef<string | null>(null);

  const sync = (h: EditorHandle, p: EditorProps) => {
    if (p.value !== synced.current) {
      synced.current = p.value;
      const seen = echoes.current.indexOf(p.value);
      if (p.value === h.value()) echoes.current = [];
      else if (seen >= 0) echoes.current = echoes.current.slice(seen + 1);
      else h.setValue(p.value);
    }
    h.setReadOnly(!!p.readOnly);
    const doc = h.value();
    const all = [...(p.diagnostics ?? [])];
    if (p.checkSyntax !== false && doc.trim() !== '') {
      const syn = jsonSyntaxDiagnostic(doc);
      if (syn) all.unshift(syn);
    }
    h.setDiagnostics(toCodeMirror(doc, all));
    h.setAttributes({
      'aria-label': p.label,
      ...(p.testId ? { 'data-testid': p.testId } : {}),
      ...(p.describedBy ? { 'aria-describedby': p.describedBy } : {}),
      'aria-invalid': String(all.some((d) => d.severity.toLowerCase() === 'error')),
    });
  };

  useEffect(() => {
    let gone = false;
    let made: EditorHandle | null = null;
    import('./setup').then(({ createEditor }) => {
      if (gone || !host.current) return;
      const p = latest.current;
      made = createEditor(host.current, {
        doc: p.value,
        placeholder: p.placeholder,
        onChange: (text) => {
          echoes.current = [...echoes.current.slice(-99), text];
          latest.current.onChange?.(text);
        },
        format: formatJSON,
      });
      view.current = made;
      sync(made, latest.current);
    }).catch(() => {
      // The chunk failed to load (e.g. the server went away): say so in
      // place of the editor rather than leave an empty box.
      if (!gone && host.current) host.current.textContent = 'The editor could not be loaded; reload the page.';
    });
    return () => {
      gone = true;
      made?.destroy();
      view.current = null;
    };
  }, []);

  // The value prop wins when it differs from the document (a reset, a
  // format, a change made elsewhere such as Studio's visual mode).
  useEffect(() => {
    if (view.current) sync(view.current, props);
  }, [props.value, props.readOnly, props.diagnostics, props.checkSyntax, props.label, props.testId, props.describedBy]);

  return (
    <div class="editor" style={props.height ? { '--editor-height': props.height } : undefined}>
      <div class="editor-host" ref={host} />
      {!props.readOnly && (
        <div class="editor-bar small muted">
          <button type="button" class="link-button" onClick={() => view.current?.format()} title="Format (Shift-Alt-F)">
            Format
          </button>
          <span>Tab indents; Esc then Tab leaves the editor.</span>
        </div>
      )}
    </div>
  );
}
