import umamiModule from '@umami/node';
import { PostHog } from 'posthog-node';
import { createTripmeter } from '../src/store/index.js';
import { benchDatabase, fmt, median, sinkServer, tick } from './support.js';

const input = {
  destinationPrompt: 'Portugal',
  options: {
    budget: 'Low',
    pace: 'Relaxed',
    dateInputMode: 'flex',
    flexWeeks: 2,
    notes: 'surfing in Ericeira',
    aiTarget: { provider: 'gemini', model: 'gemini-3-pro-preview' },
  },
};

/** Median per-operation cost in µs over `samples` runs of `perSample` calls. */
async function measure(
  perSample: number,
  samples: number,
  op: (i: number) => void,
  between: () => Promise<unknown>,
) {
  const costs: number[] = [];
  let i = 0;
  const warmup = 50; // warm the JIT before the samples that count
  for (let s = 0; s < samples + warmup; s++) {
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < perSample; k++) op(i++);
    const t1 = process.hrtime.bigint();
    if (s >= warmup) costs.push(Number(t1 - t0) / perSample / 1000);
    await between();
  }
  return median(costs);
}

/**
 * Hot-path cost of start + succeed per attempt, beside posthog-node's `capture()` and
 * @umami/node's `track()` (two calls each, the same two facts) pointed at a local endpoint.
 */
export async function benchHotPath() {
  const server = await sinkServer();
  const database = await benchDatabase('hot');
  const tracker = createTripmeter({ database, maxQueue: 1_000_000 });
  const ours = await measure(
    200,
    300,
    (i) => {
      tracker
        .startAttempt({ anonSessionId: '5b0f3c2e-8f1a-4c1e-9d2b-3a4b5c6d7e8f', input, requestId: `hp-${i}` })
        .succeed({ tripId: `t-${i}` });
    },
    () => tracker.flush(),
  );
  await tracker.shutdown(60_000);
  await database.drop();

  const posthog = new PostHog('phc_bench', { host: server.url, flushAt: 100, flushInterval: 1000 });
  const ph = await measure(
    200,
    300,
    (i) => {
      posthog.capture({
        distinctId: `d-${i}`,
        event: 'create_trip_attempted',
        properties: { ...input.options, request_id: `hp-${i}` },
      });
      posthog.capture({
        distinctId: `d-${i}`,
        event: 'create_trip_succeeded',
        properties: { trip_id: `t-${i}`, request_id: `hp-${i}` },
      });
    },
    () => posthog.flush(),
  );
  await posthog.shutdown();

  const umami = new umamiModule.Umami({
    hostUrl: server.url,
    websiteId: '00000000-0000-4000-8000-000000000001',
  });
  const pendingUmami: Promise<unknown>[] = [];
  const um = await measure(
    50,
    60,
    (i) => {
      pendingUmami.push(
        umami.track('create_trip_attempted', { budget: 'Low', request_id: `hp-${i}` }).catch(() => {}),
      );
      pendingUmami.push(umami.track('create_trip_succeeded', { trip_id: `t-${i}` }).catch(() => {}));
    },
    async () => {
      await Promise.all(pendingUmami.splice(0));
      await tick();
    },
  );
  await server.close();
  return {
    title: 'Hot path: cost per attempt (start + succeed, or two captures), median µs',
    rows: [
      ['tripmeter startAttempt() + succeed()', `${fmt(ours, 2)} µs`, '1.00×'],
      ['posthog-node capture() ×2', `${fmt(ph, 2)} µs`, `${(ph / ours).toFixed(1)}× ours`],
      ['@umami/node track() ×2', `${fmt(um, 2)} µs`, `${(um / ours).toFixed(1)}× ours`],
    ],
    ours,
    posthog: ph,
    umami: um,
  };
}
