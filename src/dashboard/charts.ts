import { s } from './dom.js';

/** One value of a chart; `null` leaves a gap. */
export interface ChartPoint {
  label: string;
  value: number | null;
}

/** How a chart draws. */
export interface ChartOptions {
  kind: 'bars' | 'line';
  /** Formats axis and tooltip values. */
  format: (value: number) => string;
  /** Fixed top of the y axis (e.g. 1 for a rate); else the data maximum. */
  max?: number;
  /** Accessible name of the chart. */
  title: string;
}

const W = 640;
const H = 180;
const PAD = { left: 56, right: 8, top: 10, bottom: 24 };

/**
 * An inline SVG chart (bars or a line) that scales to its container through its viewBox; each
 * point has a `<title>` tooltip. No library, no inline script or style.
 */
export function chart(points: ChartPoint[], options: ChartOptions): SVGElement {
  const svg = s('svg', {
    viewBox: `0 0 ${W} ${H}`,
    class: 'chart',
    role: 'img',
    'aria-label': options.title,
  });
  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  const max = options.max ?? Math.max(1e-9, ...values) * 1.1;
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length <= 1 ? innerW / 2 : (i / (points.length - 1)) * innerW);
  const y = (v: number) => PAD.top + innerH - (Math.min(v, max) / max) * innerH;
  for (const frac of [0, 0.5, 1]) {
    const v = max * frac;
    svg.appendChild(s('line', { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), class: 'grid' }));
    svg.appendChild(
      s('text', { x: PAD.left - 6, y: y(v) + 4, class: 'axis', 'text-anchor': 'end' }, options.format(v)),
    );
  }
  const step = Math.max(1, Math.ceil(points.length / 6));
  points.forEach((p, i) => {
    if (i % step === 0)
      svg.appendChild(s('text', { x: x(i), y: H - 6, class: 'axis', 'text-anchor': 'middle' }, p.label));
  });
  if (options.kind === 'bars') {
    const barW = Math.max(1, (innerW / Math.max(1, points.length)) * 0.8);
    points.forEach((p, i) => {
      if (p.value === null) return;
      const top = y(p.value);
      const bar = s('rect', {
        x: x(i) - barW / 2,
        y: top,
        width: barW,
        height: PAD.top + innerH - top,
        class: 'bar',
      });
      bar.appendChild(s('title', {}, `${p.label}: ${options.format(p.value)}`));
      svg.appendChild(bar);
    });
    return svg;
  }
  let d = '';
  let open = false;
  points.forEach((p, i) => {
    if (p.value === null) {
      open = false;
      return;
    }
    d += `${open ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`;
    open = true;
  });
  svg.appendChild(s('path', { d, class: 'line' }));
  points.forEach((p, i) => {
    if (p.value === null) return;
    const dot = s('circle', { cx: x(i), cy: y(p.value), r: points.length > 60 ? 1.5 : 3, class: 'dot' });
    dot.appendChild(s('title', {}, `${p.label}: ${options.format(p.value)}`));
    svg.appendChild(dot);
  });
  return svg;
}
