import { s } from './dom.js';
import { ms } from './format.js';
import type { AttemptDetailJson } from './types.js';

/** One lane of the timeline: a bar from `start` for `duration` ms (a mark when duration is 0). */
export interface Lane {
  label: string;
  kind: 'phase' | 'call' | 'event';
  /** `ok`, `failed` or `neutral`: the bar's colour. */
  tone: 'ok' | 'failed' | 'neutral';
  start: number;
  duration: number;
  title: string;
}

/** The lanes of an attempt: phases, then calls, then events, each at its offset from the start. */
export function lanesOf(d: AttemptDetailJson): Lane[] {
  return [
    ...d.phases.map(
      (p): Lane => ({
        label: p.phase,
        kind: 'phase',
        tone: 'neutral',
        start: p.offset_ms,
        duration: p.duration_ms,
        title: `${p.phase}: ${ms(p.duration_ms)} at +${ms(p.offset_ms)}`,
      }),
    ),
    ...d.calls.map(
      (c): Lane => ({
        label: `call ${c.call_index} ${c.model}`,
        kind: 'call',
        tone: c.status === 'success' ? 'ok' : 'failed',
        start: c.offset_ms,
        duration: c.duration_ms ?? 0,
        title: `${c.provider}/${c.model} ${c.status}${c.retry_reason ? ` (retry: ${c.retry_reason})` : ''}: ${ms(c.duration_ms)}`,
      }),
    ),
    ...d.events.map(
      (e): Lane => ({
        label: e.event_type.replace('create_trip_', ''),
        kind: 'event',
        tone:
          e.event_type === 'create_trip_failed'
            ? 'failed'
            : e.event_type === 'create_trip_succeeded'
              ? 'ok'
              : 'neutral',
        start: e.offset_ms,
        duration: 0,
        title: `${e.event_type} at +${ms(e.offset_ms)}`,
      }),
    ),
  ];
}

const WIDTH = 1000;
const LABEL = 170;
const ROW = 18;

/**
 * The attempt's lanes on one time axis (ms from the attempt's start; a queue wait before the
 * start reads as negative). Inline SVG, no styles inline (the CSP forbids them).
 */
export function timelineChart(d: AttemptDetailJson): SVGElement {
  const lanes = lanesOf(d);
  const lo = Math.min(0, ...lanes.map((l) => l.start));
  const hi = Math.max(1, d.attempt.duration_ms ?? 0, ...lanes.map((l) => l.start + l.duration));
  const x = (t: number) => LABEL + ((t - lo) / (hi - lo)) * (WIDTH - LABEL - 10);
  const height = lanes.length * ROW + 24;
  const rows = lanes.flatMap((lane, i) => {
    const y = i * ROW + 4;
    const label = s('text', { x: 0, y: y + 12, class: 'axis' }, lane.label.slice(0, 24));
    const shape =
      lane.duration > 0
        ? s(
            'rect',
            {
              x: x(lane.start),
              y,
              width: Math.max(2, x(lane.start + lane.duration) - x(lane.start)),
              height: ROW - 6,
              class: `span span-${lane.kind} tone-${lane.tone}`,
            },
            s('title', {}, lane.title),
          )
        : s(
            'circle',
            { cx: x(lane.start), cy: y + (ROW - 6) / 2, r: 5, class: `mark tone-${lane.tone}` },
            s('title', {}, lane.title),
          );
    return [label, shape];
  });
  const axisY = lanes.length * ROW + 18;
  return s(
    'svg',
    {
      class: 'chart timeline',
      viewBox: `0 0 ${WIDTH} ${height}`,
      role: 'img',
      'aria-label': 'attempt timeline',
      'data-lanes': lanes.length,
    },
    s('line', { x1: x(0), x2: x(0), y1: 0, y2: axisY - 10, class: 'grid' }),
    ...rows,
    s('text', { x: x(0), y: axisY, class: 'axis' }, 'start'),
    s('text', { x: WIDTH - 60, y: axisY, class: 'axis' }, `+${ms(hi)}`),
  );
}
