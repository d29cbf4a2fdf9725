import type { Hono } from 'hono';
import { z } from 'zod';
import { authorizeBeforeBody, authorizeSiteKey, requestOrigin } from '../../client-events/index.js';
import {
  AccessTokenError,
  type AccessTokenVerifier,
  createAccessTokenVerifier,
  linkIdentity,
  SubjectIdError,
} from '../../identity/index.js';
import { bodyOf, ProblemError, readJsonBody } from '../../web/index.js';
import type { AppDeps } from '../deps.js';
import { siteCors } from './site-cors.js';
import { checkBody } from './subject-problems.js';

/** The path of the browser login route. */
export const CLIENT_IDENTIFY_PATH = '/v1/client-identify';
/** Largest body: an access token is 1–2 KB; Supabase's with many claims stays far below 16 KB. */
const MAX_BODY_BYTES = 16 * 1024;
/** Seconds a client should wait after 503 `IDENTIFY_KEYS_UNAVAILABLE` (jose refetches on the next call). */
const KEYS_RETRY_AFTER_S = '30';

/** The body of `POST /v1/client-identify`; an unknown field is refused. */
export const clientIdentifyBody = z.strictObject({
  site_key: z.string().max(256).optional(),
  anon_session_id: z.string({ error: 'a string (the anonymous session UUID)' }).max(128),
  access_token: z.string({ error: "a string (the app's access token, a JWT)" }).min(1).max(8192),
});

/** The answer of `POST /v1/client-identify`. */
export const clientIdentifyAnswer = z.object({ outcome: z.enum(['linked', 'already_linked', 'anonymous']) });

/**
 * `POST /v1/client-identify`: login linkage for apps that sign users in in the browser (Supabase
 * auth) and have no server hook at login. The browser client's `identify(accessToken)` sends
 * `{ site_key?, anon_session_id, access_token }` (`text/plain` or JSON); the site key and origin
 * are checked as on `/v1/client-events` (before the body when the key is a Bearer), then the app's
 * JWT is verified and its `sub` linked to the anonymous id. Answers 200 `{ outcome }`:
 * `linked`, `already_linked`, or `anonymous` (a Supabase anonymous user is a guest, not a login:
 * nothing is linked). 401 `INVALID_TOKEN` (forged, expired, wrong issuer or audience), 503
 * `IDENTIFY_KEYS_UNAVAILABLE` with `Retry-After` (the key set could not be fetched), 409
 * `ANON_ID_ALREADY_LINKED`. Answers 404 when neither `identifyJwksUrl` nor `identifyJwtSecret`
 * is configured. The token is never logged or stored.
 */
export function clientIdentifyRoute(app: Hono, deps: AppDeps): void {
  const verifier = createAccessTokenVerifier({
    jwksUrl: deps.config.identifyJwksUrl,
    secret: deps.config.identifyJwtSecret,
    issuer: deps.config.identifyJwtIssuer,
    audience: deps.config.identifyJwtAudience,
  });
  if (verifier === undefined) {
    app.on(['OPTIONS', 'POST'], CLIENT_IDENTIFY_PATH, () => {
      throw new ProblemError(
        404,
        'NOT_FOUND',
        'browser login linkage is off: set identifyJwksUrl or identifyJwtSecret to turn it on',
      );
    });
    return;
  }
  app.on(['OPTIONS', 'POST'], CLIENT_IDENTIFY_PATH, siteCors(deps), async (c) => {
    const now = deps.now();
    const request = {
      authorization: c.req.header('authorization'),
      origin: requestOrigin(c.req.header('origin')),
      now,
    };
    const early = await authorizeBeforeBody(deps.database, request);
    if (early !== undefined) await deps.rateLimits?.limitKey(early.id);
    const raw = await readJsonBody(bodyOf(c), {
      maxBytes: MAX_BODY_BYTES,
      types: ['text/plain', 'application/json'],
    });
    const bodyKey = (raw as { site_key?: unknown } | null)?.site_key;
    const key =
      early ??
      (await authorizeSiteKey(deps.database, {
        ...request,
        bodyKey: typeof bodyKey === 'string' ? bodyKey : undefined,
      }));
    if (early === undefined) await deps.rateLimits?.limitKey(key.id);
    c.set('corsOrigin', request.origin);
    const body = checkBody(clientIdentifyBody, raw);
    const bearer = await verifyToken(verifier, body.access_token, now);
    if (bearer.anonymous) return c.json({ outcome: 'anonymous' as const });
    const outcome = await link(deps, body.anon_session_id, bearer.userId, now);
    return c.json({ outcome });
  });
}

/** The token's bearer, or the problem that answers it (the message names the check, never a value). */
async function verifyToken(verifier: AccessTokenVerifier, token: string, now: Date) {
  try {
    return await verifier.verify(token, now);
  } catch (error) {
    if (!(error instanceof AccessTokenError)) throw error;
    if (error.code === 'IDENTIFY_KEYS_UNAVAILABLE')
      throw new ProblemError(503, error.code, error.message, [], { 'Retry-After': KEYS_RETRY_AFTER_S });
    throw new ProblemError(401, error.code, error.message, [
      { field: 'access_token', message: error.message },
    ]);
  }
}

/** Links as `/v1/identify` does; a `sub` that is not a user UUID is the token's fault, and says so. */
async function link(deps: AppDeps, anonSessionId: string, userId: string, now: Date) {
  try {
    const result = await linkIdentity(
      deps.database,
      { anonSessionId, userId },
      { now, backfillDays: deps.config.linkBackfillDays },
    );
    if (result.outcome === 'conflict')
      throw new ProblemError(
        409,
        'ANON_ID_ALREADY_LINKED',
        'this anonymous session is linked to another user; it is never reassigned (rotate the anonymous id at logout)',
        [{ field: 'anon_session_id', message: 'already linked to another user' }],
      );
    return result.outcome;
  } catch (error) {
    if (!(error instanceof SubjectIdError)) throw error;
    const field = error.field === 'user_id' ? 'access_token' : error.field;
    const message = error.field === 'user_id' ? `the token's "sub": ${error.message}` : error.message;
    throw new ProblemError(400, error.code, message, [{ field, message }]);
  }
}
