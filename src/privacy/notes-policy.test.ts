import { describe, expect, it } from 'vitest';
import { applyNotesPolicy, isNotesPolicy, NOTES_POLICIES, redactErrorMessage } from './index.js';

const JAPAN = 'ramen, onsen; my wife is vegetarian, reach me at +49 170 1234567';

describe('applyNotesPolicy', () => {
  it('redact: replaces personal data and truncates', () => {
    expect(applyNotesPolicy(JAPAN, 'redact')).toBe(
      'ramen, onsen; my wife is vegetarian, reach me at [phone]',
    );
    expect(applyNotesPolicy(JAPAN, 'redact', 5)).toBe('ramen');
    expect(applyNotesPolicy('x'.repeat(400), 'redact')).toHaveLength(280);
  });

  it('redact: runs the given redactor after the pattern passes, then truncates', () => {
    const seen: string[] = [];
    const redactor = (text: string) => {
      seen.push(text);
      return text.replace('Anna', '[name]');
    };
    expect(applyNotesPolicy('Anna: +49 170 1234567', 'redact', 280, redactor)).toBe('[name]: [phone]');
    expect(seen).toEqual(['Anna: [phone]']);
    expect(applyNotesPolicy('Anna: +49 170 1234567', 'redact', 4, redactor)).toBe('[nam');
    expect(applyNotesPolicy('Anna', 'summary', 280, redactor)).toMatchObject({ length: 4, words: 1 });
    expect(seen).toHaveLength(2);
  });

  it('raw: truncates only', () => {
    expect(applyNotesPolicy(JAPAN, 'raw')).toBe(JAPAN);
    expect(applyNotesPolicy(`😀${'x'.repeat(400)}`, 'raw', 3)).toBe('😀xx');
  });

  it('summary: keeps counts, no text', () => {
    const summary = applyNotesPolicy(`${JAPAN} or anna@example.com`, 'summary');
    expect(summary).toEqual({
      length: JAPAN.length + ' or anna@example.com'.length,
      words: 14,
      redactions: { email: 1, phone: 1, url: 0, ip: 0, card: 0, iban: 0, handle: 0 },
    });
    expect(JSON.stringify(summary)).not.toContain('ramen');
    expect(applyNotesPolicy('', 'summary')).toEqual({
      length: 0,
      words: 0,
      redactions: { email: 0, phone: 0, url: 0, ip: 0, card: 0, iban: 0, handle: 0 },
    });
  });

  it('drop: keeps nothing', () => {
    expect(applyNotesPolicy(JAPAN, 'drop')).toBeUndefined();
  });

  it('knows its policies', () => {
    expect(NOTES_POLICIES).toEqual(['redact', 'raw', 'summary', 'drop']);
    expect(isNotesPolicy('summary')).toBe(true);
    expect(isNotesPolicy('keep')).toBe(false);
  });
});

describe('redactErrorMessage', () => {
  it('redacts, then cuts to 200 code points', () => {
    expect(redactErrorMessage('403 for anna@example.com from 10.1.2.3')).toBe('403 for [email] from [ip]');
    expect(redactErrorMessage(`${'e'.repeat(300)} +49 170 1234567`)).toBe('e'.repeat(200));
  });
});
