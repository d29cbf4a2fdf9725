import type { Job, Scenario } from './queue.js';

/**
 * The worker's generation: call the provider (with a timeout), parse its answer, normalise the
 * itinerary. Known failures throw a {@link GenerationError} with the app's code; anything else
 * throws as it comes (a `TypeError` when the answer has an unexpected shape), as in the real app.
 */

/** The provider call's time limit: about 120 s in the real app, 2 s here so the demo stays quick. */
export const PROVIDER_TIMEOUT_MS = 2_000;

/** A failure the app knows: an UPPER_SNAKE code such as `OPENAI_REQUEST_TIMEOUT` and maybe a status. */
export class GenerationError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'GenerationError';
  }
}

/** Resolves after `ms`, or rejects with the signal's reason (a `TimeoutError`), as `fetch` does. */
function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', abort, { once: true });
  });
}

/** The fake AI provider: what it answers depends on the scenario the page picked. */
async function callProvider(scenario: Scenario, _prompt: string, signal: AbortSignal): Promise<string> {
  await wait(scenario === 'timeout' ? 60_000 : 50, signal);
  if (scenario === 'unparsable') return 'Sure! Here is a lovely trip: Day 1, arrive and rest…';
  if (scenario === 'broken') return JSON.stringify({ title: 'A trip', itinerary: 'days left out' });
  return JSON.stringify({ title: 'A trip', days: [{ day: 1, city: 'Lisbon' }] });
}

/** Generates the job's trip; returns its id. */
export async function generateTrip(job: Job): Promise<{ tripId: string }> {
  const { prompt, target } = job.body.payload;
  const PROVIDER = target.provider.toUpperCase();
  let answer: string;
  try {
    answer = await callProvider(job.scenario, prompt, AbortSignal.timeout(PROVIDER_TIMEOUT_MS));
  } catch (error) {
    if ((error as Error).name !== 'TimeoutError') throw error;
    throw new GenerationError(`${PROVIDER}_REQUEST_TIMEOUT`, `no answer in ${PROVIDER_TIMEOUT_MS} ms`, 504);
  }
  let itinerary: { days: { day: number; city: string }[] };
  try {
    itinerary = JSON.parse(answer);
  } catch {
    throw new GenerationError(`${PROVIDER}_PARSE_FAILED`, 'the answer is not JSON');
  }
  // No check of the shape here: an answer without `days` throws a TypeError, the bug the real
  // worker reported as `error.name`.
  const cities = itinerary.days.map((day) => day.city);
  if (cities.length === 0) throw new GenerationError(`${PROVIDER}_RESPONSE_INCOMPLETE`, 'no days');
  return { tripId: job.body.tripId };
}
