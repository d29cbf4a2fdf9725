import { sql } from 'kysely';
import type { Database } from '../../src/storage/index.js';
import { createTripmeter } from '../../src/store/index.js';

/** One attempt to write through the public tracker API. */
export interface SeedAttempt {
  at: Date;
  durationMs: number;
  outcome: 'success' | 'failed' | 'pending';
  anonSessionId?: string;
  userId?: string;
  provider?: string;
  input?: unknown;
  error?: unknown;
}

/** Creates the monthly partitions of every raw table covering `[from, to]`. */
export async function ensurePartitionsBetween(database: Database, from: Date, to: Date): Promise<void> {
  await sql`SELECT ${sql.ref(`${database.schema}.ensure_partitions`)}(${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz)`.execute(
    database.db,
  );
}

/** Writes attempts through `createTripmeter({ database })` with a controlled clock. */
export async function seedAttempts(database: Database, attempts: SeedAttempt[]): Promise<void> {
  let clock = 0;
  const tracker = createTripmeter({ database, now: () => clock });
  for (const a of attempts) {
    clock = a.at.getTime();
    const handle = tracker.startAttempt({
      anonSessionId: a.anonSessionId,
      userId: a.userId,
      provider: a.provider ?? 'openai',
      model: 'gpt-5.4',
      input: a.input ?? { destinationPrompt: 'Japan', options: { notes: 'ramen please' } },
    });
    clock += a.durationMs;
    if (a.outcome === 'success') handle.succeed({ tripId: 'trip_1' });
    else if (a.outcome === 'failed')
      handle.fail({ errorCode: 'OPENAI_REQUEST_TIMEOUT', error: a.error ?? new Error('timed out') });
  }
  await tracker.flush();
  await tracker.shutdown();
}

/** Deterministic pseudo-random durations (log-normal-ish) in whole ms. */
export function durations(n: number, seed = 7): number[] {
  let state = seed;
  const uniform = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    return Math.max(1, Math.round(Math.exp(9 + 0.7 * z)));
  });
}

/** POSTs one complete attempt (its attempted and succeeded events, one batch) to `/v1/events`. */
export function postAttempt(serviceUrl: string, ingestKey: string, requestId: string): Promise<Response> {
  return fetch(`${serviceUrl}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      events: [
        { type: 'create_trip_attempted', request_id: requestId },
        { type: 'create_trip_succeeded', request_id: requestId, trip_id: `trip-${requestId}` },
      ],
    }),
  });
}
