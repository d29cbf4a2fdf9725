import { chart } from './charts.js';
import { breakable, h } from './dom.js';
import { count, type Figure, figure, ms, num, pct, timeLabel } from './format.js';
import type {
  AlertsJson,
  FailuresJson,
  FunnelJson,
  ModelsJson,
  RetriesJson,
  SummaryJson,
  TimeseriesJson,
  VersionsJson,
} from './types.js';

/** A titled panel; `data-panel` names it for tests and styles. */
export function panel(id: string, title: string, ...body: (Node | string | null)[]): HTMLElement {
  return h(
    'section',
    { class: `panel panel-${id}`, 'data-panel': id, 'data-state': 'ready' },
    h('h2', {}, title),
    ...body,
  );
}

/** One headline number: its id (`data-kpi`), label and figure. */
export interface Kpi {
  id: string;
  label: string;
  figure: Figure;
}

/**
 * The headline numbers of a summary and its retries, as data (the panel renders them). A figure
 * the answer lists in `unavailable` reads `—` with the reason as its tooltip.
 */
export function summaryKpis(s: SummaryJson, r: RetriesJson): Kpi[] {
  const sessions = s.sessions;
  const known = (id: string, label: string, text: string, hint: string): Kpi => ({
    id,
    label,
    figure: figure(text, hint, undefined),
  });
  return [
    known('attempts', 'Attempts', count(s.attempts), 'attempts started in the range (pending included)'),
    known('success-rate', 'Success rate', pct(s.successRate), 'succeeded / finished attempts'),
    known('failure-rate', 'Failure rate', pct(s.failureRate), 'failed / finished attempts'),
    known('p50', 'p50 duration', ms(s.durationMs.p50), 'median end-to-end duration'),
    known('p95', 'p95 duration', ms(s.durationMs.p95), '95th percentile duration'),
    known('p99', 'p99 duration', ms(s.durationMs.p99), '99th percentile duration'),
    {
      id: 'per-session',
      label: 'Attempts / anon session',
      figure: figure(
        num(sessions.attemptsPerAnonSession),
        'attempts per anonymous browser session',
        s.unavailable['sessions.attemptsPerAnonSession'],
      ),
    },
    known('signed-in', 'Signed-in share', pct(s.signedInShare), 'share of attempts by signed-in users'),
    {
      id: 'linked',
      label: 'Sessions later linked',
      figure: figure(
        pct(sessions.linkedShare),
        'share of anonymous sessions linked to a user at login',
        s.unavailable['sessions.linkedShare'],
      ),
    },
    {
      id: 'retry-success',
      label: 'Retry success',
      figure: figure(
        pct(r.retrySuccessRate),
        `retries within ${r.windowMinutes} min after a failure that succeeded`,
        r.unavailable.retrySuccessRate,
      ),
    },
  ];
}

/** One headline number; a figure that cannot be known reads `—`, its reason in the tooltip. */
export function kpi({ id, label, figure: f }: Kpi): HTMLElement {
  return h(
    'div',
    {
      class: f.unknown ? 'kpi kpi-unknown' : 'kpi',
      title: f.hint,
      'data-kpi': id,
      'data-unavailable': f.unknown,
    },
    h('div', { class: 'kpi-value' }, f.text),
    h('div', { class: 'kpi-label' }, label),
  );
}

/** The headline numbers. */
export function kpisPanel(s: SummaryJson, r: RetriesJson): HTMLElement {
  return panel(
    'kpis',
    'Summary',
    h('div', { class: 'kpis' }, ...summaryKpis(s, r).map(kpi)),
    s.exact ? null : h('p', { class: 'note' }, 'Percentiles read from hourly rollups (within ±5 %).'),
  );
}

/**
 * One step of a funnel: its label, a bar as long as its share of the `top` step, its count (one
 * that cannot be known reads `—`, the reason in the tooltip) and a note (conversion or loss).
 */
export function funnelStep(
  step: { name: string; count: number | null },
  label: string,
  top: number,
  shown: Figure,
  note: string,
): HTMLElement {
  return h(
    'div',
    { class: 'funnel-step', 'data-step': step.name },
    h('div', { class: 'funnel-label' }, label),
    h(
      'div',
      { class: 'funnel-track' },
      h('div', { class: `funnel-bar w${Math.round(((step.count ?? 0) / top) * 20) * 5}` }),
    ),
    h(
      'div',
      { class: 'funnel-count', title: shown.unknown && shown.hint, 'data-unavailable': shown.unknown },
      shown.text,
    ),
    h('div', { class: 'funnel-conv' }, note),
  );
}

/** CTA → attempted → succeeded. */
export function funnelPanel(f: FunnelJson): HTMLElement {
  const seconds = (value: number | null) => ms(value === null ? null : value * 1000);
  const overall = figure(pct(f.overallConversion), 'overall conversion', f.unavailable.overallConversion);
  const convert = figure(
    `p50 ${seconds(f.timeToConvertSeconds.p50)}, p95 ${seconds(f.timeToConvertSeconds.p95)}`,
    'time to convert',
    f.unavailable.timeToConvertSeconds,
  );
  const unknown = [overall, convert].filter((x) => x.unknown !== undefined).map((x) => x.hint);
  const names: Record<string, string> = {
    cta_click: 'CTA clicks',
    attempted: 'Attempted',
    succeeded: 'Succeeded',
  };
  const top = Math.max(1, ...f.steps.map((step) => step.count ?? 0));
  const rows = f.steps.map((step) =>
    funnelStep(
      step,
      names[step.name] ?? step.name,
      top,
      // `n/a` without client events.
      figure(
        step.count === null ? 'n/a' : count(step.count),
        `${step.name} count`,
        f.unavailable[`steps.${step.name}`],
      ),
      step.conversion === null ? '' : `${pct(step.conversion)} of previous`,
    ),
  );
  return panel(
    'funnel',
    'Funnel',
    ...rows,
    h(
      'p',
      { class: 'note', title: unknown.length > 0 ? unknown.join('; ') : undefined },
      f.clientEventsAvailable
        ? `Overall ${overall.text} · time to convert ${convert.text} · window ${f.windowMinutes} min`
        : 'CTA clicks need client events (tripmeter/client mirror); the funnel starts at attempts.',
    ),
  );
}

/** Attempts, success rate and p95 over time. */
export function timeseriesPanel(t: TimeseriesJson): HTMLElement {
  const hourly = t.bucket === 'hour';
  const label = (iso: string) => timeLabel(iso, hourly);
  return panel(
    'timeseries',
    `Over time (per ${t.bucket}, UTC)`,
    h(
      'div',
      { class: 'charts' },
      h(
        'figure',
        {},
        h('h3', {}, 'Attempts'),
        chart(
          t.points.map((p) => ({ label: label(p.t), value: p.attempts })),
          { kind: 'bars', format: (v) => count(v), title: 'attempts' },
        ),
      ),
      h(
        'figure',
        {},
        h('h3', {}, 'Success rate'),
        chart(
          t.points.map((p) => ({ label: label(p.t), value: p.successRate })),
          { kind: 'line', format: (v) => pct(v, 0), max: 1, title: 'success rate' },
        ),
      ),
      h(
        'figure',
        {},
        h('h3', {}, 'p95 duration'),
        chart(
          t.points.map((p) => ({ label: label(p.t), value: p.p95Ms })),
          { kind: 'line', format: (v) => ms(v), title: 'p95 duration' },
        ),
      ),
    ),
  );
}

/** A table in a wrapper that scrolls sideways (visibly) when it cannot fit its panel. */
export function table(head: string[], rows: (string | Node)[][], empty: string): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, ...head.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))),
    ),
  );
}

const ARROWS = { up: '▲ up', down: '▼ down', flat: '= flat', new: '● new' };

/** A cell that opens the attempts behind a row (when the dashboard passes a handler). */
function drill(text: string, label: string, open: (() => void) | undefined): Node {
  if (!open) return breakable(text);
  return h(
    'button',
    { type: 'button', class: 'link', title: `Attempts: ${label}`, onclick: open },
    breakable(text),
  );
}

/** Failures by error code with their trend; a code opens its attempts. */
export function failuresPanel(
  f: FailuresJson,
  open?: (row: FailuresJson['rows'][number]) => void,
): HTMLElement {
  return panel(
    'failures',
    `Failures (${count(f.failed)})`,
    table(
      ['Error code', 'Kind', 'Count', 'Share', 'Rate', 'Trend'],
      f.rows.map((r) => [
        drill(r.errorCode || '(none)', r.errorCode || 'no code', open && (() => open(r))),
        r.failureKind || '–',
        count(r.count),
        pct(r.shareOfFailures),
        pct(r.rate, 2),
        h(
          'span',
          { class: `trend trend-${r.trend}`, title: `previous window: ${r.previousCount}` },
          ARROWS[r.trend],
        ),
      ]),
      'No failures in this range.',
    ),
  );
}

/** Per provider/model; a model opens its attempts. */
export function modelsPanel(m: ModelsJson, open?: (row: ModelsJson['rows'][number]) => void): HTMLElement {
  return panel(
    'models',
    'Models',
    table(
      ['Provider', 'Model', 'Attempts', 'Success', 'p50', 'p95'],
      m.rows.map((r) => [
        r.provider || '(unknown)',
        h(
          'span',
          {},
          drill(r.model || '(unknown)', `${r.provider}/${r.model}`, open && (() => open(r))),
          r.lowVolume
            ? h('span', { class: 'badge', title: `fewer than ${m.minVolume} attempts` }, 'low volume')
            : null,
        ),
        count(r.attempts),
        pct(r.successRate),
        ms(r.p50Ms),
        ms(r.p95Ms),
      ]),
      'No attempts in this range.',
    ),
  );
}

/** Prompt contract versions side by side. */
export function versionsPanel(v: VersionsJson): HTMLElement {
  return panel(
    'versions',
    'Prompt contract versions',
    table(
      ['Version', 'Attempts', 'Success', 'p50', 'p95', 'p99'],
      v.rows.map((r) => [
        r.promptContractVersion,
        count(r.attempts),
        pct(r.successRate),
        ms(r.p50Ms),
        ms(r.p95Ms),
        ms(r.p99Ms),
      ]),
      'No attempts in this range.',
    ),
  );
}

/** Alert incidents, or why there are none. */
export function alertsPanel(a: AlertsJson | 'unavailable'): HTMLElement {
  if (a === 'unavailable')
    return panel('alerts', 'Alerts', h('p', { class: 'empty' }, 'Alerting is not enabled on this server.'));
  return panel(
    'alerts',
    `Alerts (${a.incidents.filter((i) => i.state === 'firing').length} firing)`,
    table(
      ['State', 'Rule', 'Scope', 'Opened (UTC)', 'Peak'],
      a.incidents
        .slice(0, 20)
        .map((i) => [
          h('span', { class: `state state-${i.state}` }, i.state),
          i.rule,
          i.scope,
          i.openedAt.replace('T', ' ').slice(0, 16),
          i.peakRate === null ? '–' : num(i.peakRate, 3),
        ]),
      'No incidents.',
    ),
  );
}
