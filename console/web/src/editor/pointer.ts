// Locations in a JSON text. ASL diagnostics (ValidateStateMachineDefinition)
// name where a problem is with a JSON pointer such as /States/Check/Next;
// the editor needs the characters that pointer stands for. JSON.parse keeps
// no positions, so this scans the text itself. The scan is tolerant: on a
// syntax error it stops and keeps what it has found so far, so a half-typed
// document still places the diagnostics that concern its valid prefix.

/** A range of characters [from, to) in a text. */
export interface TextRange {
  from: number;
  to: number;
}

/** Where one JSON value sits: the value, and its member name when it has one. */
interface Located {
  value: TextRange;
  key?: TextRange;
}

/** Splits a JSON pointer (RFC 6901) into its unescaped tokens. */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return pointer === '/' ? [''] : [];
  const p = pointer.startsWith('/') ? pointer.slice(1) : pointer;
  return p.split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Joins tokens into a JSON pointer, escaping '~' and '/'. */
export function joinPointer(tokens: string[]): string {
  return tokens.map((t) => '/' + t.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/**
 * Maps every JSON pointer of a document to where its value (and member
 * name) sits. Duplicate names keep the first, as a reader scanning the text
 * would find it.
 */
export function locateAll(text: string): Map<string, Located> {
  const out = new Map<string, Located>();
  let i = 0;
  const fail = () => {
    throw new Stop();
  };
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const str = (): string => {
    if (text[i] !== '"') fail();
    let s = '';
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        const c = text[i + 1];
        if (c === 'u') {
          s += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        s += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[c] ?? c;
        i += 2;
        continue;
      }
      s += text[i++];
    }
    if (i >= text.length) fail();
    i++;
    return s;
  };
  const value = (path: string, key?: TextRange) => {
    ws();
    const from = i;
    const record = () => {
      if (!out.has(path)) out.set(path, { value: { from, to: i }, key });
    };
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      // Record the object early so an unfinished one is still found.
      out.set(path, { value: { from, to: text.length }, key });
      if (text[i] === '}') i++;
      else {
        for (;;) {
          ws();
          const kFrom = i;
          const k = str();
          const kRange = { from: kFrom, to: i };
          ws();
          if (text[i] !== ':') fail();
          i++;
          value(path + joinPointer([k]), kRange);
          ws();
          if (text[i] === ',') { i++; continue; }
          if (text[i] === '}') { i++; break; }
          fail();
        }
      }
      out.set(path, { value: { from, to: i }, key });
      return;
    }
    if (c === '[') {
      i++;
      ws();
      out.set(path, { value: { from, to: text.length }, key });
      if (text[i] === ']') i++;
      else {
        for (let n = 0; ; n++) {
          value(path + '/' + n);
          ws();
          if (text[i] === ',') { i++; continue; }
          if (text[i] === ']') { i++; break; }
          fail();
        }
      }
      out.set(path, { value: { from, to: i }, key });
      return;
    }
    if (c === '"') {
      str();
      record();
      return;
    }
    const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
    record();
  };
  try {
    value('');
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  }
  return out;
}

class Stop extends Error {}

/**
 * The text range an ASL diagnostic location points at: for a member, its
 * name and value (so `/States/Check/Next` marks `"Next": "Nowhere"`); for
 * an array element or the whole document, the value. When the pointer names
 * something absent (a missing field), the nearest existing ancestor's name
 * is marked instead, or its value when it has no name. Returns null only
 * when nothing of the path is in the text (e.g. it is not JSON at all).
 */
export function pointerRange(text: string, pointer: string, located?: Map<string, Located>): TextRange | null {
  const all = located ?? locateAll(text);
  const tokens = pointerTokens(pointer);
  for (let n = tokens.length; n >= 0; n--) {
    const at = all.get(joinPointer(tokens.slice(0, n)));
    if (!at) continue;
    if (n === tokens.length) {
      // A scalar with its name reads best marked whole; a big object or
      // array is marked by its name only, so the mark stays one line.
      if (!at.key) return at.value;
      const big = text[at.value.from] === '{' || text[at.value.from] === '[';
      return big ? at.key : { from: at.key.from, to: at.value.to };
    }
    return at.key ?? { from: at.value.from, to: Math.min(at.value.to, at.value.from + 1) };
  }
  return null;
}

/** Where a JSON.parse error happened, read from its message ("... at position 12", or line and column). */
export function syntaxErrorAt(text: string, message: string): number | null {
  const pos = /position (\d+)/.exec(message);
  if (pos) return Math.min(Number(pos[1]), text.length);
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) {
    const lines = text.split('\n');
    let at = 0;
    for (let l = 0; l < Number(lc[1]) - 1 && l < lines.length; l++) at += lines[l].length + 1;
    return Math.min(at + Number(lc[2]) - 1, text.length);
  }
  if (/end of JSON input|Unexpected end/i.test(message)) return text.length;
  return null;
}
