import { describe, expect, it } from 'vitest';
import { isoDate, list, matching, oneOf, text } from './field-rules.js';

describe('field rules of the input snapshot', () => {
  it('accepts calendar dates that exist, leap days included', () => {
    for (const date of ['2026-02-28', '2028-02-29', '2000-02-29', '2026-12-31'])
      expect(isoDate.check(date)).toBe(true);
    for (const date of ['2026-02-29', '1900-02-29', '2026-13-01', '2026-04-31', '2026-1-01', 20260101])
      expect(isoDate.check(date), String(date)).toBe(false);
  });

  it('reads a list by keeping the items it can read, cut, and marks the read partial', () => {
    const tags = list(oneOf(['food', 'nature']));
    expect(tags.read(['food', 'yoga', 'nature'])).toEqual({
      ok: true,
      value: ['food', 'nature'],
      partial: true,
    });
    expect(tags.read(['food'])).toEqual({ ok: true, value: ['food'], partial: false });
    expect(tags.read('food')).toEqual({ ok: false });
    const names = list(text(3), 2);
    expect(names.read(['Lisboa', 'Porto', 'Faro'])).toEqual({
      ok: true,
      value: ['Lis', 'Por'],
      partial: true,
    });
    expect(names.check(['Lis', 'Por'])).toBe(true);
    expect(names.check(['Lisboa'])).toBe(false);
  });

  it('checks a pattern and a length', () => {
    const locale = matching(/^[a-z]{2}$/, 2);
    expect(locale.check('de')).toBe(true);
    expect(locale.read('deu')).toEqual({ ok: false });
  });
});
