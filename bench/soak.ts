/**
 * Soak: `tripmeter serve` (child process, PostgreSQL) under a steady rate of single-event ingest
 * for 10 minutes (`SOAK_MS`), sampling the server's resident memory every 10 s. Reports the growth
 * from the first minute's end to the last sample (goal < 10 %), and checks every accepted event is
 * stored. Run: `npm run bench soak` or `node --import tsx bench/soak.ts`.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { createApiKey } from '../src/auth/index.js';
import { start, stop } from './http-load.js';
import { BENCH_URL, benchDatabase, fmt } from './support.js';

const SOAK_MS = Number(process.env.SOAK_MS ?? 600_000);
const RATE = Number(process.env.SOAK_RATE ?? 100); // requests per second, one event each
const SAMPLE_MS = 10_000;

const rssOf = (pid: number) => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? 0) * 1024;
};

/** Runs the soak and returns the `npm run bench` section. */
export default async function benchSoak() {
  const database = await benchDatabase('soak');
  const key = (await createApiKey(database, { scope: 'ingest' })).key;
  const { child, url } = await start(['src/cli/main.ts', 'serve', '--port', '0', '--log-level', 'warn'], {
    DATABASE_URL: BENCH_URL,
    TRIPMETER_SCHEMA: database.schema,
  });
  const samples: { at: number; rss: number }[] = [];
  let accepted = 0;
  let failed = 0;
  let serial = 0;
  const started = Date.now();
  try {
    const sampler = setInterval(
      () => samples.push({ at: Date.now() - started, rss: rssOf(child.pid!) }),
      SAMPLE_MS,
    );
    const inflight = new Set<Promise<void>>();
    while (Date.now() - started < SOAK_MS) {
      const tickStart = Date.now();
      for (let i = 0; i < RATE / 10; i++) {
        const body = JSON.stringify({
          type: 'create_trip_attempted',
          request_id: `soak-${serial++}`,
          input_snapshot: { destinationPrompt: 'Japan' },
        });
        const p: Promise<void> = fetch(`${url}/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body,
        })
          .then(async (res) => {
            if (res.status === 202) accepted += ((await res.json()) as { accepted: number }).accepted;
            else failed++;
          })
          .catch(() => {
            failed++;
          })
          .finally(() => inflight.delete(p));
        inflight.add(p);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - (Date.now() - tickStart))));
    }
    await Promise.all(inflight);
    clearInterval(sampler);
  } finally {
    await stop(child);
  }
  const { rows } = await sql<{
    n: number;
  }>`SELECT count(*) AS n FROM ${sql.table(`${database.schema}.trip_creation_events`)}`.execute(database.db);
  await database.drop();
  const warm = samples.find((s) => s.at >= 60_000) ?? samples[0]!;
  const last = samples.at(-1)!;
  const growth = (last.rss - warm.rss) / warm.rss;
  const mb = (b: number) => `${fmt(b / 1_048_576, 1)} MB`;
  return {
    title: `Soak: ${fmt(SOAK_MS / 60_000, 1)} min of single-event ingest at ${RATE} req/s, Postgres`,
    rows: [
      ['server RSS after the first minute', mb(warm.rss), ''],
      ['server RSS at the end', mb(last.rss), `${(growth * 100).toFixed(1)} % growth (goal < 10 %)`],
      [
        'events accepted (202) / stored / failed requests',
        `${fmt(accepted)} / ${fmt(rows[0]!.n)} / ${fmt(failed)}`,
        accepted === rows[0]!.n ? 'none lost' : 'MISMATCH',
      ],
    ],
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const section = await benchSoak();
  console.log(`\n### ${section.title}\n\n| case | result | note |\n| --- | --- | --- |`);
  for (const row of section.rows) console.log(`| ${row.join(' | ')} |`);
}
