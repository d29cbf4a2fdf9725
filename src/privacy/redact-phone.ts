import type { PassResult } from './redact-network.js';

/** A chain of digit groups (`030`, `(415)`) joined by one of ` ./-`, optionally led by `+`. */
const CHAIN = /(?<![\w+])(?:\+ ?)?(?:\(\d{1,6}\)|\d+)(?:(?:[ ./-]|(?<=\))|(?=\())(?:\(\d{1,6}\)|\d+))*/g;
const TOKEN = /\(\d{1,6}\)|\d+/g;
/** Dates are never phone numbers: 2026-10-01, 01.10.2026, 1/10/2026, 01.10.26. */
const DATE =
  /(?<!\d[-./]?)(?:\d{4}([-./])\d{1,2}\1\d{1,2}|\d{1,2}([-./])\d{1,2}\2\d{4}|\d{1,2}\.\d{1,2}\.\d{2})(?![-./]?\d)/g;
const MAX_GROUPS = 8;

interface Token {
  start: number;
  end: number;
  digits: string;
  paren: boolean;
  inDate: boolean;
}

function tokenize(chain: string): Token[] {
  const dates = [...chain.matchAll(DATE)].map((m) => [m.index, m.index + m[0].length] as const);
  let d = 0;
  return [...chain.matchAll(TOKEN)].map((m) => {
    const start = m.index;
    const end = start + m[0].length;
    while ((dates[d]?.[1] ?? Number.POSITIVE_INFINITY) <= start) d += 1;
    return {
      start,
      end,
      digits: m[0].replace(/\D/g, ''),
      paren: m[0].startsWith('('),
      inDate: (dates[d]?.[0] ?? Number.POSITIVE_INFINITY) < end,
    };
  });
}

/** Cheap filter: only these tokens can begin a phone number. */
function canStart(token: Token, international: boolean): boolean {
  return (
    international || token.digits.startsWith('0') || token.digits === '1' || /^\d{3}$/.test(token.digits)
  );
}

/**
 * North American shape: [1] (AAA) EEE-LLLL, e.g. `(415) 555-0100`, `415.555.0100`. Any digits:
 * the numbering plan reserves a leading 0 or 1 in the area code and exchange, but a user typing
 * `415.100.7788` still wrote a phone number, and in free text a missed number is a leak while
 * an extra `[phone]` costs nothing. The 3-3-4 grouping is what no date, price or time has.
 */
function isNanp(window: Token[]): boolean {
  const rest = window.length === 4 && window[0]?.digits === '1' ? window.slice(1) : window;
  const [area, exchange, line] = rest;
  if (rest.length !== 3 || !area || !exchange || !line) return false;
  return (
    /^\d{3}$/.test(area.digits) &&
    /^\d{3}$/.test(exchange.digits) &&
    /^\d{4}$/.test(line.digits) &&
    !exchange.paren &&
    !line.paren
  );
}

/**
 * Whether tokens form a phone number: international (`+49 …`, `0049 …`, 7–15 digits after the
 * prefix), national with a trunk `0` (`0170 1234567`, `030/1234567`, `(030) 123456`, 7–12
 * digits), or North American (`415-555-0100`, any digits). Anything shorter than 7 digits never is.
 */
function isPhone(window: Token[], international: boolean): boolean {
  if (window.some((t) => t.inDate)) return false;
  const digits = window.map((t) => t.digits).join('');
  if (international) return digits.length >= 7 && digits.length <= 15 && digits[0] !== '0';
  const first = window[0];
  if (!first || digits.length < 7) return false;
  if (isNanp(window)) return true;
  if (!first.paren && first.digits.startsWith('00')) {
    return first.digits.length >= 3 && digits[2] !== '0' && digits.length - 2 <= 15;
  }
  return digits[0] === '0' && digits[1] !== '0' && first.digits.length >= 2 && digits.length <= 12;
}

function redactChain(chain: string, onPhone: () => void): string {
  const tokens = tokenize(chain);
  const plus = chain.startsWith('+');
  let out = '';
  let copiedTo = 0;
  const before = [0];
  for (const t of tokens) before.push((before[before.length - 1] ?? 0) + t.digits.length);
  const digitsIn = (i: number, j: number) => (before[j + 1] ?? 0) - (before[i] ?? 0);
  let i = 0;
  while (i < tokens.length) {
    const international = plus && i === 0;
    const first = tokens[i];
    let end = -1;
    if (first && canStart(first, international)) {
      for (let j = Math.min(tokens.length, i + MAX_GROUPS) - 1; j >= i && end < 0; j -= 1) {
        const n = digitsIn(i, j);
        if (n >= 7 && n <= 17 && isPhone(tokens.slice(i, j + 1), international)) end = j;
      }
    }
    const startToken = tokens[i];
    const endToken = tokens[end];
    if (!startToken || !endToken) {
      i += 1;
      continue;
    }
    const from = international ? 0 : startToken.start;
    out += `${chain.slice(copiedTo, from)}[phone]`;
    copiedTo = endToken.end;
    onPhone();
    i = end + 1;
  }
  return out + chain.slice(copiedTo);
}

/** Replaces phone numbers (international and national formats, see `isPhone`) by `[phone]`. */
export function redactPhones(text: string): PassResult {
  let count = 0;
  const out = text.replace(CHAIN, (chain) => {
    if (chain.replace(/\D/g, '').length < 7) return chain;
    return redactChain(chain, () => {
      count += 1;
    });
  });
  return { text: out, count };
}

const HANDLE = /(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?(?![\w@])/g;

/** Replaces social handles such as `@anna.m.travels` by `[handle]` (e-mails are handled earlier). */
export function redactHandles(text: string): PassResult {
  let count = 0;
  const out = text.replace(HANDLE, (match) => {
    if (!/[A-Za-z]/.test(match)) return match;
    count += 1;
    return '[handle]';
  });
  return { text: out, count };
}
