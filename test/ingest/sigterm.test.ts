import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/index.js';
import { cli } from '../support/cli.js';
import { postAttempt } from '../support/ingest.js';
import { startServeProcess } from '../support/serve-process.js';

const CONCURRENCY = 32;
const REQUESTS = 3_000;
const SIGTERM_AFTER = 150;

describe('SIGTERM during HTTP ingest load', () => {
  it('loses no event that was answered 202 and duplicates none', async () => {
    const dataDir = join(mkdtempSync('/tmp/tripmeter-sigterm-'), 'pgdata');
    expect((await cli(['migrate', '--data-dir', dataDir])).code).toBe(0);
    const key = (await cli(['keys', 'create', '--scope', 'ingest', '--data-dir', dataDir])).stdout
      .trim()
      .split(/\s+/)
      .at(-1)!;
    const serve = await startServeProcess(['--data-dir', dataDir]);

    const accepted: string[] = [];
    const outcomes = { accepted: 0, refused: 0, network: 0 };
    let next = 0;
    let exitCode: Promise<number | null> | undefined;
    const worker = async () => {
      while (next < REQUESTS) {
        const id = `sig-${next++}`;
        let status: number;
        let body: unknown;
        try {
          const res = await postAttempt(serve.url, key, id);
          status = res.status;
          body = await res.json();
        } catch {
          outcomes.network++; // the server closed the connection or refused it: not answered, not counted
          if (exitCode) return;
          continue;
        }
        if (status === 202) {
          expect(body).toEqual({ accepted: 2, duplicates: 0 });
          accepted.push(id);
          outcomes.accepted++;
          if (outcomes.accepted === SIGTERM_AFTER) exitCode = serve.stop('SIGTERM');
        } else {
          expect(status).toBe(503);
          outcomes.refused++;
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(exitCode, `SIGTERM was never sent: ${JSON.stringify(outcomes)}\n${serve.output()}`).toBeDefined();
    expect(await exitCode).toBe(0);
    expect(outcomes.accepted).toBeGreaterThanOrEqual(SIGTERM_AFTER);
    expect(outcomes.accepted).toBeLessThan(REQUESTS); // it did stop mid-way

    const database = await openDatabase({ dataDir, schema: 'trip_tracking' });
    try {
      const db = database.db.withSchema(database.schema);
      const events = await db
        .selectFrom('trip_creation_events')
        .select(['request_id', 'event_type'])
        .execute();
      const stored = new Map<string, number>();
      for (const e of events)
        stored.set(
          `${e.request_id}/${e.event_type}`,
          (stored.get(`${e.request_id}/${e.event_type}`) ?? 0) + 1,
        );
      const lost = accepted.flatMap((id) =>
        ['create_trip_attempted', 'create_trip_succeeded']
          .filter((type) => !stored.has(`${id}/${type}`))
          .map((t) => `${id}/${t}`),
      );
      expect(lost).toEqual([]);
      expect([...stored.values()].filter((n) => n > 1)).toEqual([]);
      const attempts = await db
        .selectFrom('trip_creation_attempts')
        .select(['request_id', 'status'])
        .where('request_id', 'in', accepted)
        .execute();
      expect(attempts).toHaveLength(accepted.length);
      expect(attempts.every((a) => a.status === 'success')).toBe(true);
      const dupAttempts = await sql<{
        n: number;
      }>`SELECT count(*) - count(DISTINCT request_id) AS n FROM ${sql.table(`${database.schema}.trip_creation_attempts`)}`.execute(
        database.db,
      );
      expect(dupAttempts.rows[0]!.n).toBe(0);
      console.log(
        `SIGTERM under load: ${JSON.stringify(outcomes)}; ${events.length} event rows, 0 lost, 0 duplicated`,
      );
    } finally {
      await database.close();
    }
  }, 180_000);
});
