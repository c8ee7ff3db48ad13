import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Scope } from './model';
import { layoutScope, type PlacedEdge, type PlacedNode, type Point } from './layout';
import type { StateStatus } from '../status';

interface Props {
  scope: Scope;
  /** Status per state name; absent states are not reached. */
  status?: Map<string, StateStatus>;
  selected?: string;
  onSelect?: (name: string) => void;
  /** The file name of exports, without extension. */
  name?: string;
}

interface View { x: number; y: number; k: number }

/** The graph of a state machine: SVG with fit, zoom and pan. */
export function Graph({ scope, status, selected, onSelect, name = 'state-machine' }: Props) {
  const layout = useMemo(() => layoutScope(scope), [scope]);
  const box = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const [view, setView] = useState<View>({ x: 0, y: 0, k: 1 });
  const drag = useRef<{ x: number; y: number; vx: number; vy: number } | null>(null);

  const fit = () => {
    const el = box.current;
    if (!el) return;
    const w = el.clientWidth || 800;
    const h = el.clientHeight || 500;
    const k = Math.min(1.2, (w - 20) / layout.width, (h - 20) / layout.height);
    setView({ k, x: (w - layout.width * k) / 2, y: (h - layout.height * k) / 2 });
  };
  useEffect(fit, [layout]);

  const zoom = (f: number, cx?: number, cy?: number) => {
    const el = box.current!;
    const px = cx ?? el.clientWidth / 2;
    const py = cy ?? el.clientHeight / 2;
    setView((v) => {
      const k = Math.max(0.1, Math.min(4, v.k * f));
      return { k, x: px - ((px - v.x) * k) / v.k, y: py - ((py - v.y) * k) / v.k };
    });
  };

  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    const r = box.current!.getBoundingClientRect();
    zoom(e.deltaY < 0 ? 1.1 : 1 / 1.1, e.clientX - r.left, e.clientY - r.top);
  };
  const onDown = (e: PointerEvent) => {
    if ((e.target as Element).closest('.node')) return;
    drag.current = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y };
    (e.currentTarget as Element).setPointerCapture(e.pointerId);
  };
  const onMove = (e: PointerEvent) => {
    const d = drag.current;
    if (d) setView((v) => ({ ...v, x: d.vx + e.clientX - d.x, y: d.vy + e.clientY - d.y }));
  };
  const onUp = () => { drag.current = null; };
  const onKey = (e: KeyboardEvent) => {
    const step = 40;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step],
    };
    if ((e.target as Element).closest('.node')) return;
    if (moves[e.key]) {
      e.preventDefault();
      const [dx, dy] = moves[e.key];
      setView((v) => ({ ...v, x: v.x + dx, y: v.y + dy }));
    } else if (e.key === '+' || e.key === '=') zoom(1.2);
    else if (e.key === '-') zoom(1 / 1.2);
    else if (e.key === '0') fit();
  };

  /** The graph as a standalone SVG document, styles inlined. */
  const svgText = (): string | null => {
    const el = svg.current;
    if (!el) return null;
    const clone = el.cloneNode(true) as SVGSVGElement;
    clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
    clone.setAttribute('viewBox', `0 0 ${layout.width} ${layout.height}`);
    clone.setAttribute('width', String(layout.width));
    clone.setAttribute('height', String(layout.height));
    clone.querySelector('g.viewport')?.removeAttribute('transform');
    const style = document.createElementNS('http://www.w3.org/2000/svg', 'style');
    style.textContent = exportedStyle();
    clone.insertBefore(style, clone.firstChild);
    return new XMLSerializer().serializeToString(clone);
  };
  const download = (blob: Blob, name: string) => {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };
  const exportSVG = () => {
    const text = svgText();
    if (text) download(new Blob([text], { type: 'image/svg+xml' }), `${name}.svg`);
  };
  const exportPNG = () => {
    const text = svgText();
    if (!text) return;
    const img = new Image();
    const scale = 2;
    img.onload = () => {
      const c = document.createElement('canvas');
      c.width = Math.ceil(layout.width * scale);
      c.height = Math.ceil(layout.height * scale);
      const ctx = c.getContext('2d')!;
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, c.width, c.height);
      ctx.drawImage(img, 0, 0, c.width, c.height);
      c.toBlob((b) => b && download(b, `${name}.png`), 'image/png');
    };
    img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(text);
  };

  return (
    <div class="graph">
      <div class="graph-tools" role="toolbar" aria-label="Graph view">
        <button type="button" onClick={fit} title="Fit (0)">Fit</button>
        <button type="button" onClick={() => zoom(1.2)} title="Zoom in (+)" aria-label="Zoom in">+</button>
        <button type="button" onClick={() => zoom(1 / 1.2)} title="Zoom out (-)" aria-label="Zoom out">−</button>
        <button type="button" onClick={exportSVG}>SVG</button>
        <button type="button" onClick={exportPNG}>PNG</button>
      </div>
      <div
        class="graph-canvas"
        ref={box}
        tabIndex={0}
        aria-label="State machine graph: arrows pan, + and - zoom, 0 fits"
        onWheel={onWheel}
        onPointerDown={onDown}
        onPointerMove={onMove}
        onPointerUp={onUp}
        onKeyDown={onKey}
      >
        <svg ref={svg} width="100%" height="100%" data-testid="graph">
          <defs>
            {(['next', 'choice', 'default', 'catch'] as const).map((k) => (
              <marker id={`arrow-${k}`} key={k} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                <path d="M 0 0 L 10 5 L 0 10 z" class={`arrowhead ${k}`} />
              </marker>
            ))}
          </defs>
          <g class="viewport" transform={`translate(${view.x} ${view.y}) scale(${view.k})`}>
            {layout.nodes.filter((n) => n.node.scopes).map((n) => (
              <Container key={n.node.id} p={n} status={status?.get(n.node.name)} selected={selected === n.node.name} onSelect={onSelect} />
            ))}
            {layout.groups.map((g) => (
              <g class="group" key={g.id} data-group={g.id}>
                <rect x={g.x} y={g.y} width={g.w} height={g.h} rx={6} />
                <text x={g.x + 8} y={g.y + 15}>{g.label}</text>
              </g>
            ))}
            {layout.edges.map((e, i) => <Edge key={i} e={e} />)}
            {layout.nodes.filter((n) => !n.node.scopes).map((n) => (
              <Node key={n.node.id} p={n} status={status?.get(n.node.name)} selected={selected === n.node.name} onSelect={onSelect} />
            ))}
          </g>
        </svg>
      </div>
    </div>
  );
}

function path(points: Point[]): string {
  if (points.length === 0) return '';
  let d = `M ${points[0].x} ${points[0].y}`;
  if (points.length === 2) return d + ` L ${points[1].x} ${points[1].y}`;
  // A smooth curve through dagre's points.
  for (let i = 1; i < points.length - 1; i++) {
    const mx = (points[i].x + points[i + 1].x) / 2;
    const my = (points[i].y + points[i + 1].y) / 2;
    d += ` Q ${points[i].x} ${points[i].y} ${i === points.length - 2 ? points[i + 1].x : mx} ${i === points.length - 2 ? points[i + 1].y : my}`;
  }
  return d;
}

function Edge({ e }: { e: PlacedEdge }) {
  const label = e.label && e.label.length > 28 ? e.label.slice(0, 27) + '…' : e.label;
  return (
    <g class={`edge ${e.kind}`} data-from={e.from} data-to={e.to} data-kind={e.kind}>
      <title>{`${e.from} → ${e.to}${e.label ? ` (${e.kind === 'catch' ? 'Catch ' : ''}${e.label})` : ''}`}</title>
      <path d={path(e.points)} marker-end={`url(#arrow-${e.kind})`} />
      {label && e.labelAt && (
        <g class="edge-label">
          <rect x={e.labelAt.x - label.length * 3.1 - 4} y={e.labelAt.y - 8} width={label.length * 6.2 + 8} height={16} rx={3} />
          <text x={e.labelAt.x} y={e.labelAt.y + 4} text-anchor="middle">{label}</text>
        </g>
      )}
    </g>
  );
}

interface NodeProps {
  p: PlacedNode;
  status?: StateStatus;
  selected: boolean;
  onSelect?: (name: string) => void;
}

function interactive(name: string, onSelect?: (name: string) => void) {
  if (!onSelect) return {};
  return {
    tabindex: 0,
    role: 'button' as const,
    onClick: (e: MouseEvent) => { e.stopPropagation(); onSelect(name); },
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onSelect(name); }
    },
  };
}

function Node({ p, status, selected, onSelect }: NodeProps) {
  const n = p.node;
  if (n.kind === 'start' || n.kind === 'end') {
    const r = p.w / 2;
    return (
      <g class={`marker ${n.kind}`} data-marker={n.kind}>
        <title>{n.kind === 'start' ? 'Start' : 'End'}</title>
        <circle cx={p.x + r} cy={p.y + r} r={r} />
        {n.kind === 'end' && <circle class="inner" cx={p.x + r} cy={p.y + r} r={r - 5} />}
      </g>
    );
  }
  const st = status ?? (onSelect ? 'notReached' : 'none');
  return (
    <g
      class={`node ${n.kind} status-${st}${selected ? ' selected' : ''}`}
      data-state={n.name}
      data-type={n.kind}
      data-status={status ?? ''}
      aria-label={`${n.name} (${n.kind}${status ? ', ' + statusLabel[status] : ''})`}
      {...interactive(n.name, onSelect)}
    >
      <title>{`${n.name} (${n.kind})${status ? ' — ' + statusLabel[status] : ''}`}</title>
      <rect x={p.x} y={p.y} width={p.w} height={p.h} rx={n.kind === 'Choice' ? 16 : 6} />
      <text class="name" x={p.x + p.w / 2} y={p.y + (n.detail ? 18 : 26)} text-anchor="middle">{n.name}</text>
      {n.detail && (
        <text class="detail" x={p.x + p.w / 2} y={p.y + 34} text-anchor="middle">
          {n.detail.length > 34 ? n.detail.slice(0, 33) + '…' : n.detail}
        </text>
      )}
    </g>
  );
}

function Container({ p, status, selected, onSelect }: NodeProps) {
  const n = p.node;
  const st = status ?? (onSelect ? 'notReached' : 'none');
  return (
    <g
      class={`node container ${n.kind} status-${st}${selected ? ' selected' : ''}`}
      data-state={n.name}
      data-type={n.kind}
      data-status={status ?? ''}
      aria-label={`${n.name} (${n.kind}${status ? ', ' + statusLabel[status] : ''})`}
      {...interactive(n.name, onSelect)}
    >
      <title>{`${n.name} (${n.kind})`}</title>
      <rect x={p.x} y={p.y} width={p.w} height={p.h} rx={8} />
      <text class="name" x={p.x + 10} y={p.y + 20}>{n.name}</text>
      <text class="detail" x={p.x + p.w - 10} y={p.y + 20} text-anchor="end">{n.kind}</text>
    </g>
  );
}

export const statusLabel: Record<StateStatus, string> = {
  notReached: 'not reached',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  caught: 'caught',
  aborted: 'aborted',
};

/** Styles inlined into an exported SVG (the page's CSS variables don't travel). */
function exportedStyle(): string {
  return `text{font:12px system-ui,sans-serif;fill:#1d2330}.node rect{fill:#fff;stroke:#8792a8}
.container>rect{fill:#f4f6fa}.group rect{fill:none;stroke:#b5bdcc;stroke-dasharray:4 3}
.edge path{fill:none;stroke:#6b768c;stroke-width:1.4}.edge.catch path{stroke:#c0392b;stroke-dasharray:5 4}
.edge.default path{stroke-dasharray:2 3}.edge-label rect{fill:#fff}.edge-label text{font-size:11px}
.marker circle{fill:#1d2330}.marker.end circle{fill:none;stroke:#1d2330;stroke-width:2}.marker.end circle.inner{fill:#1d2330}
.arrowhead{fill:#6b768c}.arrowhead.catch{fill:#c0392b}.detail{fill:#6b768c;font-size:10px}.name{font-weight:600}
.group text{fill:#6b768c;font-size:11px}.status-notReached>rect{fill:#eceef2}.status-running>rect{fill:#cfe2ff;stroke:#2f6fe0}
.status-succeeded>rect{fill:#d3f2dc;stroke:#2e9a55}.status-failed>rect{fill:#fbd3d0;stroke:#c0392b}
.status-caught>rect{fill:#ffe8b3;stroke:#c98a00}.status-aborted>rect{fill:#e4dcf5;stroke:#7b5bc4}`;
}
