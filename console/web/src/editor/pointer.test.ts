import { describe, expect, it } from 'vitest';
import { jsonSyntaxDiagnostic, toCodeMirror } from './Editor';
import { joinPointer, locateAll, pointerRange, pointerTokens, syntaxErrorAt } from './pointer';

const doc = `{
  "StartAt": "Check",
  "States": {
    "Check": {"Type": "Choice", "Choices": [{"Variable": "$.a", "IsPresent": true, "Next": "A/B"}], "Default": "Nowhere"},
    "A/B": {"Type": "Pass", "Result": {"x": [1, 2.5e3, null]}, "End": true}
  }
}`;

const text = (r: { from: number; to: number } | null) => (r ? doc.slice(r.from, r.to) : null);

describe('pointerRange', () => {
  it('marks a member by its name and value', () => {
    expect(text(pointerRange(doc, '/States/Check/Default'))).toBe('"Default": "Nowhere"');
    expect(text(pointerRange(doc, '/StartAt'))).toBe('"StartAt": "Check"');
  });

  it('marks an object member by its name only', () => {
    expect(text(pointerRange(doc, '/States/Check'))).toBe('"Check"');
  });

  it('follows array indices and escaped names (~1 is /)', () => {
    expect(text(pointerRange(doc, '/States/Check/Choices/0/Next'))).toBe('"Next": "A/B"');
    expect(text(pointerRange(doc, '/States/A~1B/Result/x/1'))).toBe('2.5e3');
    expect(text(pointerRange(doc, '/States/A~1B/Result/x/2'))).toBe('null');
  });

  it('falls back to the nearest existing ancestor for a missing field', () => {
    // ASL reports a missing field (e.g. no Next) at the field's location.
    expect(text(pointerRange(doc, '/States/Check/Next'))).toBe('"Check"');
    expect(text(pointerRange(doc, '/Nope/deeper'))).toBe('{');
  });

  it('marks the whole document for the empty pointer', () => {
    expect(text(pointerRange(doc, ''))).toBe(doc);
  });

  it('places what it can in a half-typed document', () => {
    const partial = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"';
    expect(partial.slice(...range(pointerRange(partial, '/States/A/Next')))).toBe('"Next": "B"');
    expect(partial.slice(...range(pointerRange(partial, '/States/A/End')))).toBe('"A"');
    expect(pointerRange('not json', '/States')).toBeNull();
  });

  it('keeps the first of duplicate names', () => {
    const dup = '{"a": 1, "a": 22}';
    expect(dup.slice(...range(pointerRange(dup, '/a')))).toBe('"a": 1');
  });

  it('reads string escapes in names', () => {
    const esc = '{"x\\"y": {"\\u0041": true}}';
    expect(esc.slice(...range(pointerRange(esc, '/x"y/A')))).toBe('"\\u0041": true');
  });
});

function range(r: { from: number; to: number } | null): [number, number] {
  if (!r) throw new Error('no range');
  return [r.from, r.to];
}

describe('pointer tokens', () => {
  it('round-trips escapes', () => {
    expect(pointerTokens('/a~1b/c~0d/0')).toEqual(['a/b', 'c~d', '0']);
    expect(joinPointer(['a/b', 'c~d', '0'])).toBe('/a~1b/c~0d/0');
    expect(pointerTokens('')).toEqual([]);
  });

  it('lists every location of a document', () => {
    const all = locateAll('{"a": [true, {"b": "c"}]}');
    expect([...all.keys()]).toEqual(['', '/a', '/a/0', '/a/1', '/a/1/b']);
  });
});

describe('diagnostics', () => {
  it('places ASL diagnostics by their location', () => {
    const [d] = toCodeMirror(doc, [{ location: '/States/Check/Default', severity: 'ERROR', message: 'Missing transition target' }]);
    expect(doc.slice(d.from, d.to)).toBe('"Default": "Nowhere"');
    expect(d.severity).toBe('error');
    expect(d.message).toContain('/States/Check/Default');
  });

  it('keeps a diagnostic it cannot place, at the start', () => {
    const [d] = toCodeMirror('oops', [{ location: '/States', severity: 'WARNING', message: 'w' }]);
    expect([d.from, d.to, d.severity]).toEqual([0, 0, 'warning']);
  });

  it('finds where JSON.parse stopped', () => {
    const bad = '{"a": 1,\n "b" 2}';
    const d = jsonSyntaxDiagnostic(bad);
    expect(d).not.toBeNull();
    // V8 reports the position of the unexpected token: the 2 after "b".
    expect(bad[d!.range!.from]).toBe('2');
    expect(jsonSyntaxDiagnostic('{"a": 1}')).toBeNull();
    expect(syntaxErrorAt('{"a"', 'Unexpected end of JSON input')).toBe(4);
    expect(syntaxErrorAt('{\n x}', "Expected property name or '}' in JSON at position 3 (line 2 column 2)")).toBe(3);
  });
});
