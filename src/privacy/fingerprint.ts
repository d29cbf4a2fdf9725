import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';

/** The coarse facts a fingerprint is made of; the raw address and user-agent never leave here. */
export interface FingerprintParts {
  /** IPv4 /24 or IPv6 /48 prefix, e.g. `203.0.113.0/24`. */
  network: string;
  /** Browser family and major version, e.g. `chrome/131`, or `other`. */
  browser: string;
  /** Primary language from Accept-Language, e.g. `de`, or `-`. */
  language: string;
}

/** Bytes of HMAC output kept (16 bytes = 22 base64url characters). */
export const FINGERPRINT_BYTES = 16;

function expandIpv6(ip: string): number[] | undefined {
  const [head = '', tail] = ip.split('::');
  const part = (s: string) => (s === '' ? [] : s.split(':').map((h) => Number.parseInt(h, 16)));
  const left = part(head);
  const right = tail === undefined ? [] : part(tail);
  const groups =
    tail === undefined ? left : [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : undefined;
}

/**
 * The network prefix of an address: IPv4 /24, IPv6 /48 (IPv4-mapped IPv6 counts as IPv4).
 * Anything unparsable becomes `unknown`.
 *
 * @example
 * coarseNetwork('203.0.113.77'); // '203.0.113.0/24'
 * coarseNetwork('2001:db8:abcd:12::1'); // '2001:db8:abcd::/48'
 */
export function coarseNetwork(address: string | undefined): string {
  const ip = (address ?? '')
    .trim()
    .replace(/^\[|\]$/g, '')
    .replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const v4 = mapped ? mapped[1]! : ip;
  if (isIP(v4) === 4) return `${v4.split('.').slice(0, 3).join('.')}.0/24`;
  if (isIP(ip) === 6 && !ip.includes('.')) {
    const groups = expandIpv6(ip.toLowerCase());
    if (groups)
      return `${groups
        .slice(0, 3)
        .map((g) => g.toString(16))
        .join(':')}::/48`;
  }
  return 'unknown';
}

const BROWSERS: ReadonlyArray<readonly [string, RegExp]> = [
  ['edge', /\bEdg(?:e|A|iOS)?\/(\d+)/],
  ['opera', /\bOPR\/(\d+)/],
  ['samsung', /\bSamsungBrowser\/(\d+)/],
  ['firefox', /\b(?:Firefox|FxiOS)\/(\d+)/],
  ['chrome', /\b(?:Chrome|CriOS)\/(\d+)/],
  ['safari', /\bVersion\/(\d+)[^ ]* .*Safari\//],
];

/**
 * Browser family and major version from a user-agent, e.g. `firefox/133`; `other` otherwise.
 *
 * @example
 * browserFamily('Mozilla/5.0 … Chrome/131.0.0.0 Safari/537.36'); // 'chrome/131'
 */
export function browserFamily(userAgent: string | undefined): string {
  const ua = (userAgent ?? '').slice(0, 512);
  for (const [family, pattern] of BROWSERS) {
    const match = pattern.exec(ua);
    if (match) return `${family}/${match[1]}`;
  }
  return 'other';
}

/**
 * The primary language subtag of the first Accept-Language entry, lower-cased (`de-CH,de;q=0.9`
 * → `de`); `-` when absent.
 */
export function primaryLanguage(acceptLanguage: string | undefined): string {
  const first = (acceptLanguage ?? '').split(',')[0]?.split(';')[0]?.trim() ?? '';
  const tag = /^([A-Za-z]{2,8})\b/.exec(first);
  return tag ? tag[1]!.toLowerCase() : '-';
}

/**
 * The client address: the socket's, or with `trustProxy` the left-most `X-Forwarded-For` entry.
 * Use the result only to compute a fingerprint; never store or log it.
 */
export function clientAddress(options: {
  remoteAddress: string | undefined;
  forwardedFor: string | null | undefined;
  trustProxy: boolean;
}): string | undefined {
  if (options.trustProxy && options.forwardedFor) {
    const first = options.forwardedFor.split(',')[0]?.trim();
    if (first) return first;
  }
  return options.remoteAddress;
}

/** Reduces raw request facts to {@link FingerprintParts} (the raw values are dropped). */
export function fingerprintParts(raw: {
  address: string | undefined;
  userAgent: string | undefined;
  acceptLanguage: string | undefined;
}): FingerprintParts {
  return {
    network: coarseNetwork(raw.address),
    browser: browserFamily(raw.userAgent),
    language: primaryLanguage(raw.acceptLanguage),
  };
}

/**
 * HMAC-SHA256 of the coarse parts under the day's salt, truncated to 16 bytes, base64url.
 * Without the salt (destroyed after 48 hours) the value cannot be recomputed or linked.
 *
 * @example
 * fingerprintOf(fingerprintParts({ address, userAgent, acceptLanguage }), salt); // 'q3V…' (22 chars)
 */
export function fingerprintOf(parts: FingerprintParts, salt: Uint8Array): string {
  return createHmac('sha256', salt)
    .update(`${parts.network}\n${parts.browser}\n${parts.language}`)
    .digest()
    .subarray(0, FINGERPRINT_BYTES)
    .toString('base64url');
}
