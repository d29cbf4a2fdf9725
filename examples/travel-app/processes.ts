import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The repository's root: child processes run there, so tsx and esbuild find tsconfig.json. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Node with tsx: runs the TypeScript entries of the example and of the CLI without a build. */
export const TSX = [process.execPath, '--import', 'tsx'];

/** The `tripmeter` CLI from source (`npx tripmeter` where the package is installed). */
export const TRIPMETER_CLI = [...TSX, 'src/cli/main.ts'];

/** A child process of the example. */
export interface RunningProcess {
  /** Its ready line's match (group 1: the URL it listens on); rejects when it exits first. */
  ready: Promise<RegExpExecArray>;
  /** Everything it printed so far. */
  output(): string;
  /** SIGTERM, then its exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts `command` in {@link ROOT} with `env` added; `ready` resolves once its output matches
 * `readyLine`. `echo` copies its lines to this process's stdout with that prefix. `detached`
 * puts it in its own process group, so a Ctrl-C in the terminal reaches only the parent, which
 * then stops its children in order.
 */
export function startProcess(
  command: readonly string[],
  readyLine: RegExp,
  options: { env?: Record<string, string>; echo?: string; detached?: boolean } = {},
): RunningProcess {
  const [file, ...args] = command as [string, ...string[]];
  const child = spawn(file, args, {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached,
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<RegExpExecArray>((resolve, reject) => {
    const collect = (data: Buffer) => {
      out += data;
      if (options.echo)
        for (const line of `${data}`.trimEnd().split('\n')) console.log(`${options.echo} ${line}`);
      const match = readyLine.exec(out);
      if (match) resolve(match);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    void exited.then((code) => reject(new Error(`${command.join(' ')} exited with ${code}:\n${out}`)));
  });
  return {
    ready,
    output: () => out,
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Runs `command` in {@link ROOT} to its end; resolves with its stdout, rejects on a non-zero exit. */
export function run(command: readonly string[]): Promise<string> {
  const [file, ...args] = command as [string, ...string[]];
  const child = spawn(file, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (data) => (stdout += data));
  child.stderr.on('data', (data) => (stderr += data));
  return new Promise((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`${command.join(' ')}: exit ${code}\n${stdout}${stderr}`)),
    ),
  );
}

/** A port free on 127.0.0.1 right now (the app needs its origin before its site key exists). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
