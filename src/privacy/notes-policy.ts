import type { RedactionCounts, RedactResult } from './redact.js';
import { DEFAULT_NOTES_MAX_LENGTH, redactText } from './redact.js';
import { codePointLength, truncateCodePoints } from './truncate.js';

/**
 * How free-text notes are kept: `summary` (default: length, word and redaction counts, no text),
 * `redact` (personal data replaced, then truncated), `raw` (truncated only), `drop`. The default
 * keeps no free text because no redaction is complete: `redact` is an opt-in whose recall is
 * measured (`npm run bench -- notes-recall`, docs/privacy.md).
 */
export const NOTES_POLICIES = ['redact', 'raw', 'summary', 'drop'] as const;

/** One of {@link NOTES_POLICIES}. */
export type NotesPolicy = (typeof NOTES_POLICIES)[number];

/** The policy used when none, or an unknown one, is given. */
export const DEFAULT_NOTES_POLICY: NotesPolicy = 'summary';

/**
 * A redaction pass that runs after the pattern passes under `redact`: text in, text out. The
 * server passes `personalDataRedactor` (privacy/redact-personal.ts: names, special-category
 * terms, ages), which this neutral module cannot import without putting an NLP library into the
 * edge bundle. Without one, `redact` replaces what patterns find; `serve` redacts again on ingest.
 */
export type TextRedactor = (text: string) => string;

/** What the `summary` policy keeps of notes: sizes and counts, never text. */
export interface NotesSummary {
  /** Length of the original notes in code points. */
  length: number;
  /** Number of whitespace-separated words. */
  words: number;
  /** How many items of each kind redaction found. */
  redactions: RedactionCounts;
}

/** Longest error message kept, in code points. */
export const ERROR_MESSAGE_MAX_LENGTH = 200;

/**
 * Redaction reads at most this many times the kept length: a 1 MB note costs no more than a
 * 2,240-code-point one. What lies beyond can never reach storage anyway.
 */
export const PRE_REDACT_FACTOR = 8;

/**
 * Redacts at most `PRE_REDACT_FACTOR × max(maxLength, 280)` code points of `text`, then
 * truncates. When the input was longer, the redacted prefix also loses its last, possibly cut,
 * word (an item split by the pre-truncation is not recognised, and redaction may have shrunk the
 * text enough to bring it inside `maxLength`).
 */
function redactBounded(text: string, maxLength: number, redactor?: TextRedactor): RedactResult {
  const bound = Math.max(Math.floor(maxLength), DEFAULT_NOTES_MAX_LENGTH) * PRE_REDACT_FACTOR;
  const all = (input: string, max: number): RedactResult => {
    if (redactor === undefined) return redactText(input, { maxLength: max });
    const patterns = redactText(input, { maxLength: Number.POSITIVE_INFINITY });
    return { text: truncateCodePoints(redactor(patterns.text), max), counts: patterns.counts };
  };
  if (text.length <= bound || codePointLength(truncateCodePoints(text, bound + 1)) <= bound)
    return all(text, maxLength);
  const redacted = all(truncateCodePoints(text, bound), Number.POSITIVE_INFINITY);
  const lastSpace = redacted.text.search(/\s\S*$/);
  const whole = lastSpace >= 0 ? redacted.text.slice(0, lastSpace) : '';
  return { text: truncateCodePoints(whole, maxLength), counts: redacted.counts };
}

/** Whether a UTF-16 code unit is white space as `\s` defines it. */
function isSpace(c: number): boolean {
  return (
    c === 0x20 ||
    (c >= 0x09 && c <= 0x0d) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Number of white-space separated words, without allocating (a 1 MB note costs ~1 ms). */
function countWords(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = isSpace(text.charCodeAt(i));
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}

/** True when `s` is one of {@link NOTES_POLICIES}. */
export function isNotesPolicy(s: unknown): s is NotesPolicy {
  return typeof s === 'string' && (NOTES_POLICIES as readonly string[]).includes(s);
}

/**
 * Applies a notes policy. `maxLength` (code points, default 280) bounds the kept text; redaction
 * reads at most `8 × maxLength` code points, so huge notes stay cheap (`summary` counts the
 * redactions of that prefix and the length and words of the whole). Under `redact`, `redactor`
 * runs after the pattern passes (see {@link TextRedactor}).
 *
 * @example
 * applyNotesPolicy('call +49 170 1234567', 'redact'); // 'call [phone]'
 * applyNotesPolicy('my wife Anna Müller', 'redact', 280, personalDataRedactor); // 'my wife [name]'
 * applyNotesPolicy('call +49 170 1234567', 'summary');
 * // { length: 20, words: 4, redactions: { phone: 1, email: 0, … } }
 */
export function applyNotesPolicy(
  notes: string,
  policy: 'redact' | 'raw',
  maxLength?: number,
  redactor?: TextRedactor,
): string;
export function applyNotesPolicy(
  notes: string,
  policy: 'summary',
  maxLength?: number,
  redactor?: TextRedactor,
): NotesSummary;
export function applyNotesPolicy(
  notes: string,
  policy: 'drop',
  maxLength?: number,
  redactor?: TextRedactor,
): undefined;
export function applyNotesPolicy(
  notes: string,
  policy: NotesPolicy,
  maxLength?: number,
  redactor?: TextRedactor,
): string | NotesSummary | undefined;
export function applyNotesPolicy(
  notes: string,
  policy: NotesPolicy,
  maxLength: number = DEFAULT_NOTES_MAX_LENGTH,
  redactor?: TextRedactor,
): string | NotesSummary | undefined {
  const text = typeof notes === 'string' ? notes : '';
  switch (policy) {
    case 'raw':
      return truncateCodePoints(text, maxLength);
    case 'summary':
      return {
        length: codePointLength(text),
        words: countWords(text),
        redactions: redactBounded(text, DEFAULT_NOTES_MAX_LENGTH).counts,
      };
    case 'drop':
      return undefined;
    default:
      return redactBounded(text, maxLength, redactor).text;
  }
}

/**
 * Makes an error message safe to store: personal data redacted, then cut to 200 code points.
 *
 * @example
 * redactErrorMessage('403 for anna@example.com'); // '403 for [email]'
 */
export function redactErrorMessage(message: string): string {
  return redactBounded(typeof message === 'string' ? message : String(message), ERROR_MESSAGE_MAX_LENGTH)
    .text;
}
