import { createMiddleware } from 'hono/factory';
import type { Database } from '../storage/index.js';
import { ProblemError } from '../web/index.js';
import type { ApiKeyRecord } from './api-key-record.js';
import type { Scope } from './scope.js';
import { verifyApiKey } from './verify-api-key.js';

/** The Hono environment of an authorised route: `c.get('apiKey')` is the caller's key. */
export interface AuthEnv {
  Variables: { apiKey: ApiKeyRecord };
}

/** What {@link requireScope} needs (the app's deps satisfy it). */
export interface RequireScopeDeps {
  database: Database;
  /** The clock of the key cache (injectable). */
  now?: () => Date;
  /** The per-key rate limit, taken once the key is verified; throws to refuse (429). */
  rateLimits?: { limitKey(keyId: string): Promise<void> };
}

const CHALLENGE = { 'WWW-Authenticate': 'Bearer' };
const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * Refuses a request unless `Authorization: Bearer <key>` carries a valid, unrevoked key of
 * exactly `scope` (an admin key is not an ingest key). No key, an unknown or a revoked key:
 * 401 `UNAUTHORIZED` with `WWW-Authenticate: Bearer`; a key of another scope: 403
 * `FORBIDDEN_SCOPE`. On success the record is `c.get('apiKey')`. Key material is never logged
 * or echoed.
 *
 * @example
 * app.post('/v1/events', requireScope('ingest', deps), async (c) => { … c.get('apiKey').id … });
 */
export function requireScope(scope: Scope, deps: RequireScopeDeps) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const header = c.req.header('authorization');
    const presented = header === undefined ? undefined : BEARER.exec(header)?.[1];
    if (presented === undefined)
      throw new ProblemError(
        401,
        'UNAUTHORIZED',
        'an API key is required: send Authorization: Bearer <key>',
        [],
        CHALLENGE,
      );
    const record = await verifyApiKey(deps.database, presented, deps.now?.() ?? new Date());
    if (record === undefined)
      throw new ProblemError(401, 'UNAUTHORIZED', 'the API key is unknown or revoked', [], CHALLENGE);
    if (record.scope !== scope)
      throw new ProblemError(
        403,
        'FORBIDDEN_SCOPE',
        `this route needs a ${scope} key; the key presented (${record.prefix}…) is a ${record.scope} key`,
      );
    await deps.rateLimits?.limitKey(record.id);
    c.set('apiKey', record);
    await next();
  });
}
