import { ProblemError } from './problem.js';
import { isBadText } from './safe-json.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
/** Names no query may use: an object built from them would get a new prototype. */
const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Decodes one name or value (`+` is a space); `undefined` when an escape is malformed or does not
 * decode to UTF-8 (decodeURIComponent throws then, where a lenient reader would keep the bytes).
 */
function decode(part: string): string | undefined {
  try {
    return decodeURIComponent(part.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}

const isBadParam = (text: string) => isBadText(text) || CONTROL.test(text);

const invalid = (field: string, message: string) =>
  new ProblemError(400, 'INVALID_QUERY', `bad query parameter: ${field}`, [{ field, message }]);

/**
 * The query string of `url` as one value per name, read as strictly as a body: escapes must be
 * well formed and decode to UTF-8, no name or value may hold a control character (NUL included) or a lone
 * surrogate, no name may be given twice or be `__proto__` / `constructor` / `prototype`. Each
 * refusal is a 400 `INVALID_QUERY` naming the parameter (`(query)` when the name itself is bad).
 * Which names a route takes is the route's schema's business.
 *
 * @example
 * readQuery('http://x/v1/alerts?state=firing&limit=5'); // { state: 'firing', limit: '5' }
 */
export function readQuery(url: string): Record<string, string> {
  const params: Record<string, string> = Object.create(null);
  const start = url.indexOf('?');
  if (start < 0) return params;
  const end = url.indexOf('#', start);
  const search = url.slice(start + 1, end < 0 ? undefined : end);
  for (const pair of search.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    if (name === undefined || isBadParam(name))
      throw invalid('(query)', 'a parameter name is not valid text (UTF-8, no control characters)');
    if (FORBIDDEN_NAMES.has(name)) throw invalid('(query)', `"${name}" is not a parameter name`);
    const shown = name.slice(0, 64);
    const value = decode(eq < 0 ? '' : pair.slice(eq + 1));
    if (value === undefined) throw invalid(shown, 'is not UTF-8 text');
    if (isBadParam(value)) throw invalid(shown, 'holds a control character or a lone surrogate');
    if (Object.hasOwn(params, name)) throw invalid(shown, 'is given more than once');
    params[name] = value;
  }
  return params;
}
