import { describe, expect, it } from 'vitest';
import { equal, fromPlain, JNum, JObj, JsonSyntaxError, locate, parse, print, toPlain, type Span } from './json';

describe('lossless JSON', () => {
  it('keeps key order, integer-like keys included, and number text', () => {
    const text = '{"b": 1.0, "1": 12345678901234567890, "a": [1e3, -0.50]}';
    const v = parse(text) as JObj;
    expect(v.keys()).toEqual(['b', '1', 'a']);
    expect((v.get('b') as JNum).text).toBe('1.0');
    expect(print(v)).toBe('{\n  "b": 1.0,\n  "1": 12345678901234567890,\n  "a": [\n    1e3,\n    -0.50\n  ]\n}');
    // JSON.parse would have moved "1" first and printed 1 for 1.0.
    expect(JSON.stringify(JSON.parse(text), null, 2)).not.toBe(print(v));
  });

  it('prints like JSON.stringify(v, null, 2) for plain values', () => {
    const x = { Comment: 'é "quoted" \n', StartAt: 'A', States: { A: { Type: 'Pass', Result: { n: [1, 2, { x: null }], e: {}, l: [] }, End: true } } };
    expect(print(fromPlain(x))).toBe(JSON.stringify(x, null, 2));
    expect(toPlain(parse(JSON.stringify(x)))).toEqual(x);
  });

  it('decodes escapes', () => {
    expect(parse('"a\\u00e9\\n\\/\\"b"')).toBe('aé\n/"b');
  });

  it('reports syntax errors with line and column', () => {
    try {
      parse('{\n  "a": 1,\n  "b" 2\n}');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(JsonSyntaxError);
      expect((e as JsonSyntaxError).line).toBe(3);
      expect((e as JsonSyntaxError).column).toBe(7);
    }
    expect(() => parse('{"a": 1} x')).toThrow(/after the JSON value/);
    expect(() => parse('[1,]')).toThrow(JsonSyntaxError);
    expect(() => parse('"abc')).toThrow(/Unterminated/);
  });

  it('records spans by JSON pointer and locates diagnostics', () => {
    const text = '{"States": {"a/b": {"Next": "X"}}}';
    const spans = new Map<string, Span>();
    parse(text, spans);
    const s = spans.get('/States/a/b/Next')!;
    expect(text.slice(s.from, s.to)).toBe('"X"');
    expect(text.slice(s.keyFrom!, s.keyFrom! + 6)).toBe('"Next"');
    // An unknown child falls back to the closest existing parent.
    const p = locate(spans, '/States/a/b/Catch/0')!;
    expect(text.slice(p.from, p.to)).toBe('{"Next": "X"}');
  });

  it('compares values deeply, numbers by text', () => {
    expect(equal(parse('{"a": [1, {"b": null}]}'), parse('{ "a": [ 1, { "b": null } ] }'))).toBe(true);
    expect(equal(parse('{"a": 1}'), parse('{"a": 1.0}'))).toBe(false);
    expect(equal(parse('{"a": 1, "b": 2}'), parse('{"b": 2, "a": 1}'))).toBe(false);
  });

  it('edits objects without mutating them', () => {
    const o = new JObj([['Type', 'Pass'], ['Next', 'B']]);
    const o2 = o.set('Comment', 'x', ['Next']);
    expect(o2.keys()).toEqual(['Type', 'Comment', 'Next']);
    expect(o.keys()).toEqual(['Type', 'Next']);
    expect(o2.rename('Next', 'End').keys()).toEqual(['Type', 'Comment', 'End']);
    expect(o2.insertAfter(null, 'A', 1 as never).keys()[0]).toBe('A');
  });
});
