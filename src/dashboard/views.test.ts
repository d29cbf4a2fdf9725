import { describe, expect, it } from 'vitest';
import { attemptsQuery, lookupView } from './views.js';

describe('attempts views', () => {
  const panels = new URLSearchParams({
    from: '2026-11-18T00:00:00.000Z',
    to: '2026-11-25T00:00:00.000Z',
    model: 'gpt-5.4',
  });

  it('a row of a panel keeps the panels’ range and filters and adds its own', () => {
    const view = {
      kind: 'attempts' as const,
      title: 't',
      filter: { status: 'failed', error_code: 'X' },
      lookup: false,
    };
    expect(Object.fromEntries(attemptsQuery(view, panels, 'abc'))).toEqual({
      ...Object.fromEntries(panels),
      status: 'failed',
      error_code: 'X',
      cursor: 'abc',
    });
  });

  it('a lookup ignores the range and filters (the whole raw history of that trip or subject)', () => {
    const view = lookupView('trip_id', 'trip-1');
    expect(view).toMatchObject({ kind: 'attempts', lookup: true });
    if (view.kind !== 'attempts') throw new Error('not a list');
    expect(Object.fromEntries(attemptsQuery(view, panels))).toEqual({ trip_id: 'trip-1' });
    expect(lookupView('request_id', 'req-1')).toEqual({ kind: 'attempt', requestId: 'req-1' });
  });
});
