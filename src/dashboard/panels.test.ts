import { describe, expect, it } from 'vitest';
import { figure, ms } from './format.js';
import { summaryKpis } from './panels.js';
import type { RetriesJson, SummaryJson } from './types.js';

const REASON = 'raw rows purged by retention';

const summary = (over: Partial<SummaryJson> = {}): SummaryJson => ({
  from: '2026-03-10T00:00:00.000Z',
  to: '2026-03-12T00:00:00.000Z',
  attempts: 20,
  succeeded: 15,
  failed: 5,
  pending: 0,
  successRate: 0.75,
  failureRate: 0.25,
  durationMs: { p50: 1200, p95: 3000, p99: 3100 },
  signedInShare: 0.15,
  sessions: { anonSessions: 5, attemptsPerAnonSession: 4, linkedShare: 0.4, sampled: 1 },
  exact: true,
  unavailable: {},
  ...over,
});
const retries = (over: Partial<RetriesJson> = {}): RetriesJson => ({
  windowMinutes: 10,
  sessions: 5,
  sessionsWithRetry: 5,
  retries: 15,
  retriesAfterFailure: 5,
  retrySuccessRate: 1,
  unavailable: {},
  ...over,
});

describe('summaryKpis', () => {
  it('shows known figures with their hint', () => {
    const kpis = Object.fromEntries(summaryKpis(summary(), retries()).map((k) => [k.id, k.figure]));
    expect(kpis['per-session']).toEqual({ text: '4.00', hint: expect.any(String), unknown: undefined });
    expect(kpis.linked?.text).toBe('40.0 %');
    expect(kpis['retry-success']?.text).toBe('100.0 %');
  });

  it('shows a figure the answer lists as unavailable as — with the reason as its tooltip, never 0 or –', () => {
    const purged = summary({
      sessions: { anonSessions: null, attemptsPerAnonSession: null, linkedShare: null, sampled: 1 },
      unavailable: {
        'sessions.anonSessions': REASON,
        'sessions.attemptsPerAnonSession': REASON,
        'sessions.linkedShare': REASON,
      },
    });
    const gone = retries({
      sessions: null,
      sessionsWithRetry: null,
      retries: null,
      retriesAfterFailure: null,
      retrySuccessRate: null,
      unavailable: { retrySuccessRate: REASON },
    });
    const kpis = Object.fromEntries(summaryKpis(purged, gone).map((k) => [k.id, k.figure]));
    for (const id of ['per-session', 'linked', 'retry-success']) {
      expect(kpis[id]?.text, id).toBe('—');
      expect(kpis[id]?.hint, id).toMatch(/unknown: raw rows purged by retention$/);
      expect(kpis[id]?.unknown, id).toBe(REASON);
    }
    expect(kpis.attempts).toMatchObject({ text: '20', unknown: undefined });
    // Nothing to divide (no session at all) is not unknown: it stays –.
    const none = summary({
      sessions: { anonSessions: 0, attemptsPerAnonSession: null, linkedShare: null, sampled: 1 },
    });
    expect(summaryKpis(none, retries()).find((k) => k.id === 'per-session')?.figure.text).toBe('–');
  });

  it('formats a missing duration as –, not NaN', () => {
    expect(ms(Number.NaN)).toBe('–');
    expect(figure('x', 'h', undefined)).toEqual({ text: 'x', hint: 'h', unknown: undefined });
  });
});
