import { describe, expect, it } from 'vitest';
import { ERROR_CLASS_PATTERN, isErrorCode, normaliseErrorCode } from './index.js';

describe('normaliseErrorCode', () => {
  it.each([
    ['TypeError', 'TYPE_ERROR', 'TypeError'],
    ['AbortError', 'ABORT_ERROR', 'AbortError'],
    ['Error', 'ERROR', 'Error'],
    ['some-thing', 'SOME_THING', 'some-thing'],
    ['DOMException', 'DOM_EXCEPTION', 'DOMException'],
    ['ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_TYPE', undefined],
    ['openai_request_timeout', 'OPENAI_REQUEST_TIMEOUT', 'openai_request_timeout'],
    ['X__Y', 'X_Y', 'X__Y'],
    ['404', 'E_404', '404'],
    ['Network request failed', 'NETWORK_REQUEST_FAILED', 'Network_request_failed'],
    ['', 'UNKNOWN_ERROR', undefined],
    ['!!!', 'UNKNOWN_ERROR', undefined],
    ['RATE_LIMITED', 'RATE_LIMITED', undefined],
  ])('%j → %s (class %s)', (raw, code, errorClass) => {
    expect(normaliseErrorCode(raw)).toEqual({ code, errorClass });
  });

  it('always gives a stored code and a bounded class, whatever comes in', () => {
    const samples = [
      'x'.repeat(1_000),
      `A${'_B'.repeat(100)}`,
      'ünïcödé Fehler',
      '__proto__',
      '1',
      'a\nb\tc',
      'mail me@example.com',
    ];
    for (const raw of samples) {
      const { code, errorClass } = normaliseErrorCode(raw);
      expect(isErrorCode(code), raw).toBe(true);
      if (errorClass !== undefined) expect(ERROR_CLASS_PATTERN.test(errorClass), raw).toBe(true);
    }
  });
});
