import type { Context } from 'hono';

interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

/**
 * The client address of a request, for rate limiting in memory only: never store or log it.
 * With `trustProxy`, the first `X-Forwarded-For` entry (set by your own proxy); otherwise the
 * socket's peer address. Undefined when neither is known (e.g. `app.request()` in tests).
 */
export function clientAddress(c: Context, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  return (c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress;
}
