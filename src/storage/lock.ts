import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Thrown when another live process holds the PGlite data folder. */
export class DataDirLockedError extends Error {
  readonly code = 'DATA_DIR_LOCKED';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
    readonly lockFile: string,
  ) {
    super(
      `PGlite data folder ${dataDir} is in use by process ${pid} (lock file ${lockFile}). ` +
        'PGlite is single-process: stop that process, point TRIPMETER_DATA_DIR at another folder, ' +
        'or set DATABASE_URL to use PostgreSQL.',
    );
    this.name = 'DataDirLockedError';
  }
}

/** A held lock; `release()` is idempotent. */
export interface DataDirLock {
  readonly file: string;
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock file `<dataDir>.lock` (beside the folder, so PGlite never sees it) or fails at
 * once with {@link DataDirLockedError} naming the folder and the pid holding it. A lock left by
 * a dead process is taken over.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const dir = resolve(dataDir);
  const file = `${dir}.lock`;
  mkdirSync(dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        rmSync(file, { force: true });
      };
      process.on('exit', release);
      return { file, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) throw new DataDirLockedError(dir, pid, file);
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`could not take the lock file ${file}`);
}

/** A `serve` that holds a data folder and where it listens, as it recorded beside the lock. */
export interface RunningService {
  pid: number;
  url: string;
}

const serviceFileOf = (dataDir: string) => `${resolve(dataDir)}.serve.json`;

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
