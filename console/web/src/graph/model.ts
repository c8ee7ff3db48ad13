// The graph model: an ASL definition turned into nodes, edges and nested
// scopes (the machine itself, each Parallel branch, each Map processor).
// Transitions in ASL never leave their scope, so each scope can be laid
// out on its own and nested inside its Parallel or Map node.

/** What a node stands for: an ASL state type, or the start/end marker of a scope. */
export type NodeKind =
  | 'Pass' | 'Task' | 'Choice' | 'Wait' | 'Succeed' | 'Fail' | 'Parallel' | 'Map'
  | 'start' | 'end';

/** The kind of a transition, drawn differently. */
export type EdgeKind = 'next' | 'choice' | 'default' | 'catch';

export interface GraphNode {
  /** Unique in the whole graph: the state name, or SCOPE/^start, SCOPE/^end. */
  id: string;
  /** The state name ('' for markers). */
  name: string;
  kind: NodeKind;
  /** Comment, resource or other short detail shown under the name. */
  detail?: string;
  /** Branches of a Parallel, the item processor of a Map. */
  scopes?: Scope[];
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** Choice rule, "Default", or the errors a Catch catches. */
  label?: string;
}

export interface Scope {
  id: string;
  label: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

type Json = Record<string, unknown>;

const kinds = new Set(['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map']);

/** Builds the graph of an ASL definition (an object or its JSON text). */
export function buildGraph(definition: string | Json): Scope {
  const def = typeof definition === 'string' ? (JSON.parse(definition) as Json) : definition;
  return buildScope(def, 'root', 'State machine');
}

export function startId(scope: string): string {
  return `${scope}/^start`;
}

export function endId(scope: string): string {
  return `${scope}/^end`;
}

function buildScope(def: Json, id: string, label: string): Scope {
  const states = (def.States ?? {}) as Record<string, Json>;
  const names = new Set(Object.keys(states));
  const nodes: GraphNode[] = [{ id: startId(id), name: '', kind: 'start' }];
  const edges: GraphEdge[] = [];
  let usesEnd = false;
  const to = (target: unknown): string | undefined =>
    typeof target === 'string' && names.has(target) ? target : undefined;
  const add = (from: string, target: unknown, kind: EdgeKind, lbl?: string) => {
    const t = to(target);
    if (t) edges.push({ from, to: t, kind, label: lbl });
  };
  if (to(def.StartAt)) edges.push({ from: startId(id), to: def.StartAt as string, kind: 'next' });

  for (const [name, st] of Object.entries(states)) {
    const type = String(st.Type ?? '');
    const kind = (kinds.has(type) ? type : 'Pass') as NodeKind;
    const node: GraphNode = { id: name, name, kind, detail: detailOf(st, kind) };
    nodes.push(node);
    if (kind === 'Parallel') {
      const branches = Array.isArray(st.Branches) ? (st.Branches as Json[]) : [];
      node.scopes = branches.map((b, i) => buildScope(b, `${name}#${i}`, `Branch ${i + 1}`));
    } else if (kind === 'Map') {
      const proc = (st.ItemProcessor ?? st.Iterator) as Json | undefined;
      if (proc) node.scopes = [buildScope(proc, `${name}#0`, 'Item processor')];
    }
    if (kind === 'Choice') {
      const choices = Array.isArray(st.Choices) ? (st.Choices as Json[]) : [];
      for (const c of choices) add(name, c.Next, 'choice', describeRule(c));
      add(name, st.Default, 'default', 'Default');
    } else if (st.End === true || kind === 'Succeed' || kind === 'Fail') {
      edges.push({ from: name, to: endId(id), kind: 'next' });
      usesEnd = true;
    } else {
      add(name, st.Next, 'next');
    }
    const catchers = Array.isArray(st.Catch) ? (st.Catch as Json[]) : [];
    for (const c of catchers) {
      const errs = Array.isArray(c.ErrorEquals) ? (c.ErrorEquals as string[]).join(', ') : '';
      add(name, c.Next, 'catch', errs);
    }
  }
  if (usesEnd) nodes.push({ id: endId(id), name: '', kind: 'end' });
  return { id, label, nodes, edges };
}

function detailOf(st: Json, kind: NodeKind): string | undefined {
  if (kind === 'Task' && typeof st.Resource === 'string') {
    const r = st.Resource;
    return r.startsWith('arn:aws:states:::') ? r.slice('arn:aws:states:::'.length) : r.split(':').slice(-1)[0];
  }
  if (kind === 'Wait') {
    for (const k of ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath']) {
      if (st[k] !== undefined) return `${k} ${String(st[k])}`;
    }
  }
  if (kind === 'Fail' && typeof st.Error === 'string') return st.Error;
  return undefined;
}

const operators: Record<string, string> = {
  StringEquals: '==', NumericEquals: '==', BooleanEquals: '==', TimestampEquals: '==',
  StringLessThan: '<', NumericLessThan: '<', TimestampLessThan: '<',
  StringGreaterThan: '>', NumericGreaterThan: '>', TimestampGreaterThan: '>',
  StringLessThanEquals: '<=', NumericLessThanEquals: '<=', TimestampLessThanEquals: '<=',
  StringGreaterThanEquals: '>=', NumericGreaterThanEquals: '>=', TimestampGreaterThanEquals: '>=',
  StringMatches: 'matches',
};

/** Describes a Choice rule briefly, e.g. `$.n > 3`, `not ($.ok == true)`. */
export function describeRule(rule: Json): string {
  if (typeof rule.Condition === 'string') return rule.Condition.replace(/^\{%\s*|\s*%\}$/g, '');
  if (Array.isArray(rule.And)) return (rule.And as Json[]).map(describeRule).join(' and ');
  if (Array.isArray(rule.Or)) return (rule.Or as Json[]).map(describeRule).join(' or ');
  if (rule.Not && typeof rule.Not === 'object') return `not (${describeRule(rule.Not as Json)})`;
  const v = String(rule.Variable ?? '');
  for (const [k, val] of Object.entries(rule)) {
    if (k === 'Variable' || k === 'Next' || k === 'Comment' || k === 'Assign' || k === 'Output') continue;
    const isPath = k.endsWith('Path') && k !== 'IsPresent';
    const op = k.replace(/Path$/, '');
    if (op.startsWith('Is')) return `${v} ${op} ${String(val)}`;
    const sym = operators[op] ?? op;
    const shown = isPath ? String(val) : JSON.stringify(val);
    return `${v} ${sym} ${shown}`;
  }
  return v || 'rule';
}

/** Every state of the graph, nested ones included, in definition order. */
export function allStates(scope: Scope): GraphNode[] {
  const out: GraphNode[] = [];
  for (const n of scope.nodes) {
    if (n.kind === 'start' || n.kind === 'end') continue;
    out.push(n);
    for (const s of n.scopes ?? []) out.push(...allStates(s));
  }
  return out;
}
