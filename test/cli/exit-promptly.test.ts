import { describe, expect, inject, it } from 'vitest';
import { spawnCli } from '../support/cli.js';
import { uniqueSchema } from '../support/databases.js';

/** How long a verb may live after its output: closing the pool takes a few ms. */
const PROMPT_EXIT_MS = 2_000;
/** Past this, the verb is killed: it would have lingered (pg's idle timeout is 10 s). */
const KILL_AFTER_MS = 6_000;

/**
 * Runs one verb as a real process and measures the time from its first output to its exit, so
 * tsx's start-up does not count; the verb writes its result just before it closes the database.
 */
function runTimed(argv: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string; lingerMs: number }>((resolve) => {
    const child = spawnCli(argv);
    let stdout = '';
    let stderr = '';
    let firstOutputAt: number | undefined;
    let killer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d) => {
      stdout += d;
      if (firstOutputAt === undefined) {
        firstOutputAt = Date.now();
        killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
      }
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({
        code,
        stdout,
        stderr,
        lingerMs: firstOutputAt === undefined ? -1 : Date.now() - firstOutputAt,
      });
    });
  });
}

describe.skipIf(!inject('pgUrl'))('every short CLI verb exits as soon as it is done (PostgreSQL)', () => {
  const db = ['--database-url', inject('pgUrl')!, '--schema', uniqueSchema('verbs')];
  const anon = '0190a3c4-5b6d-7e8f-9a0b-1c2d3e4f5a6b';
  const user = '0190a3c4-5b6d-7e8f-9a0b-1c2d3e4f5a6c';
  let keyId = '';

  // In this order: migrate first, a key to list and revoke, demo rows to report and delete.
  const verbs: Array<[string, () => string[]]> = [
    ['migrate', () => ['migrate', ...db]],
    ['keys create', () => ['keys', 'create', '--scope', 'admin', ...db]],
    ['keys list', () => ['keys', 'list', ...db]],
    ['keys revoke', () => ['keys', 'revoke', keyId, ...db]],
    ['demo', () => ['demo', '--days', '1', '--sessions-per-day', '3', ...db]],
    ['report', () => ['report', '--range', '24h', ...db]],
    ['link', () => ['link', '--anon', anon, '--user', user, ...db]],
    ['delete', () => ['delete', '--user', user, ...db]],
    ['retention', () => ['retention', 'run', ...db]],
    ['reconcile', () => ['reconcile', ...db]],
    ['rollup', () => ['rollup', ...db]],
    ['audit', () => ['audit', ...db]],
    ['alerts', () => ['alerts', 'evaluate', ...db]],
    ['sql', () => ['sql', '--schema', 'trip_tracking']],
  ];

  it.each(verbs)('%s', async (name, argv) => {
    const run = await runTimed(argv());
    // demo draws its progress bar on stderr
    expect({ code: run.code, stderr: name === 'demo' ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
    if (name === 'keys create') keyId = /key (\S+) \(/.exec(run.stdout)![1]!;
    expect(run.lingerMs).toBeGreaterThanOrEqual(0);
    expect(run.lingerMs).toBeLessThan(PROMPT_EXIT_MS);
  });
});
