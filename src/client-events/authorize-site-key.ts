import { type ApiKeyRecord, verifyApiKey } from '../auth/index.js';
import type { Database } from '../storage/index.js';
import { ProblemError } from '../web/index.js';
import { isSiteOriginCached } from './site-origin.js';

const CHALLENGE = { 'WWW-Authenticate': 'Bearer' };
const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** Where the request says its key and origin are. */
export interface SiteKeyRequest {
  /** The `Authorization` header (`Bearer <key>`); it wins over `bodyKey`. */
  authorization: string | undefined;
  /** `site_key` of the body (a beacon cannot set headers). */
  bodyKey: string | undefined;
  /** The normalised `Origin` of the request (undefined when absent or not an origin). */
  origin: string | undefined;
  now: Date;
}

/**
 * The site key of a `/v1/client-events` request, checked: present and active (else 401
 * `UNAUTHORIZED`), of scope `site` (else 403 `FORBIDDEN_SCOPE`), and used from one of its
 * origins (else 403 `ORIGIN_NOT_ALLOWED`). Site keys are public, so the origin is what limits them.
 *
 * @example
 * const key = await authorizeSiteKey(database, { authorization, bodyKey: body.site_key, origin, now });
 */
export async function authorizeSiteKey(database: Database, request: SiteKeyRequest): Promise<ApiKeyRecord> {
  const fromHeader =
    request.authorization === undefined ? undefined : BEARER.exec(request.authorization)?.[1];
  const presented = fromHeader ?? request.bodyKey;
  if (presented === undefined)
    throw new ProblemError(
      401,
      'UNAUTHORIZED',
      'a site key is required: send "site_key" in the body or Authorization: Bearer <key>',
      [],
      CHALLENGE,
    );
  const record = await verifyApiKey(database, presented, request.now);
  if (record === undefined)
    throw new ProblemError(401, 'UNAUTHORIZED', 'the site key is unknown or revoked', [], CHALLENGE);
  if (record.scope !== 'site')
    throw new ProblemError(
      403,
      'FORBIDDEN_SCOPE',
      `this route needs a site key; the key presented (${record.prefix}…) is a ${record.scope} key`,
    );
  if (request.origin === undefined || !record.origins.includes(request.origin))
    throw new ProblemError(
      403,
      'ORIGIN_NOT_ALLOWED',
      `the site key ${record.prefix}… is not allowed from origin ${request.origin ?? '(none)'}`,
    );
  return record;
}

/**
 * What can be checked of a `/v1/client-events` request before its body is read, so that a
 * stranger cannot make the service read (and wait for) a body: with `Authorization: Bearer`, the
 * whole key (returned); without it the key is in the body (a beacon cannot set headers), and the
 * request must at least come from an origin of some active site key (else 403
 * `ORIGIN_NOT_ALLOWED`; `undefined` is returned and the body key is checked once read).
 *
 * @example
 * const key = (await authorizeBeforeBody(database, request)) ?? (await authorizeSiteKey(database, { …, bodyKey }));
 */
export async function authorizeBeforeBody(
  database: Database,
  request: Omit<SiteKeyRequest, 'bodyKey'>,
): Promise<ApiKeyRecord | undefined> {
  const fromHeader =
    request.authorization === undefined ? undefined : BEARER.exec(request.authorization)?.[1];
  if (fromHeader !== undefined) return authorizeSiteKey(database, { ...request, bodyKey: undefined });
  if (request.origin === undefined || !(await isSiteOriginCached(database, request.origin, request.now)))
    throw new ProblemError(
      403,
      'ORIGIN_NOT_ALLOWED',
      `no site key is allowed from origin ${request.origin ?? '(none)'}`,
    );
  return undefined;
}
