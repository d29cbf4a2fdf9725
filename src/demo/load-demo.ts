import { sql } from 'kysely';
import { type ClientEventRow, writeClientEvents } from '../client-events/index.js';
import { newId } from '../domain/index.js';
import { linkIdentity } from '../identity/index.js';
import { loadPrices } from '../prices/index.js';
import { CTA_EVENT_NAME, rebuildRollups } from '../rollups/index.js';
import type { Database } from '../storage/index.js';
import { createTripmeter } from '../store/index.js';
import { anatomyOf } from './anatomy.js';
import { DEMO_INPUTS, GENERIC_ERRORS, MODEL_PROFILES, type ModelProfile } from './profiles.js';
import { Random } from './random.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MINUTE_MS = 60_000;

/** Options of {@link loadDemo}. */
export interface DemoOptions {
  /** Days of traffic ending at `now`. */
  days: number;
  /** The end of the demo period (the injected clock). */
  now: Date;
  /** Browser sessions per average day (default 300, about 400 attempts). */
  sessionsPerDay?: number;
  /** PRNG seed: the same seed gives the same data (default 7). */
  seed?: number;
  /** Called as sessions are generated. */
  onProgress?: (done: number, total: number) => void;
}

/** What {@link loadDemo} wrote. */
export interface DemoResult {
  sessions: number;
  attempts: number;
  ctaClicks: number;
  links: number;
  incident: { provider: string; model: string; from: Date; to: Date };
  /** The prompt version that doubles output tokens (and cost), and since when. */
  costIncident: { version: string; from: Date };
  /** Provider calls recorded. */
  calls: number;
}

/** The prompt version of the cost incident: it asks for richer days and doubles output tokens. */
export const COSTLY_VERSION = 'classic_v3';

/** Relative traffic of an hour of the day (UTC): quiet nights, an afternoon peak. */
export function dailyCurve(hour: number): number {
  return 0.15 + Math.exp(-((hour - 15) ** 2) / (2 * 4 ** 2));
}

function incidentOf(now: Date, days: number) {
  const day = Math.floor(now.getTime() / DAY_MS) * DAY_MS - (days >= 3 ? 2 : 0) * DAY_MS;
  const from = days >= 3 ? new Date(day + 13 * HOUR_MS) : new Date(now.getTime() - 5 * HOUR_MS);
  return {
    provider: 'gemini',
    model: 'gemini-3-pro-preview',
    from,
    to: new Date(from.getTime() + 3 * HOUR_MS),
  };
}

/**
 * Writes realistic traffic through the public tracker (`createTripmeter` with an injected
 * clock): a daily curve; providers/models with their own latency and failure profiles; one
 * failure incident (Gemini timeouts for three hours); the provider calls and phases of each
 * attempt (tokens, cost, time to first token, retries and fallbacks, see `anatomyOf`) and one cost
 * incident (prompt version `classic_v3` doubles output tokens in the last 36 hours); anonymous sessions of which some log in
 * (linked with `linkIdentity`); CTA clicks with drop-off and retries (client events). Then
 * rebuilds the rollups.
 *
 * @example
 * await loadDemo(database, { days: 14, now: new Date() });
 */
export async function loadDemo(database: Database, options: DemoOptions): Promise<DemoResult> {
  const { days, now } = options;
  const rng = new Random(options.seed ?? 7);
  // Calls and phases draw from their own stream, so the attempts are those of the same seed without them.
  const anatomyRng = new Random((options.seed ?? 7) ^ 0x5eed);
  const costlyFrom = now.getTime() - Math.min(36 * HOUR_MS, (days * DAY_MS) / 4);
  let calls = 0;
  const start = now.getTime() - days * DAY_MS;
  await sql`SELECT ${sql.ref(`${database.schema}.ensure_partitions`)}(${new Date(start - DAY_MS).toISOString()}::timestamptz, ${new Date(now.getTime() + DAY_MS).toISOString()}::timestamptz)`.execute(
    database.db,
  );
  await loadPrices(database); // the shipped list where a price is absent: the demo's calls get a cost
  const incident = incidentOf(now, days);
  let clock = start;
  const tracker = createTripmeter({ database, now: () => clock, batchSize: 1000, flushIntervalMs: 60_000 });
  const clicks: ClientEventRow[] = [];
  const links: { anonSessionId: string; userId: string; at: Date }[] = [];
  const perHour =
    (options.sessionsPerDay ?? 300) /
    24 /
    (Array.from({ length: 24 }, (_, h) => dailyCurve(h)).reduce((a, b) => a + b) / 24);
  const sessionStarts: number[] = [];
  for (let hour = Math.ceil(start / HOUR_MS) * HOUR_MS; hour < now.getTime(); hour += HOUR_MS) {
    const d = new Date(hour);
    const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6 ? 1.25 : 1;
    const expected = perHour * dailyCurve(d.getUTCHours()) * weekend;
    const n = Math.floor(expected) + (rng.chance(expected % 1) ? 1 : 0);
    for (let i = 0; i < n; i++) sessionStarts.push(hour + rng.int(0, HOUR_MS - 1));
  }
  let attempts = 0;
  const finishedBy = (t: number) => t < now.getTime();
  for (const [index, sessionStart] of sessionStarts.entries()) {
    const anon = rng.uuid();
    const source = rng.chance(0.1) ? 'widget' : 'app';
    const loginAt = rng.chance(0.22) ? sessionStart + rng.int(1, 20) * MINUTE_MS : undefined;
    const userId = loginAt === undefined ? undefined : rng.uuid();
    if (loginAt !== undefined && userId && finishedBy(loginAt))
      links.push({ anonSessionId: anon, userId, at: new Date(loginAt) });
    let t = sessionStart;
    let profile = rng.pick(MODEL_PROFILES, (p) => p.weight);
    for (let step = 0; step < 4 && finishedBy(t); step++) {
      clicks.push({
        id: newId(),
        clientId: true,
        createdAt: new Date(t),
        anonSessionId: anon,
        name: CTA_EVENT_NAME,
        props: {},
      });
      if (rng.chance(0.17)) break; // drop-off: clicked, never reached the generator
      const startedAt = t + rng.int(1, 40) * 1000;
      const outcome = attemptOutcome(rng, profile, startedAt, incident);
      const signedIn = loginAt !== undefined && startedAt >= loginAt;
      let version =
        startedAt > now.getTime() - (days * DAY_MS) / 2 && rng.chance(0.45) ? 'classic_v2' : 'classic_v1';
      if (startedAt >= costlyFrom && anatomyRng.chance(0.35)) version = COSTLY_VERSION;
      clock = startedAt;
      const handle = tracker.startAttempt({
        anonSessionId: anon,
        userId: signedIn ? userId : undefined,
        input: {
          ...DEMO_INPUTS[rng.int(0, DEMO_INPUTS.length - 1)],
          aiTarget: { provider: profile.provider, model: profile.model },
        },
        provider: profile.provider,
        model: profile.model,
        promptContractVersion: version,
        source,
      });
      attempts++;
      const endedAt = startedAt + outcome.durationMs;
      if (!finishedBy(endedAt)) break; // still running at `now`: stays pending
      const anatomy = anatomyOf(anatomyRng, {
        profile,
        durationMs: outcome.durationMs,
        errorCode: outcome.errorCode,
        outputFactor: version === COSTLY_VERSION ? 2 : 1,
      });
      for (const phase of anatomy.phases)
        handle.phase(phase.name, new Date(startedAt + phase.offsetMs), phase.durationMs);
      for (const { offsetMs, ...call } of anatomy.calls)
        handle.providerCall({ ...call, startedAt: new Date(startedAt + offsetMs) });
      calls += anatomy.calls.length;
      clock = endedAt;
      if (outcome.errorCode) handle.fail({ errorCode: outcome.errorCode });
      else handle.succeed({ tripId: `trip_${rng.uuid().slice(0, 8)}` });
      if (outcome.errorCode) {
        if (!rng.chance(0.55)) break; // gave up
        if (rng.chance(0.25)) profile = rng.pick(MODEL_PROFILES, (p) => p.weight);
        t = endedAt + rng.int(20, 300) * 1000;
      } else {
        if (!rng.chance(0.12)) break;
        t = endedAt + rng.int(5, 90) * MINUTE_MS;
      }
    }
    if (index % 200 === 0) {
      await tracker.flush();
      options.onProgress?.(index, sessionStarts.length);
    }
  }
  await tracker.shutdown(60_000);
  options.onProgress?.(sessionStarts.length, sessionStarts.length);
  for (const link of links) await linkIdentity(database, link, { now: link.at });
  for (let i = 0; i < clicks.length; i += 1000)
    await writeClientEvents(database, clicks.slice(i, i + 1000), now);
  await rebuildRollups(database, { now });
  return {
    sessions: sessionStarts.length,
    attempts,
    ctaClicks: clicks.length,
    links: links.length,
    incident,
    costIncident: { version: COSTLY_VERSION, from: new Date(costlyFrom) },
    calls,
  };
}

function attemptOutcome(
  rng: Random,
  profile: ModelProfile,
  at: number,
  incident: { provider: string; model: string; from: Date; to: Date },
): { durationMs: number; errorCode?: string } {
  const inIncident =
    profile.provider === incident.provider && at >= incident.from.getTime() && at < incident.to.getTime();
  if (inIncident && rng.chance(0.45))
    return { durationMs: 120_000 + rng.int(0, 3000), errorCode: 'GEMINI_REQUEST_TIMEOUT' };
  if (rng.chance(profile.failureRate)) {
    const code = rng.chance(0.12)
      ? rng.pick(GENERIC_ERRORS, (e) => e[1])[0]
      : rng.pick(profile.errors, (e) => e[1])[0];
    const durationMs = code.endsWith('TIMEOUT')
      ? 120_000 + rng.int(0, 3000)
      : Math.round(rng.logNormal(profile.medianMs * 0.6, profile.sigma));
    return {
      durationMs: code === 'RATE_LIMITED' || code === 'PROMPT_TOO_LONG' ? rng.int(50, 400) : durationMs,
      errorCode: code,
    };
  }
  return { durationMs: Math.round(Math.min(119_000, rng.logNormal(profile.medianMs, profile.sigma))) };
}
