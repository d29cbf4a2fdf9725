import { createHash } from 'node:crypto';
import type { AlertMessage } from './alert-message.js';
import type { FetchLike, Notifier } from './notifier.js';

/** One try to deliver a message, as stored in `alert_deliveries`. */
export interface DeliveryAttempt {
  notifier: string;
  attempt: number;
  status: 'delivered' | 'failed';
  responseCode: number | null;
  error: string | null;
  at: Date;
}

/** How to deliver: the platform pieces are passed in. */
export interface DeliverOptions {
  fetch: FetchLike;
  /** Tries in all (default 4). */
  attempts?: number;
  /** First backoff in ms (default 1 000), doubled each retry up to `maxDelayMs` (default 30 000). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Per-try timeout in ms (default 10 000). */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  /** Called after every try (the runner stores it). */
  onAttempt?: (attempt: DeliveryAttempt) => Promise<void> | void;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The `Idempotency-Key` of a message: the same for every try of it (and for every notifier), so a
 * receiver that got a try whose answer was lost can drop the retry. One transition is one
 * message: the incident, what happened to it and when.
 *
 * @example
 * deliveryKey(message) // 'tripmeter-3f2a…' (32 hex digits)
 */
export function deliveryKey(message: Pick<AlertMessage, 'incidentId' | 'kind' | 'at'>): string {
  const digest = createHash('sha256')
    .update(`${message.incidentId ?? 'none'}\u0000${message.kind}\u0000${message.at}`)
    .digest('hex');
  return `tripmeter-${digest.slice(0, 32)}`;
}

/** Whether a response status is worth retrying (rate limited or a server error). */
const retryable = (status: number) => status === 429 || status >= 500;

/**
 * POSTs a message to one notifier, retrying network errors, 429 and 5xx with capped exponential
 * backoff; other 4xx are final. Never throws: returns every try.
 */
export async function deliver(
  notifier: Notifier,
  message: AlertMessage,
  options: DeliverOptions,
): Promise<DeliveryAttempt[]> {
  const tries = options.attempts ?? 4;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? (() => new Date());
  const done: DeliveryAttempt[] = [];
  const key = deliveryKey(message);
  for (let attempt = 1; attempt <= tries; attempt++) {
    let result: DeliveryAttempt;
    let again = false;
    try {
      const response = await options.fetch(notifier.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'tripmeter-alerts',
          'idempotency-key': key,
        },
        body: JSON.stringify(notifier.body(message)),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      await response.body?.cancel().catch(() => {});
      const ok = response.status >= 200 && response.status < 300;
      again = !ok && retryable(response.status);
      result = {
        notifier: notifier.name,
        attempt,
        status: ok ? 'delivered' : 'failed',
        responseCode: response.status,
        error: ok ? null : `HTTP ${response.status}`,
        at: now(),
      };
    } catch (error) {
      again = true;
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      result = {
        notifier: notifier.name,
        attempt,
        status: 'failed',
        responseCode: null,
        error: `${(error as Error).name}: ${cause ?? (error as Error).message}`.slice(0, 200),
        at: now(),
      };
    }
    done.push(result);
    await options.onAttempt?.(result);
    if (!again || attempt === tries) break;
    const cap = options.maxDelayMs ?? 30_000;
    await sleep(Math.min(cap, (options.baseDelayMs ?? 1_000) * 2 ** (attempt - 1)));
  }
  return done;
}
