import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { newId, type TelemetryEvent } from '../../src/domain/index.js';
import { SUBJECT_LOCK } from '../../src/storage/subject-locks.js';
import { writeTables } from '../../src/store/attempt-statements.js';
import { PostgresSink } from '../../src/store/index.js';
import { lockSubjectsAndProbe, requestLocks } from '../../src/store/write-locks.js';
import { describeOnDatabases } from '../support/databases.js';

const T0 = Date.parse('2026-03-10T12:00:00Z');
const ANON = '5b0f3c2e-8f1a-4c1e-9d2b-00000000000a';

describeOnDatabases('subject locks of a batch', (ctx) => {
  it('takes the shared lock of the anonymous id of the attempt an anonymous-less event finishes', async () => {
    const database = await ctx.open({ now: new Date(T0) });
    const started: TelemetryEvent = {
      id: newId(),
      type: 'create_trip_attempted',
      requestId: 'r-known',
      occurredAt: new Date(T0),
      anonSessionId: ANON,
      source: 'app',
    };
    await new PostgresSink(database).write([started]);
    const finished: TelemetryEvent = {
      id: newId(),
      type: 'create_trip_succeeded',
      requestId: 'r-known',
      occurredAt: new Date(T0 + 1_000),
      source: 'app',
      tripId: 't-1',
    };
    const t = writeTables(database.schema, `${database.schema}.identity_links`);
    const held = await database.writeTransaction(async (tx) => {
      await tx.query(requestLocks(['r-known', 'r-new']));
      const known = await lockSubjectsAndProbe(tx, t, [finished], ['r-known', 'r-new']);
      const [row] = await tx.query(sql<{ n: number }>`
        SELECT count(*)::integer AS n FROM pg_locks
        WHERE locktype = 'advisory' AND mode = 'ShareLock' AND pid = pg_backend_pid()
          AND classid = ${SUBJECT_LOCK.anon}::integer::oid
          AND objid = (hashtext(${ANON}) & 255)::oid AND objsubid = 2`);
      return { known: [...known.attempts], anatomy: [...known.anatomy], n: row?.n };
    });
    expect(held).toEqual({ known: ['r-known'], anatomy: [], n: 1 });
  });
});
