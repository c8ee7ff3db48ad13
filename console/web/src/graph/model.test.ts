import { describe, expect, it } from 'vitest';
import { allStates, buildGraph, describeRule, endId, startId, type GraphEdge } from './model';
import { layoutScope } from './layout';

const order = {
  Comment: 'Choice, Parallel, Map and Catch',
  StartAt: 'Check',
  States: {
    Check: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.n', NumericGreaterThan: 3, Next: 'Fan' },
        { And: [{ Variable: '$.a', IsPresent: true }, { Not: { Variable: '$.b', StringEquals: 'x' } }], Next: 'Items' },
      ],
      Default: 'Reject',
    },
    Fan: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } },
        { StartAt: 'B', States: { B: { Type: 'Wait', Seconds: 1, Next: 'B2' }, B2: { Type: 'Succeed' } } },
      ],
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Reject' }],
      Next: 'Items',
    },
    Items: {
      Type: 'Map',
      ItemProcessor: { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } },
      Catch: [{ ErrorEquals: ['States.TaskFailed', 'States.Timeout'], Next: 'Reject' }],
      End: true,
    },
    Reject: { Type: 'Fail', Error: 'Rejected' },
  },
};

const edge = (edges: GraphEdge[], from: string, to: string) => edges.filter((e) => e.from === from && e.to === to);

describe('buildGraph', () => {
  const g = buildGraph(JSON.stringify(order));

  it('has a node per top-level state, plus start and end markers', () => {
    expect(g.nodes.map((n) => n.id)).toEqual([startId('root'), 'Check', 'Fan', 'Items', 'Reject', endId('root')]);
    expect(g.nodes.find((n) => n.id === 'Items')?.kind).toBe('Map');
  });

  it('starts at StartAt and ends at End, Succeed and Fail', () => {
    expect(edge(g.edges, startId('root'), 'Check')).toHaveLength(1);
    expect(edge(g.edges, 'Items', endId('root'))[0].kind).toBe('next');
    expect(edge(g.edges, 'Reject', endId('root'))).toHaveLength(1);
  });

  it('labels Choice edges with their rules and marks Default', () => {
    expect(edge(g.edges, 'Check', 'Fan')).toEqual([{ from: 'Check', to: 'Fan', kind: 'choice', label: '$.n > 3' }]);
    expect(edge(g.edges, 'Check', 'Items')[0].label).toBe('$.a IsPresent true and not ($.b == "x")');
    expect(edge(g.edges, 'Check', 'Reject')).toEqual([{ from: 'Check', to: 'Reject', kind: 'default', label: 'Default' }]);
  });

  it('draws Catch edges with the errors they catch, apart from Next', () => {
    expect(edge(g.edges, 'Fan', 'Reject')).toEqual([{ from: 'Fan', to: 'Reject', kind: 'catch', label: 'States.ALL' }]);
    expect(edge(g.edges, 'Fan', 'Items')[0].kind).toBe('next');
    expect(edge(g.edges, 'Items', 'Reject')[0].label).toBe('States.TaskFailed, States.Timeout');
  });

  it('nests Parallel branches and Map processors as scopes', () => {
    const fan = g.nodes.find((n) => n.id === 'Fan')!;
    expect(fan.scopes?.map((s) => s.label)).toEqual(['Branch 1', 'Branch 2']);
    const b2 = fan.scopes![1];
    expect(b2.nodes.map((n) => n.id)).toEqual([startId('Fan#1'), 'B', 'B2', endId('Fan#1')]);
    expect(edge(b2.edges, 'B', 'B2')).toHaveLength(1);
    const items = g.nodes.find((n) => n.id === 'Items')!;
    expect(items.scopes?.[0].nodes.find((n) => n.id === 'Work')?.detail).toBe('lambda:invoke');
    expect(allStates(g).map((n) => n.name)).toEqual(['Check', 'Fan', 'A', 'B', 'B2', 'Items', 'Work', 'Reject']);
  });

  it('accepts the legacy Iterator and JSONata conditions', () => {
    const m = buildGraph({
      QueryLanguage: 'JSONata',
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.ok %}', Next: 'M' }], Default: 'M' },
        M: { Type: 'Map', Iterator: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, End: true },
      },
    });
    expect(edge(m.edges, 'C', 'M').map((e) => e.label)).toEqual(['$states.input.ok', 'Default']);
    expect(m.nodes.find((n) => n.id === 'M')?.scopes?.[0].nodes.map((n) => n.id)).toContain('I');
  });
});

describe('describeRule', () => {
  it.each([
    [{ Variable: '$.s', StringEquals: 'a' }, '$.s == "a"'],
    [{ Variable: '$.x', NumericLessThanEqualsPath: '$.y' }, '$.x <= $.y'],
    [{ Variable: '$.t', IsNull: false }, '$.t IsNull false'],
    [{ Or: [{ Variable: '$.a', BooleanEquals: true }, { Variable: '$.b', StringMatches: 'x*' }] }, '$.a == true or $.b matches "x*"'],
  ])('%j', (rule, want) => {
    expect(describeRule(rule)).toBe(want);
  });
});

describe('layoutScope', () => {
  it('places nested states inside their container, and every edge', () => {
    const l = layoutScope(buildGraph(order));
    const at = (id: string) => l.nodes.find((n) => n.node.id === id)!;
    const fan = at('Fan');
    for (const id of ['A', 'B', 'B2']) {
      const n = at(id);
      expect(n.x).toBeGreaterThanOrEqual(fan.x);
      expect(n.y).toBeGreaterThanOrEqual(fan.y);
      expect(n.x + n.w).toBeLessThanOrEqual(fan.x + fan.w);
      expect(n.y + n.h).toBeLessThanOrEqual(fan.y + fan.h);
    }
    expect(l.groups.map((g) => g.label)).toEqual(['Branch 1', 'Branch 2', 'Item processor']);
    expect(l.edges.every((e) => e.points.length >= 2)).toBe(true);
    expect(l.width).toBeGreaterThan(0);
  });

  it('lays out 200 states', () => {
    const states: Record<string, object> = {};
    for (let i = 0; i < 200; i++) states[`S${i}`] = i === 199 ? { Type: 'Succeed' } : { Type: 'Pass', Next: `S${i + 1}` };
    const l = layoutScope(buildGraph({ StartAt: 'S0', States: states }));
    expect(l.nodes).toHaveLength(202);
  });
});
