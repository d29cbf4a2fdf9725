import { type Cost, getCost, getSummary, type Summary } from '../../metrics/index.js';
import { type Command, UsageError } from '../command.js';
import { DATABASE_SETTINGS, parseNow, withDatabase } from './shared.js';

const UNITS: Record<string, number> = { h: 3_600_000, d: 86_400_000 };

/** Parses `24h`, `7d`, `90d` into milliseconds. */
export function parseRange(value: unknown): number {
  const match = /^(\d{1,4})([hd])$/.exec(String(value ?? '7d'));
  const ms = match ? Number(match[1]) * UNITS[match[2]!]! : 0;
  if (!match || ms <= 0 || ms > 400 * UNITS.d!)
    throw new UsageError(
      `--range must be hours or days such as 24h, 7d or 90d (at most 400d), got ${JSON.stringify(value)}`,
    );
  return ms;
}

const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)} %`);
const dur = (v: number | null) => (v === null ? '–' : v < 1000 ? `${v} ms` : `${(v / 1000).toFixed(1)} s`);

/** The summary as rows of a two-column table. */
export function summaryRows(s: Summary): [string, string][] {
  return [
    ['range', `${s.from} → ${s.to}`],
    ['attempts', s.attempts.toLocaleString('en-US')],
    ['succeeded / failed / pending', `${s.succeeded} / ${s.failed} / ${s.pending}`],
    ['success rate', pct(s.successRate)],
    ['failure rate', pct(s.failureRate)],
    [
      'duration p50 / p95 / p99',
      `${dur(s.durationMs.p50)} / ${dur(s.durationMs.p95)} / ${dur(s.durationMs.p99)}`,
    ],
    ['attempts per anon session', s.sessions.attemptsPerAnonSession?.toFixed(2) ?? '–'],
    ['signed-in share', pct(s.signedInShare)],
    ['anon sessions later linked', pct(s.sessions.linkedShare)],
    ['percentiles', s.exact ? 'exact (raw rows)' : 'hourly rollups (±5 %)'],
  ];
}

const money = (v: number | null) => (v === null ? '–' : `$${v < 1 ? v.toFixed(4) : v.toFixed(2)}`);

/** How many models by cost the report lists. */
export const TOP_MODELS = 3;

/**
 * The cost of the range as table rows: total over priced calls, per successful trip (over
 * priced successes), unpriced calls and successes (counted, never shown as $0), top models.
 */
export function costRows(c: Cost): [string, string][] {
  const t = c.perSuccessfulTrip;
  const top = c.byModel.filter((r) => r.costUsd !== null).slice(0, TOP_MODELS);
  return [
    ['cost (priced calls)', c.calls === 0 ? '– (no provider calls)' : money(c.totalCostUsd)],
    [
      'cost per successful trip mean / p50 / p95',
      `${money(t.meanUsd)} / ${money(t.p50Usd)} / ${money(t.p95Usd)}`,
    ],
    ['successes priced / unpriced', `${t.pricedSuccesses} / ${t.unpricedSuccesses}`],
    [
      'unpriced calls',
      c.unpricedCalls === 0
        ? '0'
        : `${c.unpricedCalls} (${c.unpricedModels.map((m) => `${m.provider}/${m.model}`).join(', ')})`,
    ],
    ...top.map((r, i): [string, string] => [
      `top model ${i + 1} by cost`,
      `${r.provider}/${r.model} ${money(r.costUsd)} (${r.calls} calls)`,
    ]),
  ];
}

/** Renders rows as a boxed terminal table. */
export function renderTable(rows: [string, string][]): string {
  const a = Math.max(...rows.map((r) => r[0].length));
  const b = Math.max(...rows.map((r) => r[1].length));
  const line = `+${'-'.repeat(a + 2)}+${'-'.repeat(b + 2)}+`;
  return [line, ...rows.map(([k, v]) => `| ${k.padEnd(a)} | ${v.padStart(b)} |`), line].join('\n');
}

/** `tripmeter report --range 7d`: the summary of the last range as a terminal table. */
export const reportCommand: Command = {
  name: 'report',
  summary: 'print the metrics summary and cost of a recent range as a table',
  usage: 'tripmeter report [--range 7d] [--provider P] [--model M] [--version V] [--source S] [--now ISO]',
  flags: {
    range: { type: 'string', help: 'how far back from now: 24h, 7d, 30d … (default 7d)' },
    provider: { type: 'string', help: 'only this provider' },
    model: { type: 'string', help: 'only this model' },
    version: { type: 'string', help: 'only this prompt contract version' },
    source: { type: 'string', help: 'only this source' },
    now: { type: 'string', help: 'the end of the range (default: now)' },
  },
  settings: DATABASE_SETTINGS,
  async run({ config, flags, out }) {
    const length = parseRange(flags.range);
    const to = parseNow(flags.now);
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    return withDatabase(config, async (database) => {
      const query = {
        from: new Date(to.getTime() - length),
        to,
        provider: str(flags.provider),
        model: str(flags.model),
        promptContractVersion: str(flags.version),
        source: str(flags.source),
      };
      const [summary, cost] = await Promise.all([getSummary(database, query), getCost(database, query)]);
      out(renderTable([...summaryRows(summary), ...costRows(cost)]));
      return 0;
    });
  },
};
