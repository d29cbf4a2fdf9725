import { once } from 'node:events';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ADMIN_KEY_COMMANDS } from '../../src/cli/running-service.js';
import { readRunningService } from '../../src/storage/index.js';
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
