import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawnCli } from './cli.js';

/** A `tripmeter serve` running as a child process. */
export interface ServeProcess {
  url: string;
  child: ReturnType<typeof spawnCli>;
  /** Everything it printed so far. */
  output(): string;
  /** Sends `signal` (default SIGTERM) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `tripmeter serve --port 0 …args` as a child process (with `env` added to this
 * process's environment) and resolves once it prints `tripmeter listening on <url>`; rejects
 * when it exits first or after `timeoutMs`.
 */
export async function startServeProcess(
  args: string[],
  timeoutMs = 60_000,
  env: Record<string, string> = {},
): Promise<ServeProcess> {
  const child = spawnCli(['serve', '--port', '0', '--log-level', 'warn', ...args], env);
  let out = '';
  const collect = (d: Buffer) => {
    out += d;
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve did not start in ${timeoutMs} ms:\n${out}`)),
      timeoutMs,
    );
    child.stdout.on('data', () => {
      const match = /tripmeter listening on (\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited early with ${code}:\n${out}`));
    });
  });
  return {
    url,
    child: child as ChildProcessWithoutNullStreams & ReturnType<typeof spawnCli>,
    output: () => out,
    stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
