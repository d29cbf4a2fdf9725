/**
 * The background worker (the real app's background function): another process than the enqueue
 * function. It claims jobs, resumes each job's attempt by its request id, generates the trip and
 * closes the attempt. Run by `npm run example`; stops on SIGTERM/SIGINT after its current job.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createHttpTripmeter } from 'tripmeter/http';
import { GenerationError, generateTrip } from './generate-trip.js';
import { claim, complete, type Job, type JobOutcome, openQueue } from './queue.js';
import { readEnv } from './settings.js';

const env = readEnv(['TRIPMETER_URL', 'TRIPMETER_INGEST_KEY', 'QUEUE_DIR']);
const tripmeter = createHttpTripmeter({ endpoint: env.TRIPMETER_URL, key: env.TRIPMETER_INGEST_KEY });

async function work(job: Job): Promise<JobOutcome> {
  // Started by the enqueue function: the stored start gives the duration.
  const attempt = tripmeter.resumeAttempt(job.requestId);
  try {
    const { tripId } = await generateTrip(job);
    attempt.succeed({ tripId });
    return { status: 'success', tripId };
  } catch (error) {
    // As the real worker: the app's code, else the error's name (`TypeError`), kept as its class.
    const known = error instanceof GenerationError ? error : undefined;
    const errorCode = known?.code ?? (error as Error).name;
    attempt.fail({ errorCode, error, httpStatus: known?.httpStatus });
    return { status: 'failed', errorCode };
  } finally {
    await tripmeter.flush(); // a background function flushes before it returns
  }
}

let running = true;
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => (running = false));
await openQueue(env.QUEUE_DIR);
console.log('travel-app worker waiting for jobs');
while (running) {
  const job = await claim(env.QUEUE_DIR);
  if (job) await complete(env.QUEUE_DIR, job.requestId, await work(job));
  else await sleep(100);
}
await tripmeter.shutdown(5_000);
