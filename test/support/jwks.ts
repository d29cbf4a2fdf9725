import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';

/** A JWT secret of the length `identifyJwtSecret` asks for. */
export const TEST_JWT_SECRET = 'test-secret-of-the-app-0123456789-abcdef';
export const TEST_ISSUER = 'https://project.supabase.test/auth/v1';
export const TEST_AUDIENCE = 'authenticated';

/** Claims and options of a test token; by default a valid Supabase-like token of `sub`. */
export interface TokenOptions {
  sub?: string | undefined;
  claims?: JWTPayload;
  issuer?: string;
  audience?: string;
  /** Seconds since the epoch of `iat`; `exp` is one hour later unless `expiresAt` is given. */
  issuedAt: number;
  expiresAt?: number;
}

async function sign(
  builder: SignJWT,
  header: { alg: string; kid?: string },
  key: CryptoKey | Uint8Array,
  options: TokenOptions,
): Promise<string> {
  builder
    .setProtectedHeader({ ...header, typ: 'JWT' })
    .setIssuer(options.issuer ?? TEST_ISSUER)
    .setAudience(options.audience ?? TEST_AUDIENCE)
    .setIssuedAt(options.issuedAt)
    .setExpirationTime(options.expiresAt ?? options.issuedAt + 3600);
  if (options.sub !== undefined) builder.setSubject(options.sub);
  return builder.sign(key);
}

/** An HS256 token signed with `secret` (default {@link TEST_JWT_SECRET}), as Supabase's legacy secret signs. */
export function hs256Token(options: TokenOptions, secret = TEST_JWT_SECRET): Promise<string> {
  const claims = { role: 'authenticated', ...options.claims };
  return sign(new SignJWT(claims), { alg: 'HS256' }, new TextEncoder().encode(secret), options);
}

/** A signing key of a key set: its private half signs, its public half is served. */
export interface SigningKey {
  alg: 'RS256' | 'ES256';
  kid: string;
  privateKey: CryptoKey;
  publicJwk: Record<string, unknown>;
  token(options: TokenOptions): Promise<string>;
}

/** A fresh RS256 or ES256 key pair with `kid`. */
export async function signingKey(alg: 'RS256' | 'ES256', kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return {
    alg,
    kid,
    privateKey,
    publicJwk,
    token: (options) =>
      sign(new SignJWT({ role: 'authenticated', ...options.claims }), { alg, kid }, privateKey, options),
  };
}

/** A key-set server on 127.0.0.1, as `https://<ref>.supabase.co/auth/v1/.well-known/jwks.json` is. */
export interface JwksServer {
  /** The key set's URL. */
  url: string;
  /** How many times the key set was fetched. */
  fetches(): number;
  /** `ok` serves the keys; `fail` answers 500 (an outage). */
  mode: 'ok' | 'fail';
  close(): Promise<void>;
}

/** Serves the public halves of `keys` at `/.well-known/jwks.json`. */
export async function startJwksServer(keys: SigningKey[]): Promise<JwksServer> {
  let fetches = 0;
  const state: JwksServer = {
    url: '',
    mode: 'ok',
    fetches: () => fetches,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // jose's fetch keeps the connection alive
      }),
  };
  const server = createServer((req, res) => {
    fetches++;
    if (state.mode === 'fail' || req.url !== '/.well-known/jwks.json') return void res.writeHead(500).end();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: keys.map((k) => k.publicJwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  return state;
}

/** A URL where nothing listens (a port just released): the key set is unreachable. */
export async function unreachableUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/.well-known/jwks.json`;
}
