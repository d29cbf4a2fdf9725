import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ADMIN_KEY_COMMANDS } from '../../src/cli/running-service.js';
import { DataDirLockedError, openDatabase, readRunningService } from '../../src/storage/index.js';
import { currentHolder, holderIsAlive, lockDataDir, readLockHolder } from '../../src/storage/lock.js';
import { runCliProcess, spawnCli } from '../support/cli.js';
import { uniqueSchema } from '../support/databases.js';

/** Starts `serve` on `dir` and resolves with the process and the URL it prints once listening. */
async function startHolder(dir: string) {
  const holder = spawnCli(['serve', '--port', '0', '--data-dir', dir, '--log-level', 'silent']);
  let out = '';
  holder.stdout.on('data', (d) => {
    out += d;
  });
  const url = await new Promise<string>((resolve, reject) => {
    holder.stdout.on('data', () => {
      const match = /listening on (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    holder.once('exit', (code) => reject(new Error(`holder exited early with ${code}`)));
  });
  return { holder, url };
}

describe('PGlite data folder lock', () => {
  it('gives a second process a clear error naming the folder and the pid holding it', async () => {
    const dir = `/tmp/tripmeter-lock-${uniqueSchema()}`;
    const holder = spawnCli(['serve', '--port', '0', '--data-dir', dir, '--log-level', 'silent']);
    try {
      let out = '';
      holder.stdout.on('data', (d) => {
        out += d;
      });
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', () => out.includes('listening') && resolve());
        holder.once('exit', (code) => reject(new Error(`holder exited early with ${code}`)));
      });
      const second = await runCliProcess(['migrate', '--data-dir', dir]);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`PGlite data folder ${dir} is in use by process ${holder.pid}`);
      expect(second.stderr).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
    } finally {
      holder.kill('SIGTERM');
      await once(holder, 'exit');
    }
    // released on shutdown: the folder opens again
    const after = await runCliProcess(['migrate', '--data-dir', dir]);
    expect(after.code).toBe(0);
  });

  it('answers a second serve with the running dashboard and how to get a key', async () => {
    const dir = `/tmp/tripmeter-lock-${uniqueSchema()}`;
    const { holder, url } = await startHolder(dir);
    try {
      const second = await runCliProcess(['serve', '--port', '0', '--data-dir', dir]);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain(`already running on this data folder (process ${holder.pid})`);
      expect(second.stdout).toContain(`dashboard at ${url}/`);
      expect(second.stdout).toContain(ADMIN_KEY_COMMANDS.clone);
      expect(second.stdout).toContain(ADMIN_KEY_COMMANDS.installed);
      expect(second.stderr).toBe('');

      // Other verbs still fail on the lock, and say which service holds it.
      const keys = await runCliProcess(['keys', 'create', '--scope', 'admin', '--data-dir', dir]);
      expect(keys.code).toBe(1);
      expect(keys.stderr).toContain(`is in use by process ${holder.pid}`);
      expect(keys.stderr).toContain(`It is the tripmeter service at ${url}/`);
    } finally {
      holder.kill('SIGTERM');
      await once(holder, 'exit');
    }
    // The record goes with the service.
    expect(existsSync(`${dir}.serve.json`)).toBe(false);
  });

  it('does not believe a record left by another process', () => {
    const dir = `/tmp/tripmeter-lock-${uniqueSchema()}`;
    const file = `${dir}.serve.json`;
    writeFileSync(file, JSON.stringify({ pid: 4242, url: 'http://127.0.0.1:9' }));
    try {
      expect(readRunningService(dir, 4242)).toEqual({ pid: 4242, url: 'http://127.0.0.1:9' });
      expect(readRunningService(dir, 4243)).toBeUndefined();
      expect(readRunningService(`${dir}-none`, 4242)).toBeUndefined();
    } finally {
      rmSync(file, { force: true });
    }
  });
});

describe('the CLI from a clone', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    bin: Record<string, string>;
    scripts: Record<string, string>;
  };

  it('is the npm script `tripmeter`, which runs the same file as the installed bin', () => {
    expect(ADMIN_KEY_COMMANDS.clone).toMatch(/^npm run tripmeter -- /);
    expect(pkg.scripts.tripmeter).toBe(`node ${pkg.bin.tripmeter}`);
  });

  it('is what the dashboard key prompt shows, in both forms', () => {
    const prompt = readFileSync(new URL('../../src/dashboard/main.ts', import.meta.url), 'utf8');
    expect(prompt).toContain(ADMIN_KEY_COMMANDS.clone);
    expect(prompt).toContain(ADMIN_KEY_COMMANDS.installed);
  });
});

const LOCK_MODULE = fileURLToPath(new URL('../../src/storage/lock.ts', import.meta.url));

/** A process that takes the lock of `dir` and waits; resolves once it holds it. */
async function holdInChild(dir: string) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `import { lockDataDir } from ${JSON.stringify(LOCK_MODULE)};
       await lockDataDir(${JSON.stringify(dir)});
       console.log('held');
       setInterval(() => {}, 1000);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => String(d).includes('held') && resolve());
    child.once('exit', (code) => reject(new Error(`lock holder exited early with ${code}`)));
  });
  return child;
}

describe('the lock tells a live holder from a stale one, by more than the pid', () => {
  const fresh = () => `/tmp/tripmeter-lock-${uniqueSchema()}`;

  it('a record is alive only if its pid runs, since the recorded start, in the same boot', () => {
    const me = currentHolder();
    expect(holderIsAlive(me)).toBe(true);
    expect(holderIsAlive({ ...me, bootId: 'another-boot' })).toBe(false);
    expect(holderIsAlive({ ...me, startTime: String(Number(me.startTime) + 1) })).toBe(false);
    // pid 1 runs, but it is not the process that wrote a record with this start time
    expect(holderIsAlive({ pid: 1, startTime: '999999999', bootId: me.bootId })).toBe(false);
    expect(holderIsAlive({ pid: 2 ** 22 + 1 })).toBe(false); // above pid_max: never running
    expect(holderIsAlive({ pid: process.ppid })).toBe(true); // a bare pid (old record): all we can tell
  });

  it('takes over a lock left by a kill -9 whose pid now belongs to a live, unrelated process', async () => {
    const dir = fresh();
    const holder = await holdInChild(dir);
    holder.kill('SIGKILL');
    await once(holder, 'exit');
    const file = `${dir}.lock`;
    expect(existsSync(file)).toBe(true); // a kill -9 runs no exit handler
    // The pid is reused: by the test runner's parent (as by PID 1 after a container restart).
    for (const record of [
      String(process.ppid),
      JSON.stringify({ pid: 1 }),
      JSON.stringify({ ...currentHolder(), pid: process.ppid, bootId: 'a-previous-boot' }),
    ]) {
      writeFileSync(file, record);
      const lock = await lockDataDir(dir);
      expect(readLockHolder(file)).toEqual(currentHolder());
      lock.release();
      expect(existsSync(file)).toBe(false);
    }
  });

  it('refuses a live holder in another process, naming the folder, the pid and what to do', async () => {
    const dir = fresh();
    const holder = await holdInChild(dir);
    try {
      const error = await lockDataDir(dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataDirLockedError);
      expect((error as Error).message).toContain(
        `PGlite data folder ${dir} is in use by process ${holder.pid}`,
      );
      expect((error as Error).message).toContain('stop that process');
    } finally {
      holder.kill('SIGKILL');
      await once(holder, 'exit');
    }
    (await lockDataDir(dir)).release(); // gone with its process, even after kill -9
  });

  it('keys on the real path: a symlink to a held folder is refused with the real folder named', async () => {
    const real = fresh();
    mkdirSync(real);
    const link = `${real}-link`;
    symlinkSync(real, link);
    const lock = await lockDataDir(real);
    try {
      const error = await openDatabase({ dataDir: link, schema: 'trip_tracking' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataDirLockedError);
      expect(error).toMatchObject({ dataDir: real, pid: process.pid, lockFile: `${real}.lock` });
      expect((error as Error).message).toContain(
        `PGlite data folder ${real} is in use by process ${process.pid}`,
      );
      expect(existsSync(`${link}.lock`)).toBe(false);
    } finally {
      lock.release();
    }
  });

  it('opens a free folder through a symlink, under the lock of its real path', async () => {
    const real = fresh();
    mkdirSync(real);
    const link = `${real}-link`;
    symlinkSync(real, link);
    const database = await openDatabase({ dataDir: link, schema: 'trip_tracking' });
    try {
      expect(readLockHolder(`${real}.lock`)?.pid).toBe(process.pid);
      expect(existsSync(`${link}.lock`)).toBe(false);
      await sql`create table t (n int)`.execute(database.db);
    } finally {
      await database.close();
    }
    expect(existsSync(`${real}.lock`)).toBe(false);
    // The data went into the real folder: opened by its real path, the table is there.
    const byRealPath = await openDatabase({ dataDir: real, schema: 'trip_tracking' });
    try {
      expect((await sql<{ n: number }>`select count(*) as n from t`.execute(byRealPath.db)).rows).toEqual([
        { n: 0 },
      ]);
    } finally {
      await byRealPath.close();
    }
  });
});
