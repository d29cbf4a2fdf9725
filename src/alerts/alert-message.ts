import { RULES, type RuleName, type Signal } from './rules.js';
import type { RuleState } from './state-machine.js';

/** What a notification says, whatever carries it. */
export interface AlertMessage {
  kind: 'opened' | 'repeat' | 'resolved' | 'test';
  /** Null for a test message. */
  incidentId: string | null;
  rule: string;
  scope: string;
  title: string;
  /** One line for people, e.g. `FIRING Failure-rate spike (overall): 15.2% …`. */
  text: string;
  value: number | null;
  threshold: number | null;
  baseline: number | null;
  peak: number | null;
  counts: Record<string, number | string>;
  openedAt: string | null;
  at: string;
}

const percent = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);

function describe(rule: RuleName, signal: Signal): string {
  const c = signal.counts;
  switch (rule) {
    case 'p95_duration':
      return `p95 ${signal.value === null ? 'n/a' : `${(signal.value / 1000).toFixed(1)} s`} over ${c.attempts} attempts in ${c.windowMinutes} min (objective ${(signal.threshold / 1000).toFixed(0)} s)`;
    case 'abandoned':
      return `${c.abandoned} abandoned attempts in ${c.windowMinutes} min (allowed ${signal.threshold})`;
    case 'stuck_attempts':
      return `${c.stuck} attempts pending longer than ${Math.round(Number(c.pendingLongerThanMs) / 1000)} s (allowed ${signal.threshold})`;
    case 'cost_per_success':
      return `$${signal.value === null ? 'n/a' : signal.value.toFixed(4)} per successful trip over ${c.successes} successes in ${c.windowMinutes} min, baseline $${signal.baseline === null ? 'n/a' : signal.baseline.toFixed(4)} (threshold $${signal.threshold.toFixed(4)})`;
    case 'traffic_drop':
      return `${c.attempts} attempts in ${c.windowMinutes} min where about ${c.expected} were expected`;
    default:
      return `${percent(signal.value)} failed (${c.failures}/${c.attempts} in ${c.windowMinutes} min), baseline ${percent(signal.baseline)}, threshold ${percent(signal.threshold)}`;
  }
}

const LABEL = { opened: 'FIRING', repeat: 'STILL FIRING', resolved: 'RESOLVED', test: 'TEST' } as const;

/** The message of an incident transition. */
export function alertMessage(
  kind: 'opened' | 'repeat' | 'resolved',
  incident: RuleState,
  signal: Signal,
  at: Date,
): AlertMessage {
  const title = RULES[incident.rule].title;
  const detail = kind === 'resolved' ? 'back to normal' : describe(incident.rule, signal);
  return {
    kind,
    incidentId: incident.incidentId,
    rule: incident.rule,
    scope: incident.scope,
    title,
    text: `${LABEL[kind]} ${title} (${incident.scope}): ${detail}`,
    value: signal.value,
    threshold: kind === 'resolved' ? null : signal.threshold,
    baseline: signal.baseline,
    peak: incident.peak,
    counts: signal.counts,
    openedAt: incident.openedAt?.toISOString() ?? null,
    at: at.toISOString(),
  };
}

/** The message `tripmeter alerts test` sends. */
export function testMessage(at: Date): AlertMessage {
  return {
    kind: 'test',
    incidentId: null,
    rule: 'test',
    scope: 'overall',
    title: 'Test notification',
    text: 'TEST tripmeter alerting is set up: this is a test notification, nothing is wrong',
    value: null,
    threshold: null,
    baseline: null,
    peak: null,
    counts: {},
    openedAt: null,
    at: at.toISOString(),
  };
}
