import type { PassResult } from './redact-network.js';

/** True when the digit string passes the Luhn checksum used by payment cards. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i -= 1) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** True when `iban` (spaces allowed, any case) has a valid shape and ISO 13616 mod-97 checksum. */
export function ibanValid(iban: string): boolean {
  const compact = iban.replace(/ /g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact)) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const value = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/** An IBAN-shaped run: country, check digits, then alphanumerics, optionally in groups of four. */
const IBAN_CANDIDATE =
  /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,8}(?: ?[A-Za-z0-9]{1,4})?(?![A-Za-z0-9])/g;

/**
 * The run without trailing groups that are lower-case words when the rest has no lower-case
 * letter ("DE89370400440532013000 and"): IBANs are written in capitals, the word is the next one.
 */
function withoutTrailingWords(match: string): string {
  const groups = match.split(' ');
  while (groups.length > 1 && /^[a-z]+$/.test(groups.at(-1)!)) groups.pop();
  const run = groups.join(' ');
  return /[a-z]/.test(run) ? match : run;
}

/** The longest IBAN the run starts with: the whole run, then without its last group, and so on. */
function leadingIban(run: string): string | undefined {
  let candidate = run;
  while (candidate.replace(/ /g, '').length >= 15) {
    if (ibanValid(candidate)) return candidate;
    const cut = candidate.lastIndexOf(' ');
    if (cut < 0) return undefined;
    candidate = candidate.slice(0, cut);
  }
  return undefined;
}

/**
 * Replaces mod-97-valid IBANs by `[iban]`. A run the pattern took too far gives back what follows
 * the IBAN: first a trailing lower-case word (tried before the whole run, which that word keeps
 * valid by chance once in 97 times), then any trailing groups that do not check out.
 */
export function redactIbans(text: string): PassResult {
  let count = 0;
  const out = text.replace(IBAN_CANDIDATE, (match) => {
    const trimmed = withoutTrailingWords(match);
    const iban = (trimmed !== match && ibanValid(trimmed) ? trimmed : undefined) ?? leadingIban(match);
    if (iban === undefined) return match;
    count += 1;
    return `[iban]${match.slice(iban.length)}`;
  });
  return { text: out, count };
}

/** Runs of digit groups joined by one kind of separator (space or dash), e.g. `4111 1111 1111 1111`. */
const DIGIT_CHAIN = /(?<!\d[.,]?|\+ ?)\d+(?:([ -])\d+(?:\1\d+)*)?(?![\d])/g;
const MAX_CARD_GROUPS = 5;

/**
 * Finds card numbers in a chain of digit groups: a single run of 13–19 digits, or up to five
 * groups of at most six digits starting with a group of four (4-4-4-4, 4-6-5, 4-4-4-4-3 …) with
 * 13–19 digits in all, not starting with 0. Luhn-checked, so ordinary numbers rarely qualify.
 */
function redactChain(chain: string, onCard: () => void): string {
  const groups = chain.split(/[ -]/);
  const sep = chain.match(/[ -]/)?.[0] ?? '';
  const parts: string[] = [];
  let i = 0;
  while (i < groups.length) {
    let end = -1;
    // Card numbers never start with 0 (so `0049…` stays a phone number).
    const first = groups[i]?.startsWith('0') ? 0 : (groups[i]?.length ?? 0);
    const top = first === 4 ? Math.min(groups.length, i + MAX_CARD_GROUPS) - 1 : first >= 13 ? i : i - 1;
    for (let j = top; j >= i && end < 0; j -= 1) {
      const window = groups.slice(i, j + 1);
      const digits = window.join('');
      const shaped =
        window.length === 1 || ((window[0]?.length ?? 0) === 4 && window.every((g) => g.length <= 6));
      if (shaped && digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) end = j;
    }
    if (end < 0) {
      parts.push(groups[i] ?? '');
      i += 1;
    } else {
      onCard();
      parts.push('[card]');
      i = end + 1;
    }
  }
  return parts.join(sep);
}

/** Replaces Luhn-valid payment card numbers (13–19 digits, optional spaces or dashes) by `[card]`. */
export function redactCards(text: string): PassResult {
  let count = 0;
  const out = text.replace(DIGIT_CHAIN, (chain) => {
    if (chain.replace(/\D/g, '').length < 13) return chain;
    return redactChain(chain, () => {
      count += 1;
    });
  });
  return { text: out, count };
}
