import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyNotesPolicy, isInputSnapshot, snapshotInput } from './index.js';
import { personalDataRedactor } from './redact-personal.js';

const REDACT = { notesPolicy: 'redact' } as const;

type Example = { flow: string; payload: Record<string, unknown> } & Record<string, unknown>;
// Read at load: a missing fixture fails the file instead of skipping its tests.
const examples: Example[] = JSON.parse(
  readFileSync(new URL('../../test/fixtures/create-trip-inputs.json', import.meta.url), 'utf8'),
).examples;

/** The examples as the app would send them: flow plus the payload. */
const request = (e: Example) => ({ flow: e.flow, ...e.payload });
const PERSONAL = [
  'female',
  'male',
  'anniversary',
  'non-binary',
  '29',
  'social',
  'full-send',
  'Gender',
  'Age',
  'Occasion',
];

describe('snapshotInput with the fixture examples', () => {
  it.each(examples.map((e, i) => [i, e] as const))(
    'example %i gives a valid snapshot without personal details',
    (_, e) => {
      for (const input of [e, request(e)]) {
        const { snapshot } = snapshotInput(input);
        expect(isInputSnapshot(snapshot)).toBe(true);
        const json = JSON.stringify(snapshot);
        for (const word of PERSONAL) expect(json).not.toContain(`"${word}"`);
        expect(json).not.toMatch(/travelerDetails|Gender|Age|Occasion|Comfort|Energy/);
      }
    },
  );

  it('classic Japan: flattens options, takes aiTarget, redacts the phone in notes', () => {
    const japan = examples[0]!;
    const result = snapshotInput(japan, REDACT);
    expect(result.snapshot).toEqual({
      flow: 'classic',
      destinationCount: 2,
      destinationOrder: ['Japan', 'South Korea'],
      startDate: '2026-10-01',
      endDate: '2026-10-15',
      dateInputMode: 'exact',
      totalDays: 15,
      totalNights: 14,
      roundTrip: true,
      routeLock: false,
      travelerType: 'couple',
      travelers: 2,
      budget: 'Medium',
      pace: 'Balanced',
      tripStyleTags: ['culture', 'food', 'nature'],
      transportPreferences: ['train'],
      notes: 'ramen, onsen; my wife is vegetarian, reach me at [phone]',
      provider: 'openai',
      model: 'gpt-5.4',
    });
    // destinationLabel, destinationPrompt, interests, startDestination, hasTransportOverride,
    // 3 travelerDetails keys
    expect(result.droppedKeys).toBe(8);
    expect(result.invalidKeys).toBe(0);
  });

  it('solo Portugal: keeps no gender or age', () => {
    const { snapshot, droppedKeys } = snapshotInput(request(examples[1]!));
    expect(snapshot).toMatchObject({
      travelerType: 'solo',
      travelers: 1,
      flexWeeks: 2,
      flexWindow: 'shoulder',
    });
    // destinationPrompt and the 3 travelerDetails keys
    expect(droppedKeys).toBe(4);
  });

  it('family wizard: keeps the family counts only', () => {
    const { snapshot } = snapshotInput(request(examples[2]!));
    expect(snapshot).toMatchObject({ adults: 2, children: 2, babies: 0, travelers: 4, countries: ['Italy'] });
    expect(snapshot).toMatchObject({ wizardBranch: 'known_destinations_exact_dates', provider: 'anthropic' });
  });

  it('friends wizard: replaces the handle, keeps the friend count', () => {
    const { snapshot } = snapshotInput(request(examples[3]!), REDACT);
    expect(snapshot.notes).toBe('birthday of Anna M., instagram [handle]');
    const server = snapshotInput(request(examples[3]!), { ...REDACT, notesRedactor: personalDataRedactor });
    expect(server.snapshot.notes).toBe('birthday of [name]., instagram [handle]');
    expect(snapshot).toMatchObject({ travelers: 5, countries: [], model: 'deepseek/deepseek-v3.2' });
  });

  it('surprise: keeps the country and dates', () => {
    const { snapshot } = snapshotInput(request(examples[4]!), REDACT);
    expect(snapshot).toMatchObject({
      flow: 'surprise',
      country: 'Morocco',
      startDate: '2027-02-01',
      notes: 'no long drives',
    });
  });
});

const enqueueBody = JSON.parse(
  readFileSync(new URL('../../test/fixtures/enqueue-body.json', import.meta.url), 'utf8'),
).example;

describe('snapshotInput with the enqueue body', () => {
  const expected = {
    flow: 'classic',
    destinationCount: 2,
    destinationOrder: ['Japan', 'South Korea'],
    startDate: '2026-10-01',
    endDate: '2026-10-15',
    dateInputMode: 'exact',
    totalDays: 15,
    totalNights: 14,
    roundTrip: true,
    routeLock: false,
    travelerType: 'couple',
    travelers: 2,
    budget: 'Medium',
    pace: 'Balanced',
    tripStyleTags: ['culture', 'food', 'nature'],
    transportPreferences: ['train'],
    // The default notes policy (summary) keeps no text: sizes and what was found.
    notes: expect.objectContaining({ length: 64, redactions: expect.objectContaining({ phone: 1 }) }),
    provider: 'openai',
    model: 'gpt-5.4',
  };

  it.each([
    ['the whole body', enqueueBody],
    ['its payload', enqueueBody.payload],
    ['its payload.inputSnapshot', enqueueBody.payload.inputSnapshot],
  ])('%s gives the form state, never the prompt', (_, input) => {
    const { snapshot, invalidKeys } = snapshotInput(input);
    expect(snapshot).toEqual(expected);
    expect(invalidKeys).toBe(0);
    const json = JSON.stringify(snapshot);
    expect(json).not.toContain('Plan a 15-day');
    expect(json).not.toContain('Japan, South Korea');
    expect(json).not.toMatch(/anniversary|female|prompt|vegetarian/i);
  });

  it('takes provider and model from payload.target before the form’s aiTarget', () => {
    const body = structuredClone(enqueueBody);
    body.payload.target = { provider: 'openrouter', model: 'deepseek/deepseek-v3.2' };
    expect(snapshotInput(body).snapshot).toMatchObject({
      provider: 'openrouter',
      model: 'deepseek/deepseek-v3.2',
    });
  });

  it('keeps the wizard fields: city count, vibe tags, months, duration, islands', () => {
    const body = structuredClone(enqueueBody);
    body.payload.inputSnapshot.flow = 'wizard';
    Object.assign(body.payload.inputSnapshot.payload.options, {
      specificCities: ['Rome', 'Florence', 'my aunt’s village'],
      tripVibeTags: ['food', 'relaxation', 'Anna', 'diabetes'],
      idealMonths: [4, 5, 9, 13],
      shoulderMonths: [3, 10],
      recommendedDurationDays: 12,
      selectedIslandNames: ['Crete', 'Rhodes'],
    });
    const { snapshot } = snapshotInput(body);
    expect(snapshot).toMatchObject({
      flow: 'wizard',
      specificCityCount: 3,
      tripVibeTags: ['food', 'relaxation'],
      idealMonths: [4, 5, 9],
      shoulderMonths: [3, 10],
      recommendedDurationDays: 12,
      selectedIslandNames: ['Crete', 'Rhodes'],
    });
    expect(JSON.stringify(snapshot)).not.toMatch(/Rome|Florence|aunt|Anna|diabetes/);
  });

  it('takes a flow the app adds later, but only as an identifier', () => {
    expect(snapshotInput({ flow: 'quick_start' }).snapshot).toEqual({ flow: 'quick_start' });
    expect(snapshotInput({ flow: 'Anna Müller' }).snapshot).toEqual({});
  });
});

describe('snapshotInput rules', () => {
  it('applies the notes policy', () => {
    const notes = 'call +49 170 1234567';
    expect(snapshotInput({ notes }, { notesPolicy: 'raw' }).snapshot.notes).toBe(notes);
    expect(snapshotInput({ notes }, { notesPolicy: 'drop' }).snapshot).toEqual({});
    expect(snapshotInput({ notes }, { notesPolicy: 'summary' }).snapshot.notes).toMatchObject({
      length: 20,
      words: 4,
    });
    expect(snapshotInput({ notes }, { ...REDACT, notesMaxLength: 4 }).snapshot.notes).toBe('call');
  });

  it('keeps no notes text by default: the summary', () => {
    const notes = 'my wife Anna Müller has a nut allergy, call +49 170 1234567';
    const { snapshot } = snapshotInput({ notes });
    expect(snapshot.notes).toEqual(applyNotesPolicy(notes, 'summary'));
    expect(JSON.stringify(snapshot)).not.toMatch(/Anna|Müller|allergy|170/);
    expect(snapshotInput({ notes }, { notesPolicy: 'keep' as never }).snapshot.notes).toEqual(snapshot.notes);
  });

  it('keeps a summary made upstream (an edge tracker) under every policy but drop', () => {
    const summary = applyNotesPolicy('call +49 170 1234567', 'summary');
    for (const notesPolicy of ['summary', 'redact', 'raw'] as const) {
      const result = snapshotInput({ notes: summary }, { notesPolicy });
      expect(result.snapshot.notes).toEqual(summary);
      expect(result.invalidKeys).toBe(0);
    }
    expect(snapshotInput({ notes: summary }, { notesPolicy: 'drop' }).snapshot).toEqual({});
    // Anything else in its place is no summary: dropped and counted.
    const forged = snapshotInput({ notes: { length: 3, words: 1, redactions: {}, text: 'Anna' } });
    expect(forged).toMatchObject({ snapshot: {}, invalidKeys: 1 });
  });

  it('drops and counts values of the wrong type instead of failing', () => {
    const result = snapshotInput({
      budget: 'Cheap',
      adults: 51,
      children: '2',
      roundTrip: 'yes',
      startDate: '2026-13-01',
      tripStyleTags: ['food', 'wellness', 3],
      travelerDetails: 'two',
      options: 42,
      pace: 'Fast',
    });
    expect(result.snapshot).toEqual({ tripStyleTags: ['food'], pace: 'Fast' });
    expect(result.invalidKeys).toBe(8);
    expect(result.droppedKeys).toBe(0);
  });

  it('gives the same answer every time a value comes back (field reads are remembered)', () => {
    const input = {
      budget: 'Cheap',
      pace: 'Fast',
      totalDays: 15,
      totalNights: '15',
      roundTrip: true,
      routeLock: 'true',
      model: 'm'.repeat(200),
      provider: 'openai',
    };
    const first = snapshotInput(input);
    expect(first.snapshot).toEqual({ pace: 'Fast', totalDays: 15, roundTrip: true, provider: 'openai' });
    expect(first.invalidKeys).toBe(4);
    for (let i = 0; i < 3; i++) expect(snapshotInput({ ...input })).toEqual(first);
    // The same values under other fields are read for those fields.
    expect(snapshotInput({ totalNights: 15, routeLock: true }).snapshot).toEqual({
      totalNights: 15,
      routeLock: true,
    });
    // Hundreds of distinct values later (the memo is bounded and cleared), still the same answers.
    for (let days = 0; days < 600; days++) snapshotInput({ totalDays: days, budget: `B${days}` });
    expect(snapshotInput(input)).toEqual(first);
  });

  it('cuts long place lists and drops what is not a place label', () => {
    const { snapshot, invalidKeys } = snapshotInput({
      countries: Array(60).fill('Chile'),
      destinationOrder: [
        'Côte d’Ivoire',
        'St. Lucia',
        '+49 170 1234567',
        'anna@example.com',
        'x'.repeat(101),
      ],
      selectedIslandNames: ['Crete', 'https://example.com', 7],
      country: '@anna.m.travels',
    });
    expect(snapshot.countries).toHaveLength(50);
    expect(snapshot.destinationOrder).toEqual(['Côte d’Ivoire', 'St. Lucia']);
    expect(snapshot.selectedIslandNames).toEqual(['Crete']);
    expect(snapshot.country).toBeUndefined();
    expect(snapshot.destinationCount).toBe(2);
    expect(invalidKeys).toBe(4);
  });

  it('top-level values win over nested ones', () => {
    const { snapshot } = snapshotInput({
      provider: 'gemini',
      aiTarget: { provider: 'openai', model: 'gpt-5.4', key: 'sk' },
    });
    expect(snapshot).toEqual({ provider: 'gemini', model: 'gpt-5.4' });
  });

  it('accepts a locale and rejects free text there', () => {
    expect(snapshotInput({ locale: 'de-DE' }).snapshot).toEqual({ locale: 'de-DE' });
    expect(snapshotInput({ locale: 'call me at 0170 1234567' }).invalidKeys).toBe(1);
  });

  it('counts a non-object input as invalid and returns an empty snapshot', () => {
    expect(snapshotInput('Japan')).toEqual({ snapshot: {}, droppedKeys: 0, invalidKeys: 1 });
    expect(snapshotInput(null)).toEqual({ snapshot: {}, droppedKeys: 0, invalidKeys: 0 });
  });

  it('never throws, on anything', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withMap: true, withSet: true }), (raw) => {
        const result = snapshotInput(raw);
        expect(isInputSnapshot(result.snapshot)).toBe(true);
        expect(
          snapshotInput({ options: raw, aiTarget: raw, travelerDetails: raw, notes: raw }).snapshot,
        ).toBeDefined();
      }),
      { numRuns: 500 },
    );
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('boom');
        },
      },
    );
    expect(snapshotInput(hostile).snapshot).toEqual({});
  });
});
