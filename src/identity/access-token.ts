import { createRemoteJWKSet, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';

/** How the app's access tokens are verified; a verifier exists only with `jwksUrl` or `secret`. */
export interface AccessTokenSettings {
  /** The app's JSON Web Key Set (RS256/ES256 tokens), fetched and cached (10 min). */
  jwksUrl?: string | undefined;
  /** The app's shared HS256 secret (Supabase's legacy "JWT secret"). */
  secret?: string | undefined;
  /** The `iss` a token must carry; unchecked when unset. */
  issuer?: string | undefined;
  /** The `aud` a token must carry (Supabase: `authenticated`); unchecked when unset. */
  audience?: string | undefined;
}

/** What a verified access token says about its bearer. */
export interface VerifiedAccessToken {
  /** The token's `sub`: the app's user id. */
  userId: string;
  /**
   * `is_anonymous: true` (a Supabase anonymous user): a session of a guest, not a login, so it
   * must not become the user id of the guest's rows.
   */
  anonymous: boolean;
}

/**
 * Why a token was not verified: `INVALID_TOKEN` (forged, expired, wrong issuer or audience,
 * malformed: the bearer's fault) or `IDENTIFY_KEYS_UNAVAILABLE` (the key set could not be
 * fetched: ours, try again). `message` never holds the token or a claim value.
 */
export class AccessTokenError extends Error {
  constructor(
    readonly code: 'INVALID_TOKEN' | 'IDENTIFY_KEYS_UNAVAILABLE',
    message: string,
  ) {
    super(message);
    this.name = 'AccessTokenError';
  }
}

/** Verifies the app's access tokens; see {@link createAccessTokenVerifier}. */
export interface AccessTokenVerifier {
  /** Resolves with the bearer, or rejects with an {@link AccessTokenError}. `now` judges `exp`/`nbf`. */
  verify(token: string, now: Date): Promise<VerifiedAccessToken>;
}

/** Asymmetric algorithms accepted from a key set: what Supabase (ES256, RS256) and most IdPs sign with. */
const ASYMMETRIC = ['RS256', 'ES256'];
/** Seconds of clock difference tolerated between the app's auth server and this one. */
const CLOCK_TOLERANCE_S = 5;
/** Errors a key set raises about the token (an unknown `kid`, a key unfit for its `alg`), not about the fetch. */
const TOKEN_KEY_ERRORS = [errors.JWKSNoMatchingKey, errors.JWKSMultipleMatchingKeys, errors.JOSENotSupported];

/** Marks a key-set failure while it travels through `jwtVerify`. */
class KeysUnavailable extends Error {}

/**
 * A verifier of the app's access tokens (JWTs), or `undefined` when neither a key set nor a
 * secret is configured (then `/v1/client-identify` is off). With both, an HS256 token is checked
 * with the secret and an RS256/ES256 one with the key set: a Supabase project moving from its
 * legacy secret to signing keys has both kinds in flight. The algorithm is fixed by the
 * configuration, never taken from the token alone (no `none`, no HS256 signed with a public key).
 * The key set is fetched on first use and cached by jose (10 min, refetched at most every 30 s
 * for an unknown `kid`, 5 s timeout).
 *
 * @example
 * const verifier = createAccessTokenVerifier({ jwksUrl: 'https://<ref>.supabase.co/auth/v1/.well-known/jwks.json', audience: 'authenticated' });
 * const { userId, anonymous } = await verifier!.verify(accessToken, new Date());
 */
export function createAccessTokenVerifier(settings: AccessTokenSettings): AccessTokenVerifier | undefined {
  const secret = settings.secret === undefined ? undefined : new TextEncoder().encode(settings.secret);
  const jwks =
    settings.jwksUrl === undefined
      ? undefined
      : createRemoteJWKSet(new URL(settings.jwksUrl), { timeoutDuration: 5_000 });
  if (secret === undefined && jwks === undefined) return undefined;
  const algorithms = [...(secret ? ['HS256'] : []), ...(jwks ? ASYMMETRIC : [])];
  const key: JWTVerifyGetKey = async (header, token) => {
    if (header.alg === 'HS256') return secret!;
    try {
      return await jwks!(header, token);
    } catch (error) {
      if (TOKEN_KEY_ERRORS.some((type) => error instanceof type)) throw error;
      throw new KeysUnavailable('the key set could not be fetched', { cause: error });
    }
  };
  return {
    async verify(token, now) {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms,
          currentDate: now,
          clockTolerance: CLOCK_TOLERANCE_S,
          requiredClaims: ['sub', 'exp'],
          ...(settings.issuer === undefined ? {} : { issuer: settings.issuer }),
          ...(settings.audience === undefined ? {} : { audience: settings.audience }),
        });
        if (typeof payload.sub !== 'string' || payload.sub === '')
          throw new AccessTokenError('INVALID_TOKEN', 'the token has no "sub" (user id)');
        return { userId: payload.sub, anonymous: payload.is_anonymous === true };
      } catch (error) {
        throw asAccessTokenError(error);
      }
    },
  };
}

/** Maps what `jwtVerify` threw to a stable code; jose's own messages name the check, not the data. */
function asAccessTokenError(error: unknown): AccessTokenError {
  if (error instanceof AccessTokenError) return error;
  if (error instanceof KeysUnavailable)
    return new AccessTokenError('IDENTIFY_KEYS_UNAVAILABLE', 'the key set of the app could not be fetched');
  if (error instanceof errors.JWTExpired)
    return new AccessTokenError('INVALID_TOKEN', 'the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed)
    return new AccessTokenError('INVALID_TOKEN', `the token's "${error.claim}" claim is refused`);
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return new AccessTokenError('INVALID_TOKEN', 'the token signature is not valid');
  if (error instanceof errors.JOSEAlgNotAllowed)
    return new AccessTokenError('INVALID_TOKEN', `the token's algorithm is not accepted (${ALGS_HINT})`);
  if (error instanceof errors.JWKSNoMatchingKey)
    return new AccessTokenError('INVALID_TOKEN', 'no key of the key set matches the token');
  return new AccessTokenError('INVALID_TOKEN', 'the token is not a valid JWT');
}

const ALGS_HINT = `HS256 with identifyJwtSecret, ${ASYMMETRIC.join('/')} with identifyJwksUrl`;
