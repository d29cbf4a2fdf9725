import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  classifyFailure,
  ERROR_CODE_PATTERN,
  FAILURE_KINDS,
  type FailureKind,
  isErrorCode,
  isFailureKind,
} from './index.js';

const fixtureUrl = new URL('../../test/fixtures/error-codes.json', import.meta.url);

type Fixture = {
  provider_runtime: { kinds: Record<string, string>; others: Record<string, string> };
  http_status_hints: Record<string, string>;
  message_hints: Record<string, string>;
} & Record<string, unknown>;

function loadFixture(): Fixture {
  return JSON.parse(readFileSync(fixtureUrl, 'utf8')) as Fixture;
}

/** Every exact code of the fixture (all groups, the provider pattern expanded). */
function fixtureCodes(f: Fixture): string[] {
  const out: string[] = [];
  for (const provider of ['GEMINI', 'OPENAI', 'ANTHROPIC', 'OPENROUTER']) {
    for (const suffix of Object.keys(f.provider_runtime.kinds)) out.push(`${provider}_${suffix}`);
  }
  out.push(...Object.keys(f.provider_runtime.others));
  for (const [group, value] of Object.entries(f)) {
    if (['about', 'provider_runtime', 'http_status_hints', 'message_hints'].includes(group)) continue;
    out.push(...Object.keys(value as Record<string, string>));
  }
  return out;
}

const providers = (suffix: string, kind: FailureKind) =>
  Object.fromEntries(['GEMINI', 'OPENAI', 'ANTHROPIC', 'OPENROUTER'].map((p) => [`${p}_${suffix}`, kind]));

/**
 * The kind of every code of the fixture, without status or message: the classifier's decisions,
 * committed. Where it differs from the fixture's own mapping the line says why (issue 16).
 */
const EXPECTED: Readonly<Record<string, FailureKind>> = {
  ...providers('REQUEST_TIMEOUT', 'timeout'),
  ...providers('REQUEST_FAILED', 'provider'),
  ...providers('PARSE_FAILED', 'quality'),
  // A missing API key is the deployment's configuration, not the provider failing (fixture: provider).
  ...providers('KEY_MISSING', 'infrastructure'),
  OPENAI_REFUSAL: 'quality',
  OPENAI_RESPONSE_INCOMPLETE: 'quality',
  MODEL_NOT_ALLOWED: 'provider',
  PROVIDER_NOT_SUPPORTED: 'provider',
  ASYNC_WORKER_PAYLOAD_INVALID: 'validation',
  ASYNC_WORKER_TRIP_NOT_FOUND: 'unknown',
  ASYNC_WORKER_ATTEMPT_SUPERSEDED: 'abort',
  ASYNC_WORKER_PROVIDER_FAILED: 'provider',
  // Writing the trip is our database failing (fixture: unknown).
  ASYNC_WORKER_TRIP_UPSERT_FAILED: 'infrastructure',
  ASYNC_WORKER_TRIP_VERSION_WRITE_FAILED: 'infrastructure',
  ASYNC_WORKER_UNKNOWN_ERROR: 'unknown',
  ASYNC_WORKER_JOB_MISSING: 'unknown',
  // The enqueue is ours: its failure, its configuration and its answer (fixture: unknown).
  ASYNC_ENQUEUE_FAILED: 'infrastructure',
  ASYNC_ENQUEUE_PAYLOAD_INVALID: 'validation',
  ASYNC_ENQUEUE_CONFIG_MISSING: 'infrastructure',
  ASYNC_ENQUEUE_RESPONSE_INVALID: 'infrastructure',
  PROMPT_REQUIRED: 'validation',
  PROMPT_TOO_LONG: 'validation',
  AUTH_TOKEN_INVALID: 'validation',
  RATE_LIMITED: 'rate_limited',
  AI_GENERATION_ABORT_BEACON: 'abort',
  AI_GENERATION_UNEXPECTED_ERROR: 'unknown',
};

describe('error codes and kinds', () => {
  it('accepts UPPER_SNAKE identifiers up to 64 characters as stored codes', () => {
    expect(isErrorCode('RATE_LIMITED')).toBe(true);
    expect(isErrorCode('E2E_FAIL_1')).toBe(true);
    expect(isErrorCode(`A${'B'.repeat(63)}`)).toBe(true);
    expect(isErrorCode(`A${'B'.repeat(64)}`)).toBe(false);
    for (const bad of ['', 'rate_limited', '_X', 'X_', 'X__Y', '1X', 'X-Y', 'X Y', 42, null]) {
      expect(isErrorCode(bad)).toBe(false);
    }
    expect(ERROR_CODE_PATTERN.test('PROMPT_TOO_LONG')).toBe(true);
  });

  it('knows its failure kinds, infrastructure included', () => {
    expect(FAILURE_KINDS).toHaveLength(10);
    expect(isFailureKind('infrastructure')).toBe(true);
    expect(isFailureKind('rate_limited')).toBe(true);
    expect(isFailureKind('oops')).toBe(false);
  });
});

describe('classifyFailure: every code of test/fixtures/error-codes.json', () => {
  // Loaded while collecting: a missing fixture fails the file instead of skipping the mapping.
  const fixture = loadFixture();
  const codes = fixtureCodes(fixture);

  it('the committed table holds exactly the fixture codes', () => {
    expect(codes.length).toBeGreaterThanOrEqual(16 + 4 + 8 + 4 + 4 + 2);
    expect(Object.keys(EXPECTED).sort()).toEqual([...new Set(codes)].sort());
  });

  it.each(Object.entries(EXPECTED))('%s → %s', (code, kind) => {
    expect(isErrorCode(code)).toBe(true);
    expect(classifyFailure({ errorCode: code })).toBe(kind);
  });

  it.each(Object.entries(fixture.http_status_hints))('HTTP %s alone → %s', (status, kind) => {
    expect(classifyFailure({ httpStatus: Number(status) })).toBe(kind);
  });

  it.each(Object.entries(fixture.message_hints))('message containing %j → %s', (hint, kind) => {
    expect(classifyFailure({ message: `Error: ${hint.toUpperCase()} happened` })).toBe(kind);
  });
});

describe('classifyFailure: the cases of issue 16', () => {
  it.each([
    ['ASYNC_ENQUEUE_CONFIG_MISSING', 500],
    ['ASYNC_ENQUEUE_FAILED', 503],
    ['ASYNC_WORKER_UNKNOWN_ERROR', 500],
    ['AI_GENERATION_UNEXPECTED_ERROR', 502],
    ['ASYNC_WORKER_TRIP_NOT_FOUND', 500],
    ['SOMETHING_ODD', 503],
  ])('a 5xx behind our own code %s is infrastructure, not provider', (code, httpStatus) => {
    expect(classifyFailure({ errorCode: code, httpStatus })).toBe('infrastructure');
  });

  it('a 5xx behind a provider code stays provider', () => {
    expect(classifyFailure({ errorCode: 'OPENROUTER_REQUEST_FAILED', httpStatus: 502 })).toBe('provider');
    expect(classifyFailure({ errorCode: 'ASYNC_WORKER_PROVIDER_FAILED', httpStatus: 500 })).toBe('provider');
  });

  it('a provider code carrying an upstream 429 is rate_limited', () => {
    expect(classifyFailure({ errorCode: 'OPENROUTER_REQUEST_FAILED', httpStatus: 429 })).toBe('rate_limited');
    expect(classifyFailure({ errorCode: 'ASYNC_WORKER_PROVIDER_FAILED', httpStatus: 429 })).toBe(
      'rate_limited',
    );
    expect(classifyFailure({ errorCode: 'GEMINI_REQUEST_FAILED', httpStatus: 504 })).toBe('timeout');
  });

  it('a provider refusing our call with a 400 is the provider, not bad input', () => {
    expect(classifyFailure({ errorCode: 'OPENAI_REQUEST_FAILED', httpStatus: 400 })).toBe('provider');
    expect(classifyFailure({ errorCode: 'ASYNC_ENQUEUE_FAILED', httpStatus: 422 })).toBe('validation');
  });

  it.each([
    'AI_GENERATION_ABORTED',
    'AI_GENERATION_ABORTED_BY_USER',
    'ASYNC_WORKER_JOB_CANCELLED',
    'AbortError',
  ])('%s without a status is abort', (code) => {
    expect(classifyFailure({ errorCode: code })).toBe('abort');
  });

  it.each([
    'DESTINATION_INVALID',
    'TRIP_DATES_MISSING',
    'ASYNC_ENQUEUE_BODY_INVALID',
    'TRAVELER_COUNT_REQUIRED',
    'NOTES_TOO_LONG',
  ])('input code %s is validation', (code) => {
    expect(classifyFailure({ errorCode: code })).toBe('validation');
  });

  it.each(['AUTH_SESSION_EXPIRED', 'ASYNC_ENQUEUE_UNAUTHORIZED', 'AUTH_TOKEN_MISSING', 'USER_JWT_EXPIRED'])(
    'auth code %s is validation (the caller was refused before any work)',
    (code) => {
      expect(classifyFailure({ errorCode: code })).toBe('validation');
    },
  );

  it('configuration and credentials of the deployment are infrastructure, whatever the status', () => {
    expect(classifyFailure({ errorCode: 'ASYNC_WORKER_ENV_MISSING' })).toBe('infrastructure');
    expect(classifyFailure({ errorCode: 'OPENAI_KEY_MISSING', httpStatus: 401 })).toBe('infrastructure');
  });
});

describe('classifyFailure: precedence of code, status and message', () => {
  it('a code that names its cause wins over status and message', () => {
    expect(classifyFailure({ errorCode: 'GEMINI_PARSE_FAILED', httpStatus: 504, message: 'timeout' })).toBe(
      'quality',
    );
    expect(classifyFailure({ errorCode: 'ASYNC_ENQUEUE_CONFIG_MISSING', httpStatus: 429 })).toBe(
      'infrastructure',
    );
    expect(classifyFailure({ errorCode: 'PROMPT_TOO_LONG', httpStatus: 500 })).toBe('validation');
  });

  it('a code that only names who failed is refined by the status, then by the message', () => {
    expect(classifyFailure({ errorCode: 'ASYNC_WORKER_UNKNOWN_ERROR', httpStatus: 499 })).toBe('abort');
    expect(classifyFailure({ errorCode: 'AI_GENERATION_UNEXPECTED_ERROR', message: 'Failed to fetch' })).toBe(
      'network',
    );
    expect(classifyFailure({ errorCode: 'TypeError', message: 'Failed to fetch' })).toBe('network');
    expect(
      classifyFailure({ errorCode: 'OPENAI_REQUEST_FAILED', httpStatus: 503, message: 'Could not parse' }),
    ).toBe('provider');
    expect(classifyFailure({ errorCode: 'ASYNC_ENQUEUE_FAILED', message: 'network error' })).toBe('network');
  });

  it("without status or message, such a code's default decides", () => {
    expect(classifyFailure({ errorCode: 'OPENAI_REQUEST_FAILED' })).toBe('provider');
    expect(classifyFailure({ errorCode: 'ASYNC_ENQUEUE_FAILED' })).toBe('infrastructure');
    expect(classifyFailure({ errorCode: 'TYPE_ERROR' })).toBe('unknown');
  });

  it('reads codes of any shape by their normal form', () => {
    expect(classifyFailure({ errorCode: 'openai_request_timeout' })).toBe('timeout');
    expect(classifyFailure({ errorCode: 'TimeoutError' })).toBe('timeout');
    expect(classifyFailure({ errorCode: 'Error' })).toBe('unknown');
    expect(classifyFailure({ errorCode: 'SOMETHING_ODD' })).toBe('unknown');
  });
});

describe('classifyFailure: generalised codes', () => {
  it.each([
    ['MISTRAL_REQUEST_TIMEOUT', 'timeout'],
    ['UPSTREAM_TIMEOUT', 'timeout'],
    ['GEMINI_RATE_LIMITED', 'rate_limited'],
    ['ATTEMPT_ABANDONED', 'abandoned'],
    ['MODEL_OUTPUT_INVALID', 'quality'],
    ['ASYNC_WORKER_DB_UNAVAILABLE', 'infrastructure'],
    ['FETCH_ECONNRESET', 'network'],
  ])('%s → %s', (code, kind) => {
    expect(classifyFailure({ errorCode: code })).toBe(kind);
  });
});

describe('classifyFailure: HTTP status hints without a code', () => {
  it.each([
    [408, 'timeout'],
    [504, 'timeout'],
    [499, 'abort'],
    [429, 'rate_limited'],
    [502, 'provider'],
    [503, 'provider'],
    [500, 'provider'],
    [599, 'provider'],
    [400, 'validation'],
    [422, 'validation'],
    [404, 'unknown'],
    [200, 'unknown'],
    [Number.NaN, 'unknown'],
    [503.5, 'unknown'],
  ])('%s → %s', (status, kind) => {
    expect(classifyFailure({ httpStatus: status })).toBe(kind);
  });

  it('the status wins over the message', () => {
    expect(classifyFailure({ httpStatus: 429, message: 'network error' })).toBe('rate_limited');
  });
});

describe('classifyFailure: message hints', () => {
  it.each([
    ['Request timed out after 60s', 'timeout'],
    ['The operation was aborted due to timeout', 'timeout'],
    ['AbortError: The user aborted a request.', 'abort'],
    ['Could not parse JSON', 'quality'],
    ['model refusal', 'quality'],
    ['Response incomplete: max_output_tokens', 'quality'],
    ['TypeError: Failed to fetch', 'network'],
    ['NetworkError when attempting to fetch resource.', 'network'],
    ['read ECONNRESET', 'network'],
    ['connect econnrefused 127.0.0.1:443', 'network'],
    ['something else', 'unknown'],
    ['', 'unknown'],
  ])('%j → %s', (message, kind) => {
    expect(classifyFailure({ message })).toBe(kind);
  });

  it('returns unknown on empty or odd evidence', () => {
    expect(classifyFailure({})).toBe('unknown');
    expect(classifyFailure({ errorCode: null, httpStatus: null, message: null })).toBe('unknown');
  });
});
