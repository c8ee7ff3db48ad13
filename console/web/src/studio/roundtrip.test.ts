// The round-trip test of issue #10: every definition of the conformance
// suite, loaded into Design mode and saved unchanged, gives back the same
// ASL. "Loaded into Design mode" means what the designer does with it:
// draw its graph, and show every field of every state in its form, read
// back through the form's codec and set again.

import { describe, expect, it } from 'vitest';
import { draftFields } from './forms';
import { edit, load } from './draft';
import { equal, isObj, JObj, parse, print, toPlain, type Span } from './json';
import { studioGraph } from './graph';
import { allStateNames, findState, setField, setTopField } from './model';

// Read through a computed specifier: the console's tsconfig has no Node types.
const fs = await import('node:fs' as string);
const nodePath = await import('node:path' as string);
const dir = nodePath.resolve('../../../shared/conformance/asl/cases');
const present: boolean = fs.existsSync(dir);
const files: string[] = present ? fs.readdirSync(dir).filter((f: string) => f.endsWith('.json')).sort() : [];

describe.skipIf(!present)('round trip of the conformance definitions (../shared/conformance/asl/cases)', () => {
  it('finds the cases', () => {
    expect(files.length).toBeGreaterThan(500);
  });

  for (const file of files) {
    it(file, () => {
      const raw: string = fs.readFileSync(nodePath.join(dir, file), 'utf8');
      const spans = new Map<string, Span>();
      const c = parse(raw, spans) as JObj;
      const def = c.get('definition');
      // The definition as it is written in the case file, whitespace and all.
      const s = spans.get('/definition')!;
      const text = typeof def === 'string' ? def : raw.slice(s.from, s.to);
      let d = load(text);
      expect(d.error).toBeUndefined();
      const doc0 = d.doc!;

      studioGraph(doc0);
      // Every form field of every state, shown and read back.
      for (const name of allStateNames(doc0)) {
        const st = findState(d.doc!, name)!.state;
        for (const f of draftFields(d.doc!, name, st)) {
          const back = f.codec.parse(f.codec.format(f.value));
          expect(back.error, `${name} ${f.path.join('.')}`).toBeUndefined();
          d = edit(d, (doc) => setField(doc, name, f.path, back.value));
        }
      }
      for (const k of doc0.keys()) d = edit(d, (doc) => setTopField(doc, k, doc.get(k)));

      expect(d.doc).toBe(doc0);
      expect(d.text).toBe(text);
      // The printer alone also gives the same value back...
      expect(equal(parse(print(doc0)), doc0)).toBe(true);
      // ...and the same value as JSON.parse, and its formatting, when
      // JSON.parse can keep it (no integer-like keys, numbers as JS prints them).
      const plain = JSON.parse(text);
      expect(toPlain(doc0)).toEqual(plain);
      const canonical = JSON.stringify(plain, null, 2);
      if (equal(parse(canonical), doc0)) expect(print(doc0)).toBe(canonical);
    });
  }
});

describe.runIf(!present)('round trip', () => {
  it.skip('needs ../shared/conformance/asl/cases (run from console/web in the Stepwise checkout)', () => {});
});

// Design edits print the document; check that one real edit changes only what it should.
describe('an edit on a definition written compactly', () => {
  it('reformats once and keeps every value', () => {
    const text = '{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"n":1.50,"1":true},"End":true}}}';
    const d = edit(load(text), (doc) => setField(doc, 'A', ['Comment'], 'hi'));
    expect(d.text).toBe('{\n  "StartAt": "A",\n  "States": {\n    "A": {\n      "Type": "Pass",\n      "Result": {\n        "n": 1.50,\n        "1": true\n      },\n      "Comment": "hi",\n      "End": true\n    }\n  }\n}');
    expect(isObj(d.doc)).toBe(true);
  });
});
