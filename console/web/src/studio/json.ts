// A lossless JSON value model for Workflow Studio. JSON.parse is not enough
// here: it reorders integer-like keys ("1" before "b"), turns 1.0 into 1 and
// rounds 64-bit integers, so a definition saved back from the designer would
// differ from the one loaded even when nothing was edited. Objects keep their
// key order (as an entry list), numbers keep their source text, and values
// are never mutated, so an edit copies only the path it changes.

/** A JSON number kept as its source text, e.g. 1.0 or 12345678901234567890. */
export class JNum {
  constructor(readonly text: string) {}
  get value(): number {
    return Number(this.text);
  }
}

/** A JSON object: keys in source order. Immutable; edits return a copy. */
export class JObj {
  constructor(readonly entries: ReadonlyArray<readonly [string, JValue]> = []) {}

  get(key: string): JValue | undefined {
    for (const [k, v] of this.entries) if (k === key) return v;
    return undefined;
  }

  has(key: string): boolean {
    return this.entries.some(([k]) => k === key);
  }

  keys(): string[] {
    return this.entries.map(([k]) => k);
  }

  /**
   * Sets key to value: in place when the key exists, otherwise before the
   * first of the keys in `before` that exists (so a new field lands above
   * Next/End, where people look for it), otherwise at the end.
   */
  set(key: string, value: JValue, before: readonly string[] = []): JObj {
    const i = this.entries.findIndex(([k]) => k === key);
    if (i >= 0) {
      const out = this.entries.slice();
      out[i] = [key, value];
      return new JObj(out);
    }
    const at = this.entries.findIndex(([k]) => before.includes(k));
    const out = this.entries.slice();
    out.splice(at < 0 ? out.length : at, 0, [key, value]);
    return new JObj(out);
  }

  delete(key: string): JObj {
    if (!this.has(key)) return this;
    return new JObj(this.entries.filter(([k]) => k !== key));
  }

  /** Renames a key, keeping its position. */
  rename(from: string, to: string): JObj {
    return new JObj(this.entries.map(([k, v]) => [k === from ? to : k, v] as const));
  }

  /** Inserts key after `after` (or first when after is null). The key must be new. */
  insertAfter(after: string | null, key: string, value: JValue): JObj {
    const out = this.entries.slice();
    const i = after === null ? -1 : out.findIndex(([k]) => k === after);
    out.splice(after === null ? 0 : i < 0 ? out.length : i + 1, 0, [key, value]);
    return new JObj(out);
  }
}

export type JValue = null | boolean | string | JNum | readonly JValue[] | JObj;

/** Where a value sits in the text: [from, to) offsets. */
export interface Span {
  from: number;
  to: number;
  /** For object members: the offset of the key's opening quote. */
  keyFrom?: number;
}

/** A JSON syntax error at an offset. */
export class JsonSyntaxError extends Error {
  constructor(message: string, readonly offset: number, readonly line: number, readonly column: number) {
    super(`${message} at line ${line}, column ${column}`);
  }
}

/**
 * Parses JSON text into a lossless value. With `spans`, records the span of
 * every value by its JSON pointer ("" for the root, "/States/A/Next").
 * Throws JsonSyntaxError.
 */
export function parse(text: string, spans?: Map<string, Span>): JValue {
  let i = 0;
  const fail = (msg: string, at = i): never => {
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    throw new JsonSyntaxError(msg, at, line, column);
  };
  const ws = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const str = (): string => {
    const start = i;
    i++; // opening quote
    let out = '';
    let run = i;
    for (;;) {
      if (i >= text.length) fail('Unterminated string', start);
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c < 32) fail('Control character in string');
      if (c === 92) {
        out += text.slice(run, i);
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('Bad \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else fail('Bad escape');
        run = i;
        continue;
      }
      i++;
    }
    out += text.slice(run, i);
    i++;
    return out;
  };
  const value = (ptr: string, keyFrom?: number): JValue => {
    ws();
    const from = i;
    const c = text[i];
    let v: JValue;
    if (c === '{') {
      i++;
      const entries: [string, JValue][] = [];
      const seen = new Set<string>();
      ws();
      if (text[i] === '}') i++;
      else {
        for (;;) {
          ws();
          if (text[i] !== '"') fail('Expected a property name');
          const kf = i;
          const k = str();
          ws();
          if (text[i] !== ':') fail("Expected ':'");
          i++;
          const child = value(`${ptr}/${k}`, kf);
          // A repeated key: the last one wins, as with JSON.parse.
          if (seen.has(k)) entries.splice(entries.findIndex(([x]) => x === k), 1);
          seen.add(k);
          entries.push([k, child]);
          ws();
          if (text[i] === ',') { i++; continue; }
          if (text[i] === '}') { i++; break; }
          fail("Expected ',' or '}'");
        }
      }
      v = new JObj(entries);
    } else if (c === '[') {
      i++;
      const items: JValue[] = [];
      ws();
      if (text[i] === ']') i++;
      else {
        for (;;) {
          items.push(value(`${ptr}/${items.length}`));
          ws();
          if (text[i] === ',') { i++; continue; }
          if (text[i] === ']') { i++; break; }
          fail("Expected ',' or ']'");
        }
      }
      v = items;
    } else if (c === '"') {
      v = str();
    } else {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      if (m && m[0]) {
        v = new JNum(m[0]);
        i += m[0].length;
      } else if (text.startsWith('true', i)) { v = true; i += 4; }
      else if (text.startsWith('false', i)) { v = false; i += 5; }
      else if (text.startsWith('null', i)) { v = null; i += 4; }
      else v = fail(i >= text.length ? 'Unexpected end of JSON' : `Unexpected '${text[i]}'`);
    }
    spans?.set(ptr, { from, to: i, keyFrom });
    return v;
  };
  const v = value('');
  ws();
  if (i < text.length) fail(`Unexpected '${text[i]}' after the JSON value`);
  return v;
}

/** Prints a value as JSON.stringify(v, null, 2) would print its plain form. */
export function print(v: JValue, indent = ''): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof JNum) return v.text;
  const inner = indent + '  ';
  if (v instanceof JObj) {
    if (v.entries.length === 0) return '{}';
    return `{\n${v.entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${print(x, inner)}`).join(',\n')}\n${indent}}`;
  }
  if (v.length === 0) return '[]';
  return `[\n${v.map((x) => inner + print(x, inner)).join(',\n')}\n${indent}]`;
}

/** Converts a plain JSON-compatible value (from JSON.parse or a literal). */
export function fromPlain(x: unknown): JValue {
  if (x === null || x === undefined) return null;
  if (typeof x === 'boolean' || typeof x === 'string') return x;
  if (typeof x === 'number') return new JNum(JSON.stringify(x));
  if (Array.isArray(x)) return x.map(fromPlain);
  if (x instanceof JObj || x instanceof JNum) return x;
  return new JObj(Object.entries(x as Record<string, unknown>).map(([k, v]) => [k, fromPlain(v)] as const));
}

/** Converts to a plain value (numbers become JS numbers, key order may change). */
export function toPlain(v: JValue): unknown {
  if (v instanceof JNum) return v.value;
  if (v instanceof JObj) return Object.fromEntries(v.entries.map(([k, x]) => [k, toPlain(x)]));
  if (Array.isArray(v)) return v.map(toPlain);
  return v;
}

/** Deep equality, numbers compared by text, objects by key order too. */
export function equal(a: JValue | undefined, b: JValue | undefined): boolean {
  if (a === b) return true;
  if (a instanceof JNum && b instanceof JNum) return a.text === b.text;
  if (a instanceof JObj && b instanceof JObj) {
    if (a.entries.length !== b.entries.length) return false;
    return a.entries.every(([k, v], i) => b.entries[i][0] === k && equal(v, b.entries[i][1]));
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  return false;
}

export const isObj = (v: JValue | undefined): v is JObj => v instanceof JObj;
export const isArr = (v: JValue | undefined): v is readonly JValue[] => Array.isArray(v);
export const str = (v: JValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** Escapes nothing: Stepwise's diagnostics write state names raw in locations. */
export function pointer(...parts: (string | number)[]): string {
  return parts.map((p) => `/${p}`).join('');
}

/**
 * Finds the span of a diagnostic location (a JSON pointer whose state names
 * may themselves contain '/') in spans from parse. Falls back to the closest
 * enclosing value that exists.
 */
export function locate(spans: Map<string, Span>, location: string): Span | undefined {
  if (spans.has(location)) return spans.get(location);
  let loc = location;
  while (loc) {
    loc = loc.slice(0, Math.max(0, loc.lastIndexOf('/')));
    if (spans.has(loc)) return spans.get(loc);
  }
  return spans.get('');
}
