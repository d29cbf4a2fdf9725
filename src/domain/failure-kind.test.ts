import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyFailure, ERROR_CODE_PATTERN, FAILURE_KINDS, isErrorCode, isFailureKind } from './index.js';

const fixtureUrl = new URL('../../test/fixtures/error-codes.json', import.meta.url);

type Fixture = {
  provider_runtime: { kinds: Record<string, string>; others: Record<string, string> };
  http_status_hints: Record<string, string>;
  message_hints: Record<string, string>;
} & Record<string, unknown>;

function loadFixture(): Fixture {
  return JSON.parse(readFileSync(fixtureUrl, 'utf8')) as Fixture;
}

/** Every exact code of the fixture with its expected kind (all groups, the provider pattern expanded). */
function fixtureCodes(f: Fixture): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const provider of ['GEMINI', 'OPENAI', 'ANTHROPIC', 'OPENROUTER']) {
    for (const [suffix, kind] of Object.entries(f.provider_runtime.kinds))
      out.push([`${provider}_${suffix}`, kind]);
  }
  out.push(...Object.entries(f.provider_runtime.others));
  for (const [group, value] of Object.entries(f)) {
    if (['about', 'provider_runtime', 'http_status_hints', 'message_hints'].includes(group)) continue;
    out.push(...Object.entries(value as Record<string, string>));
  }
  return out;
}

describe('error codes', () => {
  it('accepts UPPER_SNAKE identifiers up to 64 characters', () => {
    expect(isErrorCode('RATE_LIMITED')).toBe(true);
    expect(isErrorCode('E2E_FAIL_1')).toBe(true);
    expect(isErrorCode(`A${'B'.repeat(63)}`)).toBe(true);
    expect(isErrorCode(`A${'B'.repeat(64)}`)).toBe(false);
    for (const bad of ['', 'rate_limited', '_X', 'X_', 'X__Y', '1X', 'X-Y', 'X Y', 42, null]) {
      expect(isErrorCode(bad)).toBe(false);
    }
    expect(ERROR_CODE_PATTERN.test('PROMPT_TOO_LONG')).toBe(true);
  });

  it('knows its failure kinds', () => {
    expect(FAILURE_KINDS).toHaveLength(9);
    expect(isFailureKind('rate_limited')).toBe(true);
    expect(isFailureKind('oops')).toBe(false);
  });
});

describe('classifyFailure: error codes from test/fixtures/error-codes.json', () => {
  // Loaded while collecting: a missing fixture fails the file instead of skipping the mapping.
  const fixture = loadFixture();
  const codes = fixtureCodes(fixture);

  it('covers the whole fixture', () => {
    expect(codes.length).toBeGreaterThanOrEqual(16 + 4 + 8 + 4 + 4 + 2);
  });

  it.each(codes)('%s → %s', (code, kind) => {
    expect(isErrorCode(code)).toBe(true);
    expect(classifyFailure({ errorCode: code })).toBe(kind);
  });

  it.each(Object.entries(fixture.http_status_hints))('HTTP %s → %s', (status, kind) => {
    expect(classifyFailure({ httpStatus: Number(status) })).toBe(kind);
  });

  it.each(Object.entries(fixture.message_hints))('message containing %j → %s', (hint, kind) => {
    expect(classifyFailure({ message: `Error: ${hint.toUpperCase()} happened` })).toBe(kind);
  });
});

describe('classifyFailure: generalised codes', () => {
  it.each([
    ['MISTRAL_REQUEST_TIMEOUT', 'timeout'],
    ['UPSTREAM_TIMEOUT', 'timeout'],
    ['GEMINI_RATE_LIMITED', 'rate_limited'],
    ['RATE_LIMITED', 'rate_limited'],
    ['ATTEMPT_ABANDONED', 'abandoned'],
  ])('%s → %s', (code, kind) => {
    expect(classifyFailure({ errorCode: code })).toBe(kind);
  });

  it('a known code wins over status and message', () => {
    expect(classifyFailure({ errorCode: 'GEMINI_PARSE_FAILED', httpStatus: 504, message: 'timeout' })).toBe(
      'quality',
    );
  });

  it('a code known as unknown can be refined by status or message', () => {
    expect(classifyFailure({ errorCode: 'ASYNC_WORKER_UNKNOWN_ERROR', httpStatus: 503 })).toBe('provider');
    expect(classifyFailure({ errorCode: 'AI_GENERATION_UNEXPECTED_ERROR', message: 'Failed to fetch' })).toBe(
      'network',
    );
    expect(classifyFailure({ errorCode: 'ASYNC_ENQUEUE_FAILED' })).toBe('unknown');
  });

  it('ignores malformed codes and unrecognised well-formed ones', () => {
    expect(classifyFailure({ errorCode: 'openai_request_timeout' })).toBe('unknown');
    expect(classifyFailure({ errorCode: 'SOMETHING_ODD' })).toBe('unknown');
  });
});

describe('classifyFailure: HTTP status hints', () => {
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
