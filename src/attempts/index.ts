/**
 * One attempt, up close: the list of recent attempts (filtered like every panel, keyset-paginated)
 * and one attempt with its events, provider calls and phases on a timeline. Reads raw rows only,
 * so retention and deletion apply as they do everywhere; returns no prompt, response or notes text
 * and no input snapshot.
 */
export type { AttemptStatus, AttemptSummary, AttemptsFilter } from './attempts-query.js';
export { type AttemptsCursor, decodeCursor, encodeCursor } from './cursor.js';
export {
  type AttemptCallView,
  type AttemptDetail,
  type AttemptEventView,
  type AttemptPhaseView,
  getAttempt,
} from './get-attempt.js';
export { type AttemptsPage, listAttempts } from './list-attempts.js';
