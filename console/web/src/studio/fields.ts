// The fields of each state type, in both query languages, with inline help
// and per-field validation, and the codecs the form uses to show a value as
// text and read it back. A codec must give back the very value it showed
// (the round-trip test checks this on every conformance definition), so a
// value that does not fit a field's usual shape is shown as JSON instead.

import { equal, isArr, isObj, JNum, JObj, JsonSyntaxError, parse, print, type JValue } from './json';
import type { QueryLanguage } from './palette';

export type StateType = 'Pass' | 'Task' | 'Choice' | 'Wait' | 'Succeed' | 'Fail' | 'Parallel' | 'Map';
export const stateTypes: StateType[] = ['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'];

/** How a field is edited and checked. */
export type FieldKind =
  | 'text' | 'path' | 'refpath' | 'int' | 'number' | 'json' | 'object' | 'enum' | 'timestamp' | 'resource' | 'bool' | 'errors';

export interface FieldDef {
  key: string;
  /** Path from the state (defaults to [key]). */
  path?: (string | number)[];
  kind: FieldKind;
  types: readonly StateType[];
  /** Shown only in this query language; both when absent. */
  ql?: QueryLanguage;
  help: string;
  options?: string[];
  /** Minimum for numbers. */
  min?: number;
  max?: number;
  group: 'State' | 'Input and output' | 'Task' | 'Wait' | 'Fail' | 'Map';
}

const all: StateType[] = ['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'];
const data: StateType[] = ['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Parallel', 'Map'];
const results: StateType[] = ['Pass', 'Task', 'Parallel', 'Map'];
const assigns: StateType[] = ['Pass', 'Task', 'Choice', 'Wait', 'Parallel', 'Map'];

export const fields: FieldDef[] = [
  { key: 'Comment', kind: 'text', types: all, group: 'State', help: 'A note for people; ignored when running.' },
  { key: 'QueryLanguage', kind: 'enum', options: ['JSONPath', 'JSONata'], types: all, group: 'State',
    help: 'The language of this state\'s fields; inherits the machine\'s when unset.' },
  { key: 'Resource', kind: 'resource', types: ['Task'], group: 'Task',
    help: 'What the task calls: a Lambda ARN, arn:aws:states:::lambda:invoke, http:invoke, an activity ARN, a service integration; .waitForTaskToken waits for a callback, .sync waits for completion.' },
  { key: 'TimeoutSeconds', kind: 'int', min: 1, types: ['Task'], group: 'Task', help: 'Fails the task with States.Timeout after this many seconds.' },
  { key: 'TimeoutSecondsPath', kind: 'path', types: ['Task'], ql: 'JSONPath', group: 'Task', help: 'Reads TimeoutSeconds from the input.' },
  { key: 'HeartbeatSeconds', kind: 'int', min: 1, types: ['Task'], group: 'Task', help: 'Fails with States.HeartbeatTimeout when no heartbeat comes for this long (activities, callbacks).' },
  { key: 'HeartbeatSecondsPath', kind: 'path', types: ['Task'], ql: 'JSONPath', group: 'Task', help: 'Reads HeartbeatSeconds from the input.' },
  { key: 'Credentials', kind: 'object', types: ['Task'], group: 'Task', help: 'A role to assume for the call, e.g. {"RoleArn": "..."}.' },
  { key: 'InputPath', kind: 'refpath', types: data, ql: 'JSONPath', group: 'Input and output', help: 'Selects part of the state input ($ by default; null for {}).' },
  { key: 'Parameters', kind: 'object', types: results, ql: 'JSONPath', group: 'Input and output', help: 'Builds the effective input; keys ending in .$ take a path or intrinsic function.' },
  { key: 'Arguments', kind: 'object', types: ['Task', 'Parallel'], ql: 'JSONata', group: 'Input and output', help: 'The task\'s arguments; values may be {% JSONata %} expressions.' },
  { key: 'Result', kind: 'json', types: ['Pass'], ql: 'JSONPath', group: 'Input and output', help: 'A fixed result that replaces the input.' },
  { key: 'ResultSelector', kind: 'object', types: ['Task', 'Parallel', 'Map'], ql: 'JSONPath', group: 'Input and output', help: 'Reshapes the raw result before ResultPath.' },
  { key: 'ResultPath', kind: 'refpath', types: results, ql: 'JSONPath', group: 'Input and output', help: 'Where the result goes in the input ($ replaces it; null discards the result).' },
  { key: 'OutputPath', kind: 'refpath', types: data, ql: 'JSONPath', group: 'Input and output', help: 'Selects part of the output ($ by default; null for {}).' },
  { key: 'Output', kind: 'json', types: data, ql: 'JSONata', group: 'Input and output', help: 'The state output; may be a {% JSONata %} expression or a JSON value with expressions inside.' },
  { key: 'Assign', kind: 'object', types: assigns, group: 'Input and output', help: 'Variables to set, by name; read later as $name.' },
  { key: 'Seconds', kind: 'int', min: 0, types: ['Wait'], group: 'Wait', help: 'How long to wait; use exactly one of the four wait fields.' },
  { key: 'Timestamp', kind: 'timestamp', types: ['Wait'], group: 'Wait', help: 'Waits until this time (RFC 3339, e.g. 2026-01-01T00:00:00Z).' },
  { key: 'SecondsPath', kind: 'path', types: ['Wait'], ql: 'JSONPath', group: 'Wait', help: 'Reads the seconds from the input.' },
  { key: 'TimestampPath', kind: 'path', types: ['Wait'], ql: 'JSONPath', group: 'Wait', help: 'Reads the timestamp from the input.' },
  { key: 'Error', kind: 'text', types: ['Fail'], group: 'Fail', help: 'The error name the execution fails with.' },
  { key: 'Cause', kind: 'text', types: ['Fail'], group: 'Fail', help: 'A human-readable cause.' },
  { key: 'ErrorPath', kind: 'path', types: ['Fail'], ql: 'JSONPath', group: 'Fail', help: 'Reads the error name from the input.' },
  { key: 'CausePath', kind: 'path', types: ['Fail'], ql: 'JSONPath', group: 'Fail', help: 'Reads the cause from the input.' },
  { key: 'ItemsPath', kind: 'refpath', types: ['Map'], ql: 'JSONPath', group: 'Map', help: 'The array to iterate over ($ by default).' },
  { key: 'Items', kind: 'json', types: ['Map'], ql: 'JSONata', group: 'Map', help: 'The array to iterate over, or a {% JSONata %} expression giving it.' },
  { key: 'ItemSelector', kind: 'object', types: ['Map'], group: 'Map', help: 'Builds each item\'s input; $$.Map.Item.Value is the item.' },
  { key: 'ProcessorConfig', path: ['ItemProcessor', 'ProcessorConfig'], kind: 'object', types: ['Map'], group: 'Map', help: '{"Mode": "INLINE"} or {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" | "EXPRESS"}.' },
  { key: 'MaxConcurrency', kind: 'int', min: 0, types: ['Map'], group: 'Map', help: 'How many items run at once (0: no limit).' },
  { key: 'MaxConcurrencyPath', kind: 'path', types: ['Map'], ql: 'JSONPath', group: 'Map', help: 'Reads MaxConcurrency from the input.' },
  { key: 'ToleratedFailurePercentage', kind: 'number', min: 0, max: 100, types: ['Map'], group: 'Map', help: 'The Map fails when more than this percentage of items fail.' },
  { key: 'ToleratedFailurePercentagePath', kind: 'path', types: ['Map'], ql: 'JSONPath', group: 'Map', help: 'Reads ToleratedFailurePercentage from the input.' },
  { key: 'ToleratedFailureCount', kind: 'int', min: 0, types: ['Map'], group: 'Map', help: 'The Map fails when more than this many items fail.' },
  { key: 'ToleratedFailureCountPath', kind: 'path', types: ['Map'], ql: 'JSONPath', group: 'Map', help: 'Reads ToleratedFailureCount from the input.' },
  { key: 'ItemReader', kind: 'object', types: ['Map'], group: 'Map', help: 'Reads items from elsewhere (distributed Map).' },
  { key: 'ItemBatcher', kind: 'object', types: ['Map'], group: 'Map', help: 'Groups items into batches (distributed Map).' },
  { key: 'ResultWriter', kind: 'object', types: ['Map'], group: 'Map', help: 'Writes results elsewhere (distributed Map).' },
  { key: 'Label', kind: 'text', types: ['Map'], group: 'Map', help: 'A label for the child executions of a distributed Map.' },
];

/** Fields the form edits with their own editors (flow, lists, nested scopes). */
export const structural = new Set(['Type', 'Next', 'End', 'Choices', 'Default', 'Retry', 'Catch', 'Branches', 'ItemProcessor', 'Iterator']);

/** The fields a state of type shows in query language ql. */
export function fieldsFor(type: string, ql: QueryLanguage): FieldDef[] {
  return fields.filter((f) => f.types.includes(type as StateType) && (!f.ql || f.ql === ql));
}

/** A state's fields the schema does not know (kept and shown as JSON). */
export function otherKeys(st: { keys(): string[] }, type: string, ql: QueryLanguage): string[] {
  const known = new Set(fieldsFor(type, ql).filter((f) => !f.path).map((f) => f.key));
  return st.keys().filter((k) => !known.has(k) && !structural.has(k));
}

/** Reads text back into a value: undefined removes the field; error explains a refusal. */
export interface Parsed { value?: JValue; error?: string }

export interface Codec {
  /** The input to show: one line, or a JSON text area. */
  input: 'line' | 'area' | 'select' | 'check';
  format: (v: JValue | undefined) => string;
  parse: (text: string) => Parsed;
}

// A string a one-line input shows and gives back as is ('' would mean "remove").
const line = (v: JValue | undefined) => typeof v === 'string' && v !== '' && !v.includes('\n');

const isJsonata = (s: string) => /^\{%[\s\S]*%\}$/.test(s.trim());

const jsonCodec: Codec = {
  input: 'area',
  format: (v) => (v === undefined ? '' : print(v)),
  parse: (text) => {
    if (text.trim() === '') return { value: undefined };
    try {
      return { value: parse(text) };
    } catch (e) {
      return { error: e instanceof JsonSyntaxError ? e.message : String(e) };
    }
  },
};

const lineCodec = (allowNull: boolean): Codec => ({
  input: 'line',
  format: (v) => (v === undefined ? '' : v === null ? 'null' : String(v)),
  parse: (text) => (text === '' ? { value: undefined } : allowNull && text.trim() === 'null' ? { value: null } : { value: text }),
});

const numberCodec = (integer: boolean): Codec => ({
  input: 'line',
  format: (v) => (v instanceof JNum ? v.text : typeof v === 'string' ? v : ''),
  parse: (text) => {
    const t = text.trim();
    if (t === '') return { value: undefined };
    // JSONata fields take an expression where a number would go.
    if (t.startsWith('{%')) return { value: text };
    const re = integer ? /^-?(0|[1-9]\d*)$/ : /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
    return re.test(t) ? { value: new JNum(t) } : { error: integer ? 'Enter a whole number' : 'Enter a number' };
  },
});

const errorsCodec: Codec = {
  input: 'line',
  format: (v) => (isArr(v) ? (v as string[]).join(', ') : ''),
  parse: (text) => (text.trim() === '' ? { value: undefined } : { value: text.split(',').map((s) => s.trim()).filter(Boolean) }),
};

const boolCodec: Codec = {
  input: 'check',
  // '' stands for absent, so an unset flag stays unset (End: false is not End missing).
  format: (v) => (v === undefined ? '' : String(v)),
  parse: (text) => ({ value: text === '' ? undefined : text === 'true' }),
};

/**
 * The codec for a field holding value: the field's own, or JSON when the
 * value has another shape (so it is shown, and given back, exactly).
 */
export function codecFor(kind: FieldKind, value: JValue | undefined): Codec {
  const fits = (ok: boolean, c: Codec) => (value === undefined || ok ? c : jsonCodec);
  switch (kind) {
    case 'text': case 'path': case 'timestamp': case 'resource':
      return fits(line(value), lineCodec(false));
    case 'refpath':
      return fits((line(value) && (value as string).trim() !== 'null') || value === null, lineCodec(true));
    case 'enum':
      return fits(line(value), { ...lineCodec(false), input: 'select' });
    case 'int': case 'number':
      return fits(value instanceof JNum || (typeof value === 'string' && isJsonata(value) && value === value.trim()), numberCodec(kind === 'int'));
    case 'bool':
      return fits(typeof value === 'boolean', boolCodec);
    case 'errors':
      return fits(isArr(value) && value.length > 0 && value.every((s) => typeof s === 'string' && s !== '' && s === s.trim() && !s.includes(',')), errorsCodec);
    case 'json': case 'object':
      return jsonCodec;
  }
}

const timestampRe = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Checks a field's value; returns a problem to show, or ''. */
export function validateField(f: Pick<FieldDef, 'kind' | 'min' | 'max' | 'key'>, v: JValue | undefined, ql: QueryLanguage): string {
  if (v === undefined) return f.key === 'Resource' ? 'A Task needs a Resource' : '';
  if (typeof v === 'string' && v.trim().startsWith('{%')) {
    if (ql !== 'JSONata') return 'A {% JSONata %} expression needs QueryLanguage JSONata';
    return isJsonata(v) ? '' : 'A JSONata expression ends with %}';
  }
  switch (f.kind) {
    case 'path':
      return typeof v === 'string' && v.startsWith('$') ? '' : 'A path starts with $ (or $$ for the context object)';
    case 'refpath':
      return v === null || (typeof v === 'string' && v.startsWith('$')) ? '' : 'A path starts with $; null means none';
    case 'resource':
      return typeof v === 'string' && v.startsWith('arn:') ? '' : 'A resource is an ARN (arn:...)';
    case 'timestamp':
      return typeof v === 'string' && timestampRe.test(v) ? '' : 'An RFC 3339 timestamp, e.g. 2026-01-01T00:00:00Z';
    case 'int': case 'number': {
      if (!(v instanceof JNum)) return 'Enter a number';
      if (f.kind === 'int' && !Number.isInteger(v.value)) return 'Enter a whole number';
      if (f.min !== undefined && v.value < f.min) return `At least ${f.min}`;
      if (f.max !== undefined && v.value > f.max) return `At most ${f.max}`;
      return '';
    }
    case 'object':
      return isObj(v) || (ql === 'JSONata' && typeof v === 'string') ? '' : 'Enter a JSON object';
    case 'errors':
      return isArr(v) && v.length > 0 ? '' : 'List at least one error name (States.ALL catches all)';
  }
  return '';
}

/** The comparison operators of a JSONPath Choice rule, and the kind of their value. */
export const operators: Record<string, FieldKind> = Object.fromEntries([
  ...['String', 'Numeric', 'Timestamp'].flatMap((t) =>
    ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals'].flatMap((op) => [
      [`${t}${op}`, t === 'Numeric' ? 'number' : t === 'Timestamp' ? 'timestamp' : 'text'],
      [`${t}${op}Path`, 'path'],
    ])),
  ['StringMatches', 'text'], ['BooleanEquals', 'bool'], ['BooleanEqualsPath', 'path'],
  ['IsNull', 'bool'], ['IsPresent', 'bool'], ['IsNumeric', 'bool'], ['IsString', 'bool'], ['IsBoolean', 'bool'], ['IsTimestamp', 'bool'],
]);

const ruleExtras = new Set(['Next', 'Comment', 'Assign', 'Output']);

/**
 * A JSONPath rule the simple editor can show: Variable, one operator and
 * its value (plus Next, Comment, Assign). Others (And, Or, Not) are edited as JSON.
 */
export function simpleRule(rule: JValue | undefined): { variable: string; op: string; value: JValue } | null {
  if (!isObj(rule)) return null;
  const keys = rule.keys().filter((k) => !ruleExtras.has(k));
  if (keys.length !== 2 || keys[0] !== 'Variable' || !(keys[1] in operators)) return null;
  const variable = rule.get('Variable');
  if (typeof variable !== 'string') return null;
  return { variable, op: keys[1], value: rule.get(keys[1])! };
}

/** The part of a rule that is its condition (everything but Next, Comment, Assign, Output). */
export function ruleCondition(rule: JValue | undefined): JValue {
  if (!isObj(rule)) return rule ?? null;
  return new JObj(rule.entries.filter(([k]) => !ruleExtras.has(k)));
}

/** Whether value equals what codec gives back for its own text. */
export function roundTrips(c: Codec, v: JValue | undefined): boolean {
  const back = c.parse(c.format(v));
  return !back.error && equal(back.value, v);
}
