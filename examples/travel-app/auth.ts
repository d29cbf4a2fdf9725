import { randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { JWT_AUDIENCE, JWT_ISSUER, JWT_SECRET } from './settings.js';

/**
 * A stand-in for Supabase auth: it hands the page HS256 access tokens with Supabase's claims
 * (`sub`, `aud: 'authenticated'`, `role`, `is_anonymous`), and the enqueue function verifies them
 * as the app's edge functions do. Guests are anonymous users (`is_anonymous: true`).
 */

const secret = new TextEncoder().encode(JWT_SECRET);

/** The one user of the example's sign-in button (a fresh id per app run). */
export const DEMO_USER_ID = randomUUID();

/** A Supabase-shaped session: an anonymous guest's, or the demo user's. */
export async function issueSession(anonymous: boolean) {
  const userId = anonymous ? randomUUID() : DEMO_USER_ID;
  const accessToken = await new SignJWT({ role: 'authenticated', is_anonymous: anonymous })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(JWT_ISSUER)
    .setAudience(JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(secret);
  return { access_token: accessToken, user: { id: userId, is_anonymous: anonymous } };
}

/** The caller of a request: `undefined` without a valid bearer token; `userId` only for a real login. */
export async function verifyCaller(request: Request): Promise<{ userId?: string } | undefined> {
  const token = /^Bearer (\S+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
  if (!token) return undefined;
  try {
    const { payload } = await jwtVerify(token, secret, { issuer: JWT_ISSUER, audience: JWT_AUDIENCE });
    return payload.is_anonymous === false && payload.sub ? { userId: payload.sub } : {};
  } catch {
    return undefined;
  }
}
