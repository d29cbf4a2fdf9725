import { usd } from './attempts-view.js';
import { h, s } from './dom.js';
import { count, figure, ms, pct } from './format.js';
import { funnelStep, kpi, panel, table } from './panels.js';
import type { CostJson, PhasesJson, QueueJson, StuckJson } from './types.js';

/** A headline number of these panels (see {@link kpi}). */
const headline = (id: string, label: string, text: string, hint: string, reason?: string) =>
  kpi({ id, label, figure: figure(text, hint, reason) });

const tokens = (t: { input: number; output: number } | null) =>
  t === null ? '–' : `${count(t.input)} / ${count(t.output)}`;

/**
 * What the range cost: total, per successful trip (mean, p50, p95), by model; models without a
 * price are named in a warning and badged in the table (their cost is unknown, never $0).
 */
export function costPanel(c: CostJson, stuck: StuckJson): HTMLElement {
  const per = c.perSuccessfulTrip;
  const u = c.unavailable;
  const unpriced = c.unpricedModels;
  return panel(
    'cost',
    'Cost',
    h(
      'div',
      { class: 'kpis' },
      headline(
        'cost-total',
        'Total cost',
        usd(c.totalCostUsd),
        'sum over priced provider calls',
        u.totalCostUsd,
      ),
      headline(
        'cost-mean',
        'Per successful trip',
        usd(per.meanUsd),
        'mean over successes with every call priced',
        u['perSuccessfulTrip.meanUsd'],
      ),
      headline(
        'cost-p50',
        'p50 per trip',
        usd(per.p50Usd),
        'median cost per successful trip (±5 %)',
        u['perSuccessfulTrip.p50Usd'],
      ),
      headline(
        'cost-p95',
        'p95 per trip',
        usd(per.p95Usd),
        '95th percentile cost per successful trip (±5 %)',
        u['perSuccessfulTrip.p95Usd'],
      ),
      headline(
        'unpriced-calls',
        'Unpriced calls',
        count(c.unpricedCalls),
        'calls of a model without a price',
      ),
      headline(
        'stuck',
        'Stuck now',
        count(stuck.stuck),
        `attempts pending longer than ${ms(stuck.thresholdMs)} (2 × the generation timeout); the SLO says 0`,
      ),
    ),
    unpriced.length > 0
      ? h(
          'p',
          { class: 'warning', role: 'status', 'data-unpriced': unpriced.length },
          `No price for ${unpriced.map((m) => `${m.provider}/${m.model} (${count(m.calls)} calls)`).join(', ')}: their cost is unknown and left out, not counted as $0. Add one with tripmeter prices set.`,
        )
      : null,
    table(
      ['Model', 'Calls', 'Cost', 'Tokens in / out'],
      c.byModel.map((r) => [
        h(
          'span',
          {},
          `${r.provider}/${r.model}`,
          r.unpricedCalls > 0
            ? h(
                'span',
                { class: 'badge badge-unpriced', title: `${r.unpricedCalls} unpriced calls` },
                'unpriced',
              )
            : null,
        ),
        count(r.calls),
        usd(r.costUsd),
        tokens(r.tokens),
      ]),
      'No provider calls in this range.',
    ),
  );
}

const WATERFALL_W = 640;
const LABEL_W = 110;

/**
 * The phases one after another at their p50 (a waterfall of the typical attempt), the p95 as a
 * lighter extension, and each phase's share of the end-to-end time.
 */
export function phasesPanel(p: PhasesJson): HTMLElement {
  if (p.phases.length === 0)
    return panel(
      'phases',
      'Where the time goes',
      h('p', { class: 'empty' }, 'No phases reported in this range.'),
    );
  const total = Math.max(
    1,
    p.phases.reduce((n, r) => n + (r.p50Ms ?? 0), 0),
    ...p.phases.map((r) => r.p95Ms ?? 0),
  );
  const x = (t: number) => LABEL_W + (t / total) * (WATERFALL_W - LABEL_W - 10);
  let start = 0;
  const rows = p.phases.flatMap((r, i) => {
    const y = i * 22 + 4;
    const p50 = r.p50Ms ?? 0;
    const p95 = Math.max(p50, r.p95Ms ?? 0);
    const shapes = [
      s('text', { x: 0, y: y + 13, class: 'axis' }, r.phase),
      s('rect', {
        x: x(start),
        y,
        width: Math.max(1, x(start + p95) - x(start)),
        height: 16,
        class: 'waterfall-p95',
      }),
      s(
        'rect',
        { x: x(start), y, width: Math.max(1, x(start + p50) - x(start)), height: 16, class: 'waterfall-p50' },
        s(
          'title',
          {},
          `${r.phase}: p50 ${ms(r.p50Ms)}, p95 ${ms(r.p95Ms)}, ${pct(r.shareOfEndToEnd)} of end-to-end`,
        ),
      ),
    ];
    start += p50;
    return shapes;
  });
  return panel(
    'phases',
    'Where the time goes',
    s(
      'svg',
      {
        class: 'chart waterfall',
        viewBox: `0 0 ${WATERFALL_W} ${p.phases.length * 22 + 8}`,
        role: 'img',
        'aria-label': 'phase waterfall',
      },
      ...rows,
    ),
    table(
      ['Phase', 'p50', 'p95', 'Share'],
      p.phases.map((r) => [r.phase, ms(r.p50Ms), ms(r.p95Ms), pct(r.shareOfEndToEnd)]),
      'No phases reported in this range.',
    ),
    h(
      'p',
      { class: 'note' },
      `End to end: p50 ${ms(p.endToEndMs.p50)}, p95 ${ms(p.endToEndMs.p95)}. Phases may overlap.`,
    ),
  );
}

const STEP_NAMES: Record<string, string> = {
  queued: 'Queued',
  claimed: 'Claimed',
  answered: 'Provider answered',
  stored: 'Trip stored',
};

/** Queued → claimed → provider answered → trip stored, with the share lost at each step. */
export function queuePanel(q: QueueJson): HTMLElement {
  const top = Math.max(1, ...q.steps.map((step) => step.count ?? 0));
  return panel(
    'queue',
    'Queue funnel',
    ...q.steps.map((step) => {
      const shown = figure(
        step.count === null ? '–' : count(step.count),
        `${step.name}`,
        q.unavailable[`steps.${step.name}`],
      );
      return funnelStep(
        step,
        STEP_NAMES[step.name] ?? step.name,
        top,
        shown,
        step.lost === null || (step.lost === 0 && step.name === 'queued')
          ? ''
          : `lost ${count(step.lost)} (${pct(step.shareLost)})`,
      );
    }),
    q.pending > 0 ? h('p', { class: 'note' }, `${count(q.pending)} still pending.`) : null,
  );
}
