import { describe, expect, it } from 'vitest';
import { applyNotesPolicy } from '../../src/privacy/index.js';
import { personalDataRedactor } from '../../src/privacy/redact-personal.js';
import { measureNotesRecall, readNotesCorpus } from '../support/notes-recall.js';

const redact = (text: string) => applyNotesPolicy(text, 'redact', 280, personalDataRedactor);

describe('the redact policy on a corpus of travel notes (en, de, fr, es, it, pt, nl, pl, cs)', () => {
  it('cleans the examples of issue 16', () => {
    expect(redact('my wife Anna Müller')).toBe('my wife [name]');
    expect(redact('Jana Novak, 29, wheelchair user')).toBe('[name], [age], [health] user');
    expect(redact('my husband has a nut allergy')).toBe('my husband has a nut [health]');
    expect(redact('we only eat halal, my partner is Jewish')).toBe(
      'we only eat [religion], my partner is [religion]',
    );
  });

  it('keeps destinations and ordinary travel words', () => {
    expect(redact('Lisbon, Porto and the Algarve, lots of seafood')).toBe(
      'Lisbon, Porto and the Algarve, lots of seafood',
    );
    expect(redact('Berlin, München, Köln; 2 weeks, budget 1500-2000 EUR')).toBe(
      'Berlin, München, Köln; 2 weeks, budget 1500-2000 EUR',
    );
  });

  it('leaks no e-mail, phone or card, and finds at least 95 % of names and special-category terms', () => {
    const corpus = readNotesCorpus();
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    const recall = measureNotesRecall(corpus);
    expect(recall.leaks).toEqual([]);
    expect(recall.names.total).toBeGreaterThan(150);
    expect(recall.sensitive.total).toBeGreaterThan(130);
    expect(recall.names.found / recall.names.total, recall.names.missed.join('\n')).toBeGreaterThanOrEqual(
      0.95,
    );
    expect(
      recall.sensitive.found / recall.sensitive.total,
      recall.sensitive.missed.join('\n'),
    ).toBeGreaterThanOrEqual(0.95);
  });
});
