// A draft: the definition text the user sees in Code mode, and the document
// Design mode edits. The text is the source of truth. Design edits replace
// it with the printed document, but an edit that changes nothing leaves the
// text, formatting included, exactly as it was.

import { isObj, JObj, JsonSyntaxError, parse, print, type Span } from './json';

export interface Draft {
  text: string;
  /** The parsed definition; null while the text is not a JSON object. */
  doc: JObj | null;
  /** Why doc is null. */
  error?: string;
  /** Where error is, as an offset in text. */
  errorAt?: number;
  /** Spans of the values in text, by JSON pointer, for marking diagnostics. */
  spans: Map<string, Span>;
}

export function load(text: string): Draft {
  const spans = new Map<string, Span>();
  try {
    const v = parse(text, spans);
    if (!isObj(v)) return { text, doc: null, error: 'A definition is a JSON object', errorAt: 0, spans };
    return { text, doc: v, spans };
  } catch (e) {
    if (e instanceof JsonSyntaxError) return { text, doc: null, error: e.message, errorAt: e.offset, spans: new Map() };
    throw e;
  }
}

/** Applies a Design-mode edit. Throws what fn throws (ModelError). */
export function edit(d: Draft, fn: (doc: JObj) => JObj): Draft {
  if (!d.doc) return d;
  const next = fn(d.doc);
  if (next === d.doc) return d;
  return load(print(next));
}
