import type { Tracker } from 'tripmeter/http';
import { readAnonSessionId } from 'tripmeter/session-header';
import { verifyCaller } from './auth.js';
import { type EnqueueBody, enqueue, isRequestId, SCENARIOS, type Scenario } from './queue.js';

/** What a Netlify function gets besides the request: here, only `waitUntil`. */
export interface FunctionContext {
  waitUntil(promise: Promise<unknown>): void;
}

const problem = (status: number, code: string, detail: string) =>
  Response.json(
    { type: 'about:blank', status, code, detail },
    {
      status,
      headers: { 'content-type': 'application/problem+json' },
    },
  );

/**
 * The enqueue function (`netlify/functions/enqueue-trip` in the real app): authenticates the
 * caller, starts the attempt, puts the job in the queue and answers 202. The worker, another
 * process, finishes the attempt by the request id the job carries.
 */
export function enqueueTrip(tripmeter: Tracker, queueDir: string) {
  return async (request: Request, context: FunctionContext): Promise<Response> => {
    const caller = await verifyCaller(request);
    if (!caller)
      return problem(401, 'AUTH_TOKEN_INVALID', 'a Supabase session (anonymous or not) is required');
    const body = (await request.json().catch(() => undefined)) as EnqueueBody | undefined;
    const requestId = body?.payload?.requestId;
    if (!body?.payload?.target || !isRequestId(requestId))
      return problem(
        422,
        'ASYNC_ENQUEUE_PAYLOAD_INVALID',
        'payload.requestId and payload.target are required',
      );

    const attempt = tripmeter.startAttempt({
      requestId, // the app's own id: the worker resumes the attempt by it
      anonSessionId: readAnonSessionId(request), // X-Anon-Session-Id, set by tm.fetch on the page
      userId: caller.userId, // only for a real login, not for an anonymous guest
      input: body, // the whole nested body: the allowlist keeps the form state, never the prompt
      startedAt: body.payload.startedAt, // the page started the attempt before it called us
      flow: body.payload.flow,
      provider: body.payload.target.provider,
      model: body.payload.target.model,
    });
    const asked = request.headers.get('x-fake-provider') as Scenario;
    try {
      await enqueue(queueDir, { requestId, body, scenario: SCENARIOS.includes(asked) ? asked : 'succeed' });
    } catch (error) {
      attempt.fail({ errorCode: 'ASYNC_ENQUEUE_FAILED', error, httpStatus: 500 });
      return problem(500, 'ASYNC_ENQUEUE_FAILED', 'the job could not be queued');
    } finally {
      context.waitUntil(tripmeter.flush()); // a function ends when it answers: send what is queued
    }
    return Response.json({ requestId }, { status: 202 });
  };
}
