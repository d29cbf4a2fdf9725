import { h } from './dom.js';
import { count, ms } from './format.js';
import { panel, table } from './panels.js';
import { timelineChart } from './timeline.js';
import type { AttemptDetailJson, AttemptJson } from './types.js';

/** USD with enough digits for a single generation (`$0.0042`); `–` when unknown. */
export function usd(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return value >= 1 ? `$${value.toFixed(2)}` : `$${value.toPrecision(2)}`;
}

/** An attempt's cost, flagged when some of its calls had no price (never shown as 0). */
function costCell(a: Pick<AttemptJson, 'cost_usd' | 'unpriced_calls'>): Node {
  const unpriced = a.unpriced_calls ?? 0;
  return h(
    'span',
    {},
    usd(a.cost_usd),
    unpriced > 0
      ? h('span', { class: 'badge', title: `${unpriced} call(s) of a model without a price` }, 'unpriced')
      : null,
  );
}

const when = (iso: string) => iso.replace('T', ' ').slice(0, 19);
/** An offset from the attempt's start: `+1.5 s`, `−250 ms`. */
const at = (offset: number) => `${offset < 0 ? '−' : '+'}${ms(Math.abs(offset))}`;

/**
 * The list of attempts: one row each, newest first; the request id opens the attempt. `more`
 * loads the next page (absent on the last one).
 */
export function attemptsPanel(
  title: string,
  attempts: AttemptJson[],
  open: (requestId: string) => void,
  more: (() => void) | undefined,
): HTMLElement {
  return panel(
    'attempts',
    title,
    table(
      ['Started (UTC)', 'Status', 'Error', 'Model', 'Duration', 'Calls', 'Cost'],
      attempts.map((a) => [
        h(
          'button',
          {
            type: 'button',
            class: 'link',
            'data-request-id': a.request_id,
            onclick: () => open(a.request_id),
          },
          when(a.created_at),
        ),
        h('span', { class: `state state-${a.status}` }, a.status),
        a.error_code ?? '',
        `${a.provider ?? '?'}/${a.model ?? '?'}`,
        ms(a.duration_ms),
        count(a.calls),
        costCell(a),
      ]),
      'No attempts match.',
    ),
    more ? h('button', { type: 'button', class: 'more', onclick: more }, 'Load more') : null,
  );
}

function fact(label: string, value: string | Node): HTMLElement {
  return h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {}, value));
}

/** One attempt up close: its facts, the timeline, its calls and phases. */
export function attemptPanels(d: AttemptDetailJson): HTMLElement[] {
  const a = d.attempt;
  const facts = h(
    'dl',
    { class: 'facts' },
    fact('Request', a.request_id),
    fact('Started (UTC)', when(a.created_at)),
    fact('Status', h('span', { class: `state state-${a.status}` }, a.status)),
    fact('Error', a.error_code ? `${a.error_code} (${a.failure_kind ?? '?'})` : '–'),
    fact('Duration', ms(a.duration_ms)),
    fact('Trip', a.trip_id ?? '–'),
    fact('User', a.user_id ?? '–'),
    fact('Anon session', a.anon_session_id ?? '–'),
    fact('Model', `${a.provider ?? '?'}/${a.model ?? '?'}`),
    fact('Version', a.prompt_contract_version),
    fact('Flow / source', `${a.flow ?? '–'} / ${a.source}`),
    fact('Tokens in / out', `${count(a.input_tokens)} / ${count(a.output_tokens)}`),
    fact('Cost', costCell(a)),
  );
  return [
    panel('attempt', 'Attempt', facts),
    panel('timeline', 'Timeline (from the attempt’s start)', timelineChart(d)),
    panel(
      'attempt-calls',
      `Provider calls (${d.calls.length})`,
      table(
        ['#', 'At', 'Model', 'Status', 'Retry', 'Duration', 'TTFT', 'Tokens in/out', 'Cost'],
        d.calls.map((c) => [
          String(c.call_index),
          at(c.offset_ms),
          `${c.provider}/${c.response_model ?? c.model}`,
          c.status === 'success' ? 'success' : `failed ${c.error_code ?? ''}`,
          c.retry_reason ?? '–',
          ms(c.duration_ms),
          ms(c.ttft_ms),
          `${count(c.input_tokens)} / ${count(c.output_tokens)}`,
          costCell({ cost_usd: c.cost_usd, unpriced_calls: c.cost_usd === null ? 1 : 0 }),
        ]),
        'No provider calls recorded.',
      ),
    ),
    panel(
      'attempt-phases',
      `Phases (${d.phases.length})`,
      table(
        ['Phase', 'At', 'Duration'],
        d.phases.map((p) => [p.phase, at(p.offset_ms), ms(p.duration_ms)]),
        'No phases recorded.',
      ),
    ),
  ];
}
