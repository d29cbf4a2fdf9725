import { KeyError } from './key-error.js';
import type { Scope } from './scope.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1']);
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const HOSTNAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);

function refuse(value: string, why: string): never {
  throw new KeyError('INVALID_ORIGIN', `invalid origin ${JSON.stringify(value)}: ${why}`);
}

/**
 * Normalises a browser origin as the `Origin` header carries it: scheme, lower-case host and an
 * explicit non-default port; no path, query, fragment or credentials. Accepts `https://host[:port]`
 * and, for local development only, `http://localhost[:port]` and `http://127.0.0.1[:port]`.
 * Throws {@link KeyError} `INVALID_ORIGIN` otherwise.
 *
 * @example
 * normaliseOrigin('https://App.Example.com/'); // 'https://app.example.com'
 * normaliseOrigin('http://localhost:5173');   // 'http://localhost:5173'
 */
export function normaliseOrigin(value: string): string {
  if (!/^https?:\/\/[^\s]+$/i.test(value)) refuse(value, 'expected https://host[:port]');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return refuse(value, 'not a URL');
  }
  if (url.username || url.password) refuse(value, 'no credentials allowed');
  if (url.pathname !== '/' || url.search || url.hash || value.includes('?') || value.includes('#'))
    refuse(value, 'an origin has no path, query or fragment');
  if (!HOSTNAME.test(url.hostname)) refuse(value, 'not a host name (no wildcards)');
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname))
    refuse(value, 'http is only allowed for localhost and 127.0.0.1; use https');
  return url.origin;
}

/**
 * Validates the origins of a new key: a site key needs at least one, other scopes take none.
 * Returns them normalised and without duplicates.
 */
export function originsForScope(scope: Scope, origins: readonly string[] = []): string[] {
  if (scope !== 'site') {
    if (origins.length > 0)
      throw new KeyError('ORIGINS_NOT_ALLOWED', `${scope} keys take no origins; only site keys do`);
    return [];
  }
  if (origins.length === 0)
    throw new KeyError(
      'ORIGIN_REQUIRED',
      'a site key needs at least one allowed origin (https://host[:port])',
    );
  return [...new Set(origins.map(normaliseOrigin))];
}
