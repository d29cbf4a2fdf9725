import { describe, expect, it } from 'vitest';
import {
  browserFamily,
  clientAddress,
  coarseNetwork,
  fingerprintOf,
  fingerprintParts,
  primaryLanguage,
} from './fingerprint.js';

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.86 Safari/537.36';
const SAFARI =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15';
const salt = new Uint8Array(32).fill(7);

describe('fingerprint parts', () => {
  it('keeps only the IPv4 /24 or IPv6 /48 prefix', () => {
    expect(coarseNetwork('203.0.113.77')).toBe('203.0.113.0/24');
    expect(coarseNetwork('::ffff:203.0.113.9')).toBe('203.0.113.0/24');
    expect(coarseNetwork('2001:db8:abcd:12::1')).toBe('2001:db8:abcd::/48');
    expect(coarseNetwork('[2001:0db8:abcd:0012:0000:0000:0000:0001]')).toBe('2001:db8:abcd::/48');
    expect(coarseNetwork('not an ip')).toBe('unknown');
    expect(coarseNetwork(undefined)).toBe('unknown');
  });

  it('keeps browser family and major version only', () => {
    expect(browserFamily(CHROME)).toBe('chrome/131');
    expect(browserFamily(SAFARI)).toBe('safari/18');
    expect(browserFamily(`${CHROME} Edg/131.0.2903.70`)).toBe('edge/131');
    expect(browserFamily('Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0')).toBe(
      'firefox/133',
    );
    expect(browserFamily('curl/8.5.0')).toBe('other');
  });

  it('keeps the primary language only', () => {
    expect(primaryLanguage('de-CH,de;q=0.9,en;q=0.8')).toBe('de');
    expect(primaryLanguage('')).toBe('-');
  });

  it('reads X-Forwarded-For only when the proxy is trusted', () => {
    const request = { remoteAddress: '10.0.0.5', forwardedFor: '198.51.100.23, 10.0.0.1' };
    expect(clientAddress({ ...request, trustProxy: false })).toBe('10.0.0.5');
    expect(clientAddress({ ...request, trustProxy: true })).toBe('198.51.100.23');
  });
});

describe('fingerprintOf', () => {
  const parts = (address: string, ua = CHROME, lang = 'en-US') =>
    fingerprintParts({ address, userAgent: ua, acceptLanguage: lang });

  it('is a 16-byte base64url HMAC that holds none of its inputs', () => {
    const fp = fingerprintOf(parts('203.0.113.77'), salt);
    expect(fp).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(fp).not.toContain('203');
  });

  it('is equal within a /24 and a browser major, different across them or across salts', () => {
    const a = fingerprintOf(parts('203.0.113.77'), salt);
    expect(fingerprintOf(parts('203.0.113.200', CHROME.replace('131.0.6778.86', '131.1.0.0')), salt)).toBe(a);
    expect(fingerprintOf(parts('203.0.114.77'), salt)).not.toBe(a);
    expect(fingerprintOf(parts('203.0.113.77', SAFARI), salt)).not.toBe(a);
    expect(fingerprintOf(parts('203.0.113.77', CHROME, 'fr'), salt)).not.toBe(a);
    expect(fingerprintOf(parts('203.0.113.77'), new Uint8Array(32).fill(8))).not.toBe(a);
  });
});
