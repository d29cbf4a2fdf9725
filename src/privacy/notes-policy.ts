import type { RedactionCounts } from './redact.js';
import { DEFAULT_NOTES_MAX_LENGTH, redactText } from './redact.js';
import { codePointLength, truncateCodePoints } from './truncate.js';

/**
 * How free-text notes are kept: `redact` (default: personal data replaced, then truncated),
 * `raw` (truncated only), `summary` (length, word and redaction counts, no text), `drop`.
 */
export const NOTES_POLICIES = ['redact', 'raw', 'summary', 'drop'] as const;

/** One of {@link NOTES_POLICIES}. */
export type NotesPolicy = (typeof NOTES_POLICIES)[number];

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

/** True when `s` is one of {@link NOTES_POLICIES}. */
export function isNotesPolicy(s: unknown): s is NotesPolicy {
  return typeof s === 'string' && (NOTES_POLICIES as readonly string[]).includes(s);
}

/**
 * Applies a notes policy. `maxLength` (code points, default 280) bounds the kept text.
 *
 * @example
 * applyNotesPolicy('call +49 170 1234567', 'redact'); // 'call [phone]'
 * applyNotesPolicy('call +49 170 1234567', 'summary');
 * // { length: 20, words: 4, redactions: { phone: 1, email: 0, … } }
 */
export function applyNotesPolicy(notes: string, policy: 'redact' | 'raw', maxLength?: number): string;
export function applyNotesPolicy(notes: string, policy: 'summary', maxLength?: number): NotesSummary;
export function applyNotesPolicy(notes: string, policy: 'drop', maxLength?: number): undefined;
export function applyNotesPolicy(
  notes: string,
  policy: NotesPolicy,
  maxLength?: number,
): string | NotesSummary | undefined;
export function applyNotesPolicy(
  notes: string,
  policy: NotesPolicy,
  maxLength: number = DEFAULT_NOTES_MAX_LENGTH,
): string | NotesSummary | undefined {
  const text = typeof notes === 'string' ? notes : '';
  switch (policy) {
    case 'raw':
      return truncateCodePoints(text, maxLength);
    case 'summary':
      return {
        length: codePointLength(text),
        words: text.split(/\s+/).filter((w) => w !== '').length,
        redactions: redactText(text, { maxLength: 0 }).counts,
      };
    case 'drop':
      return undefined;
    default:
      return redactText(text, { maxLength }).text;
  }
}

/**
 * Makes an error message safe to store: personal data redacted, then cut to 200 code points.
 *
 * @example
 * redactErrorMessage('403 for anna@example.com'); // '403 for [email]'
 */
export function redactErrorMessage(message: string): string {
  return redactText(typeof message === 'string' ? message : String(message), {
    maxLength: ERROR_MESSAGE_MAX_LENGTH,
  }).text;
}
