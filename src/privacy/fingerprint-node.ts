import type { Database } from '../storage/index.js';
import { clientAddress, fingerprintOf, fingerprintParts } from './fingerprint.js';
import { saltForDay, utcDay } from './fingerprint-salts.js';

export {
  browserFamily,
  clientAddress,
  coarseNetwork,
  FINGERPRINT_BYTES,
  type FingerprintParts,
  fingerprintOf,
  fingerprintParts,
  primaryLanguage,
} from './fingerprint.js';
export { purgeFingerprintSalts, SALT_MAX_AGE_MS, saltForDay, utcDay } from './fingerprint-salts.js';

/** The request facts a fingerprint reads; nothing here is stored or logged. */
export interface FingerprintRequest {
  remoteAddress: string | undefined;
  headers: { get(name: string): string | null | undefined } | Record<string, string | string[] | undefined>;
}

/** Options of {@link createFingerprinter}: the `fingerprint` and `trustProxy` settings. */
export interface FingerprinterOptions {
  database: Database;
  /** The `fingerprint` setting; when false (the default) no fingerprint is computed. */
  enabled: boolean;
  /** The `trustProxy` setting: read X-Forwarded-For only when true. */
  trustProxy: boolean;
  now?: () => Date;
}

function header(headers: FingerprintRequest['headers'], name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function')
    return (headers as { get(n: string): string | null | undefined }).get(name) ?? undefined;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * A function from a request to its coarse fingerprint for `startAttempt({ fingerprint })`, or
 * to `undefined` when the `fingerprint` setting is off (the default).
 *
 * @example
 * const fingerprint = createFingerprinter({ database, enabled: config.fingerprint, trustProxy: config.trustProxy });
 * tracker.startAttempt({ anonSessionId, input, fingerprint: await fingerprint({ remoteAddress, headers }) });
 */
export function createFingerprinter(
  options: FingerprinterOptions,
): (request: FingerprintRequest) => Promise<string | undefined> {
  const now = options.now ?? (() => new Date());
  let cached: { day: string; salt: Promise<Uint8Array> } | undefined;
  const salt = (at: Date) => {
    const day = utcDay(at);
    if (cached?.day !== day) {
      cached = { day, salt: saltForDay(options.database, at) };
      cached.salt.catch(() => {
        cached = undefined;
      });
    }
    return cached.salt;
  };
  return async (request) => {
    if (!options.enabled) return undefined;
    const parts = fingerprintParts({
      address: clientAddress({
        remoteAddress: request.remoteAddress,
        forwardedFor: header(request.headers, 'x-forwarded-for'),
        trustProxy: options.trustProxy,
      }),
      userAgent: header(request.headers, 'user-agent'),
      acceptLanguage: header(request.headers, 'accept-language'),
    });
    return fingerprintOf(parts, await salt(now()));
  };
}
