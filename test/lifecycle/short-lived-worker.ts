/**
 * A short-lived worker as a cron job would write one, for `exit-after-shutdown.test.ts`: create
 * the tracker, record one attempt, shut down, and end without `process.exit`. The test measures
 * how long the process lives after it prints `shut down`.
 *
 * Usage: node --import tsx short-lived-worker.ts postgres <url> <schema> <requestId>
 *        node --import tsx short-lived-worker.ts pglite <dataDir> <requestId>
 *        node --import tsx short-lived-worker.ts http <endpoint> <requestId>
 */
import { createHttpTripmeter } from '../../src/http/index.js';
import { createTripmeter } from '../../src/store/index.js';
import type { Tracker } from '../../src/tracker/index.js';

const [kind, target, ...rest] = process.argv.slice(2);
const requestId = rest.at(-1)!;
const anonSessionId = '0190a3c4-5b6d-7e8f-9a0b-1c2d3e4f5a6b';

function trackerOf(): Tracker {
  if (kind === 'postgres') return createTripmeter({ databaseUrl: target, schema: rest[0] });
  if (kind === 'pglite') return createTripmeter({ dataDir: target, migrate: true });
  if (kind === 'http') return createHttpTripmeter({ endpoint: target!, key: 'tm_ingest_test' });
  throw new Error(`unknown kind ${kind}`);
}

const tracker = trackerOf();
tracker.startAttempt({ requestId, anonSessionId }).succeed({ tripId: 'trip-1' });
// The HTTP target never takes the batch: a short drain, then everything left is given up.
const lost = await tracker.shutdown(kind === 'http' ? 300 : 10_000);
process.stdout.write(`shut down, lost ${lost}, written ${tracker.stats().written}\n`);
