// The designer's graph: like graph/model.ts, but every edge knows the
// transition it stands for (so a drop on it can insert a state there), and
// places still to fill are drawn as drop slots: an empty canvas or branch,
// a Choice rule without a target, a Choice without Default.

import { describeRule, endId, startId, type GraphEdge, type GraphNode, type NodeKind, type Scope } from '../graph/model';
import { isArr, isObj, JObj, str, toPlain } from './json';
import { childScopes, edgesFrom, ROOT, statesOf, type EdgeRef } from './model';

/** A drop slot's node id starts with this. */
export const SLOT = 'slot\u0001';

export interface StudioGraph {
  scope: Scope;
  /** Edge refs by edgeKey, in order, for matching placed edges of the layout. */
  refs: Map<string, EdgeRef[]>;
  /** What a drop on each slot node does. */
  slots: Map<string, EdgeRef>;
}

export const edgeKey = (e: { from: string; to: string; kind: string; label?: string }) =>
  `${e.from}\u0001${e.to}\u0001${e.kind}\u0001${e.label ?? ''}`;

const kinds = new Set(['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map']);

/** Builds the designer's graph of a definition. */
export function studioGraph(doc: JObj): StudioGraph {
  const g: StudioGraph = { scope: { id: ROOT, label: '', nodes: [], edges: [] }, refs: new Map(), slots: new Map() };
  g.scope = scope(g, doc, ROOT, 'State machine');
  return g;
}

function scope(g: StudioGraph, obj: JObj, id: string, label: string): Scope {
  const states = statesOf(obj);
  const names = new Set(states.keys());
  const nodes: GraphNode[] = [{ id: startId(id), name: '', kind: 'start' }];
  const edges: GraphEdge[] = [];
  let usesEnd = false;
  const edge = (from: string, to: string, kind: GraphEdge['kind'], lbl: string | undefined, ref?: EdgeRef) => {
    const e = { from, to, kind, label: lbl };
    edges.push(e);
    if (!ref) return;
    const k = edgeKey(e);
    g.refs.set(k, [...(g.refs.get(k) ?? []), ref]);
  };
  const slot = (key: string, text: string, ref: EdgeRef) => {
    const sid = `${SLOT}${id}\u0001${key}`;
    nodes.push({ id: sid, name: text, kind: 'Pass' });
    g.slots.set(sid, ref);
    return sid;
  };

  const start = str(obj.get('StartAt'));
  if (names.size === 0) {
    const sid = slot('empty', 'Drop a state here', { scope: id, via: 'start', to: null });
    edges.push({ from: startId(id), to: sid, kind: 'next' });
  } else if (start && names.has(start)) {
    edge(startId(id), start, 'next', undefined, { scope: id, via: 'start', to: start });
  }

  for (const [name, raw] of states.entries) {
    const st = isObj(raw) ? raw : new JObj();
    const type = str(st.get('Type')) ?? '';
    const kind = (kinds.has(type) ? type : 'Pass') as NodeKind;
    const node: GraphNode = { id: name, name, kind, detail: detail(st, kind) };
    nodes.push(node);
    const subs = childScopes(name, st);
    if (subs.length) {
      node.scopes = subs.map((sid, i) => {
        const sub = type === 'Parallel' ? (st.get('Branches') as JObj[])[i] : ((st.get('ItemProcessor') ?? st.get('Iterator')) as JObj);
        return scope(g, sub, sid, type === 'Parallel' ? `Branch ${i + 1}` : 'Item processor');
      });
    }
    for (const e of edgesFrom(id, name, st)) {
      const valid = e.to !== null && names.has(e.to);
      if (e.via === 'choice') {
        const rules = st.get('Choices');
        const rule = isArr(rules) && isObj(rules[e.index!]) ? (rules[e.index!] as JObj) : new JObj();
        const lbl = describeRule(toPlain(rule) as Record<string, unknown>);
        if (valid) edge(name, e.to!, 'choice', lbl, e);
        else edges.push({ from: name, to: slot(`${name}\u0001rule${e.index}`, `Drop: rule ${e.index! + 1}`, e), kind: 'choice', label: lbl });
      } else if (e.via === 'default') {
        if (valid) edge(name, e.to!, 'default', 'Default', e);
      } else if (e.via === 'catch') {
        const c = (st.get('Catch') as JObj[])[e.index!];
        const errs = isObj(c) && isArr(c.get('ErrorEquals')) ? (c.get('ErrorEquals') as string[]).join(', ') : '';
        if (valid) edge(name, e.to!, 'catch', errs, e);
        else edges.push({ from: name, to: slot(`${name}\u0001catch${e.index}`, `Drop: catch ${e.index! + 1}`, e), kind: 'catch', label: errs });
      } else if (e.to === null) {
        edge(name, endId(id), 'next', undefined, e);
        usesEnd = true;
      } else if (valid) {
        edge(name, e.to, 'next', undefined, e);
      }
    }
    if (type === 'Choice' && !st.has('Default')) {
      const ref: EdgeRef = { scope: id, via: 'default', from: name, to: null };
      edges.push({ from: name, to: slot(`${name}\u0001default`, 'Drop: Default', ref), kind: 'default', label: 'Default' });
    }
    if (type === 'Succeed' || type === 'Fail') {
      edges.push({ from: name, to: endId(id), kind: 'next' });
      usesEnd = true;
    }
  }
  if (usesEnd) nodes.push({ id: endId(id), name: '', kind: 'end' });
  return { id, label, nodes, edges };
}

function detail(st: JObj, kind: NodeKind): string | undefined {
  const r = str(st.get('Resource'));
  if (kind === 'Task' && r) return r.startsWith('arn:aws:states:::') ? r.slice('arn:aws:states:::'.length) : r.split(':').slice(-1)[0];
  if (kind === 'Wait') {
    for (const k of ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath']) {
      const v = st.get(k);
      if (v !== undefined) return `${k} ${typeof v === 'string' ? v : JSON.stringify(toPlain(v))}`;
    }
  }
  if (kind === 'Fail') return str(st.get('Error'));
  return undefined;
}
