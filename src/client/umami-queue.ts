import type { PropValue } from './catalog.js';
import type { ClientWindow } from './platform.js';
import type { ClientStats } from './stats.js';

/** Delivers events to `window.umami`, queueing them (in order, bounded) until it exists. */
export interface UmamiQueue {
  /** Sends now if `window.umami` is there and nothing waits, else queues and starts polling. */
  push(name: string, data: Record<string, PropValue>): void;
  /** Delivers the queue if `window.umami` exists, else (re)schedules a poll. */
  drain(): void;
  /** Empties the queue and stops polling (consent revoked). */
  clear(): void;
  /** Number of queued events. */
  size(): number;
}

const FIRST_POLL_MS = 50;
const MAX_POLL_MS = 5000;

/**
 * Creates the Umami delivery queue. Polls for `window.umami` with a doubling `setTimeout`
 * (50 ms up to 5 s) only while events wait; the loader's `load` event calls `drain` sooner.
 * When more than `limit` events wait, the oldest is dropped and counted in `stats.overflow`.
 */
export function createUmamiQueue(win: ClientWindow, stats: ClientStats, limit = 100): UmamiQueue {
  const queue: [string, Record<string, PropValue>][] = [];
  let timer: unknown;
  let delay = FIRST_POLL_MS;

  const ready = () => typeof win.umami?.track === 'function';
  const stop = () => {
    if (timer !== undefined) win.clearTimeout(timer);
    timer = undefined;
  };
  const send = (name: string, data: Record<string, PropValue>) => {
    try {
      win.umami!.track(name, data);
      stats.sent++;
    } catch {
      stats.failed++;
    }
  };
  const drain = () => {
    stop();
    if (!queue.length) return;
    if (!ready()) {
      timer = win.setTimeout(drain, delay);
      delay = Math.min(delay * 2, MAX_POLL_MS);
      return;
    }
    delay = FIRST_POLL_MS;
    for (let next = queue.shift(); next; next = queue.shift()) send(next[0], next[1]);
  };

  return {
    push(name, data) {
      if (!queue.length && ready()) return send(name, data);
      if (queue.push([name, data]) > limit) {
        queue.shift();
        stats.overflow++;
      }
      if (timer === undefined) drain();
    },
    drain,
    clear() {
      stop();
      queue.length = 0;
      delay = FIRST_POLL_MS;
    },
    size: () => queue.length,
  };
}
