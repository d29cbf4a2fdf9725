import type { Hono } from 'hono';
import { requireScope } from '../../auth/index.js';
import { type DeletionReceipt, type DeletionSubject, deleteSubject } from '../../lifecycle/index.js';
import type { AppDeps } from '../deps.js';
import { withSubjectProblems } from './subject-problems.js';

function receiptJson(receipt: DeletionReceipt) {
  return {
    receipt_id: receipt.id,
    subject_kind: receipt.subjectKind,
    subject_hmac: receipt.subjectHmac,
    counts: receipt.counts,
    requested_at: receipt.requestedAt.toISOString(),
    completed_at: receipt.completedAt.toISOString(),
  };
}

/**
 * `DELETE /v1/subjects/users/:userId` and `DELETE /v1/subjects/anon/:anonSessionId` (admin key):
 * delete every raw row of the subject (a user: also through its linked anonymous ids) in one
 * transaction, and answer `200` with the receipt (`counts` per table, the subject only as an
 * HMAC). Idempotent; an unknown subject gets a zero receipt. 400 `RESERVED_ID` / `INVALID_ID`.
 */
export function subjectsRoutes(app: Hono, deps: AppDeps): void {
  const admin = requireScope('admin', deps);
  const remove = async (subject: DeletionSubject) => {
    const receipt = await withSubjectProblems(() =>
      deleteSubject(deps.database, subject, { now: deps.now(), secret: deps.config.subjectHmacSecret }),
    );
    deps.logger.info(
      { receipt: receipt.id, subjectKind: receipt.subjectKind, counts: receipt.counts },
      'subject deleted',
    );
    return receiptJson(receipt);
  };
  app.delete('/v1/subjects/users/:userId', admin, async (c) =>
    c.json(await remove({ userId: c.req.param('userId') })),
  );
  app.delete('/v1/subjects/anon/:anonSessionId', admin, async (c) =>
    c.json(await remove({ anonSessionId: c.req.param('anonSessionId') })),
  );
}
