import { describe, expect, it } from 'vitest';
import { fromPlain, JObj, parse, print, toPlain } from './json';
import {
  addBranch, addListItem, allStateNames, connect, deleteState, findState, insertIntoEmpty, insertState, ModelError,
  moveIntoBranch, moveListItem, moveState, removeBranch, removeListItem, renameState, reorderState, replaceState,
  ROOT, scopeObject, setField, setTopField, uniqueName,
} from './model';
import { palette, paletteItem } from './palette';

const doc = (x: unknown) => fromPlain(x) as JObj;
const plain = (d: JObj) => toPlain(d) as any;
const pass = (extra: Record<string, unknown> = {}) => ({ Type: 'Pass', ...extra });

const linear = () => doc({
  Comment: 'A, B, C',
  StartAt: 'A',
  States: { A: pass({ Next: 'B' }), B: pass({ Next: 'C' }), C: pass({ End: true }) },
});

describe('insertState', () => {
  it('inserts on a Next edge, after its source in States', () => {
    const d = insertState(linear(), { scope: ROOT, via: 'next', from: 'A', to: 'B' }, 'X', doc(pass()));
    expect(Object.keys(plain(d).States)).toEqual(['A', 'X', 'B', 'C']);
    expect(plain(d).States.A.Next).toBe('X');
    expect(plain(d).States.X).toEqual({ Type: 'Pass', Next: 'B' });
  });

  it('inserts at the start', () => {
    const d = insertState(linear(), { scope: ROOT, via: 'start', to: 'A' }, 'X', doc(pass()));
    expect(plain(d).StartAt).toBe('X');
    expect(Object.keys(plain(d).States)).toEqual(['X', 'A', 'B', 'C']);
    expect(plain(d).States.X.Next).toBe('A');
  });

  it('inserts on the edge to the end: the new state ends the scope', () => {
    const d = insertState(linear(), { scope: ROOT, via: 'next', from: 'C', to: null }, 'X', doc(pass()));
    expect(plain(d).States.C).toEqual({ Type: 'Pass', Next: 'X' });
    expect(plain(d).States.X).toEqual({ Type: 'Pass', End: true });
  });

  it('fills an empty canvas', () => {
    const d = insertIntoEmpty(doc({ StartAt: '', States: {} }), ROOT, 'First', doc(pass()));
    expect(plain(d)).toEqual({ StartAt: 'First', States: { First: { Type: 'Pass', End: true } } });
  });

  it('aims a new Choice rule and Default at what followed', () => {
    const choice = paletteItem('Choice')!.make('JSONPath', (b) => b);
    const d = insertState(linear(), { scope: ROOT, via: 'next', from: 'A', to: 'B' }, 'Pick', choice);
    expect(plain(d).States.Pick).toEqual({ Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'B' }], Default: 'B' });
  });

  it('leaves a Choice inserted before the end without targets, to be filled', () => {
    const choice = paletteItem('Choice')!.make('JSONPath', (b) => b);
    const d = insertState(linear(), { scope: ROOT, via: 'next', from: 'C', to: null }, 'Pick', choice);
    expect(plain(d).States.Pick).toEqual({ Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: true }] });
    const d2 = insertState(d, { scope: ROOT, via: 'choice', from: 'Pick', index: 0, to: null }, 'Yes', doc({ Type: 'Succeed' }));
    const d3 = insertState(d2, { scope: ROOT, via: 'default', from: 'Pick', to: null }, 'No', doc({ Type: 'Fail' }));
    expect(plain(d3).States.Pick).toEqual({ Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Yes' }], Default: 'No' });
    expect(plain(d3).States.Yes).toEqual({ Type: 'Succeed' });
  });

  it('inserts on a Catch edge', () => {
    const d0 = doc({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:x', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'F' }], End: true }, F: { Type: 'Fail' } } });
    const d = insertState(d0, { scope: ROOT, via: 'catch', from: 'T', index: 0, to: 'F' }, 'Log', doc(pass()));
    expect(plain(d).States.T.Catch[0].Next).toBe('Log');
    expect(plain(d).States.Log.Next).toBe('F');
  });

  it('inserts into a Parallel branch and a Map processor', () => {
    const d0 = doc({
      StartAt: 'P',
      States: {
        P: { Type: 'Parallel', Branches: [{ StartAt: 'B1', States: { B1: pass({ End: true }) } }], Next: 'M' },
        M: { Type: 'Map', ItemProcessor: { StartAt: 'I', States: { I: pass({ End: true }) } }, End: true },
      },
    });
    let d = insertState(d0, { scope: 'P#0', via: 'next', from: 'B1', to: null }, 'B2', doc(pass()));
    d = insertState(d, { scope: 'M#0', via: 'start', to: 'I' }, 'I0', doc({ Type: 'Wait', Seconds: 1 }));
    expect(plain(d).States.P.Branches[0]).toEqual({ StartAt: 'B1', States: { B1: pass({ Next: 'B2' }), B2: pass({ End: true }) } });
    expect(plain(d).States.M.ItemProcessor).toEqual({ StartAt: 'I0', States: { I0: { Type: 'Wait', Seconds: 1, Next: 'I' }, I: pass({ End: true }) } });
    expect(findState(d, 'B2')?.scope).toBe('P#0');
  });

  it('refuses a name already used anywhere', () => {
    expect(() => insertState(linear(), { scope: ROOT, via: 'next', from: 'A', to: 'B' }, 'C', doc(pass()))).toThrow(ModelError);
  });
});

describe('deleteState', () => {
  it('reconnects the predecessor to the successor', () => {
    const d = deleteState(linear(), 'B');
    expect(plain(d).States).toEqual({ A: pass({ Next: 'C' }), C: pass({ End: true }) });
  });

  it('ends the predecessor when the last state goes', () => {
    const d = deleteState(linear(), 'C');
    expect(plain(d).States.B).toEqual(pass({ End: true }));
  });

  it('moves StartAt on and removes Catch clauses and rule targets aimed at it', () => {
    const d0 = doc({
      StartAt: 'A',
      States: {
        A: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'F' }, { Variable: '$.y', IsPresent: true, Next: 'B' }], Default: 'F' },
        B: { Type: 'Task', Resource: 'arn:x', Catch: [{ ErrorEquals: ['E1'], Next: 'F' }, { ErrorEquals: ['E2'], Next: 'A' }], End: true },
        F: { Type: 'Fail' },
      },
    });
    const d = deleteState(d0, 'F');
    expect(plain(d).States.A).toEqual({ Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true }, { Variable: '$.y', IsPresent: true, Next: 'B' }] });
    expect(plain(d).States.B.Catch).toEqual([{ ErrorEquals: ['E2'], Next: 'A' }]);
    const d2 = deleteState(d0, 'A');
    expect(plain(d2).StartAt).toBe('F');
  });
});

describe('renameState', () => {
  it('renames in place and updates every reference in its scope', () => {
    const d0 = doc({
      StartAt: 'A',
      States: {
        A: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'B' }], Default: 'B' },
        B: { Type: 'Task', Resource: 'arn:x', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'B' }], Next: 'C' },
        C: pass({ End: true }),
      },
    });
    let d = renameState(d0, 'B', 'Work');
    expect(Object.keys(plain(d).States)).toEqual(['A', 'Work', 'C']);
    expect(plain(d).States.A).toEqual({ Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'Work' }], Default: 'Work' });
    expect(plain(d).States.Work.Catch[0].Next).toBe('Work');
    d = renameState(d, 'A', 'Start');
    expect(plain(d).StartAt).toBe('Start');
    expect(() => renameState(d, 'C', 'Work')).toThrow(/already exists/);
    expect(() => renameState(d, 'C', '')).toThrow(ModelError);
  });

  it('renames a Parallel: its branches stay reachable', () => {
    const d0 = doc({ StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [{ StartAt: 'X', States: { X: pass({ End: true }) } }], End: true } } });
    const d = renameState(d0, 'P', 'Q');
    expect(findState(d, 'X')?.scope).toBe('Q#0');
    expect(plain(scopeObject(d, 'Q#0'))).toEqual({ StartAt: 'X', States: { X: pass({ End: true }) } });
  });
});

describe('setField and connect', () => {
  it('sets, nests and removes fields; new fields land before Next/End', () => {
    let d = setField(linear(), 'A', ['ResultPath'], '$.r');
    expect(Object.keys(plain(d).States.A)).toEqual(['Type', 'ResultPath', 'Next']);
    d = setField(d, 'A', ['Parameters', 'x.$'], '$.y');
    expect(plain(d).States.A.Parameters).toEqual({ 'x.$': '$.y' });
    d = setField(d, 'A', ['ResultPath'], undefined);
    expect(plain(d).States.A.ResultPath).toBeUndefined();
    d = setField(d, 'A', ['ResultPath'], null);
    expect(plain(d).States.A.ResultPath).toBeNull();
  });

  it('returns the same document for an unchanged value', () => {
    const d = linear();
    expect(setField(d, 'A', ['Next'], 'B')).toBe(d);
    expect(setTopField(d, 'Comment', 'A, B, C')).toBe(d);
  });

  it('connects Next, End, Default and rule and Catch targets', () => {
    const d0 = doc({
      StartAt: 'C',
      States: { C: { Type: 'Choice', Choices: [{ Variable: '$.a', IsPresent: true }] }, T: { Type: 'Task', Resource: 'arn:x', Catch: [{ ErrorEquals: ['E'] }], Next: 'C' }, S: { Type: 'Succeed' } },
    });
    let d = connect(d0, { scope: ROOT, via: 'choice', from: 'C', index: 0 }, 'T');
    d = connect(d, { scope: ROOT, via: 'default', from: 'C' }, 'S');
    d = connect(d, { scope: ROOT, via: 'catch', from: 'T', index: 0 }, 'S');
    d = connect(d, { scope: ROOT, via: 'next', from: 'T' }, null);
    expect(plain(d).States).toEqual({
      C: { Type: 'Choice', Choices: [{ Variable: '$.a', IsPresent: true, Next: 'T' }], Default: 'S' },
      T: { Type: 'Task', Resource: 'arn:x', Catch: [{ ErrorEquals: ['E'], Next: 'S' }], End: true },
      S: { Type: 'Succeed' },
    });
  });

  it('sets top-level fields before StartAt', () => {
    const d = setTopField(doc({ StartAt: 'A', States: { A: pass({ End: true }) } }), 'QueryLanguage', 'JSONata');
    expect(Object.keys(plain(d))).toEqual(['QueryLanguage', 'StartAt', 'States']);
  });
});

describe('moveState', () => {
  it('reorders the flow', () => {
    const d = moveState(linear(), 'C', { scope: ROOT, via: 'start', to: 'A' });
    expect(plain(d).StartAt).toBe('C');
    expect(plain(d).States.C.Next).toBe('A');
    expect(plain(d).States.B).toEqual(pass({ End: true }));
  });

  it('moves a state into a branch and out of it', () => {
    const d0 = doc({ StartAt: 'A', States: { A: pass({ Next: 'P' }), P: { Type: 'Parallel', Branches: [{ StartAt: 'X', States: { X: pass({ End: true }) } }], End: true } } });
    let d = moveIntoBranch(d0, 'A', 'P#0');
    expect(plain(d).StartAt).toBe('P');
    expect(plain(d).States.P.Branches[0]).toEqual({ StartAt: 'A', States: { A: pass({ Next: 'X' }), X: pass({ End: true }) } });
    d = moveState(d, 'X', { scope: ROOT, via: 'next', from: 'P', to: null });
    expect(plain(d).States.P.Branches[0].States.A).toEqual(pass({ End: true }));
    expect(plain(d).States.P.Next).toBe('X');
    expect(() => moveIntoBranch(d, 'P', 'P#0')).toThrow(/into itself/);
  });

  it('changes the definition order', () => {
    expect(Object.keys(plain(reorderState(linear(), 'C', -2)).States)).toEqual(['C', 'A', 'B']);
  });
});

describe('branches and lists', () => {
  it('adds and removes Parallel branches', () => {
    const d0 = doc({ StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [{ StartAt: 'Pass', States: { Pass: pass({ End: true }) } }], End: true } } });
    const d = addBranch(d0, 'P');
    expect(plain(d).States.P.Branches[1]).toEqual({ StartAt: 'Pass 2', States: { 'Pass 2': pass({ End: true }) } });
    expect(plain(removeBranch(d, 'P', 0)).States.P.Branches).toEqual([plain(d).States.P.Branches[1]]);
    expect(() => removeBranch(d0, 'P', 0)).toThrow(/at least one/);
  });

  it('adds, moves and removes Retry, Catch and Choice items', () => {
    let d = addListItem(linear(), 'A', 'Retry', doc({ ErrorEquals: ['E1'] }));
    d = addListItem(d, 'A', 'Retry', doc({ ErrorEquals: ['E2'] }));
    d = moveListItem(d, 'A', 'Retry', 1, -1);
    expect(plain(d).States.A.Retry).toEqual([{ ErrorEquals: ['E2'] }, { ErrorEquals: ['E1'] }]);
    expect(Object.keys(plain(d).States.A)).toEqual(['Type', 'Retry', 'Next']);
    d = removeListItem(removeListItem(d, 'A', 'Retry', 0), 'A', 'Retry', 0);
    expect(plain(d).States.A.Retry).toBeUndefined();
  });

  it('replaces a state type keeping its transition and comment', () => {
    const d = replaceState(setField(linear(), 'B', ['Comment'], 'hi'), 'B', doc({ Type: 'Wait', Seconds: 3 }));
    expect(plain(d).States.B).toEqual({ Type: 'Wait', Comment: 'hi', Seconds: 3, Next: 'C' });
  });
});

describe('names and palette', () => {
  it('makes unique names across nested scopes', () => {
    const d = doc({ StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [{ StartAt: 'Pass', States: { Pass: pass({ End: true }) } }], End: true } } });
    expect(uniqueName(d, 'Pass')).toBe('Pass 2');
    expect(uniqueName(d, 'Wait')).toBe('Wait');
    expect(allStateNames(d)).toEqual(['P', 'Pass']);
  });

  it('makes a valid-shaped state for every palette item in both languages', () => {
    for (const item of palette) {
      for (const ql of ['JSONPath', 'JSONata'] as const) {
        const st = item.make(ql, (b) => b);
        expect(st.get('Type'), item.id).toBeTypeOf('string');
        const text = print(st);
        if (ql === 'JSONPath') expect(text, item.id).not.toContain('{%');
        else expect(text, item.id).not.toMatch(/"[^"]+\.\$"/);
      }
    }
    expect(palette.map((p) => p.id)).toEqual(expect.arrayContaining([
      'Pass', 'Lambda', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map', 'HTTP', 'Activity', 'Callback',
      'StartExecution', 'DynamoDBGetItem', 'DynamoDBPutItem', 'DynamoDBUpdateItem', 'DynamoDBDeleteItem', 'SQSSendMessage', 'SNSPublish',
      'EventBridgePutEvents', 'SESSendEmail',
    ]));
  });

  it('keeps unknown fields and comments through edits', () => {
    const text = '{"Comment": "c", "X-Custom": {"keep": [1.50]}, "StartAt": "A", "States": {"A": {"Type": "Pass", "Unknown": 7, "End": true}}}';
    const d = renameState(parse(text) as JObj, 'A', 'B');
    expect(print(d)).toContain('"keep": [\n      1.50\n    ]');
    expect(plain(d).States.B.Unknown).toBe(7);
  });
});

describe('studio graph', () => {
  it('draws slots for empty scopes, rules, Default and Catch without targets', async () => {
    const { studioGraph, SLOT } = await import('./graph');
    const empty = studioGraph(doc({ StartAt: '', States: {} }));
    expect([...empty.slots.values()]).toEqual([{ scope: ROOT, via: 'start', to: null }]);
    const g = studioGraph(doc({
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.a', IsPresent: true }] },
        T: { Type: 'Task', Resource: 'arn:x', Catch: [{ ErrorEquals: ['States.ALL'] }], End: true },
      },
    }));
    const slots = [...g.slots.values()].map((r) => `${r.from}:${r.via}:${r.index ?? ''}`);
    expect(slots).toEqual(['C:choice:0', 'C:default:', 'T:catch:0']);
    expect(g.scope.nodes.filter((n) => n.id.startsWith(SLOT)).map((n) => n.name)).toEqual(['Drop: rule 1', 'Drop: Default', 'Drop: catch 1']);
    // The edge to the end carries its transition, so a drop on it inserts there.
    expect([...g.refs.values()].flat()).toContainEqual({ scope: ROOT, via: 'next', from: 'T', to: null });
  });
});
