import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { runCliProcess, spawnCli } from '../support/cli.js';
import { uniqueSchema } from '../support/databases.js';

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
});
