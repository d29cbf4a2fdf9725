/**
 * Alerting simulation (`npm run bench:alerts`): minute-level synthetic traffic through the
 * detector with an injected clock, compared with a Sentry-style static rule.
 *
 * Traffic: a daily curve from 10 attempts/min (03:00 UTC) to 200/min (15:00 UTC), Poisson per
 * minute, 2% failures, two provider/model pairs and three error codes. Reports, for our rule and
 * for "failure rate > 10% over 5 minutes": the detection delay of a 2% → 15% spike at night and at
 * peak (average over seeds), and the false alerts over 30 simulated days without incidents.
 * Deterministic: every run prints the same table. `ALERTS_SIM_CONFIG='{"pendingEvaluations":1}'`
 * runs it with other alert settings (the JSON of the `alerts` setting).
 */
import { evaluateOnce, MemoryDataSource, type RuleState } from '../src/alerts/index.js';
import { alertsConfigSchema } from '../src/config/index.js';

/** The detector's configuration: the defaults, or JSON in ALERTS_SIM_CONFIG to compare settings. */
const CONFIG = alertsConfigSchema.parse(JSON.parse(process.env.ALERTS_SIM_CONFIG ?? '{}'));

const MINUTE = 60_000;
const DAY = 1_440 * MINUTE;
const EPOCH = Date.UTC(2026, 0, 5); // a Monday
const BASE_RATE = 0.02;
const SPIKE_RATE = 0.15;
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const FALSE_ALERT_SEEDS = [101, 102, 103];
const HORIZON_MIN = 60; // a spike not detected within an hour counts as missed

/** mulberry32: a small deterministic PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function poisson(lambda: number, random: () => number): number {
  if (lambda > 50) {
    const u = Math.max(1e-12, random());
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal));
  }
  const limit = Math.exp(-lambda);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k++;
  return k;
}

/** Attempts per minute at time `t`: 10 at 03:00 UTC, 200 at 15:00 UTC. */
function trafficAt(t: number): number {
  const hour = ((t % DAY) / DAY) * 24;
  return 10 + (190 * (1 - Math.cos((2 * Math.PI * (hour - 3)) / 24))) / 2;
}

const PAIRS = [
  { provider: 'openai', model: 'gpt-4o', share: 0.7 },
  { provider: 'anthropic', model: 'claude-sonnet', share: 0.3 },
];
const CODES = [
  { code: 'PROVIDER_TIMEOUT', share: 0.5 },
  { code: 'INVALID_ITINERARY', share: 0.3 },
  { code: 'RATE_LIMITED', share: 0.2 },
];
const pick = <T extends { share: number }>(items: T[], u: number): T => {
  let acc = 0;
  for (const item of items) {
    acc += item.share;
    if (u < acc) return item;
  }
  return items.at(-1)!;
};

/** Writes the traffic of [from, to) into the source; `failureRate(t)` gives each minute's rate. */
function generate(
  source: MemoryDataSource,
  from: number,
  to: number,
  failureRate: (t: number) => number,
  random: () => number,
) {
  for (let t = from; t < to; t += MINUTE) {
    const n = poisson(trafficAt(t), random);
    const p = failureRate(t);
    for (let i = 0; i < n; i++) {
      const pair = pick(PAIRS, random());
      const failed = random() < p;
      source.record({
        at: t,
        status: failed ? 'failed' : 'success',
        provider: pair.provider,
        model: pair.model,
        errorCode: failed ? pick(CODES, random()).code : undefined,
      });
    }
  }
}

/** Sentry-style static rule: fires when the 5-minute failure rate exceeds 10%, no pending period. */
class StaticRule {
  firing = false;
  async step(source: MemoryDataSource, at: Date): Promise<boolean> {
    const totals = await source.totals({ from: new Date(at.getTime() - 5 * MINUTE), to: at });
    const above = totals.finished > 0 && totals.failed / totals.finished > 0.1;
    const opened = above && !this.firing;
    this.firing = above;
    return opened;
  }
}

/** Minutes from the spike's start to the first alert of each rule (HORIZON_MIN + when missed). */
async function detectionDelay(seed: number, spikeHourUtc: number): Promise<{ ours: number; sentry: number }> {
  const random = rng(seed * 7919 + spikeHourUtc);
  const source = new MemoryDataSource();
  const start = EPOCH + 8 * DAY + spikeHourUtc * 60 * MINUTE;
  generate(
    source,
    start - 7 * DAY - 2 * 60 * MINUTE,
    start + HORIZON_MIN * MINUTE,
    (t) => (t >= start ? SPIKE_RATE : BASE_RATE),
    random,
  );
  let states: RuleState[] = [];
  const staticRule = new StaticRule();
  let ours = Number.POSITIVE_INFINITY;
  let sentry = Number.POSITIVE_INFINITY;
  for (let t = start - 30 * MINUTE; t <= start + HORIZON_MIN * MINUTE; t += MINUTE) {
    const at = new Date(t);
    const evaluation = await evaluateOnce(source, states, at, CONFIG);
    states = evaluation.states;
    const fired = evaluation.transitions.some(
      (tr) => tr.kind === 'opened' && tr.incident.rule.startsWith('failure_rate'),
    );
    const staticFired = await staticRule.step(source, at);
    if (t >= start && fired) ours = Math.min(ours, (t - start) / MINUTE);
    if (t >= start && staticFired) sentry = Math.min(sentry, (t - start) / MINUTE);
  }
  return { ours: Math.min(ours, HORIZON_MIN + 1), sentry: Math.min(sentry, HORIZON_MIN + 1) };
}

/** Alerts opened over 30 days of incident-free traffic (after a 7-day warm-up for the baseline). */
async function falseAlerts(seed: number): Promise<{ ours: number; sentry: number; oursRules: string[] }> {
  const random = rng(seed);
  const source = new MemoryDataSource();
  const from = EPOCH + 7 * DAY;
  const to = from + 30 * DAY;
  generate(source, EPOCH, to, () => BASE_RATE, random);
  let states: RuleState[] = [];
  const staticRule = new StaticRule();
  let ours = 0;
  let sentry = 0;
  const oursRules: string[] = [];
  for (let t = from; t < to; t += MINUTE) {
    const at = new Date(t);
    const evaluation = await evaluateOnce(source, states, at, CONFIG);
    states = evaluation.states;
    for (const tr of evaluation.transitions) {
      if (tr.kind !== 'opened') continue;
      ours++;
      oursRules.push(`${tr.incident.rule}:${tr.incident.scope}@${at.toISOString()}`);
    }
    if (await staticRule.step(source, at)) sentry++;
  }
  return { ours, sentry, oursRules };
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const fmt = (values: number[]) => {
  const missed = values.filter((v) => v > HORIZON_MIN).length;
  const found = values.filter((v) => v <= HORIZON_MIN);
  const avg = found.length > 0 ? `${mean(found).toFixed(1)} min` : 'n/a';
  return `${avg} (max ${found.length > 0 ? Math.max(...found) : '-'}${missed > 0 ? `, missed ${missed}/${values.length}` : ''})`;
};

async function main() {
  const night = await Promise.all(SEEDS.map((s) => detectionDelay(s, 3)));
  const peak = await Promise.all(SEEDS.map((s) => detectionDelay(s, 15)));
  const quiet: Awaited<ReturnType<typeof falseAlerts>>[] = [];
  for (const seed of FALSE_ALERT_SEEDS) quiet.push(await falseAlerts(seed));
  const sum = (key: 'ours' | 'sentry') => quiet.map((q) => q[key]).join(' / ');
  const lines = [
    `Alerting simulation: 2% baseline failures, 10 → 200 attempts/min daily curve, spike 2% → 15%`,
    `(delays: mean over seeds ${SEEDS.join(', ')}; false alerts: 30 days each for seeds ${FALSE_ALERT_SEEDS.join(', ')})`,
    '',
    '| measure | ours (Wilson + baseline, pending 2) | Sentry-style (> 10% over 5 min) | goal (ours) |',
    '| --- | --- | --- | --- |',
    `| detection delay, spike at night (10/min) | ${fmt(night.map((r) => r.ours))} | ${fmt(night.map((r) => r.sentry))} | ≤ 5 min |`,
    `| detection delay, spike at peak (200/min) | ${fmt(peak.map((r) => r.ours))} | ${fmt(peak.map((r) => r.sentry))} | ≤ 2 min |`,
    `| false alerts in 30 days without incidents | ${sum('ours')} | ${sum('sentry')} | 0 |`,
  ];
  console.log(lines.join('\n'));
  const oursFalse = quiet.flatMap((q) => q.oursRules);
  if (oursFalse.length > 0) console.log(`\nour false alerts: ${oursFalse.join(', ')}`);
}

await main();
