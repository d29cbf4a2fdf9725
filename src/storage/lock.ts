import { createHash } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { resolve } from 'node:path';

/** Thrown when another live process holds the PGlite data folder. */
export class DataDirLockedError extends Error {
  readonly code = 'DATA_DIR_LOCKED';
  constructor(
    /** The folder's real path (symlinks resolved): the one the lock is keyed on. */
    readonly dataDir: string,
    /** The holder's pid, as it recorded it (0 when it has not written its record yet). */
    readonly pid: number,
    readonly lockFile: string,
  ) {
    super(
      `PGlite data folder ${dataDir} is in use by ${pid > 0 ? `process ${pid}` : 'another process'} ` +
        `(lock file ${lockFile}). PGlite is single-process: stop that process, point ` +
        'TRIPMETER_DATA_DIR at another folder, or set DATABASE_URL to use PostgreSQL.',
    );
    this.name = 'DataDirLockedError';
  }
}

/** A held lock; `release()` is idempotent. */
export interface DataDirLock {
  readonly file: string;
  /** The folder's real path. */
  readonly dataDir: string;
  release(): void;
}

/**
 * Who holds a lock, as recorded in the lock file: the pid alone is not an identity (after a
 * kill -9 and a restart, PID 1 of a container, or any unrelated process, may carry it), so the
 * record adds the process's start time (field 22 of `/proc/<pid>/stat`, in clock ticks since
 * boot) and the boot id. Where `/proc` is missing (macOS) both are absent and only the pid counts.
 */
export interface LockHolder {
  pid: number;
  startTime?: string | undefined;
  bootId?: string | undefined;
}

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Field 22 of `/proc/<pid>/stat` (after the command name, which may hold spaces and parentheses). */
function startTimeOf(pid: number): string | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

const bootId = () => readProc('/proc/sys/kernel/random/boot_id')?.trim();

/** This process as a {@link LockHolder}. */
export function currentHolder(): LockHolder {
  return { pid: process.pid, startTime: startTimeOf(process.pid), bootId: bootId() };
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the process a lock record names is still the one that wrote it: its pid exists, and,
 * when the record carries them, the boot is the same and the process with that pid started at
 * the recorded time (a reused pid started later).
 */
export function holderIsAlive(holder: LockHolder): boolean {
  if (!Number.isInteger(holder.pid) || holder.pid <= 0 || !pidExists(holder.pid)) return false;
  if (holder.bootId !== undefined && holder.bootId !== bootId()) return false;
  if (holder.startTime !== undefined && holder.startTime !== startTimeOf(holder.pid)) return false;
  return true;
}

/** Reads a lock record: JSON, or the bare pid older versions wrote. */
export function readLockHolder(file: string): LockHolder | undefined {
  const text = readProc(file)?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return { pid: Number(text) };
  try {
    const record = JSON.parse(text) as Partial<LockHolder>;
    return typeof record.pid === 'number'
      ? { pid: record.pid, startTime: record.startTime, bootId: record.bootId }
      : undefined;
  } catch {
    return undefined;
  }
}

/** The folder's real path: a symlinked folder and its target take one lock. Creates the folder. */
function realDataDir(dataDir: string): string {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  return realpathSync(dir);
}

/**
 * Binds the abstract unix socket named after the folder (Linux): the kernel holds it exactly as
 * long as the process lives, whatever happens to it (kill -9, OOM), and a second bind fails at
 * once. No file to go stale, no pid to be reused, no race between two processes taking over a
 * stale lock. Resolves `undefined` when the name is taken; the server is unref'd, so the lock
 * never keeps the process alive.
 */
function bindKernelLock(dir: string): Promise<Server | undefined> {
  const name = `\0tripmeter-pglite-${createHash('sha256').update(dir).digest('hex').slice(0, 40)}`;
  return new Promise((resolveBind, reject) => {
    const server = createServer((socket) => socket.destroy());
    server.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' ? resolveBind(undefined) : reject(error),
    );
    server.listen({ path: name, exclusive: true }, () => {
      server.unref();
      resolveBind(server);
    });
  });
}

/** The holder's record, read a few times: a holder that just bound writes it a moment later. */
async function recordedPid(file: string): Promise<number> {
  for (let i = 0; i < 10; i++) {
    const holder = readLockHolder(file);
    if (holder) return holder.pid;
    await new Promise((r) => setTimeout(r, 20));
  }
  return 0;
}

/** Where `<dataDir>.lock` lives, beside the folder so PGlite never sees it. */
const lockFileOf = (realDir: string) => `${realDir}.lock`;

function holdUntilExit(dir: string, file: string, onRelease: () => void): DataDirLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    rmSync(file, { force: true });
    onRelease();
  };
  process.on('exit', release);
  return { file, dataDir: dir, release };
}

/**
 * Takes the PGlite data folder `dataDir` for this process, or fails at once with
 * {@link DataDirLockedError} naming the folder, the holder's pid and what to do.
 *
 * The lock is keyed on the folder's real path, so a symlink to a held folder is refused and a
 * symlinked free folder works. On Linux the lock itself is an abstract unix socket bound by this
 * process ({@link bindKernelLock}): the kernel tells a live holder from a dead one, so a lock
 * cannot outlive its process nor be kept by an unrelated process that inherited its pid. The
 * lock file `<dataDir>.lock` then only records who holds it (for the error message and for
 * `serve`'s "already running" answer). Elsewhere the lock file is the lock, created exclusively,
 * and taken over when its holder is gone ({@link holderIsAlive}).
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const dir = realDataDir(dataDir);
  const file = lockFileOf(dir);
  if (process.platform === 'linux') {
    const server = await bindKernelLock(dir);
    if (!server) throw new DataDirLockedError(dir, await recordedPid(file), file);
    try {
      writeFileSync(file, JSON.stringify(currentHolder()));
    } catch (error) {
      server.close(); // a folder whose lock record cannot be written is not taken
      throw error;
    }
    return holdUntilExit(dir, file, () => server.close());
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(currentHolder()));
      closeSync(fd);
      return holdUntilExit(dir, file, () => {});
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLockHolder(file);
      if (holder && holderIsAlive(holder)) throw new DataDirLockedError(dir, holder.pid, file);
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`could not take the lock file ${file}: remove it if no tripmeter process runs on ${dir}`);
}

/** A `serve` that holds a data folder and where it listens, as it recorded beside the lock. */
export interface RunningService {
  pid: number;
  url: string;
}

/** The service record, beside the lock file of the folder's real path. */
function serviceFileOf(dataDir: string): string {
  const dir = resolve(dataDir);
  let real = dir;
  try {
    real = realpathSync(dir);
  } catch {
    // not created yet: nobody serves it
  }
  return `${real}.serve.json`;
}

function readServiceFile(file: string): Partial<RunningService> | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Partial<RunningService>;
  } catch {
    return undefined;
  }
}

/**
 * Records that this process serves the data folder at `url`, in `<dataDir>.serve.json` beside the
 * lock file, so that a second start can say where the running one is instead of only that the
 * folder is locked. Returns the removal (idempotent, also run at exit); it removes only this
 * process's record.
 *
 * @example
 * const forget = recordRunningService(config.dataDir, service.url);
 */
export function recordRunningService(dataDir: string, url: string): () => void {
  const file = serviceFileOf(dataDir);
  writeFileSync(file, JSON.stringify({ pid: process.pid, url } satisfies RunningService));
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    process.off('exit', remove);
    if (readServiceFile(file)?.pid === process.pid) rmSync(file, { force: true });
  };
  process.on('exit', remove);
  return remove;
}

/**
 * The service recorded for `dataDir`, if the record is that of process `pid` (the lock's holder,
 * from {@link DataDirLockedError}); a record left by a process that died is not believed.
 */
export function readRunningService(dataDir: string, pid: number): RunningService | undefined {
  const record = readServiceFile(serviceFileOf(dataDir));
  return record?.pid === pid && typeof record.url === 'string' ? { pid, url: record.url } : undefined;
}
