// CodeMirror set up for the console's JSON editor. Kept apart from
// Editor.tsx so that it is bundled as its own chunk, loaded on first use.

import { Compartment, EditorState, type Extension } from '@codemirror/state';
import {
  drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers, placeholder as cmPlaceholder,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import {
  bracketMatching, foldGutter, foldKeymap, HighlightStyle, indentOnInput, syntaxHighlighting,
} from '@codemirror/language';
import { json } from '@codemirror/lang-json';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { tags } from '@lezer/highlight';

/** What Editor.tsx needs of a CodeMirror view. */
export interface EditorHandle {
  value(): string;
  /** Replaces the document when it differs (no change event is sent back). */
  setValue(text: string): void;
  setReadOnly(ro: boolean): void;
  setDiagnostics(d: Diagnostic[]): void;
  /** Attributes of the editing element (aria-label, data-testid, ...). */
  setAttributes(a: Record<string, string>): void;
  /** Reformats the document with the format function given at creation. */
  format(): void;
  destroy(): void;
}

export interface EditorOptions {
  doc: string;
  placeholder?: string;
  onChange: (text: string) => void;
  format: (text: string) => string;
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

function readOnlyExt(ro: boolean): Extension {
  return [EditorState.readOnly.of(ro), EditorView.editable.of(!ro)];
}

/** Creates a JSON editor in parent. */
export function createEditor(parent: HTMLElement, o: EditorOptions): EditorHandle {
  const editable = new Compartment();
  const attrs = new Compartment();
  let quiet = false; // set while the document is replaced from outside
  let ro = false;
  const format = (v: EditorView): boolean => {
    if (v.state.readOnly) return false;
    const doc = v.state.doc.toString();
    const out = o.format(doc);
    if (out !== doc) v.dispatch({ changes: { from: 0, to: doc.length, insert: out } });
    return true;
  };
  const v = new EditorView({
    parent,
    state: EditorState.create({
      doc: o.doc,
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
          { key: 'Shift-Alt-f', run: format },
          ...defaultKeymap, ...historyKeymap, ...foldKeymap, indentWithTab,
        ]),
        editable.of(readOnlyExt(false)),
        attrs.of([]),
        o.placeholder ? cmPlaceholder(o.placeholder) : [],
        theme,
        EditorView.updateListener.of((u) => {
          if (u.docChanged && !quiet) o.onChange(u.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    value: () => v.state.doc.toString(),
    setValue(text) {
      const cur = v.state.doc.toString();
      if (cur === text) return;
      quiet = true;
      try {
        v.dispatch({ changes: { from: 0, to: cur.length, insert: text } });
      } finally {
        quiet = false;
      }
    },
    setReadOnly(r) {
      if (r === ro) return;
      ro = r;
      v.dispatch({ effects: editable.reconfigure(readOnlyExt(r)) });
    },
    setDiagnostics(d) {
      v.dispatch(setDiagnostics(v.state, d));
    },
    setAttributes(a) {
      v.dispatch({ effects: attrs.reconfigure(EditorView.contentAttributes.of(a)) });
    },
    format: () => { format(v); },
    destroy: () => v.destroy(),
  };
}
