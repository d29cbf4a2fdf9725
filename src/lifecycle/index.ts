/**
 * The life of stored rows: retention (snapshot scrubbing, row deletion by partition, exact to the
 * day), deletion of a subject with its receipt, the audit of what is stored, and the closing of
 * abandoned attempts. The retention and salt-purge jobs `serve` schedules are in `privacy-jobs.ts`.
 */
export { type AuditReport, auditDatabase, type TableAudit } from './audit.js';
export {
  type DeleteSubjectOptions,
  type DeletionReceipt,
  type DeletionSubject,
  deleteSubject,
} from './deletion.js';
export { privacyJobs } from './privacy-jobs.js';
export {
  DEFAULT_ABANDON_TIMEOUT_MINUTES,
  type ReconcileOptions,
  type ReconcileResult,
  reconcileAbandoned,
} from './reconcile.js';
export { type RetentionOptions, type RetentionResult, runRetention } from './retention.js';
export { DEFAULT_ROW_DAYS, DEFAULT_SNAPSHOT_DAYS, type RetentionWindows } from './retention-windows.js';
export { storedSubjectSecret, subjectHmac } from './subject-hmac.js';
