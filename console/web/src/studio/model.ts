// The editing model of Workflow Studio: pure functions from an ASL document
// (a lossless JObj, see json.ts) to a new document. The UI only calls these;
// everything here is tested without a browser.
//
// A scope is the machine itself ('root'), a Parallel branch ('Fan#1') or a
// Map item processor ('Items#0'), as in graph/model.ts. Transitions never
// leave their scope. State names are unique in the whole machine (AWS
// requires it), so a state is addressed by its name alone.

import { equal, isArr, isObj, JObj, str, type JValue } from './json';

export const ROOT = 'root';

/** Where a transition starts: the scope's StartAt, or a field of a state. */
export type Via = 'start' | 'next' | 'choice' | 'default' | 'catch';

/**
 * A transition (an edge of the graph). `to` is a state name, or null for
 * the end of the scope (End: true, or a Choice rule without a target yet).
 */
export interface EdgeRef {
  scope: string;
  via: Via;
  /** The state the edge leaves (absent for via 'start'). */
  from?: string;
  /** Index of the Choice rule or Catch for via 'choice' and 'catch'. */
  index?: number;
  to: string | null;
}

export class ModelError extends Error {}

// Fields that a newly set field is inserted before, so Next/End stay last.
const tail = ['Next', 'End'];

/** The object holding StartAt and States for a scope id. */
export function scopeObject(doc: JObj, scope: string): JObj {
  if (scope === ROOT) return doc;
  const [owner, idx] = splitScope(scope);
  const st = findState(doc, owner);
  if (!st) throw new ModelError(`no state ${owner}`);
  const sub = scopeChild(st.state, idx);
  if (!sub) throw new ModelError(`no scope ${scope}`);
  return sub;
}

function splitScope(scope: string): [string, number] {
  const at = scope.lastIndexOf('#');
  return [scope.slice(0, at), Number(scope.slice(at + 1))];
}

function scopeChild(st: JObj, idx: number): JObj | undefined {
  if (st.get('Type') === 'Parallel') {
    const b = st.get('Branches');
    return isArr(b) && isObj(b[idx]) ? b[idx] : undefined;
  }
  if (st.get('Type') === 'Map' && idx === 0) {
    const p = st.get('ItemProcessor') ?? st.get('Iterator');
    return isObj(p) ? p : undefined;
  }
  return undefined;
}

/** The scopes nested in a state: Parallel branches or the Map processor. */
export function childScopes(name: string, st: JObj): string[] {
  if (st.get('Type') === 'Parallel') {
    const b = st.get('Branches');
    return isArr(b) ? b.map((_, i) => `${name}#${i}`) : [];
  }
  if (st.get('Type') === 'Map' && isObj(st.get('ItemProcessor') ?? st.get('Iterator'))) return [`${name}#0`];
  return [];
}

export function statesOf(scopeObj: JObj): JObj {
  const s = scopeObj.get('States');
  return isObj(s) ? s : new JObj();
}

/** Finds a state anywhere in the machine, with the scope that holds it. */
export function findState(doc: JObj, name: string, scope = ROOT, scopeObj: JObj = doc): { scope: string; state: JObj } | null {
  const states = statesOf(scopeObj);
  const here = states.get(name);
  if (isObj(here)) return { scope, state: here };
  for (const [n, st] of states.entries) {
    if (!isObj(st)) continue;
    for (const sub of childScopes(n, st)) {
      const found = findState(doc, name, sub, scopeChild(st, Number(sub.slice(sub.lastIndexOf('#') + 1)))!);
      if (found) return found;
    }
  }
  return null;
}

/** Every state name in the machine, nested ones included, in definition order. */
export function allStateNames(doc: JObj, scopeObj: JObj = doc): string[] {
  const out: string[] = [];
  for (const [n, st] of statesOf(scopeObj).entries) {
    out.push(n);
    if (!isObj(st)) continue;
    for (const sub of childScopes(n, st)) out.push(...allStateNames(doc, scopeChild(st, Number(sub.slice(sub.lastIndexOf('#') + 1)))!));
  }
  return out;
}

/** Replaces the scope object at scope id, copying only the path to it. */
export function updateScope(doc: JObj, scope: string, fn: (s: JObj) => JObj): JObj {
  if (scope === ROOT) return fn(doc);
  const [owner, idx] = splitScope(scope);
  return updateState(doc, owner, (st) => {
    if (st.get('Type') === 'Parallel') {
      const b = st.get('Branches');
      if (!isArr(b) || !isObj(b[idx])) throw new ModelError(`no scope ${scope}`);
      const out = b.slice();
      out[idx] = fn(b[idx] as JObj);
      return st.set('Branches', out);
    }
    const key = st.has('ItemProcessor') ? 'ItemProcessor' : 'Iterator';
    const p = st.get(key);
    if (!isObj(p)) throw new ModelError(`no scope ${scope}`);
    return st.set(key, fn(p));
  });
}

/** Replaces one state through fn. Throws ModelError when it is absent. */
export function updateState(doc: JObj, name: string, fn: (st: JObj) => JObj): JObj {
  const found = findState(doc, name);
  if (!found) throw new ModelError(`no state ${name}`);
  return updateScope(doc, found.scope, (s) => s.set('States', statesOf(s).set(name, fn(found.state))));
}

/** A name not yet used in the machine: base, then "base 2", "base 3"... */
export function uniqueName(doc: JObj, base: string): string {
  const used = new Set(allStateNames(doc));
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base} ${n}`)) return `${base} ${n}`;
}

const terminal = (st: JObj) => st.get('Type') === 'Succeed' || st.get('Type') === 'Fail';

/** Points a state's outgoing transition at target (null: end the scope). */
function setTransition(st: JObj, target: string | null): JObj {
  if (terminal(st)) return st;
  if (st.get('Type') === 'Choice') {
    // A new Choice gets its first rule and Default aimed at what followed.
    if (target === null) return st;
    const choices = st.get('Choices');
    let out = st;
    if (isArr(choices) && choices.length > 0 && isObj(choices[0]) && !choices[0].has('Next')) {
      out = out.set('Choices', [choices[0].set('Next', target), ...choices.slice(1)]);
    }
    if (!out.has('Default')) out = out.set('Default', target);
    return out;
  }
  if (target === null) return st.delete('Next').set('End', true);
  return st.delete('End').set('Next', target, tail);
}

/** Redirects the transition `edge` to `target` (null: End / no target). */
export function connect(doc: JObj, edge: Omit<EdgeRef, 'to'>, target: string | null): JObj {
  if (edge.via === 'start') return updateScope(doc, edge.scope, (s) => s.set('StartAt', target ?? ''));
  const from = edge.from!;
  return updateState(doc, from, (st) => {
    switch (edge.via) {
      case 'next':
        if (target === null) return st.delete('Next').set('End', true);
        return st.delete('End').set('Next', target, tail);
      case 'default':
        return target === null ? st.delete('Default') : st.set('Default', target);
      case 'choice':
      case 'catch': {
        const key = edge.via === 'choice' ? 'Choices' : 'Catch';
        const list = st.get(key);
        const i = edge.index ?? 0;
        if (!isArr(list) || !isObj(list[i])) throw new ModelError(`${from} has no ${key}[${i}]`);
        const out = list.slice();
        out[i] = target === null ? (list[i] as JObj).delete('Next') : (list[i] as JObj).set('Next', target);
        return st.set(key, out);
      }
    }
    return st;
  });
}

/**
 * Inserts a new state on an edge: the edge now leads to it, and it leads to
 * where the edge led. In States it is placed after the edge's source, so
 * the definition reads in flow order.
 */
export function insertState(doc: JObj, edge: EdgeRef, name: string, state: JObj): JObj {
  if (findState(doc, name)) throw new ModelError(`a state named ${name} already exists`);
  const placed = setTransition(state, edge.to);
  let out = updateScope(doc, edge.scope, (s) => {
    const states = statesOf(s);
    const after = edge.from && states.has(edge.from) ? edge.from : null;
    let next = s.set('States', after === null && edge.via === 'start' && states.entries.length > 0 && edge.to
      ? insertBefore(states, edge.to, name, placed)
      : states.insertAfter(after ?? lastKey(states), name, placed));
    if (!next.has('StartAt') || str(next.get('StartAt')) === '') next = next.set('StartAt', name, ['States']);
    return next;
  });
  if (edge.via !== 'start' || str(scopeObject(out, edge.scope).get('StartAt')) !== name) out = connect(out, edge, name);
  return out;
}

function lastKey(o: JObj): string | null {
  return o.entries.length ? o.entries[o.entries.length - 1][0] : null;
}

function insertBefore(states: JObj, before: string, name: string, value: JValue): JObj {
  const i = states.entries.findIndex(([k]) => k === before);
  const out = states.entries.slice();
  out.splice(i < 0 ? 0 : i, 0, [name, value]);
  return new JObj(out);
}

/** Inserts a state into an empty scope (an empty canvas or branch). */
export function insertIntoEmpty(doc: JObj, scope: string, name: string, state: JObj): JObj {
  return insertState(doc, { scope, via: 'start', to: null }, name, state);
}

/** The transitions leaving a state, as edges (targets may be null). */
export function edgesFrom(scope: string, name: string, st: JObj): EdgeRef[] {
  const out: EdgeRef[] = [];
  const t = st.get('Type');
  if (t === 'Choice') {
    const choices = st.get('Choices');
    if (isArr(choices)) choices.forEach((c, i) => out.push({ scope, via: 'choice', from: name, index: i, to: isObj(c) ? str(c.get('Next')) ?? null : null }));
    if (st.has('Default')) out.push({ scope, via: 'default', from: name, to: str(st.get('Default')) ?? null });
  } else if (!terminal(st)) {
    out.push({ scope, via: 'next', from: name, to: st.get('End') === true ? null : str(st.get('Next')) ?? null });
  }
  const catchers = st.get('Catch');
  if (isArr(catchers)) catchers.forEach((c, i) => out.push({ scope, via: 'catch', from: name, index: i, to: isObj(c) ? str(c.get('Next')) ?? null : null }));
  return out;
}

/** Every edge of a scope that leads to target. */
function edgesInto(doc: JObj, scope: string, target: string): EdgeRef[] {
  const s = scopeObject(doc, scope);
  const out: EdgeRef[] = [];
  if (str(s.get('StartAt')) === target) out.push({ scope, via: 'start', to: target });
  for (const [n, st] of statesOf(s).entries) {
    if (isObj(st)) out.push(...edgesFrom(scope, n, st).filter((e) => e.to === target));
  }
  return out;
}

/** Where the flow goes after a state, for reconnecting around it. */
function successor(st: JObj): string | null {
  if (st.get('Type') === 'Choice') {
    const d = str(st.get('Default'));
    if (d) return d;
    const c = st.get('Choices');
    if (isArr(c)) for (const r of c) if (isObj(r) && str(r.get('Next'))) return str(r.get('Next'))!;
    return null;
  }
  return st.get('End') === true ? null : str(st.get('Next')) ?? null;
}

/**
 * Takes a state out of the flow: what led to it now leads to its successor
 * (or ends the scope); Catch clauses aimed at it are removed, Choice rules
 * lose their target. The state itself stays in States.
 */
function bypass(doc: JObj, name: string): JObj {
  const found = findState(doc, name);
  if (!found) throw new ModelError(`no state ${name}`);
  const succ = successor(found.state);
  const next = succ === name ? null : succ;
  let out = doc;
  // Catch edges are removed last, from the highest index, so indexes hold.
  const incoming = edgesInto(out, found.scope, name).sort((a, b) => (b.index ?? 0) - (a.index ?? 0));
  for (const e of incoming) {
    if (e.via === 'catch') {
      out = updateState(out, e.from!, (st) => {
        const list = (st.get('Catch') as readonly JValue[]).filter((_, i) => i !== e.index);
        return list.length ? st.set('Catch', list) : st.delete('Catch');
      });
    } else if (e.via === 'start') {
      out = updateScope(out, e.scope, (s) => {
        const fallback = next ?? statesOf(s).keys().find((k) => k !== name) ?? '';
        return s.set('StartAt', fallback);
      });
    } else if (e.from === name) {
      continue; // a self-loop disappears with the state
    } else {
      out = connect(out, e, next);
    }
  }
  return out;
}

/** Deletes a state, reconnecting what led to it to its successor. */
export function deleteState(doc: JObj, name: string): JObj {
  const found = findState(doc, name);
  if (!found) throw new ModelError(`no state ${name}`);
  const out = bypass(doc, name);
  return updateScope(out, found.scope, (s) => s.set('States', statesOf(s).delete(name)));
}

/** Renames a state and every reference to it (StartAt, Next, Default, rule and Catch targets). */
export function renameState(doc: JObj, from: string, to: string): JObj {
  if (from === to) return doc;
  if (!to) throw new ModelError('a state name cannot be empty');
  if (to.length > 80) throw new ModelError('a state name has at most 80 characters');
  if (findState(doc, to)) throw new ModelError(`a state named ${to} already exists`);
  const found = findState(doc, from);
  if (!found) throw new ModelError(`no state ${from}`);
  const incoming = edgesInto(doc, found.scope, from);
  let out = updateScope(doc, found.scope, (s) => s.set('States', statesOf(s).rename(from, to)));
  for (const e of incoming) {
    const ref = e.from === from ? { ...e, from: to } : e;
    out = connect(out, ref, to);
  }
  // Scope ids of nested branches are named after their owner; nothing to
  // rewrite, since they are derived from the name on each lookup.
  return out;
}

/**
 * Sets (or with undefined, removes) a field of a state at a path of keys
 * and indexes, e.g. ['Retry', 0, 'MaxAttempts']. Returns doc itself when the
 * value is unchanged, so no-op edits add nothing to undo history.
 */
export function setField(doc: JObj, name: string, path: readonly (string | number)[], value: JValue | undefined): JObj {
  const found = findState(doc, name);
  if (!found) throw new ModelError(`no state ${name}`);
  if (equal(getPath(found.state, path), value)) return doc;
  return updateState(doc, name, (st) => setPath(st, path, value) as JObj);
}

/** Sets a top-level field of the definition (Comment, QueryLanguage, TimeoutSeconds...). */
export function setTopField(doc: JObj, key: string, value: JValue | undefined): JObj {
  if (equal(doc.get(key), value)) return doc;
  return value === undefined ? doc.delete(key) : doc.set(key, value, ['StartAt', 'States']);
}

export function getPath(v: JValue | undefined, path: readonly (string | number)[]): JValue | undefined {
  for (const p of path) {
    if (v === undefined) return undefined;
    if (typeof p === 'number') v = isArr(v) ? v[p] : undefined;
    else v = isObj(v) ? v.get(p) : undefined;
  }
  return v;
}

function setPath(v: JValue | undefined, path: readonly (string | number)[], value: JValue | undefined): JValue | undefined {
  if (path.length === 0) return value;
  const [p, ...rest] = path;
  if (typeof p === 'number') {
    const arr = isArr(v) ? v.slice() : [];
    const child = setPath(arr[p], rest, value);
    if (child === undefined) arr.splice(p, 1);
    else arr[p] = child;
    return arr;
  }
  const obj = isObj(v) ? v : new JObj();
  const child = setPath(obj.get(p), rest, value);
  return child === undefined ? obj.delete(p) : obj.set(p, child, path.length === 1 ? tail : []);
}

/** Whether scope lies inside state name (a state cannot move into itself). */
function within(scope: string, name: string, doc: JObj): boolean {
  let s = scope;
  while (s !== ROOT) {
    const owner = splitScope(s)[0];
    if (owner === name) return true;
    const f = findState(doc, owner);
    if (!f) return false;
    s = f.scope;
  }
  return false;
}

/**
 * Moves a state onto another edge, in the same scope (reordering the flow)
 * or into another one (a Parallel branch or Map processor): it is taken out
 * of its flow first, as deleteState does, keeping its fields.
 */
export function moveState(doc: JObj, name: string, edge: EdgeRef): JObj {
  const found = findState(doc, name);
  if (!found) throw new ModelError(`no state ${name}`);
  if (edge.to === name || (edge.from === name && edge.via !== 'catch')) return doc;
  if (within(edge.scope, name, doc)) throw new ModelError(`${name} cannot move into itself`);
  let out = bypass(doc, name);
  out = updateScope(out, found.scope, (s) => s.set('States', statesOf(s).delete(name)));
  // A Choice keeps its rules and targets; other states get theirs from the edge.
  const st = found.state.delete('Next').delete('End');
  // The edge may have pointed at a state that bypass just reconnected; read it again.
  const fresh = resolveEdge(out, edge);
  return insertState(out, fresh, name, st);
}

/** Re-reads where an edge leads now (after edits), by its source. */
function resolveEdge(doc: JObj, edge: EdgeRef): EdgeRef {
  if (edge.via === 'start') {
    const s = scopeObject(doc, edge.scope);
    const to = str(s.get('StartAt')) || null;
    return { ...edge, to: to && statesOf(s).has(to) ? to : null };
  }
  const f = edge.from ? findState(doc, edge.from) : null;
  if (!f) return edge;
  const same = edgesFrom(edge.scope, edge.from!, f.state).find((e) => e.via === edge.via && (e.index ?? 0) === (edge.index ?? 0));
  return same ?? edge;
}

/** Moves a state into a scope's flow, e.g. into an empty branch. */
export function moveIntoBranch(doc: JObj, name: string, scope: string): JObj {
  const s = scopeObject(doc, scope);
  const start = str(s.get('StartAt'));
  return moveState(doc, name, { scope, via: 'start', to: start && statesOf(s).has(start) ? start : null });
}

/** Moves a state's key up or down in its States object (the definition's order, not the flow). */
export function reorderState(doc: JObj, name: string, delta: number): JObj {
  const found = findState(doc, name);
  if (!found) throw new ModelError(`no state ${name}`);
  return updateScope(doc, found.scope, (s) => {
    const entries = statesOf(s).entries.slice();
    const i = entries.findIndex(([k]) => k === name);
    const j = Math.max(0, Math.min(entries.length - 1, i + delta));
    if (i === j) return s;
    const [e] = entries.splice(i, 1);
    entries.splice(j, 0, e);
    return s.set('States', new JObj(entries));
  });
}

/** Adds a Parallel branch holding one Pass state. */
export function addBranch(doc: JObj, parallel: string): JObj {
  const pass = uniqueName(doc, 'Pass');
  return updateState(doc, parallel, (st) => {
    const b = st.get('Branches');
    const list = isArr(b) ? b.slice() : [];
    list.push(new JObj([['StartAt', pass], ['States', new JObj([[pass, new JObj([['Type', 'Pass'], ['End', true]])]])]]));
    return st.set('Branches', list, tail);
  });
}

/** Removes Parallel branch i (a Parallel keeps at least one). */
export function removeBranch(doc: JObj, parallel: string, i: number): JObj {
  return updateState(doc, parallel, (st) => {
    const b = st.get('Branches');
    if (!isArr(b) || b.length <= 1) throw new ModelError('a Parallel state needs at least one branch');
    return st.set('Branches', b.filter((_, k) => k !== i));
  });
}

/** Appends a Choice rule (targets set later), or a Catch clause. */
export function addListItem(doc: JObj, name: string, key: 'Choices' | 'Catch' | 'Retry', item: JObj): JObj {
  return updateState(doc, name, (st) => {
    const l = st.get(key);
    return st.set(key, [...(isArr(l) ? l : []), item], key === 'Choices' ? ['Default', ...tail] : tail);
  });
}

/** Removes item i of Choices, Catch or Retry (the key goes when the list empties, except Choices). */
export function removeListItem(doc: JObj, name: string, key: 'Choices' | 'Catch' | 'Retry', i: number): JObj {
  return updateState(doc, name, (st) => {
    const l = st.get(key);
    if (!isArr(l)) return st;
    const out = l.filter((_, k) => k !== i);
    return out.length || key === 'Choices' ? st.set(key, out) : st.delete(key);
  });
}

/** Moves item i of a list by delta (rule order matters for Choice and Catch). */
export function moveListItem(doc: JObj, name: string, key: 'Choices' | 'Catch' | 'Retry', i: number, delta: number): JObj {
  return updateState(doc, name, (st) => {
    const l = st.get(key);
    if (!isArr(l)) return st;
    const j = i + delta;
    if (j < 0 || j >= l.length) return st;
    const out = l.slice();
    [out[i], out[j]] = [out[j], out[i]];
    return st.set(key, out);
  });
}

/**
 * Replaces a state's type-specific fields for a new Type, keeping its name,
 * Comment and transition.
 */
export function replaceState(doc: JObj, name: string, state: JObj): JObj {
  return updateState(doc, name, (old) => {
    const target = old.get('End') === true ? null : str(old.get('Next')) ?? null;
    let st = state;
    if (old.has('Comment') && !st.has('Comment')) st = st.insertAfter('Type', 'Comment', old.get('Comment')!);
    return setTransition(st, target);
  });
}
