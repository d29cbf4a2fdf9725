export type { InputSnapshot, SnapshotField } from './input-schema.js';
export { isInputSnapshot, SNAPSHOT_FIELDS } from './input-schema.js';
export type { SnapshotOptions, SnapshotResult } from './input-snapshot.js';
export { snapshotInput } from './input-snapshot.js';
export * from './input-values.js';
export type { NotesPolicy, NotesSummary, TextRedactor } from './notes-policy.js';
export {
  applyNotesPolicy,
  DEFAULT_NOTES_POLICY,
  isNotesPolicy,
  NOTES_POLICIES,
  redactErrorMessage,
} from './notes-policy.js';
export type { RedactionCounts, RedactionKind, RedactOptions, RedactResult } from './redact.js';
export { DEFAULT_NOTES_MAX_LENGTH, emptyRedactionCounts, redactText } from './redact.js';
export { codePointLength, truncateCodePoints } from './truncate.js';
