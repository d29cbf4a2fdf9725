import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of this run's own Postgres database, when Postgres is reachable. */
    pgUrl: string | undefined;
    /** Why the Postgres suites are skipped (only outside CI). */
    pgSkipReason: string | undefined;
  }
}

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Creates one Postgres database for the whole run (dropped at the end) and hands its URL to the
 * suites. Outside CI an unreachable Postgres skips those suites with a notice; under CI=true it
 * fails the run.
 */
export default async function setup(project: TestProject) {
  const adminUrl = process.env.TRIPMETER_TEST_DATABASE_URL ?? DEFAULT_URL;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
  } catch (error) {
    const reason = `PostgreSQL unreachable at ${adminUrl} (${(error as Error).message})`;
    if (process.env.CI === 'true') throw new Error(`${reason}; CI=true requires it`);
    console.warn(
      `\n⚠ ${reason}: the PostgreSQL half of the storage tests is SKIPPED. Set TRIPMETER_TEST_DATABASE_URL.\n`,
    );
    project.provide('pgUrl', undefined);
    project.provide('pgSkipReason', reason);
    return;
  }
  const name = `tripmeter_test_${Date.now().toString(36)}_${process.pid}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  project.provide('pgUrl', url.toString());
  project.provide('pgSkipReason', undefined);
  return async () => {
    const dropper = new pg.Client({ connectionString: adminUrl });
    await dropper.connect();
    await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await dropper.end();
  };
}
