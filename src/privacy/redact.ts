import { redactCards, redactIbans } from './redact-financial.js';
import type { PassResult } from './redact-network.js';
import { redactEmails, redactIps, redactUrls } from './redact-network.js';
import { redactHandles, redactPhones } from './redact-phone.js';
import { truncateCodePoints } from './truncate.js';

/** How many items of each kind {@link redactText} replaced. */
export interface RedactionCounts {
  email: number;
  phone: number;
  url: number;
  ip: number;
  card: number;
  iban: number;
  handle: number;
}

/** The kinds of personal data {@link redactText} replaces, each by `[kind]`. */
export type RedactionKind = keyof RedactionCounts;

/** Options of {@link redactText}. */
export interface RedactOptions {
  /** Longest output in code points (default 280). Truncation happens after redaction. */
  maxLength?: number;
}

/** Result of {@link redactText}. */
export interface RedactResult {
  text: string;
  counts: RedactionCounts;
}

/** Default length, in code points, that notes are cut to. */
export const DEFAULT_NOTES_MAX_LENGTH = 280;

/** Counts with every kind at zero. */
export function emptyRedactionCounts(): RedactionCounts {
  return { email: 0, phone: 0, url: 0, ip: 0, card: 0, iban: 0, handle: 0 };
}

/**
 * The passes in order. E-mails go before URLs and handles (an address is neither), URLs before
 * IPs (`http://10.0.0.1/x` is one URL), IPs before cards and phones, IBANs and cards before
 * phones (their digit groups would otherwise look like phone numbers).
 */
export const REDACTION_PASSES: ReadonlyArray<readonly [RedactionKind, (text: string) => PassResult]> = [
  ['email', redactEmails],
  ['url', redactUrls],
  ['ip', redactIps],
  ['iban', redactIbans],
  ['card', redactCards],
  ['phone', redactPhones],
  ['handle', redactHandles],
];

/**
 * Every pass needs one of these characters: `@` (e-mails, handles), `.` or `:` (URLs, IPs), a
 * digit (IPs, IBANs, cards, phones). Text without any, like most short notes, has nothing to find.
 */
export const MAY_HOLD_PERSONAL_DATA = /[\d@.:]/;

/**
 * Replaces e-mail addresses, URLs, IP addresses, IBANs, Luhn-valid card numbers, phone numbers
 * and @handles with `[email]`, `[url]`, `[ip]`, `[iban]`, `[card]`, `[phone]`, `[handle]`, then
 * keeps at most `maxLength` code points (never splitting a surrogate pair, appending nothing).
 * Ordinary travel numbers stay: dates, times, counts, budgets and ranges such as `1500-2000`.
 *
 * @example
 * redactText('reach me at +49 170 1234567, 2 weeks in Japan').text;
 * // 'reach me at [phone], 2 weeks in Japan'
 */
export function redactText(
  text: string,
  { maxLength = DEFAULT_NOTES_MAX_LENGTH }: RedactOptions = {},
): RedactResult {
  const counts = emptyRedactionCounts();
  let current = typeof text === 'string' ? text : '';
  if (!MAY_HOLD_PERSONAL_DATA.test(current)) return { text: truncateCodePoints(current, maxLength), counts };
  for (const [kind, pass] of REDACTION_PASSES) {
    const result = pass(current);
    current = result.text;
    counts[kind] += result.count;
  }
  return { text: truncateCodePoints(current, maxLength), counts };
}
