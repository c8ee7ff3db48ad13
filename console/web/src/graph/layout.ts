// Layout: each scope is laid out with dagre on its own, innermost first,
// so a Parallel or Map node is sized to hold its laid-out branches.

import dagre from '@dagrejs/dagre';
import type { EdgeKind, GraphNode, Scope } from './model';

export interface Point { x: number; y: number }

export interface PlacedNode {
  node: GraphNode;
  /** Top-left corner and size, in graph coordinates. */
  x: number; y: number; w: number; h: number;
}

export interface PlacedGroup {
  /** The scope this group box shows (a branch or item processor). */
  id: string;
  label: string;
  x: number; y: number; w: number; h: number;
}

export interface PlacedEdge {
  from: string; to: string; kind: EdgeKind; label?: string;
  points: Point[];
  labelAt?: Point;
}

export interface Layout {
  width: number; height: number;
  nodes: PlacedNode[];
  groups: PlacedGroup[];
  edges: PlacedEdge[];
}

const nodeH = 44;
const marker = 22;
const groupPad = 14;
const groupHeader = 22;
const containerHeader = 30;
const charW = 7.2;
/** Scopes with more nodes than this are ranked with dagre's faster ranker. */
const bigScope = 80;

function nodeWidth(n: GraphNode): number {
  const text = Math.max(n.name.length, (n.detail ?? '').length * 0.85);
  return Math.max(110, Math.min(260, Math.round(text * charW) + 34));
}

function labelWidth(label: string): number {
  return Math.min(180, Math.round(Math.min(label.length, 26) * 6.2) + 10);
}

/** Lays out a scope; coordinates start at (0, 0). */
export function layoutScope(scope: Scope): Layout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  // dagre's default ranker (network simplex) gives the tidiest ranks but
  // dominates the time on big scopes (about 2.5x tight-tree's on 200
  // states); past bigScope nodes the faster ranker keeps a large machine
  // drawing in well under a second.
  const ranker = scope.nodes.length > bigScope ? 'tight-tree' : 'network-simplex';
  g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 38, edgesep: 14, marginx: 8, marginy: 8, ranker });
  g.setDefaultEdgeLabel(() => ({}));
  const inner = new Map<string, Layout[]>();
  for (const n of scope.nodes) {
    if (n.kind === 'start' || n.kind === 'end') {
      g.setNode(n.id, { width: marker, height: marker });
      continue;
    }
    if (n.scopes && n.scopes.length > 0) {
      const subs = n.scopes.map(layoutScope);
      inner.set(n.id, subs);
      const w = subs.reduce((s, l) => s + l.width + 2 * groupPad, 0) + groupPad * (subs.length + 1);
      const h = Math.max(...subs.map((l) => l.height)) + groupHeader + 2 * groupPad + containerHeader;
      g.setNode(n.id, { width: Math.max(w, nodeWidth(n)), height: h });
    } else {
      g.setNode(n.id, { width: nodeWidth(n), height: nodeH });
    }
  }
  scope.edges.forEach((e, i) => {
    const lbl: Record<string, unknown> = {};
    if (e.label) Object.assign(lbl, { width: labelWidth(e.label), height: 16, labelpos: 'c' });
    g.setEdge(e.from, e.to, lbl, `e${i}`);
  });
  dagre.layout(g);

  const out: Layout = { width: 0, height: 0, nodes: [], groups: [], edges: [] };
  const gl = g.graph();
  out.width = gl.width ?? 0;
  out.height = gl.height ?? 0;
  for (const n of scope.nodes) {
    const p = g.node(n.id);
    const x = p.x - p.width / 2;
    const y = p.y - p.height / 2;
    out.nodes.push({ node: n, x, y, w: p.width, h: p.height });
    const subs = inner.get(n.id);
    if (!subs) continue;
    // Branches side by side, centred in the container.
    const total = subs.reduce((s, l) => s + l.width + 2 * groupPad, 0) + groupPad * (subs.length - 1);
    let gx = x + (p.width - total) / 2;
    const gy = y + containerHeader;
    subs.forEach((sub, i) => {
      const gw = sub.width + 2 * groupPad;
      const gh = p.height - containerHeader - groupPad;
      out.groups.push({ id: n.scopes![i].id, label: n.scopes![i].label, x: gx, y: gy, w: gw, h: gh });
      const ox = gx + groupPad;
      const oy = gy + groupHeader + (gh - groupHeader - sub.height) / 2;
      for (const sn of sub.nodes) out.nodes.push({ ...sn, x: sn.x + ox, y: sn.y + oy });
      for (const sg of sub.groups) out.groups.push({ ...sg, x: sg.x + ox, y: sg.y + oy });
      for (const se of sub.edges) {
        out.edges.push({
          ...se,
          points: se.points.map((q) => ({ x: q.x + ox, y: q.y + oy })),
          labelAt: se.labelAt && { x: se.labelAt.x + ox, y: se.labelAt.y + oy },
        });
      }
      gx += gw + groupPad;
    });
  }
  scope.edges.forEach((e, i) => {
    const d = g.edge(e.from, e.to, `e${i}`) as { points?: Point[]; x?: number; y?: number };
    out.edges.push({
      from: e.from, to: e.to, kind: e.kind, label: e.label,
      points: d.points ?? [],
      labelAt: e.label && d.x !== undefined && d.y !== undefined ? { x: d.x, y: d.y } : undefined,
    });
  });
  return out;
}
