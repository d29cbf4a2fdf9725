import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AccessTokenError,
  type AccessTokenVerifier,
  createAccessTokenVerifier,
} from '../../src/identity/index.js';
import {
  hs256Token,
  type JwksServer,
  type SigningKey,
  signingKey,
  startJwksServer,
  TEST_AUDIENCE,
  TEST_ISSUER,
  TEST_JWT_SECRET,
  unreachableUrl,
} from '../support/jwks.js';

const NOW = new Date('2026-11-25T10:00:00Z');
const IAT = NOW.getTime() / 1000 - 60;
const USER = '7d0c7d3e-5a55-4f0e-9c3f-1f2d3c4b5a69';
const CHECKS = { issuer: TEST_ISSUER, audience: TEST_AUDIENCE };

async function refusal(verifier: AccessTokenVerifier, token: string, now = NOW): Promise<AccessTokenError> {
  const error = await verifier.verify(token, now).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AccessTokenError);
  return error as AccessTokenError;
}

describe('createAccessTokenVerifier', () => {
  it('is off (undefined) when neither a key set nor a secret is configured', () => {
    expect(createAccessTokenVerifier({})).toBeUndefined();
    expect(createAccessTokenVerifier({ issuer: TEST_ISSUER, audience: TEST_AUDIENCE })).toBeUndefined();
  });

  describe('HS256 with the secret', () => {
    const verifier = createAccessTokenVerifier({ secret: TEST_JWT_SECRET, ...CHECKS })!;

    it('returns the sub, and tells an anonymous Supabase user apart', async () => {
      expect(await verifier.verify(await hs256Token({ sub: USER, issuedAt: IAT }), NOW)).toEqual({
        userId: USER,
        anonymous: false,
      });
      const guest = await hs256Token({ sub: USER, issuedAt: IAT, claims: { is_anonymous: true } });
      expect(await verifier.verify(guest, NOW)).toEqual({ userId: USER, anonymous: true });
    });

    it('refuses forged, expired, not yet valid, wrong-issuer, wrong-audience and sub-less tokens', async () => {
      const cases: [string, Promise<string>, RegExp][] = [
        [
          'forged',
          hs256Token({ sub: USER, issuedAt: IAT }, 'another-secret-0123456789-0123456789'),
          /signature/,
        ],
        ['expired', hs256Token({ sub: USER, issuedAt: IAT - 7200, expiresAt: IAT - 3600 }), /expired/],
        ['wrong issuer', hs256Token({ sub: USER, issuedAt: IAT, issuer: 'https://evil.test' }), /"iss"/],
        ['wrong audience', hs256Token({ sub: USER, issuedAt: IAT, audience: 'anon' }), /"aud"/],
        ['no sub', hs256Token({ sub: undefined, issuedAt: IAT }), /"sub"/],
        ['not a JWT', Promise.resolve('not.a.jwt'), /not a valid JWT/],
      ];
      for (const [name, token, reason] of cases) {
        const error = await refusal(verifier, await token);
        expect(error.code, name).toBe('INVALID_TOKEN');
        expect(error.message, name).toMatch(reason);
      }
    });

    it('judges expiry by the injected clock', async () => {
      const token = await hs256Token({ sub: USER, issuedAt: IAT });
      expect((await refusal(verifier, token, new Date(NOW.getTime() + 2 * 3_600_000))).message).toMatch(
        /expired/,
      );
    });

    it('refuses alg "none" and an asymmetric token when only the secret is configured', async () => {
      const unsigned = `${btoa(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${btoa(
        JSON.stringify({ sub: USER, iss: TEST_ISSUER, aud: TEST_AUDIENCE, exp: IAT + 3600 }),
      )}.`.replaceAll('=', '');
      expect((await refusal(verifier, unsigned)).code).toBe('INVALID_TOKEN');
      const key = await signingKey('ES256', 'k1');
      expect((await refusal(verifier, await key.token({ sub: USER, issuedAt: IAT }))).message).toMatch(
        /algorithm/,
      );
    });
  });

  describe('RS256 and ES256 with a key set', () => {
    let rsa: SigningKey;
    let ec: SigningKey;
    let server: JwksServer;

    beforeAll(async () => {
      [rsa, ec] = await Promise.all([signingKey('RS256', 'rsa-1'), signingKey('ES256', 'ec-1')]);
      server = await startJwksServer([rsa, ec]);
    });
    afterAll(() => server.close());

    it('verifies tokens of both keys and fetches the key set once', async () => {
      const verifier = createAccessTokenVerifier({ jwksUrl: server.url, ...CHECKS })!;
      const before = server.fetches();
      for (const key of [rsa, ec, rsa]) {
        const token = await key.token({ sub: USER, issuedAt: IAT });
        expect(await verifier.verify(token, NOW)).toEqual({ userId: USER, anonymous: false });
      }
      expect(server.fetches() - before).toBe(1);
    });

    it('refuses a token of a key outside the set, and an HS256 token signed with a public key', async () => {
      const verifier = createAccessTokenVerifier({ jwksUrl: server.url, ...CHECKS })!;
      const stranger = await signingKey('ES256', 'ec-1'); // same kid, other key: a forgery
      expect((await refusal(verifier, await stranger.token({ sub: USER, issuedAt: IAT }))).message).toMatch(
        /signature/,
      );
      const unknownKid = await signingKey('RS256', 'rsa-unknown');
      const error = await refusal(verifier, await unknownKid.token({ sub: USER, issuedAt: IAT }));
      expect(error.code).toBe('INVALID_TOKEN');
      // Key confusion: the RSA public key, as bytes, used as an HMAC secret.
      const confused = await new SignJWT({ sub: USER })
        .setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' })
        .setIssuer(TEST_ISSUER)
        .setAudience(TEST_AUDIENCE)
        .setExpirationTime(IAT + 3600)
        .sign(new TextEncoder().encode(JSON.stringify(rsa.publicJwk)));
      expect((await refusal(verifier, confused)).message).toMatch(/algorithm/);
    });

    it('answers IDENTIFY_KEYS_UNAVAILABLE when the key set is unreachable or failing', async () => {
      const token = await ec.token({ sub: USER, issuedAt: IAT });
      const down = createAccessTokenVerifier({ jwksUrl: await unreachableUrl(), ...CHECKS })!;
      expect((await refusal(down, token)).code).toBe('IDENTIFY_KEYS_UNAVAILABLE');
      const failing = await startJwksServer([ec]);
      failing.mode = 'fail';
      try {
        const verifier = createAccessTokenVerifier({ jwksUrl: failing.url, ...CHECKS })!;
        expect((await refusal(verifier, token)).code).toBe('IDENTIFY_KEYS_UNAVAILABLE');
        failing.mode = 'ok'; // the next call fetches again: an outage ends by itself
        expect((await verifier.verify(token, NOW)).userId).toBe(USER);
      } finally {
        await failing.close();
      }
    });

    it('accepts both kinds when the secret and the key set are configured (a key migration)', async () => {
      const verifier = createAccessTokenVerifier({
        jwksUrl: server.url,
        secret: TEST_JWT_SECRET,
        ...CHECKS,
      })!;
      expect((await verifier.verify(await hs256Token({ sub: USER, issuedAt: IAT }), NOW)).userId).toBe(USER);
      expect((await verifier.verify(await ec.token({ sub: USER, issuedAt: IAT }), NOW)).userId).toBe(USER);
    });
  });
});
