import { type ClientWindow, defaultWindow } from './platform.js';
import { isUuidV4, randomUuidV4 } from './uuid.js';

/** The documented localStorage key holding the anonymous session id. */
export const ANON_SESSION_STORAGE_KEY = 'tripmeter.anon_session_id';

/** Per-window id kept in memory, used when storage is unavailable (and to stay stable). */
const memory = new WeakMap<object, string>();

function readStored(win: ClientWindow): string | null | undefined {
  try {
    return win.localStorage?.getItem(ANON_SESSION_STORAGE_KEY);
  } catch {
    return undefined;
  }
}

function writeStored(win: ClientWindow, id: string | undefined): void {
  try {
    if (id) win.localStorage?.setItem(ANON_SESSION_STORAGE_KEY, id);
    else win.localStorage?.removeItem(ANON_SESSION_STORAGE_KEY);
  } catch {
    // Storage blocked or full: the in-memory id lives for the page's life.
  }
}

/**
 * The anonymous session id: a v4 UUID persisted in localStorage under
 * {@link ANON_SESSION_STORAGE_KEY}. A missing or tampered value (not a lower-case v4 UUID) is
 * replaced; when storage throws or is absent the id lives in memory for the page's life.
 * Never throws. The id is first-party: it is not sent to Umami unless the app opts in.
 *
 * @example
 * fetch('/api/trips', { headers: { 'X-Anon-Session-Id': getAnonSessionId() } });
 */
export function getAnonSessionId(win: ClientWindow = defaultWindow()): string {
  const stored = readStored(win);
  if (isUuidV4(stored)) {
    memory.set(win, stored);
    return stored;
  }
  const id = memory.get(win) ?? randomUuidV4(win.crypto);
  memory.set(win, id);
  writeStored(win, id);
  return id;
}

/**
 * Forgets the current anonymous id and mints a new one (call it on logout, so a shared device
 * does not link the next person's activity to the previous user). Returns the new id.
 */
export function resetAnonSession(win: ClientWindow = defaultWindow()): string {
  memory.delete(win);
  writeStored(win, undefined);
  return getAnonSessionId(win);
}
