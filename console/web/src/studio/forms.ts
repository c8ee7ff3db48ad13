// What the form of a selected state shows: sections of fields, each with
// its path in the state, current value, codec, help and check. Pure, so the
// round-trip test goes through exactly the fields the UI shows.

import { codecFor, fieldsFor, operators, otherKeys, simpleRule, validateField, type Codec, type FieldKind } from './fields';
import { isArr, isObj, JObj, str, type JValue } from './json';
import type { QueryLanguage } from './palette';

export interface FormField {
  path: (string | number)[];
  label: string;
  value: JValue | undefined;
  kind: FieldKind;
  codec: Codec;
  help: string;
  options?: string[];
  /** A problem with the current value, or ''. */
  problem: string;
  /** A transition target: offer the states of the scope. */
  target?: boolean;
}

export interface FormSection {
  id: string;
  title: string;
  fields: FormField[];
  /** For Retry, Catch and Choices items: the list and index, for add/move/remove buttons. */
  item?: { key: 'Retry' | 'Catch' | 'Choices'; index: number };
}

/** The query language a state's fields use. */
export function queryLanguage(doc: JObj, st: JObj): QueryLanguage {
  return (str(st.get('QueryLanguage')) ?? str(doc.get('QueryLanguage'))) === 'JSONata' ? 'JSONata' : 'JSONPath';
}

interface Spec { key: string; kind: FieldKind; help: string; min?: number; max?: number; options?: string[]; target?: boolean }

function field(base: (string | number)[], owner: JObj | undefined, s: Spec, ql: QueryLanguage): FormField {
  const value = owner?.get(s.key);
  return {
    path: [...base, s.key], label: s.key, value, kind: s.kind, codec: codecFor(s.kind, value), help: s.help,
    options: s.options, target: s.target, problem: validateField(s, value, ql),
  };
}

function others(base: (string | number)[], owner: JObj, known: Set<string>, ql: QueryLanguage): FormField[] {
  return owner.keys().filter((k) => !known.has(k)).map((k) =>
    field(base, owner, { key: k, kind: 'json', help: 'A field the designer has no editor for; kept as it is.' }, ql));
}

const retrySpecs: Spec[] = [
  { key: 'ErrorEquals', kind: 'errors', help: 'Error names this retrier handles, comma separated; States.ALL matches any.' },
  { key: 'IntervalSeconds', kind: 'int', min: 1, help: 'Seconds before the first retry (1 by default).' },
  { key: 'MaxAttempts', kind: 'int', min: 0, help: 'Retries at most (3 by default; 0 never retries).' },
  { key: 'BackoffRate', kind: 'number', min: 1, help: 'Multiplies the interval after each attempt (2 by default).' },
  { key: 'MaxDelaySeconds', kind: 'int', min: 1, help: 'Caps the interval.' },
  { key: 'JitterStrategy', kind: 'enum', options: ['FULL', 'NONE'], help: 'FULL randomises each interval between 0 and its value.' },
  { key: 'Comment', kind: 'text', help: 'A note.' },
];

const catchSpecs = (ql: QueryLanguage): Spec[] => [
  { key: 'ErrorEquals', kind: 'errors', help: 'Error names this catcher handles, comma separated; States.ALL matches any.' },
  { key: 'Next', kind: 'text', target: true, help: 'Where to go when caught.' },
  ...(ql === 'JSONPath'
    ? [{ key: 'ResultPath', kind: 'refpath' as const, help: 'Where the error ({Error, Cause}) goes in the input; $ by default.' }]
    : [{ key: 'Output', kind: 'json' as const, help: 'The output when caught; $states.errorOutput is the error.' }]),
  { key: 'Assign', kind: 'object', help: 'Variables to set when caught.' },
  { key: 'Comment', kind: 'text', help: 'A note.' },
];

/** The form of state name (of type st.Type) in doc. */
export function stateForm(doc: JObj, name: string, st: JObj): FormSection[] {
  void name;
  const ql = queryLanguage(doc, st);
  const type = str(st.get('Type')) ?? '';
  const out: FormSection[] = [];
  const defs = fieldsFor(type, ql);
  const groups = new Map<string, FormField[]>();
  for (const f of defs) {
    const owner = f.path ? (isObj(st.get(f.path[0] as string)) ? (st.get(f.path[0] as string) as JObj) : undefined) : st;
    const base = f.path ? f.path.slice(0, -1) : [];
    const ff = field(base, owner, { ...f, key: f.path ? (f.path[f.path.length - 1] as string) : f.key }, ql);
    if (f.path && !owner) continue; // e.g. ProcessorConfig of a legacy Iterator
    groups.set(f.group, [...(groups.get(f.group) ?? []), ff]);
  }
  const flow: FormField[] = [];
  if (type !== 'Choice' && type !== 'Succeed' && type !== 'Fail') {
    flow.push(field([], st, { key: 'Next', kind: 'text', target: true, help: 'The state that runs next.' }, ql));
    flow.push(field([], st, { key: 'End', kind: 'bool', help: 'Ends the execution (or branch) after this state.' }, ql));
  }
  if (type === 'Choice') flow.push(field([], st, { key: 'Default', kind: 'text', target: true, help: 'Where to go when no rule matches; without it the execution fails with States.NoChoiceMatched.' }, ql));
  for (const [g, fs] of groups) {
    out.push({ id: g, title: g, fields: g === 'State' ? [...fs, ...flow] : fs });
  }
  if (!groups.has('State')) out.unshift({ id: 'State', title: 'State', fields: flow });

  if (type === 'Choice') {
    const rules = st.get('Choices');
    (isArr(rules) ? rules : []).forEach((r, i) => out.push({ id: `rule${i}`, title: `Rule ${i + 1}`, item: { key: 'Choices', index: i }, fields: ruleFields(r, i, ql) }));
  }
  for (const key of ['Retry', 'Catch'] as const) {
    if (!(type === 'Task' || type === 'Parallel' || type === 'Map') && !st.has(key)) continue;
    const list = st.get(key);
    (isArr(list) ? list : []).forEach((item, i) => {
      const base = [key, i];
      if (!isObj(item)) {
        out.push({ id: `${key}${i}`, title: `${key} ${i + 1}`, item: { key, index: i }, fields: [{ ...field([key], undefined, { key: String(i), kind: 'json', help: '' }, ql), path: base, value: item, codec: codecFor('json', item) }] });
        return;
      }
      const specs = key === 'Retry' ? retrySpecs : catchSpecs(ql);
      const fs = specs.map((s) => field(base, item, s, ql));
      fs.push(...others(base, item, new Set(specs.map((s) => s.key)), ql));
      out.push({ id: `${key}${i}`, title: `${key === 'Retry' ? 'Retry' : 'Catch'} ${i + 1}`, item: { key, index: i }, fields: fs });
    });
  }
  const extra = otherKeys(st, type, ql);
  if (extra.length) out.push({ id: 'other', title: 'Other fields', fields: extra.map((k) => field([], st, { key: k, kind: 'json', help: 'Kept as it is; not a field of this state type in this query language.' }, ql)) });
  return out;
}

function ruleFields(r: JValue, i: number, ql: QueryLanguage): FormField[] {
  const base = ['Choices', i];
  if (!isObj(r)) return [{ path: base, label: 'Rule', value: r, kind: 'json', codec: codecFor('json', r), help: '', problem: 'A rule is an object' }];
  const tailSpecs: Spec[] = [
    { key: 'Next', kind: 'text', target: true, help: 'Where to go when the rule matches.' },
    { key: 'Assign', kind: 'object', help: 'Variables to set when the rule matches.' },
    ...(ql === 'JSONata' ? [{ key: 'Output', kind: 'json' as const, help: 'The output when the rule matches.' }] : []),
    { key: 'Comment', kind: 'text', help: 'A note.' },
  ];
  const head: Spec[] = [];
  const simple = simpleRule(r);
  if (ql === 'JSONata' && r.has('Condition')) {
    head.push({ key: 'Condition', kind: 'text', help: 'A {% JSONata %} expression; the rule matches when it is true.' });
  } else if (simple) {
    head.push({ key: 'Variable', kind: 'path', help: 'The input value the rule tests, e.g. $.status.' });
    head.push({ key: simple.op, kind: operators[simple.op], help: `The comparison (${simple.op}); change it with the operator list.` });
  }
  const known = new Set([...head, ...tailSpecs].map((s) => s.key));
  const condition = r.keys().filter((k) => !known.has(k)).map((k) =>
    field(base, r, { key: k, kind: 'json', help: 'Part of the condition (And, Or, Not, a comparison...), as JSON.' }, ql));
  return [...head.map((s) => field(base, r, s, ql)), ...condition, ...tailSpecs.map((s) => field(base, r, s, ql))];
}

/** Every field of a state's form, flattened. */
export function draftFields(doc: JObj, name: string, st: JObj): FormField[] {
  return stateForm(doc, name, st).flatMap((s) => s.fields);
}
