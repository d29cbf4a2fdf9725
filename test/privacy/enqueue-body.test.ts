import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { parseIngestBody } from '../../src/ingest/index.js';
import { createTripmeter, PostgresSink } from '../../src/store/index.js';
import { describeOnDatabases } from '../support/databases.js';
import { dumpAllText } from '../support/dump-text.js';

const body = JSON.parse(
  readFileSync(new URL('../fixtures/enqueue-body.json', import.meta.url), 'utf8'),
).example;
const T0 = new Date('2026-09-12T08:14:04Z');

/** The app's enqueue body at each level an app may hand over as `input`. */
const LEVELS = {
  body,
  payload: body.payload,
  inputSnapshot: body.payload.inputSnapshot,
} as const;

/** Pieces of the generated prompt and of the free text around it that must never be stored. */
const NEVER = [
  'Plan a 15-day',
  'for a couple',
  'anniversary',
  'Notes from the traveller',
  '1234567',
  'Japan and South Korea',
  'Japan, South Korea',
  'female',
];

describeOnDatabases('the enqueue body as input', (ctx) => {
  it('gives the same snapshot at every nesting level, through the tracker and over HTTP ingest', async () => {
    const database = await ctx.open({ now: T0 });
    const tracker = createTripmeter({ database, now: () => T0.getTime() });
    for (const [level, input] of Object.entries(LEVELS))
      tracker.startAttempt({ requestId: `tracker-${level}`, input }).succeed({ tripId: body.tripId });
    await tracker.shutdown();
    const parsed = parseIngestBody(
      {
        events: Object.entries(LEVELS).map(([level, input]) => ({
          type: 'create_trip_attempted',
          request_id: `http-${level}`,
          occurred_at: T0.toISOString(),
          input_snapshot: input,
        })),
      },
      { now: T0 },
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    await new PostgresSink(database).write(parsed.events);

    const rows = await database.db
      .withSchema(database.schema)
      .selectFrom('trip_creation_attempts')
      .select(['request_id', 'input_snapshot_json', 'provider', 'model'])
      .orderBy('request_id')
      .execute();
    expect(rows).toHaveLength(6);
    const [first, ...others] = rows.map((row) => row.input_snapshot_json);
    for (const other of others) expect(other).toEqual(first);
    expect(first).toMatchObject({
      flow: 'classic',
      provider: 'openai',
      model: 'gpt-5.4',
      destinationCount: 2,
      destinationOrder: ['Japan', 'South Korea'],
      dateInputMode: 'exact',
      startDate: '2026-10-01',
      endDate: '2026-10-15',
      travelerType: 'couple',
      travelers: 2,
      budget: 'Medium',
      pace: 'Balanced',
      tripStyleTags: ['culture', 'food', 'nature'],
      transportPreferences: ['train'],
      routeLock: false,
      roundTrip: true,
    });
    for (const row of rows) expect(row).toMatchObject({ provider: 'openai', model: 'gpt-5.4' });

    const dump = await dumpAllText(database);
    expect(dump).toContain('South Korea'); // the scan reads the snapshots
    expect(dump).not.toContain(body.payload.prompt);
    for (const needle of NEVER) expect(dump).not.toContain(needle);
  });
});
