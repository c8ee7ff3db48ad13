// The design canvas: the graph of the draft, laid out by graph/layout.ts,
// with a drop target on every edge and slot. Drags themselves are run by
// Studio with pointer events (they work for mouse, pen and touch, and for
// SVG targets, which HTML5 drag and drop handles poorly); the canvas only
// marks where a drop would land.

import { memo } from 'preact/compat';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { layoutScope, type PlacedEdge, type PlacedNode, type Point } from '../graph/layout';
import { edgeKey, SLOT, type StudioGraph } from './graph';
import type { EdgeRef } from './model';

interface Props {
  graph: StudioGraph;
  selected: string | null;
  /** States with a diagnostic. */
  errors: Set<string>;
  /** A drag is under way: show the drop targets. */
  dragging: boolean;
  /** The drop target under the pointer (its data-key). */
  over: string | null;
  onSelect: (name: string | null) => void;
  /** A pointer went down on a state: Studio decides whether it becomes a move. */
  onNodePointerDown: (name: string, e: PointerEvent) => void;
}

/** The attributes a drop target carries; refFromElement reads them back. */
export function refAttrs(ref: EdgeRef) {
  return {
    'data-drop': '',
    'data-scope': ref.scope,
    'data-via': ref.via,
    'data-from': ref.from ?? '',
    'data-index': ref.index === undefined ? '' : String(ref.index),
    'data-to': ref.to ?? '',
  };
}

export function refFromElement(el: Element): EdgeRef {
  const a = (k: string) => el.getAttribute(k) ?? '';
  return {
    scope: a('data-scope'),
    via: a('data-via') as EdgeRef['via'],
    from: a('data-from') || undefined,
    index: a('data-index') === '' ? undefined : Number(a('data-index')),
    to: a('data-to') || null,
  };
}

export const dropKey = (ref: EdgeRef) => [ref.scope, ref.via, ref.from ?? '', ref.index ?? '', ref.to ?? ''].join('\u0001');

interface View { x: number; y: number; k: number }

/**
 * The canvas, memoised: a render of Studio that leaves its props as they
 * were (a keystroke in a form) does not walk the graph's nodes again.
 */
export const Canvas = memo(CanvasView);

function CanvasView({ graph, selected, errors, dragging, over, onSelect, onNodePointerDown }: Props) {
  const layout = useMemo(() => layoutScope(graph.scope), [graph]);
  const box = useRef<HTMLDivElement>(null);
  const [view, setView] = useState<View>({ x: 0, y: 0, k: 1 });
  const pan = useRef<{ x: number; y: number; vx: number; vy: number } | null>(null);

  const fit = () => {
    const el = box.current;
    if (!el) return;
    const w = el.clientWidth || 800;
    const h = el.clientHeight || 500;
    const k = Math.min(1.1, (w - 40) / Math.max(layout.width, 1), (h - 40) / Math.max(layout.height, 1));
    setView({ k, x: (w - layout.width * k) / 2, y: Math.max(10, (h - layout.height * k) / 2) });
  };
  useEffect(fit, [layout]);

  const zoom = (f: number) => {
    const el = box.current!;
    const px = el.clientWidth / 2;
    const py = el.clientHeight / 2;
    setView((v) => {
      const k = Math.max(0.15, Math.min(3, v.k * f));
      return { k, x: px - ((px - v.x) * k) / v.k, y: py - ((py - v.y) * k) / v.k };
    });
  };

  // Edge refs in the layout's order: placed edges carry no ref, so they are
  // matched back by their endpoints, kind and label.
  const targets = useMemo(() => {
    const queues = new Map<string, EdgeRef[]>();
    for (const [k, v] of graph.refs) queues.set(k, v.slice());
    return layout.edges.map((e) => queues.get(edgeKey(e))?.shift());
  }, [layout, graph]);

  return (
    <div class="graph studio-graph">
      <div class="graph-tools" role="toolbar" aria-label="Canvas view">
        <button type="button" onClick={fit} title="Fit">Fit</button>
        <button type="button" onClick={() => zoom(1.2)} aria-label="Zoom in">+</button>
        <button type="button" onClick={() => zoom(1 / 1.2)} aria-label="Zoom out">−</button>
      </div>
      <div
        class={`graph-canvas${dragging ? ' dragging' : ''}`}
        ref={box}
        data-testid="canvas"
        onWheel={(e) => {
          e.preventDefault();
          zoom(e.deltaY < 0 ? 1.1 : 1 / 1.1);
        }}
        onPointerDown={(e) => {
          if ((e.target as Element).closest('.node, [data-drop]')) return;
          onSelect(null);
          pan.current = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y };
          (e.currentTarget as Element).setPointerCapture(e.pointerId);
        }}
        onPointerMove={(e) => {
          const p = pan.current;
          if (p) setView((v) => ({ ...v, x: p.vx + e.clientX - p.x, y: p.vy + e.clientY - p.y }));
        }}
        onPointerUp={() => { pan.current = null; }}
      >
        <svg width="100%" height="100%" data-testid="graph">
          <defs>
            {(['next', 'choice', 'default', 'catch'] as const).map((k) => (
              <marker id={`studio-arrow-${k}`} key={k} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                <path d="M 0 0 L 10 5 L 0 10 z" class={`arrowhead ${k}`} />
              </marker>
            ))}
          </defs>
          <g class="viewport" transform={`translate(${view.x} ${view.y}) scale(${view.k})`}>
            {layout.nodes.filter((n) => n.node.scopes).map((n) => (
              <StateNode key={n.node.id} p={n} selected={selected === n.node.name} error={errors.has(n.node.name)} onSelect={onSelect} onDown={onNodePointerDown} />
            ))}
            {layout.groups.map((g) => (
              <g class="group" key={g.id} data-group={g.id}>
                <rect x={g.x} y={g.y} width={g.w} height={g.h} rx={6} />
                <text x={g.x + 8} y={g.y + 15}>{g.label}</text>
              </g>
            ))}
            {layout.edges.map((e, i) => <Edge key={i} e={e} target={targets[i]} over={over} dragging={dragging} />)}
            {layout.nodes.filter((n) => !n.node.scopes).map((n) =>
              n.node.id.startsWith(SLOT)
                ? <Slot key={n.node.id} p={n} target={graph.slots.get(n.node.id)!} over={over} />
                : <StateNode key={n.node.id} p={n} selected={selected === n.node.name} error={errors.has(n.node.name)} onSelect={onSelect} onDown={onNodePointerDown} />)}
          </g>
        </svg>
      </div>
    </div>
  );
}

function pathOf(points: Point[]): string {
  if (points.length === 0) return '';
  let d = `M ${points[0].x} ${points[0].y}`;
  for (let i = 1; i < points.length; i++) d += ` L ${points[i].x} ${points[i].y}`;
  return d;
}

/** The point halfway along a polyline. */
function midpoint(points: Point[]): Point {
  if (points.length === 0) return { x: 0, y: 0 };
  const segs: number[] = [];
  let total = 0;
  for (let i = 1; i < points.length; i++) {
    const l = Math.hypot(points[i].x - points[i - 1].x, points[i].y - points[i - 1].y);
    segs.push(l);
    total += l;
  }
  let left = total / 2;
  for (let i = 1; i < points.length; i++) {
    if (left <= segs[i - 1]) {
      const t = segs[i - 1] ? left / segs[i - 1] : 0;
      return { x: points[i - 1].x + (points[i].x - points[i - 1].x) * t, y: points[i - 1].y + (points[i].y - points[i - 1].y) * t };
    }
    left -= segs[i - 1];
  }
  return points[points.length - 1];
}

function Edge({ e, target, over, dragging }: { e: PlacedEdge; target?: EdgeRef; over: string | null; dragging: boolean }) {
  const d = pathOf(e.points);
  const label = e.label && e.label.length > 28 ? e.label.slice(0, 27) + '…' : e.label;
  // A drop on the edge's label end (the + circle) inserts there; the circle
  // sits a little after the midpoint so it does not hide a rule's label.
  const m = midpoint(e.points);
  const key = target ? dropKey(target) : '';
  return (
    <g class={`edge ${e.kind}`} data-from={e.from} data-to={e.to} data-kind={e.kind}>
      <path d={d} marker-end={`url(#studio-arrow-${e.kind})`} />
      {label && e.labelAt && (
        <g class="edge-label">
          <rect x={e.labelAt.x - label.length * 3.1 - 4} y={e.labelAt.y - 8} width={label.length * 6.2 + 8} height={16} rx={3} />
          <text x={e.labelAt.x} y={e.labelAt.y + 4} text-anchor="middle">{label}</text>
        </g>
      )}
      {target && (
        <g class={`drop-edge${over === key ? ' over' : ''}${dragging ? ' active' : ''}`} {...refAttrs(target)} data-key={key}>
          <title>Drop here to insert a state</title>
          <path class="hit" d={d} />
          <circle cx={m.x} cy={label && e.labelAt ? m.y + 12 : m.y} r={9} />
          <text x={m.x} y={(label && e.labelAt ? m.y + 12 : m.y) + 4} text-anchor="middle">+</text>
        </g>
      )}
    </g>
  );
}

function Slot({ p, target, over }: { p: PlacedNode; target: EdgeRef; over: string | null }) {
  const key = dropKey(target);
  return (
    <g class={`slot${over === key ? ' over' : ''}`} {...refAttrs(target)} data-key={key} data-slot={p.node.name}>
      <rect x={p.x} y={p.y} width={p.w} height={p.h} rx={6} />
      <text x={p.x + p.w / 2} y={p.y + p.h / 2 + 4} text-anchor="middle">{p.node.name}</text>
    </g>
  );
}

interface NodeProps {
  p: PlacedNode;
  selected: boolean;
  error: boolean;
  onSelect: (name: string | null) => void;
  onDown: (name: string, e: PointerEvent) => void;
}

function StateNode({ p, selected, error, onSelect, onDown }: NodeProps) {
  const n = p.node;
  if (n.kind === 'start' || n.kind === 'end') {
    const r = p.w / 2;
    return (
      <g class={`marker ${n.kind}`} data-marker={n.kind}>
        <circle cx={p.x + r} cy={p.y + r} r={r} />
        {n.kind === 'end' && <circle class="inner" cx={p.x + r} cy={p.y + r} r={r - 5} />}
      </g>
    );
  }
  const container = !!n.scopes;
  return (
    <g
      class={`node ${container ? 'container ' : ''}${n.kind}${selected ? ' selected' : ''}${error ? ' has-error' : ''}`}
      data-state={n.name}
      data-type={n.kind}
      tabIndex={0}
      role="button"
      aria-label={`${n.name} (${n.kind})${error ? ', has a problem' : ''}`}
      aria-pressed={selected}
      onPointerDown={(e) => { e.stopPropagation(); onDown(n.name, e); }}
      onClick={(e) => { e.stopPropagation(); onSelect(n.name); }}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onSelect(n.name); }
      }}
    >
      <title>{`${n.name} (${n.kind})`}</title>
      <rect x={p.x} y={p.y} width={p.w} height={p.h} rx={container ? 8 : n.kind === 'Choice' ? 16 : 6} />
      {container ? (
        <>
          <text class="name" x={p.x + 10} y={p.y + 20}>{n.name}</text>
          <text class="detail" x={p.x + p.w - 10} y={p.y + 20} text-anchor="end">{n.kind}</text>
        </>
      ) : (
        <>
          <text class="name" x={p.x + p.w / 2} y={p.y + 18} text-anchor="middle">{n.name}</text>
          <text class="detail" x={p.x + p.w / 2} y={p.y + 34} text-anchor="middle">
            {n.detail ? (n.detail.length > 34 ? n.detail.slice(0, 33) + '…' : n.detail) : n.kind}
          </text>
        </>
      )}
    </g>
  );
}
