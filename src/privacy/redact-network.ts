/**
 * Detectors for URLs, e-mail addresses and IP addresses. Each takes text and returns it with
 * the matches replaced by a token, plus how many it replaced. Patterns only start at the
 * beginning of a token (look-behind guards), which keeps them linear on long inputs.
 */

/** Result of one detector pass. */
export interface PassResult {
  text: string;
  count: number;
}

/** Punctuation that ends a sentence rather than a URL. */
const URL_TRAILER = /[.,;:!?)'"]+$/;
const URL_PATTERN = new RegExp(
  [
    String.raw`\b(?:https?|ftp):\/\/[^\s<>"]+`,
    String.raw`(?<![\w@.-])www\.[^\s<>"]+`,
    // A bare domain only counts as a URL when a path follows: `example.com/x`.
    String.raw`(?<![\w@.\/-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(?::\d{1,5})?\/[^\s<>"]*`,
  ].join('|'),
  'gi',
);

/** Replaces http(s)/ftp URLs, `www.` addresses and bare domains with a path by `[url]`. */
export function redactUrls(text: string): PassResult {
  let count = 0;
  const out = text.replace(URL_PATTERN, (match) => {
    const trailer = URL_TRAILER.exec(match)?.[0] ?? '';
    count += 1;
    return `[url]${trailer}`;
  });
  return { text: out, count };
}

const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
const EMAIL_PATTERN = new RegExp(
  `(?<![A-Za-z0-9!#$%&'*+/=?^_\`{|}~.-])${ATEXT}+(?:\\.${ATEXT}+)*@` +
    String.raw`(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}\b`,
  'g',
);

/** Replaces e-mail addresses (RFC 5322 dot-atoms at a dotted domain) by `[email]`. */
export function redactEmails(text: string): PassResult {
  let count = 0;
  const out = text.replace(EMAIL_PATTERN, () => {
    count += 1;
    return '[email]';
  });
  return { text: out, count };
}

const OCTET = String.raw`(?:25[0-5]|2[0-4]\d|[01]?\d?\d)`;
const IPV4 = String.raw`${OCTET}(?:\.${OCTET}){3}`;
const IPV4_PATTERN = new RegExp(String.raw`(?<![\w.])${IPV4}(?![\w]|\.\d)`, 'g');
/** Candidate IPv6 text, checked by {@link isIPv6} before it is replaced. */
const IPV6_CANDIDATE = new RegExp(
  String.raw`(?<![\w:.])(?:[0-9a-f]{0,4}:){2,8}(?:${IPV4}|[0-9a-f]{1,4})?(?:%[\w.-]+)?(?![\w:])`,
  'gi',
);
const HEX_GROUP = /^[0-9a-f]{1,4}$/i;
const IPV4_EXACT = new RegExp(`^${IPV4}$`);

/** True when `s` is a valid IPv6 address (full, `::`-compressed, or with an IPv4 tail; zone id allowed). */
export function isIPv6(s: string): boolean {
  const address = s.split('%')[0] ?? '';
  const halves = address.split('::');
  if (halves.length > 2) return false;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0] ?? '');
  const tail = groups(halves[1] ?? '');
  const all = [...head, ...tail];
  let slots = all.length;
  const last = all[all.length - 1];
  if (last?.includes('.')) {
    if (!IPV4_EXACT.test(last)) return false;
    all.pop();
    slots += 1;
  }
  if (!all.every((g) => HEX_GROUP.test(g))) return false;
  return halves.length === 2 ? slots <= 7 : slots === 8;
}

/** Replaces IPv6 then IPv4 addresses by `[ip]` (IPv6 first, so an IPv4 tail is not split off). */
export function redactIps(text: string): PassResult {
  let count = 0;
  const v6 = text.replace(IPV6_CANDIDATE, (match) => {
    // `::` alone (the unspecified address) reveals nothing and is common as text decoration.
    if (!/[0-9a-f]/i.test(match) || !isIPv6(match)) return match;
    count += 1;
    return '[ip]';
  });
  const out = v6.replace(IPV4_PATTERN, () => {
    count += 1;
    return '[ip]';
  });
  return { text: out, count };
}
