import { type DataDirLockedError, readRunningService } from '../storage/index.js';

/**
 * How to make an admin key: from a clone the CLI is an npm script (`tripmeter` is not on the
 * PATH there, and `npx tripmeter` would look for it in the registry); an installed package has
 * the `tripmeter` bin.
 */
export const ADMIN_KEY_COMMANDS = {
  clone: 'npm run tripmeter -- keys create --scope admin',
  installed: 'npx tripmeter keys create --scope admin',
} as const;

/**
 * What a second `serve` on a locked data folder says when the holder is a running `serve`:
 * where its dashboard is and how to get a key for it. `undefined` when the holder recorded no
 * address (another verb holds the folder, or it is not a tripmeter service).
 *
 * @example
 * const lines = alreadyServing(error); // ['tripmeter is already running on this data folder …', …]
 */
export function alreadyServing(error: DataDirLockedError): string[] | undefined {
  const running = readRunningService(error.dataDir, error.pid);
  if (!running) return undefined;
  return [
    `tripmeter is already running on this data folder (process ${running.pid}): dashboard at ${running.url}/`,
    'Admin key: the one its first start printed. For a new one, stop that process (PGlite is',
    'single-process), create a key, then start again:',
    `  ${ADMIN_KEY_COMMANDS.clone}    (from a clone)`,
    `  ${ADMIN_KEY_COMMANDS.installed}           (installed package)`,
  ];
}

/** For other verbs on a locked folder: names the running service that holds it, if it is one. */
export function heldByService(error: DataDirLockedError): string | undefined {
  const running = readRunningService(error.dataDir, error.pid);
  return running && `It is the tripmeter service at ${running.url}/ (stop it to run this command).`;
}
