/**
 * A worker killed mid-attempt, for `crash-window.test.ts`: it starts an attempt, flushes so the
 * start is committed, then queues the end and prints `flushed <requestId>`; the test kills it
 * with SIGKILL before the end's flush interval (a minute) comes.
 *
 * Usage: node --import tsx killed-worker.ts postgres <url> <schema>
 *        node --import tsx killed-worker.ts pglite <dataDir>
 */
import { createTripmeter } from '../../src/store/index.js';

const [kind, target, schema] = process.argv.slice(2);
const tracker = createTripmeter(
  kind === 'postgres'
    ? { databaseUrl: target, schema, flushIntervalMs: 60_000 }
    : { dataDir: target!, migrate: true, flushIntervalMs: 60_000 },
);
const attempt = tracker.startAttempt({
  anonSessionId: '0190a3c4-5b6d-7e8f-9a0b-1c2d3e4f5a6b',
  provider: 'openai',
});
await tracker.flush();
attempt.succeed({ tripId: 'never-written' });
process.stdout.write(`flushed ${attempt.requestId}\n`);
setInterval(() => {}, 1_000); // a worker busy with its next job, until it is killed
