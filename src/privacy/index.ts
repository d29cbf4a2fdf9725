export type { RedactionCounts, RedactionKind, RedactOptions, RedactResult } from './redact.js';
export { DEFAULT_NOTES_MAX_LENGTH, emptyRedactionCounts, redactText } from './redact.js';
export { codePointLength, toWellFormed, truncateCodePoints } from './truncate.js';
