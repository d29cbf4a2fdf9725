import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The job queue between the enqueue function and the worker: a folder standing in for the
 * Supabase queue table. A job is a file; moving it from `pending/` to `claimed/` is the claim
 * (`rename` is atomic, so two workers never take the same job); its outcome lands in `done/`.
 */

/** One job: the request id the attempt was started with, and the enqueue body as it arrived. */
export interface Job {
  requestId: string;
  body: EnqueueBody;
  /** How the fake provider behaves for this job (chosen on the page, outside the body). */
  scenario: Scenario;
}

/** The nested body the page posts (the shape of the real app's enqueue request). */
export interface EnqueueBody {
  tripId: string;
  attemptId: string;
  payload: {
    flow: string;
    requestId: string;
    startedAt: string;
    prompt: string;
    target: { provider: string; model: string };
    inputSnapshot: unknown;
  };
}

/** What the fake provider does: answer, time out, answer garbage, or answer a shape the worker breaks on. */
export type Scenario = 'succeed' | 'timeout' | 'unparsable' | 'broken';
export const SCENARIOS: readonly Scenario[] = ['succeed', 'timeout', 'unparsable', 'broken'];

/** Where a job stands, as the page polls it. */
export type JobOutcome =
  | { status: 'queued' | 'running' }
  | { status: 'success'; tripId: string }
  | { status: 'failed'; errorCode: string };

/** The page's request ids (`req_` + a UUID) name the queue's files: nothing else gets through. */
export const isRequestId = (value: unknown): value is string =>
  typeof value === 'string' && /^req_[0-9a-f-]{36}$/.test(value);

const file = (dir: string, stage: string, id: string) => join(dir, stage, `${id}.json`);

async function writeAtomically(path: string, value: unknown): Promise<void> {
  await writeFile(`${path}.tmp`, JSON.stringify(value));
  await rename(`${path}.tmp`, path);
}

/** Creates the queue's folders. */
export async function openQueue(dir: string): Promise<void> {
  for (const stage of ['pending', 'claimed', 'done']) await mkdir(join(dir, stage), { recursive: true });
}

/** Puts a job in the queue. Its request id names the file: check it with {@link isRequestId}. */
export function enqueue(dir: string, job: Job): Promise<void> {
  return writeAtomically(file(dir, 'pending', job.requestId), job);
}

/** Takes the oldest pending job, or `undefined` when there is none. */
export async function claim(dir: string): Promise<Job | undefined> {
  for (const name of (await readdir(join(dir, 'pending'))).filter((n) => n.endsWith('.json')).sort()) {
    const claimed = join(dir, 'claimed', name);
    try {
      await rename(join(dir, 'pending', name), claimed);
    } catch {
      continue; // another worker took it
    }
    return JSON.parse(await readFile(claimed, 'utf8')) as Job;
  }
  return undefined;
}

/** Records a claimed job's outcome. */
export async function complete(dir: string, requestId: string, outcome: JobOutcome): Promise<void> {
  await writeAtomically(file(dir, 'done', requestId), outcome);
  await rm(file(dir, 'claimed', requestId), { force: true });
}

/** Where the job `requestId` stands, or `undefined` for an unknown one. */
export async function outcomeOf(dir: string, requestId: string): Promise<JobOutcome | undefined> {
  for (const [stage, status] of [
    ['done', undefined],
    ['claimed', 'running'],
    ['pending', 'queued'],
  ] as const) {
    try {
      const text = await readFile(file(dir, stage, requestId), 'utf8');
      return status ? { status } : (JSON.parse(text) as JobOutcome);
    } catch {
      // not at this stage
    }
  }
  return undefined;
}
